"""One HTTP POST of a delivery, to the address ``addresses.target`` checked (not a fresh lookup).

urllib3 connects to that address while the request keeps the URL's host in its ``Host``
header, its TLS server name and its certificate check. No redirects are followed (a redirect
could point anywhere); a short timeout bounds the whole attempt.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import urllib3
from django.conf import settings

from coaching.webhooks.addresses import Target

USER_AGENT = "HingeCoach-Webhooks/1.0"
MAX_ERROR = 300


@dataclass(frozen=True)
class Outcome:
    """What one attempt got: a status code (None when no response came) and how long it took."""

    status_code: int | None
    duration_ms: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def _pool(target: Target, timeout: urllib3.Timeout) -> urllib3.HTTPConnectionPool:
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            server_hostname=target.host,
            assert_hostname=target.host,
            cert_reqs="CERT_REQUIRED",
        )
    return urllib3.HTTPConnectionPool(target.address, target.port, timeout=timeout, retries=False, maxsize=1)


def post(target: Target, body: bytes, headers: dict[str, str]) -> Outcome:
    seconds = float(settings.WEBHOOKS_TIMEOUT_SECONDS)
    timeout = urllib3.Timeout(connect=min(seconds, 5.0), read=seconds, total=seconds)
    default_port = 443 if target.scheme == "https" else 80
    host = f"[{target.host}]" if ":" in target.host else target.host
    all_headers = {
        "Host": host if target.port == default_port else f"{host}:{target.port}",
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **headers,
    }
    started = time.monotonic()
    pool = _pool(target, timeout)
    try:
        response = pool.urlopen(
            "POST", target.path, body=body, headers=all_headers, redirect=False, assert_same_host=False,
            preload_content=False, release_conn=True,
        )  # fmt: skip
        response.drain_conn()
        code: int | None = response.status
        error = ""
    except urllib3.exceptions.HTTPError as exc:
        code = None
        error = _describe(exc)
    finally:
        pool.close()
    return Outcome(status_code=code, duration_ms=round((time.monotonic() - started) * 1000), error=error[:MAX_ERROR])


def _describe(exc: Exception) -> str:
    if isinstance(exc, urllib3.exceptions.TimeoutError | urllib3.exceptions.ReadTimeoutError):
        return f"Timed out after {settings.WEBHOOKS_TIMEOUT_SECONDS} s."
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return "Could not connect."
    if isinstance(exc, urllib3.exceptions.SSLError):
        return "TLS error: the certificate could not be verified."
    return f"Request failed: {type(exc).__name__}."
