"""The review page by day: a heading per day, one proposal per line, and approving a proposal
changes its own line only (the same exercise on a heavy and a light day)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from coaching.models import WeeklyReview
from coaching.selectors import version_in_force
from tests.coaching.web.conftest import HTMX, active_assignment, make_review
from tests.coaching.web.test_reviews import _form_data, _items
from tests.coaching.web.two_days import make_day_review, two_day_client

pytestmark = pytest.mark.django_db
WEEK = dt.date(2026, 11, 16)
NEXT = WEEK + dt.timedelta(days=7)


@pytest.fixture
def day_review(coach: Any) -> WeeklyReview:
    client = two_day_client(coach, start=dt.date(2026, 10, 5))
    return make_day_review(active_assignment(client), WEEK)


def lines_from(review: WeeklyReview, on: dt.date = NEXT) -> list[tuple[int, str, Decimal]]:
    version = version_in_force(review.assignment, on)
    return [(line.day, line.exercise.slug, line.load_kg) for line in version.lines.order_by("position")]


def item(review: WeeklyReview, day: int, slug: str) -> Any:
    return next(i for i in _items(review) if i.day == day and i.exercise.slug == slug)


BEFORE = [
    (1, "deadlift", Decimal("100.000")),
    (1, "hip-thrust", Decimal("80.000")),
    (2, "deadlift", Decimal("70.000")),
    (2, "kettlebell-swing", Decimal("24.000")),
]


def test_the_review_page_groups_proposals_under_a_heading_per_day(coach_web: Any, day_review: WeeklyReview) -> None:
    body = coach_web.get(reverse("coach-review", args=[day_review.pk])).content.decode()
    heavy_h = body.index('<h3 class="day-heading" id="day-1-h">Heavy</h3>')
    light_h = body.index('<h3 class="day-heading" id="day-2-h">Light</h3>')
    heavy_deadlift = body.index(f'id="item-{item(day_review, 1, "deadlift").pk}"')
    thrust = body.index(f'id="item-{item(day_review, 1, "hip-thrust").pk}"')
    light_deadlift = body.index(f'id="item-{item(day_review, 2, "deadlift").pk}"')
    swing = body.index(f'id="item-{item(day_review, 2, "kettlebell-swing").pk}"')
    assert heavy_h < heavy_deadlift < thrust < light_h < light_deadlift < swing
    assert body.count('<article class="card proposal') == 4  # one proposal per line
    assert f'<h4 id="item-{item(day_review, 2, "deadlift").pk}-h">Deadlift</h4>' in body


def test_a_one_day_review_has_no_day_heading(coach_web: Any, client_profile: Any) -> None:
    review = make_review(active_assignment(client_profile), WEEK)
    body = coach_web.get(reverse("coach-review", args=[review.pk])).content.decode()
    assert "day-heading" not in body
    first = _items(review)[0]
    assert f'<h3 id="item-{first.pk}-h">Romanian deadlift</h3>' in body


def test_approving_only_the_heavy_days_deadlift_changes_only_the_heavy_line(
    coach_web: Any, day_review: WeeklyReview
) -> None:
    heavy = item(day_review, 1, "deadlift")
    response = coach_web.post(
        reverse("coach-review-approve", args=[day_review.pk]), _form_data(day_review, only=heavy.pk)
    )
    assert response.status_code == 302
    assert lines_from(day_review) == [(1, "deadlift", Decimal("105.000")), *BEFORE[1:]]
    assert lines_from(day_review, WEEK) == BEFORE


def test_approving_only_the_light_days_deadlift_changes_only_the_light_line(
    coach_web: Any, day_review: WeeklyReview
) -> None:
    light = item(day_review, 2, "deadlift")
    response = coach_web.post(
        reverse("coach-review-approve", args=[day_review.pk]), _form_data(day_review, only=light.pk)
    )
    assert response.status_code == 302
    assert lines_from(day_review) == [*BEFORE[:2], (2, "deadlift", Decimal("72.500")), BEFORE[3]]
    light.refresh_from_db()
    assert light.decision == "approved"  # as proposed, not "edited": the day is no edit


def test_approving_all_on_two_days_keeps_each_line_on_its_day(coach_web: Any, day_review: WeeklyReview) -> None:
    response = coach_web.post(reverse("coach-review-approve", args=[day_review.pk]), _form_data(day_review, mode="all"))
    assert response.status_code == 302
    assert lines_from(day_review) == [
        (1, "deadlift", Decimal("105.000")),
        (1, "hip-thrust", Decimal("85.000")),
        (2, "deadlift", Decimal("72.500")),
        (2, "kettlebell-swing", Decimal("24.000")),
    ]
    assert {i.decision for i in _items(day_review)} == {"approved"}


def test_an_edited_light_day_proposal_stays_on_the_light_day(coach_web: Any, day_review: WeeklyReview) -> None:
    light = item(day_review, 2, "deadlift")
    data = _form_data(day_review, **{f"item-{light.pk}-load": "75"}, only=light.pk)
    response = coach_web.post(reverse("coach-review-approve", args=[day_review.pk]), data, **HTMX)
    assert response.status_code == 200
    assert lines_from(day_review) == [*BEFORE[:2], (2, "deadlift", Decimal("75.000")), BEFORE[3]]
    light.refresh_from_db()
    assert light.decision == "edited"
    assert light.approved_line["day"] == 2
