"""The weekly review reads the week's check-ins (docs/domain.md "Readiness check-in"): a low one
turns a progress into a readiness hold, end to end, and the metrics show them."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest

from coaching.models import Client, ReviewItem, WeeklyReview
from coaching.reviews.generation import reviews_generate, reviews_generate_batch, week_batches
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from programs.progression import Checkin
from tests.coaching.test_review_generation import WEEK, rdl
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def log(client: Client, day: dt.date, sets: list[SetInput], checkin: Checkin | None = None) -> None:
    performed = dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)
    item = SessionInput(
        id=uuid.uuid4(),
        assignment_id=client.assignments.get().pk,
        performed_at=performed,
        client_modified_at=performed,
        sets=tuple(sets),
        checkin=checkin,
    )
    [result] = sessions_apply(user=client.coach.user, items=[item])
    assert result.status == "created", result.errors


def _rdl_item(client: Client) -> Any:
    reviews_generate(week_batches(WEEK))
    review = WeeklyReview.objects.get(assignment__client=client)
    return review, review.items.get(exercise__slug="romanian-deadlift")


def test_a_low_check_in_turns_a_progress_into_a_readiness_hold(client_profile: Client) -> None:
    log(client_profile, WEEK, rdl(10))
    log(client_profile, WEEK + dt.timedelta(days=2), rdl(10), Checkin(sleep=2, soreness=4, stress=4))
    review, item = _rdl_item(client_profile)
    assert (item.action, item.rule, item.flags) == ("hold", "progress", ["readiness"])
    assert item.proposed["load"] == 60
    assert "Progress held for readiness" in item.rationale
    assert "18 Nov: readiness 2" in item.rationale
    assert review.metrics["readiness_mean"] == 2
    assert review.metrics["checkins"] == [
        {
            "date": "2026-11-18",
            "sleep": 2,
            "soreness": 4,
            "stress": 4,
            "low_back": None,
            "cut_taken": False,
            "readiness": 2,
        }
    ]


def test_a_good_check_in_still_progresses(client_profile: Client) -> None:
    log(client_profile, WEEK, rdl(10), Checkin(sleep=5, soreness=1, stress=2, low_back="fine"))
    log(client_profile, WEEK + dt.timedelta(days=2), rdl(10))
    _, item = _rdl_item(client_profile)
    assert (item.action, item.flags) == ("progress", [])


def test_a_check_in_without_sets_reporting_a_painful_back_holds(client_profile: Client) -> None:
    log(client_profile, WEEK, rdl(10))
    log(client_profile, WEEK + dt.timedelta(days=2), rdl(10))
    log(client_profile, WEEK + dt.timedelta(days=4), [], Checkin(low_back="painful"))
    review, item = _rdl_item(client_profile)
    assert (item.action, item.flags) == ("hold", ["readiness"])
    assert "painful low back was reported on 20 Nov" in item.rationale
    assert review.metrics["readiness_mean"] is None


def test_the_review_of_a_week_at_the_cut_does_not_progress(client_profile: Client) -> None:
    log(client_profile, WEEK, rdl(10))
    log(client_profile, WEEK + dt.timedelta(days=2), rdl(10), Checkin(sleep=2, soreness=4, stress=4, cut_taken=True))
    _, item = _rdl_item(client_profile)
    assert item.action == "hold"
    assert "readiness cut was taken on 18 Nov" in item.rationale


def test_check_ins_add_no_query_per_assignment(coach: Any, django_assert_max_num_queries: Any) -> None:
    clients = [ClientFactory(coach=coach, with_assignment=True) for _ in range(6)]
    for client in clients:
        log(client, WEEK, rdl(10), Checkin(sleep=1, soreness=5, stress=5))
        log(client, WEEK + dt.timedelta(days=2), rdl(10), Checkin(low_back="painful"))
    ids = [c.assignments.get().pk for c in clients]
    # As many as without check-ins (test_review_generation's pin).
    with django_assert_max_num_queries(13):
        summary = reviews_generate_batch(week_start=WEEK, assignment_ids=ids, notify=False)
    assert summary.created == 6
    flags = [i.flags for i in ReviewItem.objects.filter(exercise__slug="romanian-deadlift")]
    assert flags == [["readiness"]] * 6
