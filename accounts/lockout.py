"""django-axes: count failed logins per email, whether they came by the web form or the API."""

from __future__ import annotations

from typing import Any


def login_identifier(request: Any, credentials: dict[str, Any] | None) -> str | None:
    """The web form sends ``username``, the token endpoint ``email``; both are the email."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    return str(value).strip().lower() if value else None
