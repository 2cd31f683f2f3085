"""Webhooks: recording events in the writer's transaction, endpoints, sending and its outcomes.

``events_record`` / ``events_record_many`` are called by the one service where each change
happens, inside its transaction: a delivery row per subscribed endpoint (the transactional
outbox), sent by Celery once the transaction commits. ``delivery_send`` claims a row with a
conditional update, so a task run twice (or a duplicate message) sends once; a worker killed
mid-request leaves its claim to run out, and the beat sweep (``deliveries_due``) sends it
again with the same ``webhook-id``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import kombu.exceptions
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from coaching.models import Coach
from coaching.webhooks import addresses, sending, signing
from coaching.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent

logger = logging.getLogger(__name__)

RETRY_WINDOW = dt.timedelta(hours=24)  # a delivery is retried this long; an endpoint failing this long is disabled
ROTATION_OVERLAP = dt.timedelta(hours=24)  # the old secret still signs this long after a rotation
FIRST_RETRY = dt.timedelta(seconds=30)
LONGEST_WAIT = dt.timedelta(hours=2)
JITTER = (0.75, 1.25)
MAX_ENDPOINTS = 10
SWEEP_LIMIT = 1000
Status = WebhookDelivery.Status
OPEN = (Status.PENDING, Status.RETRYING)


def iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


# --- events ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    coach_id: int
    type: str
    data: dict[str, Any]


def events_record(
    *, coach: Coach | int, type: str, data: dict[str, Any], now: dt.datetime | None = None
) -> list[WebhookDelivery]:
    """One event of ``coach``'s: a delivery to each of their enabled endpoints that wants it."""
    coach_id = coach if isinstance(coach, int) else coach.pk
    return events_record_many(events=[Event(coach_id, type, data)], now=now)


def events_record_many(*, events: Sequence[Event], now: dt.datetime | None = None) -> list[WebhookDelivery]:
    """Record events in the caller's transaction: two queries whatever their number (the
    endpoints, then one insert; one when nobody subscribes). Sending starts after the commit."""
    if not events:
        return []
    unknown = {e.type for e in events} - set(WebhookEvent.values)
    if unknown:
        raise ValueError(f"Unknown webhook event types: {sorted(unknown)}")
    now = now or timezone.now()
    by_coach: dict[int, list[WebhookEndpoint]] = {}
    endpoints = WebhookEndpoint.objects.filter(coach_id__in={e.coach_id for e in events}, enabled=True)
    for endpoint in endpoints.only("id", "coach_id", "events").order_by("id"):
        by_coach.setdefault(endpoint.coach_id, []).append(endpoint)
    rows = [
        WebhookDelivery(
            endpoint=endpoint,
            webhook_id=signing.new_webhook_id(),
            event_type=event.type,
            payload={"type": event.type, "timestamp": iso(now), "data": event.data},
            next_attempt_at=now,
            retry_until=now + RETRY_WINDOW,
            created_at=now,
        )
        for event in events
        for endpoint in by_coach.get(event.coach_id, [])
        if event.type in endpoint.events
    ]
    if rows:
        WebhookDelivery.objects.bulk_create(rows)
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: deliveries_enqueue(ids))
    return rows


def deliveries_enqueue(ids: list[int]) -> None:
    """Hand deliveries to Celery (one message for many: the request that fired them stays quick).

    With the broker unreachable the rows wait: the beat sweep sends them once it is back.
    """
    from coaching.webhooks.tasks import send_deliveries, send_webhook  # the tasks import this module

    try:
        if len(ids) == 1:
            send_webhook.delay(ids[0])
        else:
            send_deliveries.delay(ids)
    except kombu.exceptions.OperationalError:
        logger.exception("Webhook deliveries %s not queued: the broker is unreachable; the sweep will send them", ids)


# --- endpoints ---------------------------------------------------------------------------


def _events(events: Iterable[str]) -> list[str]:
    chosen = set(events)
    unknown = chosen - set(WebhookEvent.values)
    if unknown:
        raise ValidationError({"events": [f"Unknown event type: {', '.join(sorted(unknown))}."]})
    if not chosen:
        raise ValidationError({"events": ["Choose at least one event."]})
    return [value for value in WebhookEvent.values if value in chosen]


@transaction.atomic
def endpoint_create(*, coach: Coach, url: str, events: Iterable[str]) -> WebhookEndpoint:
    """A new endpoint with its own secret (shown to the coach once, in the answer)."""
    url = url.strip()
    chosen = _events(events)
    try:
        addresses.check_url(url)
    except addresses.UnsafeURL as exc:
        raise ValidationError({"url": [str(exc)]}) from exc
    # Serialize one coach's creations on their row, so the limit holds under concurrency.
    Coach.objects.select_for_update().filter(pk=coach.pk).first()
    if WebhookEndpoint.objects.filter(coach=coach).count() >= MAX_ENDPOINTS:
        raise ValidationError({"url": [f"You can have at most {MAX_ENDPOINTS} webhook endpoints: delete one first."]})
    return WebhookEndpoint.objects.create(coach=coach, url=url, events=chosen, secret=signing.new_secret())


@transaction.atomic
def endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """The endpoint and its delivery log; deliveries under way are not sent again."""
    endpoint.delete()


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: WebhookEndpoint, now: dt.datetime | None = None) -> WebhookEndpoint:
    """A new secret; for ``ROTATION_OVERLAP`` deliveries are signed with both the new and the old one."""
    now = now or timezone.now()
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    locked.previous_secret = locked.secret
    locked.previous_secret_expires_at = now + ROTATION_OVERLAP
    locked.secret = signing.new_secret()
    locked.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    return locked


@transaction.atomic
def endpoint_enable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Enable a disabled endpoint again: new events are sent to it (failed ones only by "send again")."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(enabled=True, failing_since=None, disabled_at=None)
    endpoint.refresh_from_db()
    return endpoint


def signing_secrets(endpoint: WebhookEndpoint, now: dt.datetime) -> list[str]:
    """The secrets a delivery is signed with now: the current one, and the previous during the overlap."""
    keep_old = (
        endpoint.previous_secret and endpoint.previous_secret_expires_at and endpoint.previous_secret_expires_at > now
    )
    return [endpoint.secret, endpoint.previous_secret] if keep_old else [endpoint.secret]


# --- sending -----------------------------------------------------------------------------


class DeliveryNotResendable(Exception):
    """ "Send again" on a disabled endpoint (the API answers 409)."""


@transaction.atomic
def delivery_resend(*, delivery: WebhookDelivery, now: dt.datetime | None = None) -> WebhookDelivery:
    """Send a delivery again, with the same ``webhook-id`` (the same event, for receivers that deduplicate),
    then retry it for another 24 hours if it fails."""
    now = now or timezone.now()
    locked = WebhookDelivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
    if not locked.endpoint.enabled:
        raise DeliveryNotResendable("This endpoint is disabled: enable it again first.")
    locked.status = Status.PENDING
    locked.next_attempt_at = now
    locked.retry_until = now + RETRY_WINDOW
    locked.save(update_fields=["status", "next_attempt_at", "retry_until"])
    transaction.on_commit(lambda: deliveries_enqueue([locked.pk]))
    return locked


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def retry_wait(attempts: int) -> dt.timedelta:
    """Exponential backoff with jitter: about 30 s after the first failure, doubling, at most 2 h."""
    base = min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)
    return base * random.uniform(*JITTER)  # noqa: S311 - spreading retries, not a secret


def delivery_send(*, delivery_id: int, now: dt.datetime | None = None) -> bool:
    """Try one delivery if it is due and nobody holds it; True when this call delivered it.

    The conditional update claims the row until the request's timeout (plus a margin) has passed:
    a second task finds it claimed, delivered or not yet due and does nothing.
    """
    now = now or timezone.now()
    delivery = WebhookDelivery.objects.select_related("endpoint__coach__user").filter(pk=delivery_id).first()
    if delivery is None or delivery.status not in OPEN:
        return False
    endpoint = delivery.endpoint
    if not endpoint.enabled:
        WebhookDelivery.objects.filter(pk=delivery_id, status__in=OPEN).update(
            status=Status.FAILED, next_attempt_at=None, last_error="The endpoint is disabled."
        )
        return False
    # The claim outlives the request's timeout by a margin; a killed sender's claim runs out.
    lease = now + dt.timedelta(seconds=settings.WEBHOOKS_TIMEOUT_SECONDS + settings.WEBHOOKS_CLAIM_MARGIN_SECONDS)
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id, status__in=OPEN, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=lease, attempts=F("attempts") + 1, last_attempt_at=now)
    )
    if not claimed:
        return False
    body = body_of(delivery)
    headers = signing.headers(
        secrets_=signing_secrets(endpoint, now),
        webhook_id=delivery.webhook_id,
        timestamp=int(timezone.now().timestamp()),
        body=body,
    )
    try:
        outcome = sending.post(addresses.target(endpoint.url), body, headers)
    except addresses.UnsafeURL as exc:
        outcome = sending.Outcome(status_code=None, duration_ms=0, error=f"Refused: {exc}"[: sending.MAX_ERROR])
    return _record(delivery_id, endpoint, lease, outcome, now)


@transaction.atomic
def _record(
    delivery_id: int, endpoint: WebhookEndpoint, lease: dt.datetime, outcome: sending.Outcome, now: dt.datetime
) -> bool:
    # Still ours? A claim that ran out may have been taken by another sender, whose outcome wins.
    delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id, claimed_until=lease).first()
    if delivery is None:
        return False
    delivery.last_status_code = outcome.status_code
    delivery.last_duration_ms = outcome.duration_ms
    delivery.last_error = outcome.error if not outcome.ok else ""
    delivery.claimed_until = None
    if outcome.ok:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = Status.DELIVERED, now, None
        WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=False).update(failing_since=None)
    else:
        if not delivery.last_error:
            delivery.last_error = f"The endpoint answered {outcome.status_code}."
        retry_at = now + retry_wait(delivery.attempts)
        if _endpoint_failed(endpoint, now):
            delivery.status, delivery.next_attempt_at = Status.FAILED, None
            delivery.last_error = f"{delivery.last_error} The endpoint is now disabled."[: sending.MAX_ERROR]
        elif retry_at > delivery.retry_until:
            delivery.status, delivery.next_attempt_at = Status.FAILED, None
        else:
            delivery.status, delivery.next_attempt_at = Status.RETRYING, retry_at
    delivery.save(
        update_fields=[
            "status", "last_status_code", "last_duration_ms", "last_error", "claimed_until", "delivered_at",
            "next_attempt_at",
        ]
    )  # fmt: skip
    return outcome.ok


def _endpoint_failed(endpoint: WebhookEndpoint, now: dt.datetime) -> bool:
    """Note the failure; an endpoint failing for 24 hours is disabled (True), and its coach emailed
    once (by the one failure whose conditional update disabled it)."""
    WebhookEndpoint.objects.filter(pk=endpoint.pk, failing_since__isnull=True).update(failing_since=now)
    disabled = WebhookEndpoint.objects.filter(
        pk=endpoint.pk, enabled=True, failing_since__lte=now - RETRY_WINDOW
    ).update(enabled=False, disabled_at=now)
    if disabled:
        WebhookDelivery.objects.filter(endpoint_id=endpoint.pk, status__in=OPEN).exclude(claimed_until__gt=now).update(
            status=Status.FAILED, next_attempt_at=None, last_error="The endpoint is disabled."
        )
        endpoint_id = endpoint.pk
        transaction.on_commit(lambda: _mail_disabled(endpoint_id))
    return bool(disabled)


def _mail_disabled(endpoint_id: int) -> None:
    endpoint = WebhookEndpoint.objects.select_related("coach__user").filter(pk=endpoint_id).first()
    if endpoint is None:
        return
    page = settings.SITE_URL.rstrip("/") + reverse("coach-webhooks")
    send_mail(
        subject="A webhook endpoint was disabled",
        message=(
            f"Hello {endpoint.coach},\n\nEvery delivery to your webhook endpoint\n{endpoint.url}\nhas failed for "
            f"24 hours, so Hinge Coach has stopped sending to it. The delivery log shows what it answered; once it "
            f"works again, enable it and send the failed deliveries again:\n{page}\n\nHinge Coach"
        ),
        from_email=None,
        recipient_list=[endpoint.coach.user.email],
        fail_silently=True,
    )


def deliveries_due(*, now: dt.datetime | None = None, limit: int = SWEEP_LIMIT) -> list[int]:
    """Deliveries to send now: due, not held by a sender, to an enabled endpoint (the beat sweep)."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(status__in=OPEN, next_attempt_at__lte=now, endpoint__enabled=True)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
