"""The webhook tasks: take ids, call one service, safe to run twice (the delivery's claim)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from coaching.transient import TRANSIENT
from coaching.webhooks.services import deliveries_due, delivery_send

# One attempt's request is bounded by WEBHOOKS_TIMEOUT_SECONDS; the limits leave room for the
# database writes around it and stay far below the broker's visibility timeout.
SEND_SOFT_LIMIT = settings.WEBHOOKS_TIMEOUT_SECONDS + 30
SEND_HARD_LIMIT = settings.WEBHOOKS_TIMEOUT_SECONDS + 60


@shared_task(
    name="coaching.webhooks.send_webhook",
    # Only the database's own hiccups are retried here; an endpoint's failure is not an
    # exception but a scheduled retry in the row (the beat sweep sends it when due).
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
    soft_time_limit=SEND_SOFT_LIMIT,
    time_limit=SEND_HARD_LIMIT,
)
def send_webhook(delivery_id: int) -> bool:
    """One attempt of one delivery, if it is due and unclaimed; True when it was delivered."""
    return delivery_send(delivery_id=delivery_id)


@shared_task(
    name="coaching.webhooks.send_deliveries",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def send_deliveries(delivery_ids: list[int]) -> int:
    """Fan out: one task per delivery (a slow endpoint holds only its own)."""
    for delivery_id in delivery_ids:
        send_webhook.delay(delivery_id)
    return len(delivery_ids)


@shared_task(
    name="coaching.webhooks.send_due_webhooks",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=3,
)
def send_due_webhooks() -> int:
    """Beat, every WEBHOOKS_SWEEP_SECONDS: the retries now due, and any delivery whose message was
    lost (broker down at the commit, worker killed mid-request): the rows, not messages, hold the work."""
    due = deliveries_due()
    for delivery_id in due:
        send_webhook.delay(delivery_id)
    return len(due)
