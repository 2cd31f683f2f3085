"""Every writer of a prescription line reaches the one validator (``programs.lines``): the API's
programs and assignments, the API's review approval and the approval service answer the same
bad line with the same field message."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.models import PrescriptionVersion, WeeklyReview
from coaching.reviews.decisions import ReviewInputError, review_approve
from programs.lines import KETTLEBELL_LOAD_ERROR, OVER_MAX_LOAD, RPE_ERROR, TEMPO_ERROR
from programs.models import ProgramTemplate
from tests.coaching.api.factories_api import make_review

pytestmark = pytest.mark.django_db

RDL = {"exercise": "romanian-deadlift", "sets": 3, "reps_low": 8, "reps_high": 10, "load": 60, "unit": "kg"}
# (case, the line, the field, its message): rules the API and the approval did not all check alike.
BAD_LINES = [
    ("RPE not in halves", {**RDL, "target_rpe": 7.3}, "target_rpe", RPE_ERROR),
    ("tempo in words", {**RDL, "tempo": "slow"}, "tempo", TEMPO_ERROR),
    (
        "a load on a bodyweight exercise",
        {"exercise": "glute-bridge", "sets": 3, "reps_low": 8, "reps_high": 12, "load": 10, "unit": "kg"},
        "load",
        "Bodyweight exercises carry no load: use 0.",
    ),
    (
        "a range out of order",
        {**RDL, "reps_low": 12, "reps_high": 8},
        "reps_low",
        "The range starts above its end (12 > 8 reps).",
    ),
    ("2205 lb", {**RDL, "load": 2205, "unit": "lb"}, "load", OVER_MAX_LOAD),
    (
        "no bell",
        {"exercise": "kettlebell-deadlift", "sets": 3, "reps_low": 8, "reps_high": 12, "load": 50, "unit": "lb"},
        "load",
        KETTLEBELL_LOAD_ERROR,
    ),
]
IDS = [case for case, *_ in BAD_LINES]


@pytest.fixture
def review(client_profile: Any) -> WeeklyReview:
    return make_review(client_profile.assignments.get())


@pytest.mark.parametrize(("case", "line", "field", "message"), BAD_LINES, ids=IDS)
def test_a_program_line_gets_the_validators_field_message(
    coach_api: APIClient, case: str, line: dict[str, Any], field: str, message: str
) -> None:
    response = coach_api.post("/api/v1/programs/", {"name": "Checked", "lines": [RDL, line]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"lines": {"1": {field: [message]}}}
    assert not ProgramTemplate.objects.filter(name="Checked").exists()


@pytest.mark.parametrize(("case", "line", "field", "message"), BAD_LINES, ids=IDS)
def test_an_assignment_line_gets_the_validators_field_message(
    coach_api: APIClient, client_profile: Any, case: str, line: dict[str, Any], field: str, message: str
) -> None:
    body = {"client": client_profile.pk, "start_date": "2026-12-07", "unit": "kg", "prescription": [line]}
    response = coach_api.post("/api/v1/assignments/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"prescription": {"0": {field: [message]}}}


@pytest.mark.parametrize(("case", "line", "field", "message"), BAD_LINES, ids=IDS)
def test_an_edit_approved_through_the_api_gets_the_validators_field_message(
    coach_api: APIClient, review: WeeklyReview, case: str, line: dict[str, Any], field: str, message: str
) -> None:
    item = review.items.order_by("position").first()
    body = {"items": [{"id": item.pk, "proposed": line}]}
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"items": {"0": {"proposed": {field: [message]}}}}
    review.refresh_from_db()
    assert review.status == WeeklyReview.Status.PENDING


@pytest.mark.parametrize(("case", "line", "field", "message"), BAD_LINES, ids=IDS)
def test_the_approval_service_refuses_an_edit_with_the_validators_field_message(
    coach: Any, review: WeeklyReview, case: str, line: dict[str, Any], field: str, message: str
) -> None:
    item = review.items.order_by("position").first()
    versions = PrescriptionVersion.objects.count()
    with pytest.raises(ReviewInputError) as caught:
        review_approve(review=review, user=coach.user, items=[{"id": item.pk, "proposed": line}])
    assert caught.value.errors == {"items": [{"id": item.pk, "proposed": {field: [message]}}]}
    assert PrescriptionVersion.objects.count() == versions


@pytest.mark.parametrize(("case", "line", "field", "message"), BAD_LINES, ids=IDS)
def test_a_stored_proposal_the_validator_refuses_is_not_approved(
    coach: Any, review: WeeklyReview, case: str, line: dict[str, Any], field: str, message: str
) -> None:
    item = review.items.order_by("position").first()
    item.proposed = line
    item.save(update_fields=["proposed"])
    with pytest.raises(ReviewInputError) as caught:
        review_approve(review=review, user=coach.user)
    assert caught.value.errors == {"items": [{"id": item.pk, "proposed": {field: [message]}}]}
