"""Coach fault tags over the API (docs/api.md "Conversation and form", PUT .../coach-faults/)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import CoachFault, LoggedSession
from tests import factories
from tests.coaching.api.test_sessions_api import BASE, api_for, session_body, url

pytestmark = pytest.mark.django_db

FEED = "/api/v1/sessions/"


@pytest.fixture
def assignment(client_profile: Any) -> Any:
    return client_profile.assignments.get(is_active=True)


@pytest.fixture
def phone(client_api: APIClient) -> APIClient:
    return client_api


@pytest.fixture
def logged(phone: APIClient, assignment: Any) -> dict[str, Any]:
    body = session_body(assignment.pk)
    response = phone.put(url(body["id"]), body, format="json")
    assert response.status_code == 201
    return {"body": body, "data": response.json()}


def tag_url(sid: str, set_id: str) -> str:
    return f"/api/v1/sessions/{sid}/sets/{set_id}/coach-faults/"


def later(body: dict[str, Any], minutes: int) -> dict[str, Any]:
    return {**body, "client_modified_at": (BASE + dt.timedelta(hours=1, minutes=minutes)).isoformat()}


def test_a_coach_tags_a_set_and_gets_the_set_back(coach_api: APIClient, logged: dict[str, Any], coach: Any) -> None:
    sid, first = logged["body"]["id"], logged["data"]["sets"][0]
    assert first["coach_faults"] == []
    assert first["video"] is None
    before = timezone.now()
    response = coach_api.put(tag_url(sid, first["id"]), {"faults": ["core_lost", "bar_drift"]}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["id"] == first["id"]
    assert data["faults"] == first["faults"]  # the client's own ticks stay theirs
    assert [t["fault"] for t in data["coach_faults"]] == ["core_lost", "bar_drift"]
    for tag in data["coach_faults"]:
        assert tag["by"] == {"name": "Coach A", "role": "coach"}
        assert dt.datetime.fromisoformat(tag["at"]) >= before - dt.timedelta(seconds=1)
    # Every reader of the session shows them: GET (coach and client) and the feed.
    for api in (coach_api, api_for(LoggedSession.objects.get(pk=sid).client.user)):
        shown = api.get(url(sid)).json()["sets"]
        assert [t["fault"] for t in shown[0]["coach_faults"]] == ["core_lost", "bar_drift"]
        assert shown[1]["coach_faults"] == []
        fed = {s["id"]: s for s in api.get(FEED).json()["results"]}[sid]["sets"]
        assert fed[0]["coach_faults"] == shown[0]["coach_faults"]


def test_a_tag_replaces_only_the_callers_own(coach_api: APIClient, logged: dict[str, Any], coach: Any) -> None:
    sid, set_id = logged["body"]["id"], logged["data"]["sets"][1]["id"]
    reviewer = factories.UserFactory(name="Rev Iewer")
    CoachFault.objects.create(
        session_id=sid, set_uid=set_id, fault="core_lost", by=reviewer, role="reviewer", at=timezone.now()
    )
    coach_api.put(tag_url(sid, set_id), {"faults": ["bar_drift", "knees_too_bent"]}, format="json")
    first_at = CoachFault.objects.get(by=coach.user, fault="bar_drift").at
    data = coach_api.put(tag_url(sid, set_id), {"faults": ["bar_drift"]}, format="json").json()
    tags = {(t["fault"], t["by"]["role"]) for t in data["coach_faults"]}
    assert tags == {("core_lost", "reviewer"), ("bar_drift", "coach")}
    assert CoachFault.objects.get(by=coach.user, fault="bar_drift").at == first_at  # a kept tag keeps its time
    data = coach_api.put(tag_url(sid, set_id), {"faults": []}, format="json").json()
    assert [(t["fault"], t["by"]) for t in data["coach_faults"]] == [
        ("core_lost", {"name": "Rev Iewer", "role": "reviewer"})
    ]


def test_unknown_or_malformed_faults_are_a_400(coach_api: APIClient, logged: dict[str, Any]) -> None:
    sid, set_id = logged["body"]["id"], logged["data"]["sets"][0]["id"]
    response = coach_api.put(tag_url(sid, set_id), {"faults": ["core_lost", "wobbly"]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"faults": ["Unknown fault “wobbly”."]}
    for body in ({}, {"faults": "core_lost"}, {"faults": [3]}, {"faults": ["core_lost"] * 21}):
        response = coach_api.put(tag_url(sid, set_id), body, format="json")
        assert response.status_code == 400, body
        assert "faults" in response.json()
    assert not CoachFault.objects.exists()


def test_only_the_clients_coach_may_tag(
    logged: dict[str, Any], phone: APIClient, other_coach: Any, other_client: Any, coach: Any
) -> None:
    sid, set_id = logged["body"]["id"], logged["data"]["sets"][0]["id"]
    body = {"faults": ["core_lost"]}
    assert phone.put(tag_url(sid, set_id), body, format="json").status_code == 404  # the client: not theirs to do
    assert api_for(other_coach.user).put(tag_url(sid, set_id), body, format="json").status_code == 404
    assert api_for(other_client.user).put(tag_url(sid, set_id), body, format="json").status_code == 404
    assert APIClient().put(tag_url(sid, set_id), body, format="json").status_code == 401
    coach_api = api_for(coach.user)
    assert coach_api.put(tag_url(sid, "not-a-uuid"), body, format="json").status_code == 404
    assert coach_api.put(tag_url(sid, logged["body"]["id"]), body, format="json").status_code == 404  # no such set
    assert not CoachFault.objects.exists()


def test_a_tag_moves_the_session_up_the_feed_and_leaves_its_time(
    coach_api: APIClient, phone: APIClient, logged: dict[str, Any], assignment: Any
) -> None:
    sid, set_id = logged["body"]["id"], logged["data"]["sets"][0]["id"]
    other = session_body(assignment.pk)
    phone.put(url(other["id"]), other, format="json")
    cursor = phone.get(FEED).json()["next_cursor"]
    stored = LoggedSession.objects.get(pk=sid)
    coach_api.put(tag_url(sid, set_id), {"faults": ["core_lost"]}, format="json")
    page = phone.get(FEED, {"since": cursor}).json()
    assert [s["id"] for s in page["results"]] == [sid]
    assert page["results"][0]["sets"][0]["coach_faults"][0]["fault"] == "core_lost"
    after = LoggedSession.objects.get(pk=sid)
    assert after.client_modified_at == stored.client_modified_at
    assert after.body_hash == stored.body_hash
    assert after.change_seq > stored.change_seq
    # The same tags again change nothing: no new change for the phones.
    coach_api.put(tag_url(sid, set_id), {"faults": ["core_lost"]}, format="json")
    assert LoggedSession.objects.get(pk=sid).change_seq == after.change_seq
    # A replay of the phone's body stays unchanged and keeps the tags.
    assert (
        phone.put(url(sid), logged["body"], format="json").json()["sets"][0]["coach_faults"][0]["fault"] == "core_lost"
    )


def test_a_client_body_repeating_coach_faults_or_video_has_them_ignored(
    coach_api: APIClient, phone: APIClient, logged: dict[str, Any]
) -> None:
    sid, sets = logged["body"]["id"], logged["data"]["sets"]
    coach_api.put(tag_url(sid, sets[0]["id"]), {"faults": ["core_lost"]}, format="json")
    forged = {"fault": "bar_drift", "by": {"name": "Me", "role": "coach"}, "at": "2026-11-17T08:00:00Z"}
    # The session as the API answered it, sent back with the tags and video changed.
    echoed = later(phone.get(url(sid)).json(), 5)
    echoed["sets"] = [{**s, "coach_faults": [forged], "video": "x"} for s in echoed["sets"]]
    response = phone.put(url(sid), echoed, format="json")
    assert response.status_code == 200, response.content
    shown = response.json()["sets"]
    assert [t["fault"] for t in shown[0]["coach_faults"]] == ["core_lost"]
    assert all(s["video"] is None for s in shown)
    assert list(CoachFault.objects.values_list("fault", flat=True)) == ["core_lost"]


def test_a_tag_goes_when_its_set_goes(coach_api: APIClient, phone: APIClient, logged: dict[str, Any]) -> None:
    sid, sets = logged["body"]["id"], logged["data"]["sets"]
    for s in sets[:3]:
        coach_api.put(tag_url(sid, s["id"]), {"faults": ["core_lost"]}, format="json")
    # An edit that drops the second set (ids sent) and moves the third up: its tag follows it.
    edited = later(logged["body"], 5)
    edited["sets"] = [{**logged["body"]["sets"][i], "id": sets[i]["id"]} for i in (0, 2, 3, 4)]
    shown = phone.put(url(sid), edited, format="json").json()["sets"]
    assert [bool(s["coach_faults"]) for s in shown] == [True, True, False, False]
    assert {str(u) for u in CoachFault.objects.values_list("set_uid", flat=True)} == {sets[0]["id"], sets[2]["id"]}
    # An edit without ids keeps the tags by position; fewer sets drop the rest.
    shorter = later(logged["body"], 10)
    shorter["sets"] = logged["body"]["sets"][:1]
    shown = phone.put(url(sid), shorter, format="json").json()["sets"]
    assert [t["fault"] for t in shown[0]["coach_faults"]] == ["core_lost"]
    assert CoachFault.objects.count() == 1


def test_tags_go_with_the_clients_data(coach_api: APIClient, logged: dict[str, Any], client_profile: Any) -> None:
    sid, set_id = logged["body"]["id"], logged["data"]["sets"][0]["id"]
    coach_api.put(tag_url(sid, set_id), {"faults": ["core_lost"]}, format="json")
    client_profile.delete()
    assert not CoachFault.objects.exists()


def test_a_deleted_session_cannot_be_tagged(coach_api: APIClient, phone: APIClient, logged: dict[str, Any]) -> None:
    sid, set_id = logged["body"]["id"], logged["data"]["sets"][0]["id"]
    assert phone.delete(url(sid)).status_code == 204
    assert coach_api.put(tag_url(sid, set_id), {"faults": ["core_lost"]}, format="json").status_code == 404
