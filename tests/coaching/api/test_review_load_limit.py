"""Approving a proposal past 1,000 kg is a field error in the load's own unit, never a 500.

The limit is 1,000 kg whatever the unit: about 2,204.6 lb (docs/domain.md). A proposal in lb is
compared in kg, so 2,205 lb (1,000.2 kg) is refused and 2,204 lb (999.72 kg) is approved.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from coaching.models import PrescriptionVersion, WeeklyReview
from coaching.reviews.decisions import ReviewInputError, review_approve
from programs.lines import Line
from tests.coaching.api.factories_api import make_review
from tests.factories import exercise

pytestmark = pytest.mark.django_db
OVER = "That load is over 1000 kg: check the number and the unit."


@pytest.fixture
def review(client_profile: Any) -> WeeklyReview:
    return make_review(client_profile.assignments.get())


def _propose(review: WeeklyReview, load: float, unit: str) -> Any:
    item = review.items.order_by("position").first()
    item.proposed = {**item.proposed, "load": load, "unit": unit}
    item.save(update_fields=["proposed"])
    return item


@pytest.mark.parametrize(("load", "unit"), [(1002.5, "kg"), (2205, "lb"), (2204.7, "lb")])
def test_approving_a_proposal_over_1000_kg_is_a_400_with_the_load_field(
    coach_api: APIClient, review: WeeklyReview, load: float, unit: str
) -> None:
    item = _propose(review, load, unit)
    versions = PrescriptionVersion.objects.count()
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", {}, format="json")
    assert response.status_code == 400
    # DRF renders every value of an error body as a string, the item's id too.
    assert response.json() == {"items": [{"id": str(item.pk), "proposed": {"load": [OVER]}}]}
    review.refresh_from_db()
    assert review.status == WeeklyReview.Status.PENDING
    assert PrescriptionVersion.objects.count() == versions


@pytest.mark.parametrize(("load", "unit", "kg"), [(1000, "kg", "1000"), (2204, "lb", "999.72")])
def test_approving_a_proposal_up_to_1000_kg_writes_it(
    coach_api: APIClient, review: WeeklyReview, load: float, unit: str, kg: str
) -> None:
    item = _propose(review, load, unit)
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", {}, format="json")
    assert response.status_code == 200
    line = review.assignment.versions.order_by("-effective_from", "-pk").first().lines.get(exercise=item.exercise)
    assert line.load_kg.quantize(Decimal("0.01")) == Decimal(kg)


def test_approving_only_the_item_over_the_limit_is_refused(coach_api: APIClient, review: WeeklyReview) -> None:
    item = _propose(review, 2300, "lb")
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", {"items": [{"id": item.pk}]}, format="json")
    assert response.status_code == 400
    assert response.json()["items"][0]["proposed"]["load"] == [OVER]


@pytest.mark.parametrize(("load", "unit"), [(1001, "kg"), (2205, "lb")])
def test_an_edited_line_over_1000_kg_is_a_field_error(
    coach_api: APIClient, review: WeeklyReview, load: float, unit: str
) -> None:
    item = review.items.order_by("position").first()
    edited = {**item.proposed, "load": load, "unit": unit}
    body = {"items": [{"id": item.pk, "proposed": edited}]}
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", body, format="json")
    assert response.status_code == 400
    assert response.json()["items"]["0"]["proposed"]["load"] == [OVER]


@pytest.mark.parametrize(("load", "unit"), [("1000.01", "kg"), ("2204.63", "lb"), ("-1", "kg")])
def test_the_service_checks_the_load_in_kg(load: str, unit: str) -> None:
    line = {"exercise": "deadlift", "sets": 3, "reps_low": 5, "reps_high": 8, "load": load, "unit": unit}
    with pytest.raises(ValidationError) as caught:
        Line.from_json(line, {"deadlift": exercise("deadlift")})
    assert list(caught.value.message_dict) == ["load"]


def test_the_service_refuses_an_edit_over_the_limit_without_writing(coach: Any, review: WeeklyReview) -> None:
    item = review.items.order_by("position").first()
    with pytest.raises(ReviewInputError):
        review_approve(
            review=review, user=coach.user, items=[{"id": item.pk, "proposed": {**item.proposed, "load": 1500}}]
        )
    review.refresh_from_db()
    assert review.status == WeeklyReview.Status.PENDING
