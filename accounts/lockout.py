"""django-axes: count failed logins per email and address, whether by the web form or the API."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import BaseThrottle


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
