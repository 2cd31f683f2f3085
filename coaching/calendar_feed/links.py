"""The feed's addresses for a token, as the phone page and the API show them."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse


def feed_links(request: HttpRequest, token: str) -> dict[str, str]:
    """``https_url`` (to paste into a calendar app) and ``webcal_url`` (opens the phone's calendar)."""
    https = request.build_absolute_uri(reverse("client-calendar-feed", args=[token]))
    return {"https_url": https, "webcal_url": "webcal://" + https.split("://", 1)[1]}
