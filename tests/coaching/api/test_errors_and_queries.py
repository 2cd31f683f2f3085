"""Errors every endpoint shares, and query counts pinned on the lists."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.models import Client
from tests.coaching.api.factories_api import make_review
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_non_json_body_is_415(coach_api: APIClient) -> None:
    response = coach_api.post("/api/v1/programs/", "name=Hinge", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert "detail" in response.json()


def test_malformed_json_is_400(coach_api: APIClient) -> None:
    response = coach_api.post("/api/v1/programs/", '{"name": ', content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


@pytest.mark.parametrize("payload", ["[1, 2]", '"Hinge"', "null", "3"])
def test_a_body_that_is_not_an_object_is_400(coach_api: APIClient, payload: str) -> None:
    response = coach_api.post("/api/v1/programs/", payload, content_type="application/json")
    assert response.status_code == 400


def test_deeply_nested_json_is_400(coach_api: APIClient) -> None:
    payload = '{"name": "P", "lines": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = coach_api.post("/api/v1/programs/", payload, content_type="application/json")
    assert response.status_code == 400


def test_huge_ids_are_404_not_500(coach_api: APIClient) -> None:
    assert coach_api.get(f"/api/v1/programs/{10**30}/").status_code == 404
    assert coach_api.get(f"/api/v1/reviews/{2**63}/").status_code == 404
    assert coach_api.get("/api/v1/programs/?page=99").status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/reviews/?client=", "/api/v1/assignments/?client="])
def test_huge_filter_ids_are_field_errors_not_500(coach_api: APIClient, url: str) -> None:
    response = coach_api.get(f"{url}{10**30}")
    assert response.status_code == 400
    assert "client" in response.json()


def test_errors_are_json(anon: APIClient, coach_api: APIClient) -> None:
    for response in (anon.get("/api/v1/clients/"), coach_api.get("/api/v1/clients/0/")):
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()


# --- query counts: the same for 1 row and for 20 ------------------------------------------

# Per list: session/user lookups done by force_authenticate are not counted; what is left is
# the coach lookup, the page count, the page, and one query per prefetched relation.
LISTS = {
    "/api/v1/exercises/": 3,  # coach, count, page (ladder slugs joined)
    "/api/v1/programs/": 5,  # coach, count, page, lines with their exercises, days
    "/api/v1/clients/": 3,  # coach, count, page
    "/api/v1/assignments/": 6,  # coach, count, page, versions, lines with their exercises, days
    "/api/v1/reviews/": 5,  # coach, count, page (client joined), items with their exercises, co-signs
}


def _grow_to(coach: Any, api: APIClient, n: int) -> None:
    """``n`` clients, each with an assignment and a review; ``n`` programs of two lines; ``n`` own exercises."""
    line = {"exercise": "romanian-deadlift", "load": 60}
    other = {"exercise": "hip-thrust", "load": 60}
    for i in range(Client.objects.filter(coach=coach).count(), n):
        client = ClientFactory(coach=coach, with_login=True, with_assignment=True)
        make_review(client.assignments.get())
        api.post("/api/v1/programs/", {"name": f"P{i}", "lines": [line, other]}, format="json")
        api.post(
            "/api/v1/exercises/", {"name": f"Own {i}", "implement": "barbell", "easier": "deadlift"}, format="json"
        )


@pytest.mark.parametrize(("url", "expected"), LISTS.items())
def test_list_query_count_is_pinned_and_the_same_for_1_and_20_rows(
    url: str, expected: int, coach: Any, django_assert_num_queries: Any
) -> None:
    api = APIClient()
    api.force_authenticate(coach.user)
    for rows in (1, 20):
        _grow_to(coach, api, rows)
        coach.user.refresh_from_db()  # forget the cached coach, as a new request would
        with django_assert_num_queries(expected):
            response = api.get(url)
        assert response.status_code == 200
        assert len(response.json()["results"]) >= rows
