"""Late data: a pending review follows sessions synced, changed or deleted late (DOMAIN.md "Late data").

The write records a request per affected pending review in its own transaction and queues the task
after the commit; the task (called here as the worker would) recomputes each review once with the
generation's code, gives its items new ids and fires ``review.recomputed``. Decided reviews never change.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import TestCase
from django.utils import timezone

from coaching.models import Client, LoggedSession, LoggedSet, ReviewItem, ReviewRecompute, WeeklyReview
from coaching.reviews import recompute
from coaching.reviews.decisions import review_approve
from coaching.reviews.generation import reviews_generate, week_batches
from coaching.reviews.recompute import (
    recompute_requests_due,
    request_recompute,
    review_recompute,
    reviews_recompute,
)
from coaching.reviews.tasks import recompute_due_reviews, recompute_reviews
from coaching.sessions.faults.services import coach_faults_replace
from coaching.sessions.services import SessionInput, session_delete, sessions_apply
from coaching.webhooks.models import WebhookDelivery
from coaching.webhooks.services import endpoint_create
from tests.coaching.test_review_generation import WEEK, good_week, log, rdl

pytestmark = pytest.mark.django_db

NEXT = WEEK + dt.timedelta(days=7)


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The recompute messages the writes queue after their commit (the broker is not used here)."""
    sent: list[list[int]] = []
    monkeypatch.setattr(recompute_reviews, "apply_async", lambda args, **kw: sent.append(list(args[0])))
    return sent


@pytest.fixture
def hooked(coach: Any) -> Any:
    return endpoint_create(coach=coach, url="https://hooks.example.com/in", events=["review.recomputed"])


def _item(client: Client, day: dt.date, reps: int = 10, **kw: Any) -> SessionInput:
    performed = dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)
    return SessionInput(
        id=kw.pop("id", None) or uuid.uuid4(),
        assignment_id=client.assignments.get().pk,
        performed_at=performed,
        client_modified_at=kw.pop("modified", performed),
        sets=tuple(rdl(reps)),
    )


def _sync(client: Client, items: list[SessionInput]) -> None:
    # The test's transaction never commits: run the writes' on-commit hooks when the block ends.
    with TestCase.captureOnCommitCallbacks(execute=True):
        results = sessions_apply(user=client.coach.user, items=items)
    assert all(r.status in {"created", "updated"} for r in results), [r.errors for r in results]


def _review(client: Client, week: dt.date = WEEK) -> WeeklyReview:
    reviews_generate(week_batches(week))
    return WeeklyReview.objects.get(assignment__client=client, week_start=week)


def _recomputed_events() -> list[dict[str, Any]]:
    return [d.payload["data"] for d in WebhookDelivery.objects.filter(event_type="review.recomputed").order_by("pk")]


def test_a_late_session_recomputes_the_pending_review_once_with_new_item_ids(
    client_profile: Client, queued: list[list[int]], hooked: Any
) -> None:
    log(client_profile, WEEK, rdl(10))
    review = _review(client_profile)
    before = {i.pk: (i.exercise.slug, i.action) for i in review.items.all()}
    assert review.metrics["sessions_logged"] == 1
    assert before
    assert review.recomputed_at is None

    _sync(client_profile, [_item(client_profile, WEEK + dt.timedelta(days=2))])  # synced late
    assert queued == [[review.pk]]
    assert ReviewRecompute.objects.filter(review=review).count() == 1
    assert WeeklyReview.objects.get(pk=review.pk).metrics["sessions_logged"] == 1  # not yet: after the task

    assert recompute_reviews(queued[0]) == 1
    review.refresh_from_db()
    assert review.metrics["sessions_logged"] == 2
    assert review.recomputed_at is not None
    assert review.recomputed_cause == "session"
    after = list(review.items.order_by("position"))
    assert [i.exercise.slug for i in after] == [slug for slug, _ in before.values()]
    assert not {i.pk for i in after} & set(before)  # new ids
    assert set(review.replaced_item_ids) == set(before)
    assert not ReviewRecompute.objects.exists()
    # The message again (a duplicate delivery), or the sweep: nothing more happens.
    assert recompute_reviews(queued[0]) == 0
    assert recompute_due_reviews() == 0
    [event] = _recomputed_events()
    assert event["review_id"] == review.pk
    assert event["cause"] == "session"
    assert ReviewItem.objects.filter(review=review).count() == len(before)


def test_the_recompute_is_what_generating_the_review_now_gives(client_profile: Client, queued: list[list[int]]) -> None:
    log(client_profile, WEEK, rdl(10))
    review = _review(client_profile)
    _sync(client_profile, [_item(client_profile, WEEK + dt.timedelta(days=2))])
    recompute_reviews(queued[0])
    recomputed = [(i.exercise_id, i.action, i.rule, i.proposed, i.rationale) for i in review.items.order_by("position")]
    metrics = WeeklyReview.objects.get(pk=review.pk).metrics
    # The same week generated from scratch with both sessions known.
    WeeklyReview.objects.all().delete()
    fresh = _review(client_profile)
    assert [(i.exercise_id, i.action, i.rule, i.proposed, i.rationale) for i in fresh.items.order_by("position")] == (
        recomputed
    )
    assert fresh.metrics == metrics


def test_a_sync_of_200_sessions_recomputes_each_review_once(
    client_profile: Client, queued: list[list[int]], hooked: Any
) -> None:
    log(client_profile, WEEK, rdl(10))
    first = _review(client_profile)
    log(client_profile, NEXT, rdl(10))
    second = _review(client_profile, NEXT)
    days = [WEEK - dt.timedelta(days=10) + dt.timedelta(hours=2 * n) for n in range(200)]
    items = [_item(client_profile, day.date() if isinstance(day, dt.datetime) else day) for day in days]
    _sync(client_profile, items)
    assert len(queued) == 1
    assert sorted(queued[0]) == sorted([first.pk, second.pk])
    # Another batch before the worker runs coalesces into the same requests.
    _sync(client_profile, [_item(client_profile, WEEK + dt.timedelta(days=1))])
    assert ReviewRecompute.objects.count() == 2
    assert sum(recompute_reviews(ids) for ids in queued) == 2
    assert sorted(e["review_id"] for e in _recomputed_events()) == sorted([first.pk, second.pk])


def test_only_reviews_whose_week_ends_on_or_after_the_session_are_recomputed(
    client_profile: Client, queued: list[list[int]]
) -> None:
    log(client_profile, WEEK, rdl(10))
    _review(client_profile)
    _sync(client_profile, [_item(client_profile, NEXT + dt.timedelta(days=1))])  # the week after the review
    assert queued == []
    assert not ReviewRecompute.objects.exists()


def test_a_decided_review_never_changes(client_profile: Client, queued: list[list[int]], hooked: Any) -> None:
    log(client_profile, WEEK, rdl(10))
    review = _review(client_profile)
    review_approve(review=review, user=client_profile.coach.user)
    items = list(review.items.order_by("pk").values_list("pk", "decision", "proposed"))
    _sync(client_profile, [_item(client_profile, WEEK + dt.timedelta(days=2))])
    assert queued == []
    assert not ReviewRecompute.objects.exists()
    review.refresh_from_db()
    assert review.recomputed_at is None
    assert list(review.items.order_by("pk").values_list("pk", "decision", "proposed")) == items


def test_a_review_decided_after_the_request_is_left_alone(
    client_profile: Client, queued: list[list[int]], hooked: Any
) -> None:
    log(client_profile, WEEK, rdl(10))
    review = _review(client_profile)
    _sync(client_profile, [_item(client_profile, WEEK + dt.timedelta(days=2))])
    review_approve(review=review, user=client_profile.coach.user)  # the coach was quicker than the worker
    items = list(review.items.order_by("pk").values_list("pk", "decision"))
    assert recompute_reviews(queued[0]) == 0
    review.refresh_from_db()
    assert review.recomputed_at is None
    assert review.metrics["sessions_logged"] == 1
    assert list(review.items.order_by("pk").values_list("pk", "decision")) == items
    assert not ReviewRecompute.objects.exists()
    assert _recomputed_events() == []


def test_deleting_a_session_recomputes_the_review(client_profile: Client, queued: list[list[int]]) -> None:
    log(client_profile, WEEK, rdl(10))
    log(client_profile, WEEK + dt.timedelta(days=2), rdl(10))
    review = _review(client_profile)
    assert review.metrics["sessions_logged"] == 2
    session = LoggedSession.objects.order_by("performed_at").last()
    assert session is not None
    with TestCase.captureOnCommitCallbacks(execute=True):
        session_delete(session=session)
    assert queued == [[review.pk]]
    recompute_reviews(queued[0])
    review.refresh_from_db()
    assert review.metrics["sessions_logged"] == 1
    assert review.recomputed_at is not None


def test_an_edit_that_moves_a_session_out_of_the_week_recomputes_its_old_week(
    client_profile: Client, queued: list[list[int]]
) -> None:
    log(client_profile, WEEK, rdl(10))
    moved = _item(client_profile, WEEK + dt.timedelta(days=2))
    _sync(client_profile, [moved])
    review = _review(client_profile)
    assert review.metrics["sessions_logged"] == 2
    queued.clear()
    later = moved.client_modified_at + dt.timedelta(hours=1)
    _sync(client_profile, [_item(client_profile, NEXT + dt.timedelta(days=2), id=moved.id, modified=later)])
    assert queued == [[review.pk]]  # its new day is after the week: only the old day affects it
    recompute_reviews(queued[0])
    review.refresh_from_db()
    assert review.metrics["sessions_logged"] == 1


def test_a_check_in_change_recomputes(client_profile: Client, queued: list[list[int]]) -> None:
    from programs.progression.types import Checkin

    moved = _item(client_profile, WEEK + dt.timedelta(days=1))
    _sync(client_profile, [moved])
    review = _review(client_profile)
    queued.clear()
    later = moved.client_modified_at + dt.timedelta(hours=1)
    changed = SessionInput(**{**moved.__dict__, "client_modified_at": later, "checkin": Checkin(1, 5, 5, "painful")})
    _sync(client_profile, [changed])
    assert queued == [[review.pk]]
    recompute_reviews(queued[0])
    review.refresh_from_db()
    assert review.metrics.get("checkins")


def test_a_fault_tag_names_who_tagged(client_profile: Client, queued: list[list[int]]) -> None:
    log(client_profile, WEEK, rdl(10))
    review = _review(client_profile)
    coach_user = client_profile.coach.user
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert request_recompute(
            assignment_id=review.assignment_id, on_date=WEEK, cause="fault_tag", by=coach_user
        ) == [review.pk]
    assert review_recompute(review_id=review.pk)
    review.refresh_from_db()
    assert (review.recomputed_cause, review.recomputed_by) == ("fault_tag", coach_user)
    assert recompute.cause_text(review) == f"a fault tagged by {coach_user.name or coach_user.email}"
    with pytest.raises(ValueError, match="Unknown recompute cause"):
        request_recompute(assignment_id=review.assignment_id, on_date=WEEK, cause="whim")


def test_the_sweep_runs_requests_whose_message_was_lost(
    client_profile: Client, queued: list[list[int]], settings: Any
) -> None:
    log(client_profile, WEEK, rdl(10))
    review = _review(client_profile)
    _sync(client_profile, [_item(client_profile, WEEK + dt.timedelta(days=2))])
    queued.clear()  # the broker was down at the commit: no message
    assert recompute_requests_due() == []  # a fresh request's message may still be on its way
    later = timezone.now() + dt.timedelta(seconds=settings.REVIEW_RECOMPUTE_DELAY_SECONDS)
    assert recompute_requests_due(now=later) == [review.pk]
    assert recompute_requests_due(fresh=True) == [review.pk]
    settings.REVIEW_RECOMPUTE_DELAY_SECONDS = 0
    assert recompute_due_reviews() == 1
    assert reviews_recompute([review.pk]) == 0
    review.refresh_from_db()
    assert review.metrics["sessions_logged"] == 2


def test_a_coachs_fault_tags_recompute_the_pending_review_and_rule_3_cuts_the_load(
    client_profile: Client, queued: list[list[int]]
) -> None:
    """docs/domain.md "Late data" and "Conversation and form": a coach tags faults on the week's
    sets after the review was made; the pending review is recomputed and the progression becomes
    a technique regress (a 10% cut), naming who saw the faults."""
    good_week(client_profile)
    review = _review(client_profile)
    [before] = [i for i in review.items.all() if i.exercise.slug == "romanian-deadlift"]
    assert before.action == "progress"
    coach_user = client_profile.coach.user
    sets = LoggedSet.objects.filter(session__client=client_profile, exercise__slug="romanian-deadlift")
    with TestCase.captureOnCommitCallbacks(execute=True):
        for logged_set in sets.select_related("session__client"):
            coach_faults_replace(
                session=logged_set.session, logged_set=logged_set, user=coach_user, role="coach", faults=["core_lost"]
            )
    assert queued
    assert set(sum(queued, [])) == {review.pk}
    assert ReviewRecompute.objects.filter(review=review).count() == 1
    recompute_reviews(sorted(set(sum(queued, []))))
    review.refresh_from_db()
    assert (review.recomputed_cause, review.recomputed_by) == ("fault_tag", coach_user)
    [after] = [i for i in review.items.all() if i.exercise.slug == "romanian-deadlift"]
    assert after.pk != before.pk
    assert (after.action, after.rule) == ("regress", "technique")
    assert "tagged by your coach" in after.rationale
