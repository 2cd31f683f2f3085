"""A task round-trips through a real Celery worker on the configured broker (Redis in CI)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.test import Client as DjangoClient
from django.urls import reverse

from coaching.clients.tasks import send_client_invite
from coaching.models import Client
from config.celery import app, ping
from tests.conftest import REQUIRE_SERVICES

ROOT = Path(__file__).resolve().parent.parent


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


VISIBILITY_PROBE = """
import json, django
django.setup()
from celery.utils.time import get_exponential_backoff_interval
from config.celery import app
app.loader.import_default_modules()
conf = app.conf
tasks = {}
for name, task in app.tasks.items():
    if name.startswith("celery."):
        continue
    wait = 0
    if task.max_retries:
        wait = task.default_retry_delay
        if getattr(task, "retry_backoff", False):
            wait = get_exponential_backoff_interval(
                factor=int(task.retry_backoff), retries=task.max_retries,
                maximum=task.retry_backoff_max, full_jitter=False,
            )
    tasks[name] = {"hard": task.time_limit or conf.task_time_limit, "retry_wait": wait}
print(json.dumps({"visibility": conf.broker_transport_options["visibility_timeout"], "tasks": tasks}))
"""


def test_a_lost_workers_messages_come_back_soon_after_the_longest_task_could_have_finished(tmp_path: Path) -> None:
    """Redis redelivers an unacknowledged message after ``visibility_timeout``.

    Longer than any task can hold its message (a retry's countdown, then the hard time limit),
    or a running task would be delivered twice; not much longer, or a SIGKILLed worker's
    batches (weekly reviews) wait needlessly.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "REDIS_URL", "DJANGO_SETTINGS"))}
    env |= {"REDIS_URL": "redis://127.0.0.1:6379/15", "HINGE_VAR_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    result = subprocess.run(
        [sys.executable, "-c", VISIBILITY_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    probe = json.loads(result.stdout)
    visibility, tasks = probe["visibility"], probe["tasks"]
    # Autodiscovery finds every sub-domain's tasks.py, under the names queued messages carry.
    assert {
        "coaching.tasks.generate_due_reviews",
        "coaching.tasks.generate_review_batch",
        "coaching.tasks.send_client_invite",
        "coaching.webhooks.send_webhook",
        "coaching.webhooks.send_deliveries",
        "coaching.webhooks.send_due_webhooks",
    } <= set(tasks)
    longest = max(task["hard"] for task in tasks.values())
    for name, task in tasks.items():
        assert visibility > task["hard"] + task["retry_wait"], name
    assert visibility <= 2 * longest


@pytest.mark.django_db(transaction=True)
def test_the_invite_email_is_sent_by_a_real_worker_after_the_commit_and_only_once(coach: Any) -> None:
    web = DjangoClient()
    web.force_login(coach.user)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        response = web.post(reverse("coach-client-add"), {"name": "Maya Okafor", "email": "maya@example.com"})
        assert response.status_code == 302
        client = Client.objects.get(coach=coach)
        for _ in range(100):
            if mail.outbox:
                break
            threading.Event().wait(0.2)
        # A duplicate delivery of the same task (a redelivered message, a second click) sends nothing.
        assert send_client_invite.delay(client.pk, "http://testserver/").get(timeout=30) is False
    [email] = mail.outbox
    assert email.to == ["maya@example.com"]
    assert f"http://testserver/invite/{client.invite_token}/" in email.body
    client.refresh_from_db()
    assert client.invite_sent_at is not None
