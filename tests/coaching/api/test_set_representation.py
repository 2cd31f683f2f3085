"""A set's representation is built by hand for speed (a feed page holds 1,800 sets): it must be
what ``SetOutSerializer``'s declared fields give, key for key and value for value."""

from __future__ import annotations

import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.models import LoggedSession, LoggedSet
from coaching.sessions.faults.selectors import attach_coach_faults
from coaching.sessions.serializers import SessionOutSerializer, SetOutSerializer
from tests.coaching.api.test_sessions_api import api_for, session_body, url

pytestmark = pytest.mark.django_db

SETS = [
    {"exercise": "romanian-deadlift", "side": "both", "reps": 10, "load": 135, "unit": "lb", "rpe": 7.5},
    {"exercise": "romanian-deadlift", "side": "both", "reps": 8, "load": 61.25, "unit": "kg", "rpe": 8},
    {"exercise": "single-leg-rdl", "side": "left", "reps": 8, "load": 25, "unit": "lb", "faults": ["knees_too_bent"]},
    {"exercise": "single-leg-rdl", "side": "right", "reps": 8, "load": 0, "unit": "kg", "pain": 4},
    {"exercise": "rdl-isometric-hold", "side": "both", "seconds": 15, "load": 45, "unit": "lb", "tempo_kept": True},
    {"exercise": "romanian-deadlift", "side": "both", "reps": 5, "load": 102.5, "unit": "kg", "tempo_kept": False},
]


def test_the_hand_built_set_is_what_the_declared_fields_give(
    client_profile: Any, coach_api: APIClient, coach: Any
) -> None:
    assignment = client_profile.assignments.get(is_active=True)
    body = session_body(assignment.pk) | {"sets": SETS}
    response = api_for(client_profile.user).put(url(body["id"]), body, format="json")
    assert response.status_code == 201, response.content
    sent = response.json()["sets"]
    tagged = f"/api/v1/sessions/{body['id']}/sets/{sent[0]['id']}/coach-faults/"
    assert coach_api.put(tagged, {"faults": ["core_lost", "bar_drift"]}, format="json").status_code == 200
    sets = list(LoggedSet.objects.filter(session_id=body["id"]).select_related("exercise").order_by("position"))
    attach_coach_faults(sets)
    for s in sets:
        s.video_url = None  # type: ignore[attr-defined]
    sets[1].video_url = "https://example.com/video"  # type: ignore[attr-defined]
    serializer = SetOutSerializer()
    for s in sets:
        fast, declared = serializer.to_representation(s), serializer.declared_representation(s)
        assert json.dumps(fast) == json.dumps(declared)
        assert fast == declared
    assert [len(serializer.to_representation(s)["coach_faults"]) for s in sets] == [2, 0, 0, 0, 0, 0]
    # And the API's own answer is the same bytes whichever way it is built.
    stored = api_for(client_profile.user).get(url(body["id"])).json()["sets"]
    assert stored[1:] == [serializer.declared_representation(s) | {"video": None} for s in sets[1:]]


def test_the_hand_built_session_is_what_the_declared_fields_give(client_profile: Any) -> None:
    assignment = client_profile.assignments.get(is_active=True)
    phone = api_for(client_profile.user)
    bodies = [
        session_body(assignment.pk) | {"checkin": {"sleep": 2, "soreness": 4, "stress": 3, "low_back": "tight"}},
        session_body(assignment.pk) | {"checkin": {"low_back": "painful", "cut_taken": True}, "notes": ""},
        session_body(assignment.pk) | {"performed_at": "2026-11-17T07:42:00-05:30", "day": 1},
        session_body(assignment.pk) | {"sets": []},
    ]
    for body in bodies:
        response = phone.put(url(body["id"]), body, format="json")
        assert response.status_code == 201, response.content
    serializer = SessionOutSerializer()
    sessions = LoggedSession.objects.filter(pk__in=[b["id"] for b in bodies]).prefetch_related("sets__exercise")
    assert len(sessions) == len(bodies)
    for session in sessions:
        fast, declared = serializer.to_representation(session), serializer.declared_representation(session)
        assert json.dumps(fast) == json.dumps(declared)
        assert fast == declared
    shown = {r["id"]: r for r in api_for(client_profile.user).get("/api/v1/sessions/").json()["results"]}
    assert shown[bodies[0]["id"]]["checkin"]["readiness"] == 2.3
    assert shown[bodies[2]["id"]]["performed_at"] == "2026-11-17T07:42:00-05:30"
    assert shown[bodies[3]["id"]]["sets"] == []
