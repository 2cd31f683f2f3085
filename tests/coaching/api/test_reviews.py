from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.models import PrescriptionVersion, ReviewItem, WeeklyReview
from coaching.selectors import version_in_force
from programs.lines import Line
from tests.coaching.api.factories_api import WEEK, make_review

pytestmark = pytest.mark.django_db

NEXT_MONDAY = WEEK + dt.timedelta(days=7)


@pytest.fixture
def review(client_profile: Any) -> WeeklyReview:
    return make_review(client_profile.assignments.get())


def test_review_detail_has_the_shape_of_the_worked_example(coach_api: APIClient, review: WeeklyReview) -> None:
    response = coach_api.get(f"/api/v1/reviews/{review.pk}/")
    assert response.status_code == 200
    body = response.json()
    # The keys of tests/fixtures/api-examples/review-detail.json, exactly, plus ``recomputed_at``
    # (late data, docs/api.md) and the reviewers' co-signs (teams, docs/api-decisions.md), which the
    # example, older, leaves out.
    assert set(body) == {
        "id",
        "assignment",
        "client",
        "week_start",
        "status",
        "metrics",
        "items",
        "recomputed_at",
        "cosigns",
    }
    assert body["recomputed_at"] is None
    assert body["cosigns"] == []
    assert body["client"] == {"id": review.assignment.client.pk, "name": review.assignment.client.name}
    assert body["week_start"] == "2026-11-16"
    assert body["status"] == "pending"
    assert body["metrics"]["adherence_pct"] == 66.7
    # Plus each item's training day and the approval's note (docs/api.md), which the example, older
    # than both, leaves out.
    item_keys = {"id", "exercise", "action", "flags", "rule", "current", "proposed", "rationale"}
    item_keys |= {"day", "day_name", "note"}
    assert all(set(item) == item_keys for item in body["items"])
    first = body["items"][0]
    assert first["exercise"] == "romanian-deadlift"
    assert first["current"]["load"] == 60
    assert first["proposed"]["load"] == 62.5
    assert first["rule"] == "progress"


def test_review_list_filters_by_status_client_and_week(
    coach_api: APIClient, review: WeeklyReview, client_profile: Any
) -> None:
    older = make_review(client_profile.assignments.get(), WEEK - dt.timedelta(days=7), status="approved")
    rows = coach_api.get("/api/v1/reviews/").json()
    assert [r["id"] for r in rows["results"]] == [review.pk, older.pk]
    assert rows["results"][0]["items"]
    assert [r["id"] for r in coach_api.get("/api/v1/reviews/?status=pending").json()["results"]] == [review.pk]
    wednesday = (WEEK - dt.timedelta(days=5)).isoformat()
    assert [r["id"] for r in coach_api.get(f"/api/v1/reviews/?week={wednesday}").json()["results"]] == [older.pk]
    assert coach_api.get(f"/api/v1/reviews/?client={client_profile.pk}").json()["count"] == 2
    assert coach_api.get("/api/v1/reviews/?client=999999").json()["count"] == 0


@pytest.mark.parametrize("query", ["status=maybe", "week=yesterday", "client=abc", "week=9999-01-01"])
def test_review_list_bad_filters_get_field_errors(coach_api: APIClient, query: str) -> None:
    response = coach_api.get(f"/api/v1/reviews/?{query}")
    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_approve_all_makes_the_proposals_the_prescription_from_next_monday(
    coach_api: APIClient, review: WeeklyReview, coach: Any
) -> None:
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    version = version_in_force(review.assignment, NEXT_MONDAY)
    assert version is not None
    assert version.source == PrescriptionVersion.Source.REVIEW
    assert version.effective_from == NEXT_MONDAY
    assert version.changed_by == coach.user
    lines = [Line.from_row(line).to_json() for line in version.lines.all()]
    assert lines == [item.proposed for item in review.items.order_by("position")]


def test_approve_some_with_an_edit_keeps_the_others_current(coach_api: APIClient, review: WeeklyReview) -> None:
    first, second, third = review.items.order_by("position")
    edited = {**first.proposed, "load": 61.25}
    payload = {"items": [{"id": first.pk, "proposed": edited}, {"id": second.pk}]}
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", payload, format="json")
    assert response.status_code == 200
    version = version_in_force(review.assignment, NEXT_MONDAY)
    lines = [Line.from_row(line).to_json() for line in version.lines.all()]
    assert lines[0]["load"] == 61.25
    assert lines[1] == second.proposed
    assert lines[2] == third.current
    decisions = dict(ReviewItem.objects.filter(review=review).values_list("pk", "decision"))
    assert decisions == {first.pk: "edited", second.pk: "approved", third.pk: "kept"}


def test_approve_bad_items_get_field_errors_and_change_nothing(coach_api: APIClient, review: WeeklyReview) -> None:
    first = review.items.order_by("position").first()
    payload = {"items": [{"id": 123456789}, {"id": first.pk, "proposed": {**first.proposed, "sets": 0}}]}
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()["items"]
    assert errors["0"] == {"id": ["No item 123456789 in this review."]}
    assert "sets" in errors["1"]["proposed"]
    review.refresh_from_db()
    assert review.status == "pending"
    hold_with_reps = {"exercise": "rdl-isometric-hold", "reps_low": 8, "reps_high": 10}
    response = coach_api.post(
        f"/api/v1/reviews/{review.pk}/approve/",
        {"items": [{"id": first.pk, "proposed": hold_with_reps}]},
        format="json",
    )
    assert response.status_code == 400
    assert "reps_low" in response.json()["items"]["0"]["proposed"]


def test_reject_changes_nothing_and_deciding_twice_is_409(coach_api: APIClient, review: WeeklyReview) -> None:
    versions = PrescriptionVersion.objects.count()
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/reject/")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert PrescriptionVersion.objects.count() == versions
    again = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", {}, format="json")
    assert again.status_code == 409
    assert again.json() == {"detail": "This review was already rejected."}
    assert coach_api.post(f"/api/v1/reviews/{review.pk}/reject/").status_code == 409


def test_another_coachs_review_is_404(other_coach_api: APIClient, client_api: APIClient, review: WeeklyReview) -> None:
    for api in (other_coach_api, client_api):
        assert api.get(f"/api/v1/reviews/{review.pk}/").status_code == 404
        assert api.post(f"/api/v1/reviews/{review.pk}/approve/", {}, format="json").status_code == 404
        assert api.post(f"/api/v1/reviews/{review.pk}/reject/").status_code == 404
    assert other_coach_api.get("/api/v1/reviews/").json()["count"] == 0
    review.refresh_from_db()
    assert review.status == "pending"


def test_reviews_anonymous_401_and_wrong_methods_405(
    anon: APIClient, coach_api: APIClient, review: WeeklyReview
) -> None:
    assert anon.get("/api/v1/reviews/").status_code == 401
    assert anon.get(f"/api/v1/reviews/{review.pk}/").status_code == 401
    assert coach_api.post("/api/v1/reviews/", {}, format="json").status_code == 405
    assert coach_api.delete(f"/api/v1/reviews/{review.pk}/").status_code == 405
    assert coach_api.get(f"/api/v1/reviews/{review.pk}/approve/").status_code == 405


def test_an_edited_kettlebell_line_must_carry_a_bell(coach_api: APIClient, review: WeeklyReview) -> None:
    first = review.items.order_by("position").first()
    bell = {"exercise": "kettlebell-deadlift", "sets": 3, "reps_low": 8, "reps_high": 12, "unit": "kg"}
    payload = {"items": [{"id": first.pk, "proposed": {**bell, "load": 13.5}}]}
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"items": {"0": {"proposed": {"load": ["Kettlebells come in 8, 12, 16, … 48 kg."]}}}}
    review.refresh_from_db()
    assert review.status == "pending"
    payload = {"items": [{"id": first.pk, "proposed": {**bell, "load": 53, "unit": "lb"}}]}
    assert coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", payload, format="json").status_code == 200
    assert version_in_force(review.assignment, NEXT_MONDAY).lines.get(position=0).load_kg == 24
