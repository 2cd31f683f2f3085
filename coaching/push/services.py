"""Web Push to the client's phone: subscriptions, and the messages for a coach's reply and a new
prescription, encrypted and signed by pywebpush / py-vapid, sent by a Celery task after the commit.

A push endpoint is a URL the browser's push service chose, so it is held to the webhooks' SSRF
rules (coaching/webhooks/addresses.py): https only (http only in the test settings), a public
address when saved and again at each send, and the send connects to the address it checked.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any
from urllib.parse import urlsplit

import kombu.exceptions
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from py_vapid import Vapid  # type: ignore[import-untyped]  # no type information shipped
from pywebpush import WebPusher  # type: ignore[import-untyped]

from coaching.models import Assignment, Client, PrescriptionVersion, ReviewItem
from coaching.push import keys
from coaching.push.models import ENDPOINT_MAX_CHARS, ERROR_MAX_CHARS, PushSubscription
from coaching.webhooks import addresses, sending

logger = logging.getLogger(__name__)

USER_AGENT = "HingeCoach-Push/1.0"
# A user's newest subscriptions kept (a phone per browser; reinstalls leave old ones behind).
MAX_SUBSCRIPTIONS_PER_USER = 10
# A VAPID token is valid this long (push services refuse more than 24 hours).
VAPID_TOKEN_LIFETIME = dt.timedelta(hours=12)
BODY_MAX_CHARS = 140
GONE = (404, 410)


class PushFailed(Exception):
    """The push service failed in a way that may pass (no answer, 429, 5xx): the task retries."""


# --- checks -----------------------------------------------------------------------------


def _has_credentials(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.username is not None or parts.password is not None


def endpoint_problem(endpoint: str) -> str | None:
    """Why ``endpoint`` may not be stored, or None."""
    if len(endpoint) > ENDPOINT_MAX_CHARS:
        return f"Use an endpoint of at most {ENDPOINT_MAX_CHARS} characters."
    try:
        addresses.check_shape(endpoint)
    except addresses.UnsafeURL as exc:
        return "A push endpoint carries no credentials." if _has_credentials(endpoint) else str(exc)
    if urlsplit(endpoint).scheme != "https" and not settings.PUSH_ALLOW_HTTP:
        return "A push endpoint is an https:// URL."
    try:
        addresses.check_url(endpoint)
    except addresses.UnsafeURL as exc:
        return str(exc)
    return None


def p256dh_problem(value: str) -> str | None:
    try:
        raw = keys.b64url_decode(value)
    except ValueError:
        return "Give the subscription's p256dh key in base64url."
    return None if keys.is_p256_point(raw) else "The p256dh key is not a P-256 public key."


def auth_problem(value: str) -> str | None:
    try:
        raw = keys.b64url_decode(value)
    except ValueError:
        return "Give the subscription's auth secret in base64url."
    return None if len(raw) == keys.AUTH_BYTES else f"The auth secret is {keys.AUTH_BYTES} bytes."


def push_page_key() -> str:
    """The VAPID public key the phone subscribes with; "" when push is off (no opt-in shown)."""
    return settings.VAPID_PUBLIC_KEY if settings.PUSH_ENABLED else ""


# --- subscriptions ----------------------------------------------------------------------


@transaction.atomic
def subscription_save(*, user: Any, endpoint: str, p256dh: str, auth: str) -> tuple[PushSubscription, bool]:
    """Store (or refresh the keys of) ``user``'s subscription for this endpoint; True when new.
    Keeps the user's newest MAX_SUBSCRIPTIONS_PER_USER."""
    if not settings.PUSH_ENABLED:
        raise ValidationError({"non_field_errors": ["Notifications are not set up on this server."]})
    problems = {
        name: [problem]
        for name, problem in (
            ("endpoint", endpoint_problem(endpoint)),
            ("p256dh", p256dh_problem(p256dh)),
            ("auth", auth_problem(auth)),
        )
        if problem
    }
    if problems:
        raise ValidationError(problems)
    subscription, created = PushSubscription.objects.update_or_create(
        user=user,
        endpoint=endpoint,
        defaults={"p256dh": p256dh.strip(), "auth": auth.strip(), "last_error": "", "last_error_at": None},
    )
    stale = PushSubscription.objects.filter(user=user).order_by("-created_at", "-id")[MAX_SUBSCRIPTIONS_PER_USER:]
    PushSubscription.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
    return subscription, created


def subscription_delete(*, user: Any, endpoint: str) -> int:
    """Forget ``user``'s subscription for this endpoint (no other user's); how many went."""
    deleted, _ = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return deleted


# --- what is sent -----------------------------------------------------------------------


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= BODY_MAX_CHARS else text[: BODY_MAX_CHARS - 1].rstrip() + "…"


def reply_message(*, comment: Any) -> dict[str, str]:
    """The push for a coach's reply: who, what (shortened), and the thread to open."""
    author = comment.author.name or comment.author.email
    return {
        "title": f"{author} replied",
        "body": _short(comment.body),
        "url": reverse("client-thread", args=[comment.session_id]),
    }


def prescription_message(*, version: Any) -> dict[str, str]:
    """The push for a new prescription version: from when, in the coach's words (the edit's reason,
    or the first note of the approval; a review's own reason names rules, for the coach), and
    Today to see it."""
    when = f"From {version.effective_from:%a %d %b}"
    words = ""
    if version.source == PrescriptionVersion.Source.COACH_EDIT:
        words = version.reason
    elif version.review_id is not None:
        notes = ReviewItem.objects.filter(review_id=version.review_id).exclude(note="").order_by("position")
        words = notes.values_list("note", flat=True).first() or ""
    body = f"{when}, your coach says: {words}" if words else f"{when}: your coach approved changes. See them on Today."
    return {"title": "Your training plan changed", "body": _short(body), "url": reverse("client-today")}


def notify_later(*, user_id: int | None, message: dict[str, str]) -> None:
    """Push ``message`` to each of the user's phones once the current transaction commits
    (nothing for a rolled-back change). Push is a nicety: a broker that cannot be reached is logged."""
    if user_id is None or not settings.PUSH_ENABLED:
        return

    def enqueue() -> None:
        from coaching.push.tasks import push_to_user  # the tasks import this module

        if not PushSubscription.objects.filter(user_id=user_id).exists():
            return  # no phone subscribed: no message for the broker
        try:
            push_to_user.delay(user_id, message)
        except kombu.exceptions.OperationalError:
            logger.exception("Push to user %s not queued: the broker is unreachable", user_id)

    transaction.on_commit(enqueue)


def reply_pushed_later(*, comment: Any) -> None:
    """A reply by the coach (not the client's own) goes to the client's phones after the commit."""
    if not settings.PUSH_ENABLED:
        return
    client_user_id = Client.objects.filter(pk=comment.session.client_id).values_list("user_id", flat=True).first()
    if client_user_id is not None and client_user_id != comment.author_id:
        notify_later(user_id=client_user_id, message=reply_message(comment=comment))


def prescription_pushed_later(*, version: Any) -> None:
    """A new version from an approved review or a coach's edit (not the first assignment) goes to
    the client's phones after the commit."""
    if not settings.PUSH_ENABLED or version.source == PrescriptionVersion.Source.ASSIGNED:
        return
    client_user_id = (
        Assignment.objects.filter(pk=version.assignment_id).values_list("client__user_id", flat=True).first()
    )
    notify_later(user_id=client_user_id, message=prescription_message(version=version))


def subscription_ids(*, user_id: int) -> list[int]:
    return list(PushSubscription.objects.filter(user_id=user_id).order_by("id").values_list("pk", flat=True))


# --- one send ---------------------------------------------------------------------------


def _vapid_headers(endpoint: str, now: dt.datetime) -> dict[str, str]:
    parts = urlsplit(endpoint)
    claims = {
        "sub": settings.VAPID_SUBJECT,
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int((now + VAPID_TOKEN_LIFETIME).timestamp()),
    }
    signed: dict[str, str] = Vapid.from_string(settings.VAPID_PRIVATE_KEY).sign(claims)
    return {"Authorization": signed["Authorization"]}


def encrypt(subscription: PushSubscription, message: dict[str, str]) -> bytes:
    """The message as JSON, encrypted to the subscription's keys (RFC 8291, aes128gcm)."""
    info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
    data = json.dumps(message, ensure_ascii=False).encode()
    body: bytes = WebPusher(info).encode(data, content_encoding="aes128gcm")["body"]
    return body


def _record_error(subscription: PushSubscription, error: str, now: dt.datetime) -> None:
    PushSubscription.objects.filter(pk=subscription.pk).update(last_error=error[:ERROR_MAX_CHARS], last_error_at=now)


def push_send(*, subscription_id: int, message: dict[str, str], now: dt.datetime | None = None) -> str:
    """Send one message to one subscription: "sent"; "gone" (the push service said 404/410, the row
    is deleted); "missing" (deleted meanwhile); "refused" (the endpoint's address is not allowed, or
    the push service refused the message: recorded, not retried). Raises PushFailed to be retried."""
    now = now or timezone.now()
    subscription = PushSubscription.objects.filter(pk=subscription_id).first()
    if subscription is None:
        return "missing"
    try:
        target = addresses.target(subscription.endpoint)
    except addresses.UnsafeURL as exc:
        _record_error(subscription, f"Not sent: {exc}", now)
        logger.warning("Push subscription %s not sent to: %s", subscription.pk, exc)
        return "refused"
    headers = {
        **_vapid_headers(subscription.endpoint, now),
        "Content-Type": "application/octet-stream",
        "Content-Encoding": "aes128gcm",
        "TTL": str(settings.PUSH_TTL_SECONDS),
        "Urgency": "normal",
        "User-Agent": USER_AGENT,
    }
    outcome = sending.post(target, encrypt(subscription, message), headers)
    if outcome.ok:
        if subscription.last_error:
            PushSubscription.objects.filter(pk=subscription.pk).update(last_error="", last_error_at=None)
        return "sent"
    if outcome.status_code in GONE:
        subscription.delete()
        logger.info("Push subscription %s is gone (%s): deleted", subscription_id, outcome.status_code)
        return "gone"
    error = f"HTTP {outcome.status_code}" if outcome.status_code is not None else outcome.error or "No answer."
    _record_error(subscription, error, now)
    if outcome.status_code is None or outcome.status_code == 429 or outcome.status_code >= 500:
        raise PushFailed(f"Push subscription {subscription_id}: {error}")
    logger.warning("Push subscription %s refused the message: %s", subscription_id, error)
    return "refused"
