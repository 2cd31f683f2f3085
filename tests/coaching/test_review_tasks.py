"""The hourly task through a real Celery worker, and concurrent batches on PostgreSQL."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection

from coaching.models import ReviewItem, WeeklyReview
from coaching.reviews.generation import due_batches, reviews_generate_batch
from coaching.reviews.tasks import generate_due_reviews
from config.celery import app
from tests.coaching.test_review_generation import WEEK, good_week
from tests.factories import ClientFactory, CoachFactory


def _roster(n: int) -> list[Any]:
    coach = CoachFactory()
    clients = [ClientFactory(coach=coach, with_assignment=True) for _ in range(n)]
    for client in clients:
        good_week(client)
    return clients


@pytest.mark.django_db(transaction=True)
def test_hourly_task_run_twice_at_once_through_a_real_worker_creates_each_review_once() -> None:
    _roster(3)
    expected = {(a, week) for week, ids in due_batches() for a in ids}
    assert expected, "the roster should have finished weeks to review"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        first, second = generate_due_reviews.delay(), generate_due_reviews.delay()
        assert first.get(timeout=60) >= 1
        second.get(timeout=60)
        # The fanned-out batch tasks: wait until the queue has drained them.
        for _ in range(120):
            if set(WeeklyReview.objects.values_list("assignment_id", "week_start")) >= expected:
                break
            threading.Event().wait(0.5)
        threading.Event().wait(2)  # let any duplicate batch finish before counting
    stored = list(WeeklyReview.objects.values_list("assignment_id", "week_start"))
    assert len(stored) == len(set(stored)) == len(expected)
    assert set(stored) == expected
    for review in WeeklyReview.objects.all():
        assert review.items.count() == 3


@pytest.mark.django_db(transaction=True)
def test_four_concurrent_batches_store_each_review_once(require_postgres: None) -> None:
    clients = _roster(20)
    ids = [c.assignments.get().pk for c in clients]
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            reviews_generate_batch(week_start=WEEK, assignment_ids=ids, notify=False)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert WeeklyReview.objects.filter(week_start=WEEK).count() == 20
    assert ReviewItem.objects.count() == 20 * 3


@pytest.mark.django_db(transaction=True)
def test_hourly_task_reviews_the_first_week_of_an_assignment_that_starts_mid_week() -> None:
    import datetime as dt
    import uuid
    from decimal import Decimal

    from django.utils import timezone

    from coaching.reviews.generation import monday_of
    from coaching.services.prescriptions import assignment_create
    from coaching.sessions.services import SessionInput, SetInput, sessions_apply
    from tests.factories import default_lines

    client = ClientFactory(coach=CoachFactory(), with_assignment=True)
    # The week before last is always over and due; the assignment starts on its Wednesday.
    first = monday_of(timezone.now().date()) - dt.timedelta(weeks=2)
    start = first + dt.timedelta(days=2)
    assignment = assignment_create(client=client, start_date=start, lines=default_lines(), changed_by=client.coach.user)
    performed = dt.datetime.combine(start, dt.time(8), tzinfo=dt.UTC)
    sets = tuple(SetInput(exercise="romanian-deadlift", reps=10, load=Decimal("60")) for _ in range(3))
    item = SessionInput(
        id=uuid.uuid4(), assignment_id=assignment.pk, performed_at=performed, client_modified_at=performed, sets=sets
    )
    assert sessions_apply(user=client.coach.user, items=[item])[0].status == "created"
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert generate_due_reviews.delay().get(timeout=60) >= 1
        for _ in range(120):
            if WeeklyReview.objects.filter(assignment=assignment, week_start=first).exists():
                break
            threading.Event().wait(0.5)
    review = WeeklyReview.objects.get(assignment=assignment, week_start=first)
    assert review.metrics["sessions_logged"] == 1
    assert review.items.count() == 3
