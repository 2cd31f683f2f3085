"""Throttles: the "login" scope for sign-in and invites, and "writes" per user for unsafe methods.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``. DRF copies them onto the class
when it is imported; these read them on each request instead, so a test (or an operator
reloading settings) can change them with ``override_settings``.
"""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle


class _LiveRates:
    scope: str | None

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope or "")


class LoginThrottle(_LiveRates, ScopedRateThrottle):
    """Per IP (the caller is anonymous); the view sets ``throttle_scope = "login"``."""


class WritesThrottle(_LiveRates, UserRateThrottle):
    """Unsafe methods only, counted per user (per IP for the anonymous)."""

    scope = "writes"

    def allow_request(self, request: Any, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
