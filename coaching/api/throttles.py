"""Throttles: the "login" scope for sign-in and invites, and "writes" per user for unsafe methods.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``. DRF copies them onto the class
when it is imported; these read them on each request instead, so a test (or an operator
reloading settings) can change them with ``override_settings``.

Each counted request also learns its quota: ``ratelimit_headers`` turns what the throttle saw
into the ``RateLimit-Policy`` and ``RateLimit`` headers of the IETF draft "RateLimit header
fields for HTTP" (draft-ietf-httpapi-ratelimit-headers), which ``ApiMixin`` sends, so that a
client can pace itself before a 429.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle, UserRateThrottle


@dataclass(frozen=True)
class Quota:
    """One throttle's window as a request saw it: ``limit`` per ``window`` seconds, ``remaining``
    after this request, and ``reset`` seconds until the oldest counted request leaves the window."""

    policy: str
    limit: int
    window: int
    remaining: int
    reset: int


def quota_of(throttle: SimpleRateThrottle) -> Quota | None:
    """What ``throttle`` counted for the request it just judged (None: it counted nothing)."""
    history: list[float] | None = getattr(throttle, "history", None)
    if throttle.rate is None or history is None or not throttle.scope:
        return None
    # parse_rate's results, which DRF sets on the throttle in __init__ / allow_request.
    limit, window = int(getattr(throttle, "num_requests", 0)), int(getattr(throttle, "duration", 0))
    reset = math.ceil(history[-1] + window - throttle.now) if history else 0
    return Quota(throttle.scope, limit, window, max(limit - len(history), 0), max(reset, 0))


def ratelimit_headers(request: Any) -> dict[str, str]:
    """The draft's two header fields for the quotas the request counted against (none: {})."""
    quotas: list[Quota] = getattr(request, "ratelimit_quotas", [])
    if not quotas:
        return {}
    return {
        "RateLimit-Policy": ", ".join(f'"{q.policy}";q={q.limit};w={q.window}' for q in quotas),
        "RateLimit": ", ".join(f'"{q.policy}";r={q.remaining};t={q.reset}' for q in quotas),
    }


class _LiveRates:
    scope: str | None

    def get_rate(self) -> str | None:
        rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")
        return None if rate is None else str(rate)

    def allow_request(self, request: Any, view: Any) -> bool:
        allowed: bool = super().allow_request(request, view)  # type: ignore[misc]
        quota = quota_of(self)  # type: ignore[arg-type]
        if quota is not None:
            request.ratelimit_quotas = [*getattr(request, "ratelimit_quotas", []), quota]
        return allowed


class LoginThrottle(_LiveRates, ScopedRateThrottle):
    """Per IP (the caller is anonymous); the view sets ``throttle_scope = "login"``."""


class WritesThrottle(_LiveRates, UserRateThrottle):
    """Unsafe methods only, counted per user (per IP for the anonymous)."""

    scope = "writes"

    def allow_request(self, request: Any, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
