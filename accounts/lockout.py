"""Sign-in limits: django-axes counts failed logins per email and address (web form and API), and
the HTML form also has a limit of attempts per address, kept in the shared cache like the API's.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def login_identifier(request: Any, credentials: dict[str, Any] | None) -> str | None:
    """The web form sends ``username``, the token endpoint ``email``; both are the email."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    return str(value).strip().lower() if value else None


def client_ip(request: Any) -> str | None:
    """The address a sign-in comes from, exactly as the API's throttles count it.

    DRF's rule: ``REMOTE_ADDR`` unless ``REST_FRAMEWORK["NUM_PROXIES"]`` trusted proxies append
    to ``X-Forwarded-For``; then the entry the outermost trusted proxy added. One rule for the
    throttles, the HTML form's limit and axes, so none of them trusts a forged header.
    """
    return BaseThrottle().get_ident(request)


class LoginFormThrottle(SimpleRateThrottle):
    """Sign-in attempts per address on the HTML form, rate ``DEFAULT_THROTTLE_RATES["login_form"]``.

    DRF's rate throttle (the API's), read from settings on each request so ``override_settings``
    applies. The rate may name a multiple of the unit: ``"30/10m"`` is 30 attempts per 10 minutes.
    Without a rate for the scope there is no limit.
    """

    scope = "login_form"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def parse_rate(self, rate: str | None) -> tuple[int | None, int | None]:
        if rate is None:
            return (None, None)
        num, period = rate.split("/")
        match = re.fullmatch(r"\s*(\d*)\s*([smhd])[a-z]*\s*", period)
        if match is None:
            raise ValueError(f"Unknown throttle period {period!r}: use e.g. 10m, 1h, day.")
        return (int(num), int(match.group(1) or 1) * UNIT_SECONDS[match.group(2)])

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}
