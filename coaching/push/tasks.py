"""The Web Push tasks: take ids and the message, call one service."""

from __future__ import annotations

import logging

from celery import shared_task

from coaching.push.services import PushFailed, push_send, subscription_ids
from coaching.transient import TRANSIENT

logger = logging.getLogger(__name__)
# Each attempt's request is bounded by WEBHOOKS_TIMEOUT_SECONDS (the same sender).
SEND_SOFT_LIMIT = 60
SEND_HARD_LIMIT = 90


@shared_task(
    name="coaching.push.send_push",
    autoretry_for=(*TRANSIENT, PushFailed),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=4,
    soft_time_limit=SEND_SOFT_LIMIT,
    time_limit=SEND_HARD_LIMIT,
)
def send_push(subscription_id: int, message: dict[str, str]) -> str:
    """One message to one phone; a push service that fails for now is tried again with backoff
    (30 s, 1, 2, 4 minutes, jittered), then given up (its ``last_error`` stays on the row)."""
    return push_send(subscription_id=subscription_id, message=message)


@shared_task(name="coaching.push.push_to_user", autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def push_to_user(user_id: int, message: dict[str, str]) -> int:
    """Fan out: one task per subscription of the user (a slow push service holds only its own)."""
    ids = subscription_ids(user_id=user_id)
    for subscription_id in ids:
        send_push.delay(subscription_id, message)
    return len(ids)
