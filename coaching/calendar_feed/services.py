"""Writes of the calendar feed: made on first use, reset by the client."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from coaching.calendar_feed.models import CalendarFeed
from coaching.calendar_feed.tokens import feed_token, new_nonce, token_hash
from coaching.models import Client


def calendar_feed_for(*, client: Client) -> tuple[CalendarFeed, str]:
    """The client's feed and its URL token, the feed made on first use.

    When SECRET_KEY has changed since the link was made, the derived token no longer matches the
    stored hash: the hash follows, so the phone's link works again (the old URL stops)."""
    try:
        feed = client.calendar_feed
    except CalendarFeed.DoesNotExist:
        try:
            with transaction.atomic():
                return _create(client)
        except IntegrityError:
            # Two first visits at once: the other one made it.
            feed = CalendarFeed.objects.get(client=client)
    token = feed_token(feed.nonce)
    if feed.token_hash != token_hash(token):
        feed.token_hash = token_hash(token)
        feed.save(update_fields=["token_hash"])
    return feed, token


def calendar_feed_reset(*, client: Client) -> tuple[CalendarFeed, str]:
    """A new link for the client's feed; the old URL answers 404 from now on."""
    with transaction.atomic():
        feed = CalendarFeed.objects.select_for_update().filter(client=client).first()
        if feed is None:
            return _create(client)
        feed.nonce = new_nonce()
        token = feed_token(feed.nonce)
        feed.token_hash = token_hash(token)
        feed.created_at = timezone.now()
        feed.save(update_fields=["nonce", "token_hash", "created_at"])
    client.calendar_feed = feed  # the caller's client then knows its new link
    return feed, token


def _create(client: Client) -> tuple[CalendarFeed, str]:
    nonce = new_nonce()
    token = feed_token(nonce)
    feed = CalendarFeed.objects.create(
        client=client, nonce=nonce, token_hash=token_hash(token), created_at=timezone.now()
    )
    return feed, token
