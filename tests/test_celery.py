"""A task round-trips through a real Celery worker on the configured broker (Redis in CI)."""

from __future__ import annotations

import os

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app, ping
from tests.conftest import REQUIRE_SERVICES


def test_task_round_trips_through_a_real_worker() -> None:
    if REQUIRE_SERVICES:
        # CI must exercise Redis, not the embedded broker.
        assert app.conf.broker_url.startswith("redis://"), app.conf.broker_url
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        assert ping.delay().get(timeout=30) == "pong"


def test_celery_is_configured_for_at_least_once_delivery() -> None:
    conf = app.conf
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    if os.environ.get("REDIS_URL"):
        assert conf.broker_transport_options["visibility_timeout"] >= conf.task_time_limit


@pytest.mark.parametrize("name", ["coaching.tasks.generate_due_reviews"])
def test_beat_schedules_the_hourly_review_task(name: str) -> None:
    entries = {entry["task"]: entry for entry in app.conf.beat_schedule.values()}
    assert entries[name]["schedule"] == 3600.0
