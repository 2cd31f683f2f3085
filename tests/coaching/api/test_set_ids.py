"""Set ids (docs/api.md "Logged sessions"): a set keeps its identity across edits of its session."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.models import LoggedSet
from tests import factories
from tests.coaching.api.test_sessions_api import BASE, api_for, session_body, url

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/sessions/sync/"
FEED = "/api/v1/sessions/"


@pytest.fixture
def assignment(client_profile: Any) -> Any:
    return client_profile.assignments.get(is_active=True)


@pytest.fixture
def phone(client_profile: Any) -> APIClient:
    return api_for(client_profile.user)


def later(body: dict[str, Any], minutes: int) -> dict[str, Any]:
    return {**body, "client_modified_at": (BASE + dt.timedelta(hours=1, minutes=minutes)).isoformat()}


def ids_of(data: dict[str, Any]) -> list[str]:
    return [s["id"] for s in data["sets"]]


def stored_ids(sid: str) -> list[str]:
    return [str(u) for u in LoggedSet.objects.filter(session_id=sid).order_by("position").values_list("uid", flat=True)]


def test_ids_the_client_sends_are_kept_across_edits(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    mine = [str(uuid.uuid4()) for _ in body["sets"]]
    body["sets"] = [{**s, "id": i} for s, i in zip(body["sets"], mine, strict=True)]
    first = phone.put(url(body["id"]), body, format="json")
    assert first.status_code == 201, first.content
    assert ids_of(first.json()) == mine
    # An edit that drops the second set and reorders the rest: each set keeps its own id.
    edited = later(body, 5)
    edited["sets"] = [body["sets"][4], body["sets"][0], {**body["sets"][2], "reps": 9}, body["sets"][3]]
    response = phone.put(url(body["id"]), edited, format="json")
    assert response.status_code == 200, response.content
    assert ids_of(response.json()) == [mine[4], mine[0], mine[2], mine[3]]
    assert stored_ids(body["id"]) == [mine[4], mine[0], mine[2], mine[3]]
    assert phone.get(url(body["id"])).json()["sets"][2] == {**response.json()["sets"][2], "reps": 9}


def test_sets_without_ids_take_the_stored_ids_by_position(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    made = phone.put(url(body["id"]), body, format="json").json()
    server_ids = ids_of(made)
    assert len(set(server_ids)) == 5
    assert all(uuid.UUID(i).version == 4 for i in server_ids)
    # An edit without ids: one more set, a changed value; positions keep their ids, the new one gets one.
    edited = later(body, 5)
    edited["sets"] = [{**body["sets"][0], "reps": 11}, *body["sets"][1:], body["sets"][0]]
    data = phone.put(url(body["id"]), edited, format="json").json()
    assert ids_of(data)[:5] == server_ids
    assert ids_of(data)[5] not in server_ids
    assert data["sets"][0]["reps"] == 11
    # Fewer sets without ids: the first positions keep theirs.
    shorter = later(body, 10)
    shorter["sets"] = body["sets"][:2]
    assert ids_of(phone.put(url(body["id"]), shorter, format="json").json()) == server_ids[:2]
    assert stored_ids(body["id"]) == server_ids[:2]


def test_a_body_id_elsewhere_wins_over_the_position_match(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    server_ids = ids_of(phone.put(url(body["id"]), body, format="json").json())
    # The client moves the first stored set to the end by its id; the set now first has no id and
    # may not take the id the body gives to another set: it gets a new one.
    edited = later(body, 5)
    edited["sets"] = [body["sets"][1], {**body["sets"][0], "id": server_ids[0]}]
    data = phone.put(url(body["id"]), edited, format="json").json()
    assert ids_of(data)[1] == server_ids[0]
    assert ids_of(data)[0] not in {server_ids[0]}
    assert len(set(ids_of(data))) == 2


@pytest.mark.parametrize("with_ids", [False, True])
def test_a_replay_is_unchanged_with_or_without_ids(phone: APIClient, assignment: Any, with_ids: bool) -> None:
    body = session_body(assignment.pk)
    if with_ids:
        body["sets"] = [{**s, "id": str(uuid.uuid4())} for s in body["sets"]]
    first = phone.put(url(body["id"]), body, format="json")
    again = phone.put(url(body["id"]), body, format="json")
    assert again.status_code == 200
    assert again.json() == first.json()
    synced = phone.post(SYNC, {"sessions": [body]}, format="json").json()
    assert synced["results"] == [{"id": body["id"], "status": "unchanged"}]
    assert stored_ids(body["id"]) == ids_of(first.json())


def test_new_ids_at_the_same_time_are_a_change(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    phone.put(url(body["id"]), body, format="json")
    fresh = [str(uuid.uuid4()) for _ in body["sets"]]
    same_time = {**body, "sets": [{**s, "id": i} for s, i in zip(body["sets"], fresh, strict=True)]}
    synced = phone.post(SYNC, {"sessions": [same_time]}, format="json").json()
    assert synced["results"] == [{"id": body["id"], "status": "updated"}]
    assert stored_ids(body["id"]) == fresh


def test_an_id_repeated_in_a_session_is_a_400_on_that_set(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    twice = str(uuid.uuid4())
    body["sets"][1]["id"] = twice
    body["sets"][3]["id"] = twice
    response = phone.put(url(body["id"]), body, format="json")
    assert response.status_code == 400
    assert response.json() == {"sets": [{}, {}, {}, {"id": [response.json()["sets"][3]["id"][0]]}, {}]}
    assert "Another set of this session has this id" in response.json()["sets"][3]["id"][0]
    synced = phone.post(SYNC, {"sessions": [body]}, format="json").json()["results"][0]
    assert synced["status"] == "rejected"
    assert set(synced["errors"]["sets"][3]) == {"id"}
    assert not LoggedSet.objects.filter(session_id=body["id"]).exists()


def test_a_malformed_set_id_is_a_400(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    body["sets"][0]["id"] = "not-a-uuid"
    body["sets"][2]["id"] = 12
    response = phone.put(url(body["id"]), body, format="json")
    assert response.status_code == 400
    errors = response.json()["sets"]
    assert [set(e) for e in errors] == [{"id"}, set(), {"id"}, set(), set()]


def test_the_same_set_id_may_be_used_in_two_sessions(phone: APIClient, assignment: Any) -> None:
    shared = str(uuid.uuid4())
    for _ in range(2):
        body = session_body(assignment.pk)
        body["sets"][0]["id"] = shared
        assert phone.put(url(body["id"]), body, format="json").status_code == 201


def test_sync_get_and_feed_carry_the_set_ids(phone: APIClient, assignment: Any) -> None:
    a, b = session_body(assignment.pk), session_body(assignment.pk)
    a["sets"][0]["id"] = given = str(uuid.uuid4())
    synced = phone.post(SYNC, {"sessions": [a, b]}, format="json").json()
    assert [r["status"] for r in synced["results"]] == ["created", "created"]
    feed = {s["id"]: s for s in phone.get(FEED).json()["results"]}
    for body in (a, b):
        assert ids_of(feed[body["id"]]) == stored_ids(body["id"])
        assert ids_of(phone.get(url(body["id"])).json()) == stored_ids(body["id"])
    assert feed[a["id"]]["sets"][0]["id"] == given


def test_a_body_echoing_coach_faults_and_video_has_them_ignored(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    created = phone.put(url(body["id"]), body, format="json").json()
    echoed = later(created, 5) | {"assignment": assignment.pk}
    tag = {"fault": "rounded_back", "by": {"name": "x", "role": "coach"}, "at": None}
    echoed["sets"] = [{**s, "coach_faults": [tag], "video": "x"} for s in created["sets"]]
    response = phone.put(url(body["id"]), echoed, format="json")
    assert response.status_code == 200, response.content
    assert ids_of(response.json()) == ids_of(created)


def test_another_clients_session_is_404_whatever_its_set_ids(phone: APIClient, assignment: Any, coach: Any) -> None:
    body = session_body(assignment.pk)
    server_ids = ids_of(phone.put(url(body["id"]), body, format="json").json())
    neighbour = factories.ClientFactory(coach=coach, with_login=True, with_assignment=True)
    theirs = neighbour.assignments.get(is_active=True)
    intruder = later(session_body(theirs.pk, sid=body["id"]), 5)
    intruder["sets"] = [{**s, "id": i} for s, i in zip(intruder["sets"], server_ids, strict=True)]
    neighbour_api = api_for(neighbour.user)
    assert neighbour_api.get(url(body["id"])).status_code == 404
    assert neighbour_api.put(url(body["id"]), intruder, format="json").status_code == 404
    assert stored_ids(body["id"]) == server_ids
