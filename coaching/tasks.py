"""Celery tasks: take ids, call one service, safe to run twice (the unique review claims it)."""

from __future__ import annotations

import datetime as dt

import kombu.exceptions
import redis.exceptions
from celery import shared_task
from django.db import InterfaceError, OperationalError

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
