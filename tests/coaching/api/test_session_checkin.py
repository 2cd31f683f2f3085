"""A session carries its readiness check-in (docs/api.md "Logged sessions": ``checkin``), by PUT and
by sync, on the fast path and the serializer's; responses add its ``readiness``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import replace
from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.models import LoggedSession
from coaching.sessions.services import body_hash
from coaching.sessions.services.inputs import SessionInput
from programs.progression import Checkin
from tests.coaching.api.test_sessions_api import session_body

pytestmark = pytest.mark.django_db

LOW = {"sleep": 2, "soreness": 4, "stress": 3, "low_back": "tight", "cut_taken": True}


def _put(api: APIClient, body: dict[str, Any]) -> Any:
    return api.put(f"/api/v1/sessions/{body['id']}/", body, format="json")


def _sync(api: APIClient, *bodies: dict[str, Any]) -> list[dict[str, Any]]:
    return api.post("/api/v1/sessions/sync/", {"sessions": list(bodies)}, format="json").json()["results"]


def test_a_check_in_round_trips_with_its_readiness(client_api: APIClient, client_profile: Any) -> None:
    body = session_body(client_profile.assignments.get().pk) | {"checkin": LOW}
    response = _put(client_api, body)
    assert response.status_code == 201, response.json()
    assert response.json()["checkin"] == LOW | {"readiness": 2.3}  # (2 + 2 + 3) / 3, one decimal
    stored = LoggedSession.objects.get()
    assert (stored.checkin_sleep, stored.checkin_soreness, stored.checkin_stress) == (2, 4, 3)
    assert (stored.checkin_low_back, stored.checkin_cut_taken) == ("tight", True)
    assert client_api.get(f"/api/v1/sessions/{body['id']}/").json()["checkin"]["readiness"] == 2.3
    # The same body again, by PUT and by sync: unchanged.
    assert _put(client_api, body).status_code == 200
    assert _sync(client_api, body) == [{"id": body["id"], "status": "unchanged"}]


def test_a_partial_check_in_has_no_readiness(client_api: APIClient, client_profile: Any) -> None:
    body = session_body(client_profile.assignments.get().pk) | {"checkin": {"low_back": "painful"}}
    got = _put(client_api, body).json()["checkin"]
    assert got == {
        "sleep": None,
        "soreness": None,
        "stress": None,
        "low_back": "painful",
        "cut_taken": False,
        "readiness": None,
    }


def test_a_session_without_a_check_in_reads_null_and_hashes_as_before(
    client_api: APIClient, client_profile: Any
) -> None:
    body = session_body(client_profile.assignments.get().pk)
    assert _put(client_api, body).json()["checkin"] is None
    assert _sync(client_api, body | {"checkin": None}) == [{"id": body["id"], "status": "unchanged"}]
    stored = LoggedSession.objects.get()
    item = SessionInput(
        id=stored.pk,
        assignment_id=stored.assignment_id,
        performed_at=stored.performed_at,
        client_modified_at=stored.client_modified_at,
    )
    # The hash of a body without a check-in is the one it had before check-ins existed.
    before = [item.assignment_id, item.performed_at.astimezone(dt.UTC).isoformat(), 0, "", []]
    assert body_hash(item) == hashlib.sha256(json.dumps(before, separators=(",", ":")).encode()).hexdigest()
    assert body_hash(replace(item, checkin=Checkin(sleep=3))) != body_hash(item)
    assert body_hash(replace(item, checkin=Checkin(sleep=3, cut_taken=True))) != body_hash(
        replace(item, checkin=Checkin(sleep=3))
    )


def test_a_session_with_only_a_check_in_and_no_sets(client_api: APIClient, client_profile: Any) -> None:
    body = session_body(client_profile.assignments.get().pk) | {"checkin": {"sleep": 1, "soreness": 5, "stress": 5}}
    del body["sets"]
    response = _put(client_api, body)
    assert response.status_code == 201, response.json()
    assert response.json()["sets"] == []
    assert response.json()["checkin"]["readiness"] == 1


def test_changing_only_the_check_in_updates_the_session(client_api: APIClient, client_profile: Any) -> None:
    body = session_body(client_profile.assignments.get().pk) | {"checkin": LOW}
    _put(client_api, body)
    later = body | {"checkin": LOW | {"cut_taken": False}, "client_modified_at": "2026-11-20T10:00:00Z"}
    assert _sync(client_api, later) == [{"id": body["id"], "status": "updated"}]
    assert LoggedSession.objects.get().checkin_cut_taken is False
    # Dropping the check-in clears it.
    cleared = later | {"checkin": None, "client_modified_at": "2026-11-20T11:00:00Z"}
    assert _sync(client_api, cleared) == [{"id": body["id"], "status": "updated"}]
    assert LoggedSession.objects.get().checkin is None


@pytest.mark.parametrize(
    ("checkin", "field"),
    [
        ({"sleep": 0}, "sleep"),
        ({"sleep": 6}, "sleep"),
        ({"soreness": "x"}, "soreness"),
        ({"soreness": 2.5}, "soreness"),
        ({"stress": -1}, "stress"),
        ({"stress": 9}, "stress"),
        ({"low_back": "sore"}, "low_back"),
        ({"sleep": 3, "cut_taken": "maybe"}, "cut_taken"),
        ({}, "non_field_errors"),
        ({"cut_taken": True}, "non_field_errors"),
        ("good", "non_field_errors"),
    ],
)
def test_each_bad_check_in_field_is_a_field_error(
    client_api: APIClient, client_profile: Any, checkin: Any, field: str
) -> None:
    body = session_body(client_profile.assignments.get().pk) | {"checkin": checkin}
    response = _put(client_api, body)
    assert response.status_code == 400
    assert field in response.json()["checkin"], response.json()
    assert not LoggedSession.objects.exists()
    synced = _sync(client_api, body)
    assert synced[0]["status"] == "rejected"
    assert field in synced[0]["errors"]["checkin"]


def test_a_coach_logs_a_check_in_for_their_client(coach_api: APIClient, client_profile: Any) -> None:
    body = session_body(client_profile.assignments.get().pk) | {"checkin": {"sleep": 4}}
    response = _put(coach_api, body)
    assert response.status_code == 201
    assert response.json()["checkin"]["sleep"] == 4
