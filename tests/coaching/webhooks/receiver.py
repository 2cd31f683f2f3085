"""A real HTTP receiver on 127.0.0.1 that verifies every delivery with the reference package.

``Receiver.fail_first`` answers 500 to that many requests; ``Receiver.hang_on`` holds the
requests of those numbers (1-based) without answering until ``release`` (or ``hang_seconds``),
so the sender times out. Each request is recorded with its ``webhook-id``, the verified body
(``standardwebhooks.Webhook(secret).verify``) or the verification error, and what was answered.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    webhook_id: str
    headers: dict[str, str]
    body: bytes
    verified: Any = None
    error: str = ""
    answered: int | None = None


@dataclass
class Receiver:
    secret: str = ""
    fail_first: int = 0
    hang_on: set[int] = field(default_factory=set)
    hang_seconds: float = 30.0
    received: list[Received] = field(default_factory=list)
    arrived: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    port: int = 0
    path: str = "/hooks"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def verified(self) -> list[Received]:
        return [r for r in self.received if r.verified is not None]

    def handle(self, handler: BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length", "0")))
        headers = {k.lower(): v for k, v in handler.headers.items()}
        entry = Received(webhook_id=headers.get("webhook-id", ""), headers=headers, body=body)
        try:
            entry.verified = Webhook(self.secret).verify(body, headers)
        except WebhookVerificationError as exc:
            entry.error = str(exc)
        with self.lock:
            self.received.append(entry)
            number = len(self.received)
        self.arrived.set()
        if number in self.hang_on:
            self.release.wait(self.hang_seconds)
            return  # no answer: the sender has timed out (or died) by now
        code = 500 if number <= self.fail_first else (200 if entry.verified is not None else 401)
        entry.answered = code
        handler.send_response(code)
        handler.send_header("Content-Length", "2")
        handler.end_headers()
        handler.wfile.write(b"ok")


def start(receiver: Receiver) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            receiver.handle(self)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
            """Quiet: the test server's access log would only clutter pytest's output."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
