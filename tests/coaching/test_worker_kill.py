"""A real Celery worker on Redis is SIGKILLed while it generates a week's reviews.

After a restart every review exists exactly once with all its items: the lost message comes
back after the visibility timeout (shortened here) and the unique (assignment, week) claim makes
the replay harmless. Needs PostgreSQL (the worker process shares the test database) and Redis.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from coaching.models import ReviewItem, WeeklyReview
from coaching.reviews.generation import due_batches
from coaching.reviews.tasks import generate_due_reviews
from tests.coaching.test_review_generation import good_week
from tests.factories import ClientFactory, CoachFactory
from tests.workers import kill, start_worker, stop, wait_for, worker_env


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_generation_leaves_every_review_exactly_once(
    require_postgres: None, require_redis: str, tmp_path: Path, settings: Any
) -> None:
    coach = CoachFactory()
    for _ in range(20):
        good_week(ClientFactory(coach=coach, with_assignment=True))
    settings.REVIEW_BATCH_SIZE = 2
    expected = {(a, week) for week, ids in due_batches() for a in ids}
    assert len(expected) > 40

    env = worker_env(require_redis, tmp_path, REVIEW_BATCH_SIZE="2")
    log = tmp_path / "worker.log"
    first = start_worker(env, log)
    try:
        generate_due_reviews.delay()
        started = wait_for(lambda: WeeklyReview.objects.exists(), 60)
        assert started, log.read_text()[-3000:]
        kill(first)
        done_before_kill = WeeklyReview.objects.count()
        assert done_before_kill < len(expected), "the kill came too late to interrupt generation"
    finally:
        kill(first)
    second = start_worker(env, log)
    try:
        finished = wait_for(lambda: WeeklyReview.objects.count() >= len(expected), 120)
        assert finished, log.read_text()[-3000:]
        time.sleep(5)  # a redelivered duplicate, if any, would land now
    finally:
        stop(second)
    stored = list(WeeklyReview.objects.values_list("assignment_id", "week_start"))
    assert len(stored) == len(set(stored))
    assert set(stored) == expected
    assert ReviewItem.objects.count() == len(expected) * 3
    for review in WeeklyReview.objects.prefetch_related("items"):
        assert len(review.items.all()) == 3
