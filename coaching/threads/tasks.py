"""The thread reminder sweep, run by beat: safe to run twice (each email's claim is a row)."""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from coaching.threads.services import reminders_send
from coaching.transient import TRANSIENT


@shared_task(
    name="coaching.threads.send_thread_reminders",
    autoretry_for=(*TRANSIENT, OSError),
    retry_backoff=60,
    retry_backoff_max=600,
    max_retries=3,
    soft_time_limit=300,
    time_limit=360,
)
def send_thread_reminders(now: str | None = None) -> int:
    """Email the other side of each thread whose reply has waited unread for an hour (at most one
    email per thread and recipient a day). ``now`` (ISO 8601) is for tests."""
    return reminders_send(now=dt.datetime.fromisoformat(now) if now else None)
