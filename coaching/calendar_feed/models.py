"""A client's private calendar feed (imported by coaching.models): the secret of its URL.

The URL's token is never stored. It is derived from ``nonce`` with the server's secret key
(``coaching.calendar_feed.tokens``), so the phone can show the same URL on every visit, and only
its SHA-256 is kept in ``token_hash``, so a copy of the database alone opens no feed. Resetting
the link draws a new nonce: the old URL's hash matches no row and answers 404.
"""

from __future__ import annotations

from django.db import models


class CalendarFeed(models.Model):
    client = models.OneToOneField("coaching.Client", on_delete=models.CASCADE, related_name="calendar_feed")
    nonce = models.CharField(max_length=64)
    # The feed is looked up by this (unique, so indexed): SHA-256 hex of the URL's token.
    token_hash = models.CharField(max_length=64, unique=True)
    # When the current link was made (first use, or the last reset).
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Calendar feed of {self.client}"
