"""Late data through the API: ``recomputed_at`` on rows and detail; approving with the ids of before a
recompute is a 409 that says the review was updated (docs/api.md "Weekly reviews")."""

from __future__ import annotations

import datetime as dt

import pytest
from rest_framework.test import APIClient

from coaching.models import Client, WeeklyReview
from tests.coaching.test_review_generation import WEEK, log, rdl
from tests.coaching.test_review_recompute import _item, _review, _sync, queued  # noqa: F401 - a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def recomputed(client_profile: Client, queued: list[list[int]]) -> tuple[WeeklyReview, list[int]]:  # noqa: F811
    """A pending review recomputed after a late session, and its item ids of before."""
    from coaching.reviews.tasks import recompute_reviews

    log(client_profile, WEEK, rdl(10))
    review = _review(client_profile)
    old_ids = list(review.items.order_by("position").values_list("pk", flat=True))
    _sync(client_profile, [_item(client_profile, WEEK + dt.timedelta(days=2))])
    assert recompute_reviews(queued[0]) == 1
    return review, old_ids


def test_rows_and_detail_carry_recomputed_at(coach_api: APIClient, client_profile: Client) -> None:
    log(client_profile, WEEK, rdl(10))
    review = _review(client_profile)
    assert coach_api.get(f"/api/v1/reviews/{review.pk}/").json()["recomputed_at"] is None
    assert coach_api.get("/api/v1/reviews/").json()["results"][0]["recomputed_at"] is None


def test_a_recomputed_review_says_when_and_has_new_item_ids(
    coach_api: APIClient, recomputed: tuple[WeeklyReview, list[int]]
) -> None:
    review, old_ids = recomputed
    body = coach_api.get(f"/api/v1/reviews/{review.pk}/").json()
    review.refresh_from_db()
    assert review.recomputed_at is not None
    assert body["recomputed_at"] == review.recomputed_at.isoformat().replace("+00:00", "Z")
    assert body["metrics"]["sessions_logged"] == 2
    assert not {item["id"] for item in body["items"]} & set(old_ids)
    [row] = coach_api.get("/api/v1/reviews/?status=pending").json()["results"]
    assert row["recomputed_at"] == body["recomputed_at"]


def test_approving_with_the_ids_of_before_is_a_409_and_approves_nothing(
    coach_api: APIClient, recomputed: tuple[WeeklyReview, list[int]]
) -> None:
    review, old_ids = recomputed
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", {"items": [{"id": old_ids[0]}]}, format="json")
    assert response.status_code == 409
    detail = response.json()["detail"]
    assert detail.startswith("This review was updated on ")
    assert "with a session synced late" in detail
    assert "Reload it" in detail
    review.refresh_from_db()
    assert review.status == "pending"
    assert set(review.items.values_list("decision", flat=True)) == {"pending"}


def test_approving_with_the_new_ids_works(coach_api: APIClient, recomputed: tuple[WeeklyReview, list[int]]) -> None:
    review, _ = recomputed
    new_id = review.items.order_by("position").values_list("pk", flat=True)[0]
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", {"items": [{"id": new_id}]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"


def test_an_id_that_never_was_an_item_is_still_a_400(
    coach_api: APIClient, recomputed: tuple[WeeklyReview, list[int]]
) -> None:
    review, _ = recomputed
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", {"items": [{"id": 99999999}]}, format="json")
    assert response.status_code == 400
    assert "items" in response.json()


def test_another_coachs_recomputed_review_is_a_404(
    other_coach_api: APIClient, recomputed: tuple[WeeklyReview, list[int]]
) -> None:
    review, old_ids = recomputed
    assert other_coach_api.get(f"/api/v1/reviews/{review.pk}/").status_code == 404
    response = other_coach_api.post(
        f"/api/v1/reviews/{review.pk}/approve/", {"items": [{"id": old_ids[0]}]}, format="json"
    )
    assert response.status_code == 404


def test_the_schema_documents_recomputed_at_and_the_409(coach_api: APIClient) -> None:
    schema = coach_api.get("/api/schema/?format=json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "recomputed_at" in text
    assert "updated (recomputed after a late session" in text
