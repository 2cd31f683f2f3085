"""The feed URL's secret: derived, never stored (see ``coaching.calendar_feed.models``).

token = base64url(HMAC-SHA256 of the row's random nonce, keyed by SECRET_KEY under a salt of
its own), 43 characters; the row keeps only SHA-256(token). Looking a feed up is one indexed
equality on that hash: the database compares hashes of what the caller sent, which tells a
caller nothing about any real token, so no timing of a string compare leaks it.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets

from django.utils.crypto import salted_hmac

KEY_SALT = "hinge.coaching.calendar-feed"
TOKEN_LENGTH = 43  # base64url of 32 bytes, unpadded
TOKEN_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}$")


def new_nonce() -> str:
    return secrets.token_urlsafe(32)


def feed_token(nonce: str) -> str:
    digest = salted_hmac(KEY_SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def well_formed(token: str) -> bool:
    return bool(TOKEN_SHAPE.match(token))
