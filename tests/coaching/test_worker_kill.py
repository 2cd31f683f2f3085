"""A real Celery worker on Redis is SIGKILLed while it generates a week's reviews.

After a restart every review exists exactly once with all its items: the lost message comes
back after the visibility timeout (shortened here) and the unique (assignment, week) claim makes
the replay harmless. Needs PostgreSQL (the worker process shares the test database) and Redis.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from coaching.models import ReviewItem, WeeklyReview
from coaching.reviews.generation import due_batches
from coaching.reviews.tasks import generate_due_reviews
from tests.coaching.test_review_generation import good_week
from tests.factories import ClientFactory, CoachFactory

ROOT = Path(__file__).resolve().parents[2]


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "--loglevel", "INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT,
    )  # fmt: skip


def _wait(predicate: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


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

    db = connection.settings_dict
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "REDIS_URL": require_redis,
        "REVIEW_BATCH_SIZE": "2",
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "HINGE_VAR_DIR": str(tmp_path),
    }
    log = tmp_path / "worker.log"
    first = _worker(env, log)
    try:
        generate_due_reviews.delay()
        started = _wait(lambda: WeeklyReview.objects.exists(), 60)
        assert started, log.read_text()[-3000:]
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        done_before_kill = WeeklyReview.objects.count()
        assert done_before_kill < len(expected), "the kill came too late to interrupt generation"
    finally:
        if first.poll() is None:
            first.kill()
    second = _worker(env, log)
    try:
        finished = _wait(lambda: WeeklyReview.objects.count() >= len(expected), 120)
        assert finished, log.read_text()[-3000:]
        time.sleep(5)  # a redelivered duplicate, if any, would land now
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(20)
        except subprocess.TimeoutExpired:
            second.kill()
    stored = list(WeeklyReview.objects.values_list("assignment_id", "week_start"))
    assert len(stored) == len(set(stored))
    assert set(stored) == expected
    assert ReviewItem.objects.count() == len(expected) * 3
    for review in WeeklyReview.objects.prefetch_related("items"):
        assert len(review.items.all()) == 3
