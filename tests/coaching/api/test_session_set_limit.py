"""A session of more than 200 sets is refused with a message, by PUT and inside a sync (docs/api.md, Errors)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.models import LoggedSession
from tests.coaching.api.test_sessions_api import session_body

pytestmark = pytest.mark.django_db
TOO_MANY = {"sets": ["At most 200 sets per session."]}


def _with_sets(assignment_id: int, n: int) -> dict[str, Any]:
    body = session_body(assignment_id)
    body["sets"] = [body["sets"][0]] * n
    return body


def test_put_of_201_sets_says_at_most_200(client_api: APIClient, client_profile: Any) -> None:
    body = _with_sets(client_profile.assignments.get().pk, 201)
    response = client_api.put(f"/api/v1/sessions/{body['id']}/", body, format="json")
    assert response.status_code == 400
    assert response.json() == TOO_MANY
    assert not LoggedSession.objects.exists()


def test_put_of_200_sets_is_stored(client_api: APIClient, client_profile: Any) -> None:
    body = _with_sets(client_profile.assignments.get().pk, 200)
    response = client_api.put(f"/api/v1/sessions/{body['id']}/", body, format="json")
    assert response.status_code == 201
    assert len(response.json()["sets"]) == 200


def test_sync_rejects_only_the_session_of_201_sets_with_the_message(client_api: APIClient, client_profile: Any) -> None:
    assignment = client_profile.assignments.get().pk
    big, good = _with_sets(assignment, 201), session_body(assignment)
    response = client_api.post("/api/v1/sessions/sync/", {"sessions": [big, good]}, format="json")
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": big["id"], "status": "rejected", "errors": TOO_MANY},
        {"id": good["id"], "status": "created"},
    ]
    assert list(LoggedSession.objects.values_list("id", flat=True)) == [uuid.UUID(good["id"])]


def test_a_bad_set_among_201_still_gets_the_list_message(client_api: APIClient, client_profile: Any) -> None:
    body = _with_sets(client_profile.assignments.get().pk, 201)
    body["sets"][3] = {**body["sets"][3], "reps": "lots"}
    response = client_api.put(f"/api/v1/sessions/{body['id']}/", body, format="json")
    assert response.status_code == 400
    assert response.json()["sets"] == TOO_MANY["sets"]


def test_sets_that_are_not_a_list_get_a_message(client_api: APIClient, client_profile: Any) -> None:
    body = {**session_body(client_profile.assignments.get().pk), "sets": "three"}
    response = client_api.put(f"/api/v1/sessions/{body['id']}/", body, format="json")
    assert response.status_code == 400
    [message] = response.json()["sets"]
    assert isinstance(message, str)
    assert "list" in message


def test_errors_of_single_sets_stay_aligned_with_the_sets_sent(client_api: APIClient, client_profile: Any) -> None:
    body = _with_sets(client_profile.assignments.get().pk, 3)
    body["sets"][1] = {**body["sets"][1], "reps": "lots"}
    response = client_api.put(f"/api/v1/sessions/{body['id']}/", body, format="json")
    assert response.status_code == 400
    sets = response.json()["sets"]
    assert [sets[0], sets[2]] == [{}, {}]
    assert list(sets[1]) == ["reps"]
