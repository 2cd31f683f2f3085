"""A session records the training day it followed (docs/api.md "Logged sessions": ``day``; absent,
null or unknown: dayless), by PUT and by sync, on the fast path and the serializer's."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.models import LoggedSession
from tests.coaching.api.test_sessions_api import session_body

pytestmark = pytest.mark.django_db


def _put(api: APIClient, body: dict[str, Any]) -> Any:
    return api.put(f"/api/v1/sessions/{body['id']}/", body, format="json")


@pytest.mark.parametrize("day", [1, 2, 7])
def test_a_session_keeps_its_day_and_reads_it_back(client_api: APIClient, client_profile: Any, day: int) -> None:
    body = session_body(client_profile.assignments.get().pk) | {"day": day}
    response = _put(client_api, body)
    assert response.status_code == 201
    assert response.json()["day"] == day
    assert LoggedSession.objects.get().day == day
    assert _put(client_api, body).status_code == 200  # the same body again: unchanged
    assert client_api.get(f"/api/v1/sessions/{body['id']}/").json()["day"] == day


def test_a_session_without_a_day_is_dayless_and_a_replay_is_unchanged(
    client_api: APIClient, client_profile: Any
) -> None:
    body = session_body(client_profile.assignments.get().pk)
    assert _put(client_api, body).json()["day"] is None
    replay = client_api.post("/api/v1/sessions/sync/", {"sessions": [body]}, format="json")
    assert replay.json()["results"] == [{"id": body["id"], "status": "unchanged"}]
    with_null = client_api.post("/api/v1/sessions/sync/", {"sessions": [body | {"day": None}]}, format="json")
    assert with_null.json()["results"] == [{"id": body["id"], "status": "unchanged"}]


def test_changing_only_the_day_updates_the_session(client_api: APIClient, client_profile: Any) -> None:
    body = session_body(client_profile.assignments.get().pk)
    _put(client_api, body)
    later = body | {"day": 2, "client_modified_at": "2026-11-20T10:00:00Z"}
    result = client_api.post("/api/v1/sessions/sync/", {"sessions": [later]}, format="json").json()["results"]
    assert result == [{"id": body["id"], "status": "updated"}]
    assert LoggedSession.objects.get().day == 2


@pytest.mark.parametrize("day", [0, 8, "B", 1.5, True])
def test_a_day_that_is_no_day_number_is_a_field_error(client_api: APIClient, client_profile: Any, day: Any) -> None:
    body = session_body(client_profile.assignments.get().pk) | {"day": day}
    response = _put(client_api, body)
    assert response.status_code == 400
    assert "day" in response.json()
    assert not LoggedSession.objects.exists()
    synced = client_api.post("/api/v1/sessions/sync/", {"sessions": [body]}, format="json").json()["results"]
    assert synced[0]["status"] == "rejected"
    assert "day" in synced[0]["errors"]
