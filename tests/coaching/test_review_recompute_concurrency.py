"""Late data under concurrency, on PostgreSQL: exactly one recompute per change.

- Two syncs at once (two threads, two connections) coalesce into one request: one recompute that
  sees both sessions.
- A sync that lands while a worker is recomputing the review is not lost: its request waits for the
  worker's commit and runs after it.
- A real Celery worker on Redis is SIGKILLed mid-recompute: the recompute rolls back, and after a
  restart (the redelivered message, or the beat sweep) it happens exactly once.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections, transaction

from coaching.models import Client, ReviewRecompute, WeeklyReview
from coaching.reviews import recompute
from coaching.reviews.decisions import ReviewUpdated, review_approve
from coaching.reviews.tasks import recompute_reviews
from coaching.sessions.services import SessionInput, sessions_apply
from coaching.webhooks.models import WebhookDelivery
from coaching.webhooks.services import endpoint_create
from tests.coaching.test_review_generation import WEEK, log, rdl
from tests.coaching.test_review_recompute import _item, _review
from tests.factories import ClientFactory, CoachFactory
from tests.workers import kill, start_worker, stop, wait_for, worker_env

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _recomputes() -> int:
    return WebhookDelivery.objects.filter(event_type="review.recomputed").count()


def _setup() -> tuple[Client, WeeklyReview]:
    coach = CoachFactory()
    client = ClientFactory(coach=coach, with_assignment=True)
    endpoint_create(coach=coach, url="https://hooks.example.com/in", events=["review.recomputed"])
    log(client, WEEK, rdl(10))
    return client, _review(client)


def _in_thread(work: Callable[[], Any]) -> threading.Thread:
    def run() -> None:
        try:
            work()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The recompute messages queued after each commit (run by the test as a worker would)."""
    messages: list[list[int]] = []
    lock = threading.Lock()

    def record(args: list[Any], **kw: Any) -> None:
        with lock:
            messages.append(list(args[0]))

    monkeypatch.setattr(recompute_reviews, "apply_async", record)
    return messages


def test_two_syncs_at_once_recompute_the_review_once(require_postgres: None, sent: list[list[int]]) -> None:
    client, review = _setup()
    start = threading.Barrier(2)
    items = [_item(client, WEEK + dt.timedelta(days=day)) for day in (1, 2)]

    def sync(item: SessionInput) -> None:
        start.wait()
        sessions_apply(user=client.coach.user, items=[item])

    threads = [_in_thread(lambda item=item: sync(item)) for item in items]
    for thread in threads:
        thread.join(30)
    assert sent == [[review.pk], [review.pk]]  # each commit queues its message...
    assert ReviewRecompute.objects.count() == 1  # ...of one coalesced request
    done = [_in_thread(lambda ids=ids: recompute_reviews(ids)) for ids in sent]  # two workers at once
    for thread in done:
        thread.join(30)
    assert _recomputes() == 1
    review.refresh_from_db()
    assert review.metrics["sessions_logged"] == 3
    assert not ReviewRecompute.objects.exists()


def test_a_sync_during_a_recompute_is_recomputed_after_it(
    require_postgres: None, sent: list[list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, review = _setup()
    sessions_apply(user=client.coach.user, items=[_item(client, WEEK + dt.timedelta(days=1))])
    assert ReviewRecompute.objects.count() == 1
    read, resume = threading.Event(), threading.Event()
    real = recompute.review_outcome

    def slow_outcome(**kw: Any) -> Any:
        outcome = real(**kw)  # what the worker knows: not the session synced next
        read.set()
        assert resume.wait(30)
        return outcome

    monkeypatch.setattr(recompute, "review_outcome", slow_outcome)
    worker = _in_thread(lambda: recompute.review_recompute(review_id=review.pk))
    assert read.wait(30)
    late = _in_thread(
        lambda: sessions_apply(user=client.coach.user, items=[_item(client, WEEK + dt.timedelta(days=3))])
    )
    assert wait_for(_waiting_on_a_lock, 20)  # the late sync's request waits for the worker's commit
    resume.set()
    worker.join(30)
    late.join(30)
    monkeypatch.setattr(recompute, "review_outcome", real)
    review.refresh_from_db()
    assert review.metrics["sessions_logged"] == 2  # the worker's recompute did not see the late one
    assert ReviewRecompute.objects.filter(review=review).count() == 1  # so its request is still there
    assert recompute_reviews([review.pk]) == 1
    review.refresh_from_db()
    assert review.metrics["sessions_logged"] == 3
    assert _recomputes() == 2  # one per change, none lost


def test_an_approval_racing_a_recompute_does_not_approve_the_replaced_proposals(
    require_postgres: None, sent: list[list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    client, review = _setup()
    old_ids = list(review.items.values_list("pk", flat=True))
    sessions_apply(user=client.coach.user, items=[_item(client, WEEK + dt.timedelta(days=1))])
    read, resume = threading.Event(), threading.Event()
    real = recompute.review_outcome

    def slow_outcome(**kw: Any) -> Any:
        read.set()
        assert resume.wait(30)
        return real(**kw)

    monkeypatch.setattr(recompute, "review_outcome", slow_outcome)
    outcome: list[str] = []

    def approve() -> None:
        try:
            review_approve(review=review, user=client.coach.user, items=[{"id": pk} for pk in old_ids])
            outcome.append("approved")
        except ReviewUpdated as exc:
            outcome.append(str(exc))

    worker = _in_thread(lambda: recompute.review_recompute(review_id=review.pk))
    assert read.wait(30)
    coach = _in_thread(approve)
    assert wait_for(_waiting_on_a_lock, 20)  # the approval waits for the recompute's lock on the review
    resume.set()
    worker.join(30)
    coach.join(30)
    assert len(outcome) == 1
    assert outcome[0].startswith("This review was updated on ")
    review.refresh_from_db()
    assert review.status == "pending"
    assert review.recomputed_at is not None
    assert set(review.items.values_list("decision", flat=True)) == {"pending"}


def test_a_worker_killed_mid_recompute_recomputes_exactly_once_after_restart(
    require_postgres: None, require_redis: str, tmp_path: Path, settings: Any
) -> None:
    settings.REVIEW_RECOMPUTE_DELAY_SECONDS = 0
    client, review = _setup()
    env = worker_env(require_redis, tmp_path, REVIEW_RECOMPUTE_DELAY_SECONDS="0", REVIEW_RECOMPUTE_SWEEP_SECONDS="1")
    log_file = tmp_path / "worker.log"
    # The coach holds the review (an approval under way): the worker's recompute stops on its lock.
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with transaction.atomic():
            WeeklyReview.objects.select_for_update(no_key=True).get(pk=review.pk)  # as review_approve does
            held.set()
            release.wait(120)

    holder = _in_thread(hold)
    assert held.wait(10)
    first = start_worker(env, log_file)
    try:
        sessions_apply(user=client.coach.user, items=[_item(client, WEEK + dt.timedelta(days=2))])  # late
        assert wait_for(_waiting_on_a_lock, 60), log_file.read_text()[-3000:]
        with transaction.atomic():  # the worker holds the request: it is mid-recompute
            assert ReviewRecompute.objects.filter(review=review).exists()
            assert not ReviewRecompute.objects.select_for_update(skip_locked=True).filter(review=review).exists()
        kill(first)
    finally:
        kill(first)
        release.set()
        holder.join(30)
    # The killed worker's transaction rolled back: the request waits, nothing was recomputed.
    assert wait_for(lambda: not _waiting_on_a_lock(), 20)
    time.sleep(1)
    assert ReviewRecompute.objects.filter(review=review).count() == 1
    assert _recomputes() == 0
    review.refresh_from_db()
    assert review.recomputed_at is None

    second = start_worker(env, log_file, "--beat", "--schedule", str(tmp_path / "beat-schedule"))
    try:
        done = wait_for(lambda: not ReviewRecompute.objects.exists(), 90)
        assert done, log_file.read_text()[-3000:]
        time.sleep(6)  # the redelivered message and a sweep or two land meanwhile: they find nothing
    finally:
        stop(second)
    assert _recomputes() == 1
    review.refresh_from_db()
    assert review.recomputed_at is not None
    assert review.metrics["sessions_logged"] == 2
    assert "recompute_reviews" in log_file.read_text()
