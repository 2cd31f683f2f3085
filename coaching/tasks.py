"""Celery tasks: take ids, call one service, safe to run twice (the unique review claims it)."""

from __future__ import annotations

import datetime as dt
import smtplib

import kombu.exceptions
import redis.exceptions
from celery import shared_task
from django.db import InterfaceError, OperationalError

from coaching.services.accounts import client_invite_send
from coaching.services.review_generation import due_batches, reviews_generate_batch

# Errors that may pass on their own: the database dropped the connection, a lock or
# serialization conflict (OperationalError), a closed connection (InterfaceError), the broker or
# Redis unreachable. Not DatabaseError as a whole: an IntegrityError, ProgrammingError or
# DataError fails the same way every time, so retrying only delays the report.
TRANSIENT = (
    OperationalError,
    InterfaceError,
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)


@shared_task(
    name="coaching.tasks.generate_due_reviews",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def generate_due_reviews() -> int:
    """Hourly (beat): fan out one task per batch of the reviews now due, catching up missed weeks."""
    batches = due_batches()
    for week, ids in batches:
        generate_review_batch.delay(week.isoformat(), ids)
    return len(batches)


@shared_task(
    name="coaching.tasks.generate_review_batch",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def generate_review_batch(week_start: str, assignment_ids: list[int]) -> dict[str, int]:
    summary = reviews_generate_batch(week_start=dt.date.fromisoformat(week_start), assignment_ids=assignment_ids)
    return {"created": summary.created, "skipped": summary.skipped}


@shared_task(
    name="coaching.tasks.send_client_invite",
    # The mail server unreachable, timing out or answering 4xx: all OSError (smtplib's errors too).
    autoretry_for=(*TRANSIENT, OSError),
    # A refused address stays refused.
    dont_autoretry_for=(smtplib.SMTPRecipientsRefused,),
    # Waits of up to 30 s, 1, 2, 4, 8 and 10 min: a mail server down for about 25 minutes.
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=6,
    # One email (EMAIL_TIMEOUT is 30 s); keeps the message's time unacked well under the
    # broker's visibility timeout even after the longest wait.
    soft_time_limit=100,
    time_limit=120,
)
def send_client_invite(client_id: int, site_url: str | None = None) -> bool:
    """After "add client" or "send again": the invite email, once (the invite's claim)."""
    return client_invite_send(client_id=client_id, site_url=site_url)
