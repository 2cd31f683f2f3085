"""Bad input reaches the API as a 4xx that says why, never a 500 (docs/api.md, Errors).

Numbers in ASCII digits only ("²" passes ``str.isdigit()`` and then fails ``int()``), no NUL in
query text (PostgreSQL refuses it): run these on PostgreSQL too (DATABASE_URL).
"""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db
ODD_NUMBERS = ["²", "٣", "9" * 5000, "0", "501", "-1", " 5"]


@pytest.mark.parametrize("raw", ODD_NUMBERS)
def test_feed_limit_that_is_not_a_whole_number_in_range_is_a_field_error(client_api: APIClient, raw: str) -> None:
    response = client_api.get("/api/v1/sessions/", {"limit": raw})
    assert response.status_code == 400
    assert response.json() == {"limit": ["A whole number from 1 to 500."]}


def test_feed_limit_in_ascii_digits_still_pages(client_api: APIClient) -> None:
    response = client_api.get("/api/v1/sessions/", {"limit": "500"})
    assert response.status_code == 200
    assert response.json()["has_more"] is False


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/sessions/?since=%00", "since"),
        ("/api/v1/sessions/?limit=%00", "limit"),
        ("/api/v1/reviews/?status=pending%00", "status"),
        ("/api/v1/reviews/?client=%00", "client"),
        ("/api/v1/reviews/?week=2026-11-16%00", "week"),
        ("/api/v1/assignments/?client=1%00", "client"),
    ],
)
def test_a_nul_in_a_query_parameter_is_a_field_error(
    coach_api: APIClient, client_api: APIClient, url: str, field: str
) -> None:
    api = client_api if url.startswith("/api/v1/sessions/") else coach_api
    response = api.get(url)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert all(isinstance(message, str) and message for message in response.json()[field])


@pytest.mark.parametrize("raw", ["²", "٣", "1_0", "+1", " 1"])
def test_review_and_assignment_filters_take_ascii_ids_only(coach_api: APIClient, raw: str) -> None:
    for url in ("/api/v1/reviews/", "/api/v1/assignments/"):
        response = coach_api.get(url, {"client": raw})
        assert response.status_code == 400, url
        assert "client" in response.json()


def test_a_nul_in_an_object_id_is_404(coach_api: APIClient, client_api: APIClient, client_profile: Any) -> None:
    assert coach_api.get("/api/v1/programs/1%00/").status_code == 404
    assert coach_api.get("/api/v1/reviews/1%00/").status_code == 404
    assert client_api.get("/api/v1/sessions/%00/").status_code == 404


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def test_object_ids_in_the_path_are_ascii_digits_only(coach_api: APIClient, client_profile: Any) -> None:
    pk = str(client_profile.pk)
    assert coach_api.get(f"/api/v1/clients/{pk}/").status_code == 200
    for odd in (pk.translate(ARABIC_INDIC), f"{pk}²", f"+{pk}", f" {pk}", f"0_{pk}"):
        assert coach_api.get(f"/api/v1/clients/{odd}/").status_code == 404, odd
