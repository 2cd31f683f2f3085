"""A real push service on 127.0.0.1 for the tests: it checks what a browser's push service would.

Each ``Phone`` is a subscriber made here the way a browser makes one (a P-256 key pair and a
16-byte auth secret, from ``cryptography``) with its own endpoint path. For every POST the service
checks the VAPID ``Authorization`` header (the ES256 JWT verified with the configured public key,
its ``aud``, ``exp`` and ``sub``), decrypts the aes128gcm body with ``http_ece`` using the phone's
private key, and records the message. A phone's ``answer`` is the status to reply with (201 by
default; 410 for a phone that dropped its subscription; ``fail_first`` 500s before that).
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from coaching.push.keys import b64url, b64url_decode, public_point


@dataclass
class Phone:
    path: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))
    answer: int = 201
    fail_first: int = 0

    @property
    def p256dh(self) -> str:
        return b64url(public_point(self.private_key.public_key()))

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    claims: dict[str, Any] | None = None
    message: Any = None
    error: str = ""
    answered: int = 0


@dataclass
class PushService:
    vapid_public_key: str = ""
    vapid_subject: str = ""
    port: int = 0
    phones: dict[str, Phone] = field(default_factory=dict)
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    arrived: threading.Condition = field(default_factory=threading.Condition)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def phone(self, **kwargs: Any) -> Phone:
        made = Phone(path=f"/push/{secrets.token_urlsafe(12)}", **kwargs)
        self.phones[made.path] = made
        return made

    def endpoint(self, phone: Phone) -> str:
        return self.origin + phone.path

    def subscription(self, phone: Phone) -> dict[str, Any]:
        """What ``PushSubscription.toJSON()`` gives the page."""
        return {"endpoint": self.endpoint(phone), "expirationTime": None,
                "keys": {"p256dh": phone.p256dh, "auth": phone.auth}}  # fmt: skip

    def messages(self, phone: Phone) -> list[Any]:
        return [r.message for r in self.received if r.path == phone.path and not r.error]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.received) < count and time.monotonic() < deadline:
                self.arrived.wait(deadline - time.monotonic())
        return list(self.received)

    def verify_vapid(self, authorization: str) -> dict[str, Any]:
        scheme, _, params = authorization.partition(" ")
        if scheme.lower() != "vapid":
            raise ValueError(f"Authorization scheme is {scheme!r}, not vapid")
        parts = dict(part.strip().split("=", 1) for part in params.split(","))
        if parts.get("k") != self.vapid_public_key:
            raise ValueError("k is not the server's VAPID public key")
        header_b64, payload_b64, signature_b64 = parts["t"].split(".")
        header = json.loads(b64url_decode(header_b64))
        if header != {"typ": "JWT", "alg": "ES256"}:
            raise ValueError(f"JWT header {header}")
        signature = b64url_decode(signature_b64)
        if len(signature) != 64:
            raise ValueError("ES256 signature is not 64 bytes")
        key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(self.vapid_public_key))
        der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
        try:
            key.verify(der, f"{header_b64}.{payload_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except InvalidSignature as exc:
            raise ValueError("JWT signature does not verify with the VAPID public key") from exc
        claims: dict[str, Any] = json.loads(b64url_decode(payload_b64))
        if claims.get("aud") != self.origin:
            raise ValueError(f"aud {claims.get('aud')!r} is not {self.origin}")
        if not time.time() < claims["exp"] <= time.time() + 24 * 3600:
            raise ValueError("exp is not within the next 24 hours")
        if claims.get("sub") != self.vapid_subject:
            raise ValueError(f"sub {claims.get('sub')!r}")
        return claims

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length", "0")))
        headers = {k.lower(): v for k, v in handler.headers.items()}
        entry = Received(path=handler.path, headers=headers)
        phone = self.phones.get(handler.path)
        code = 404
        if phone is not None:
            try:
                entry.claims = self.verify_vapid(headers.get("authorization", ""))
                if headers.get("content-encoding") != "aes128gcm":
                    raise ValueError(f"Content-Encoding {headers.get('content-encoding')!r}")
                if not headers.get("ttl", "").isdigit():
                    raise ValueError("no TTL header")
                plain = http_ece.decrypt(
                    body, private_key=phone.private_key, auth_secret=phone.auth_secret, version="aes128gcm"
                )
                entry.message = json.loads(plain)
            except Exception as exc:  # noqa: BLE001 - recorded for the test to assert on
                entry.error = f"{type(exc).__name__}: {exc}"
            with self.lock:
                sent_to_phone = sum(1 for r in self.received if r.path == phone.path)
            if entry.error:
                code = 400
            elif sent_to_phone < phone.fail_first:
                code = 500
            else:
                code = phone.answer
        entry.answered = code
        with self.arrived:  # recorded before answering: the sender sees it once it has its answer
            self.received.append(entry)
            self.arrived.notify_all()
        handler.send_response(code)
        handler.send_header("Content-Length", "0")
        handler.end_headers()


def start(service: PushService) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            service.handle(self)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
            """Quiet: the test server's access log would only clutter pytest's output."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    service.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
