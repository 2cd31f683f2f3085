"""The coach's line forms (the program builder, the review page) reach the one validator
(``programs.lines``) and show its message under the field."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from coaching.models import WeeklyReview
from programs.lines import KETTLEBELL_LOAD_ERROR, OVER_MAX_LOAD, RPE_ERROR, TEMPO_ERROR, Line
from programs.models import ProgramTemplate
from programs.services import template_create
from tests.coaching.web.conftest import HTMX, active_assignment, make_review
from tests.coaching.web.test_review_page import WEEK, _field_errors
from tests.coaching.web.test_reviews import _form_data, _items
from tests.factories import exercise

pytestmark = pytest.mark.django_db

RDL = {"exercise": "romanian-deadlift", "sets": "3", "low": "8", "high": "10", "load": "60", "unit": "kg"}
# (case, the form's values, the field, its message).
BAD_LINES = [
    ("RPE not in halves", {**RDL, "target_rpe": "7.3"}, "target_rpe", RPE_ERROR),
    ("tempo in words", {**RDL, "tempo": "slow"}, "tempo", TEMPO_ERROR),
    (
        "a load on a bodyweight exercise",
        {**RDL, "exercise": "glute-bridge", "high": "12", "load": "10"},
        "load",
        "Bodyweight exercises carry no load: use 0.",
    ),
    ("101 reps", {**RDL, "high": "101"}, "high", "Reps must be a whole number from 1 to 100."),
    ("2205 lb", {**RDL, "load": "2205", "unit": "lb"}, "load", OVER_MAX_LOAD),
    ("no bell", {**RDL, "exercise": "kettlebell-deadlift", "load": "50", "unit": "lb"}, "load", KETTLEBELL_LOAD_ERROR),
]
IDS = [case for case, *_ in BAD_LINES]


@pytest.fixture
def template(coach: Any) -> ProgramTemplate:
    line = Line(exercise=exercise("deadlift"), sets=3, low=5, high=5, load=Decimal("100"))
    return template_create(owner=coach.user, name="Builder", lines=[line])


@pytest.mark.parametrize(("case", "values", "field", "message"), BAD_LINES, ids=IDS)
def test_the_builders_line_form_shows_the_validators_message_under_the_field(
    coach_web: Any, template: ProgramTemplate, case: str, values: dict[str, str], field: str, message: str
) -> None:
    data = {f"new-{name}": value for name, value in values.items()}
    response = coach_web.post(reverse("coach-line-add", args=[template.pk]), data, **HTMX)
    assert response.status_code == 200
    assert _field_errors(response.content.decode(), f"id_new-{field}") == [message]
    assert template.lines.count() == 1


@pytest.mark.parametrize(("case", "values", "field", "message"), BAD_LINES, ids=IDS)
def test_the_review_pages_edit_shows_the_validators_message_under_the_field(
    coach_web: Any, client_profile: Any, case: str, values: dict[str, str], field: str, message: str
) -> None:
    review = make_review(active_assignment(client_profile), WEEK)
    first = _items(review)[0]
    edits = {f"item-{first.pk}-{name}": value for name, value in values.items()}
    response = coach_web.post(
        reverse("coach-review-approve", args=[review.pk]), _form_data(review, **edits, mode="all")
    )
    assert response.status_code == 400
    assert _field_errors(response.content.decode(), f"id_item-{first.pk}-{field}") == [message]
    review.refresh_from_db()
    assert review.status == WeeklyReview.Status.PENDING
