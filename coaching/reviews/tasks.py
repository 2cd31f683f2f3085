"""The review tasks: take ids, call one service, safe to run twice (the unique review claims it).

The registered names stay ``coaching.tasks.*`` (a queued message or the beat entry names them).
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task

from coaching.reviews.generation import due_batches, reviews_generate_batch
from coaching.reviews.recompute import recompute_requests_due, reviews_recompute
from coaching.transient import TRANSIENT


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
    name="coaching.tasks.recompute_reviews",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def recompute_reviews(review_ids: list[int]) -> int:
    """Recompute these pending reviews from what is known now (late data); safe to run twice: the
    request row, deleted with the recompute, claims each one."""
    return reviews_recompute(review_ids)


@shared_task(
    name="coaching.tasks.recompute_due_reviews",
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=3,
)
def recompute_due_reviews() -> int:
    """Beat, every REVIEW_RECOMPUTE_SWEEP_SECONDS: the requests whose message was lost (broker down
    at the commit, worker killed mid-recompute): the rows, not messages, hold the work."""
    return reviews_recompute(recompute_requests_due())
