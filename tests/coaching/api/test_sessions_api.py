"""Logged sessions over the API: PUT / GET / DELETE one session, and the change feed."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import LoggedSession, LoggedSet
from coaching.sessions.services import encode_cursor
from tests import factories

pytestmark = pytest.mark.django_db

BASE = dt.datetime(2026, 11, 17, 7, 42, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def iso(value: dt.datetime) -> str:
    return value.isoformat()


def session_body(
    assignment_id: int,
    *,
    sid: uuid.UUID | str | None = None,
    modified: dt.datetime | None = None,
    notes: str = "Felt the hamstrings, back fine.",
    reps: int = 10,
) -> dict[str, Any]:
    """A session in the API's shape, like api-examples/sync-request.json."""
    return {
        "id": str(sid or uuid.uuid4()),
        "assignment": assignment_id,
        "performed_at": iso(BASE),
        "client_modified_at": iso(modified or BASE + dt.timedelta(minutes=49)),
        "notes": notes,
        "sets": [
            {"exercise": "romanian-deadlift", "side": "both", "reps": reps, "load": 135, "unit": "lb", "rpe": 7.5},
            {
                "exercise": "romanian-deadlift",
                "side": "both",
                "reps": 10,
                "load": 135,
                "unit": "lb",
                "rpe": 8,
                "faults": ["knees_too_bent"],
            },
            {"exercise": "single-leg-rdl", "side": "left", "reps": 8, "load": 25, "unit": "lb", "faults": []},
            {"exercise": "single-leg-rdl", "side": "right", "reps": 8, "load": 25, "unit": "lb", "pain": 1},
            {"exercise": "rdl-isometric-hold", "side": "both", "seconds": 15, "load": 61.25, "unit": "kg"},
        ],
    }


def api_for(user: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def url(sid: uuid.UUID | str) -> str:
    return f"/api/v1/sessions/{sid}/"


@pytest.fixture
def assignment(client_profile: Any) -> Any:
    return client_profile.assignments.get(is_active=True)


@pytest.fixture
def phone(client_profile: Any) -> APIClient:
    """The client's own device."""
    return api_for(client_profile.user)


# --- PUT: create, replay, replace, stale ----------------------------------------------


def test_put_creates_a_session_and_answers_201_with_its_representation(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    response = phone.put(url(body["id"]), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["id"] == body["id"]
    assert data["assignment"] == assignment.pk
    assert data["performed_at"] == "2026-11-17T07:42:00+01:00"
    assert data["notes"] == body["notes"]
    assert dt.datetime.fromisoformat(data["client_modified_at"]) == dt.datetime.fromisoformat(
        body["client_modified_at"]
    )
    assert [s["exercise"] for s in data["sets"]] == [s["exercise"] for s in body["sets"]]
    first = data["sets"][0]
    assert uuid.UUID(first.pop("id")).version == 4  # the body sent none: the server made it
    assert (first.pop("coach_faults"), first.pop("video")) == ([], None)
    assert first == {
        "exercise": "romanian-deadlift",
        "side": "both",
        "reps": 10,
        "seconds": None,
        "load": 135,
        "unit": "lb",
        "rpe": 7.5,
        "tempo_kept": None,
        "faults": [],
        "pain": None,
    }
    assert data["sets"][1]["faults"] == ["knees_too_bent"]
    assert data["sets"][3]["pain"] == 1
    assert data["sets"][4]["seconds"] == 15
    assert data["sets"][4]["load"] == 61.25
    assert LoggedSet.objects.filter(session_id=body["id"]).count() == 5


def test_loads_read_back_in_the_unit_entered_without_drift(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    body["sets"][0]["load"] = 135
    body["sets"][2]["load"] = 27.5
    phone.put(url(body["id"]), body, format="json")
    data = phone.get(url(body["id"])).json()
    assert data["sets"][0]["load"] == 135
    assert data["sets"][0]["unit"] == "lb"
    assert data["sets"][2]["load"] == 27.5
    stored = LoggedSet.objects.get(session_id=body["id"], position=0)
    assert stored.load_display == 135


def test_replaying_the_same_body_is_a_no_op_with_the_same_representation(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    first = phone.put(url(body["id"]), body, format="json")
    seq = LoggedSession.objects.get(pk=body["id"]).change_seq
    second = phone.put(url(body["id"]), body, format="json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json() == first.json()
    assert LoggedSession.objects.get(pk=body["id"]).change_seq == seq
    assert LoggedSet.objects.filter(session_id=body["id"]).count() == 5


def test_a_newer_body_replaces_the_session_and_its_sets(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    phone.put(url(body["id"]), body, format="json")
    newer = session_body(assignment.pk, sid=body["id"], modified=BASE + dt.timedelta(hours=2), notes="Edited")
    newer["sets"] = newer["sets"][:2]
    response = phone.put(url(body["id"]), newer, format="json")
    assert response.status_code == 200
    assert response.json()["notes"] == "Edited"
    assert LoggedSet.objects.filter(session_id=body["id"]).count() == 2


def test_a_replaced_session_reads_back_from_the_database_as_answered(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    phone.put(url(body["id"]), body, format="json")
    before = LoggedSession.objects.get(pk=body["id"])
    newer = session_body(assignment.pk, sid=body["id"], modified=BASE + dt.timedelta(hours=2), notes="Moved")
    newer["performed_at"] = "2026-11-18T18:15:30.250000-05:30"
    newer["sets"] = [newer["sets"][2]]
    answered = phone.put(url(body["id"]), newer, format="json").json()
    assert phone.get(url(body["id"])).json() == answered
    assert answered["performed_at"] == "2026-11-18T18:15:30.250000-05:30"
    after = LoggedSession.objects.get(pk=body["id"])
    assert after.performed_at_offset == -330
    assert after.change_seq > before.change_seq
    assert after.updated_at >= before.updated_at
    assert after.created_at == before.created_at


def test_an_equal_time_with_a_different_body_applies(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    phone.put(url(body["id"]), body, format="json")
    same_time = {**body, "notes": "Same time, other words"}
    response = phone.put(url(body["id"]), same_time, format="json")
    assert response.status_code == 200
    assert response.json()["notes"] == "Same time, other words"


def test_an_older_client_modified_at_is_409_with_the_stored_version(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    stored = phone.put(url(body["id"]), body, format="json").json()
    older = session_body(assignment.pk, sid=body["id"], modified=BASE, notes="Old edit")
    response = phone.put(url(body["id"]), older, format="json")
    assert response.status_code == 409
    assert response.json() == stored
    assert LoggedSession.objects.get(pk=body["id"]).notes == body["notes"]


def test_put_id_in_body_must_match_the_url(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    response = phone.put(url(uuid.uuid4()), body, format="json")
    assert response.status_code == 400
    assert "id" in response.json()


def test_put_takes_the_id_from_the_url_when_the_body_has_none(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    sid = body.pop("id")
    assert phone.put(url(sid.upper()), body, format="json").status_code == 201
    assert LoggedSession.objects.filter(pk=sid).exists()


def test_coach_can_log_a_session_for_their_client(coach: Any, assignment: Any) -> None:
    body = session_body(assignment.pk)
    response = api_for(coach.user).put(url(body["id"]), body, format="json")
    assert response.status_code == 201, response.content
    stored = LoggedSession.objects.get(pk=body["id"])
    assert (stored.client_id, stored.assignment_id) == (assignment.client_id, assignment.pk)
    assert stored.notes == body["notes"]
    assert stored.performed_at == BASE
    assert stored.performed_at_offset == 60
    assert stored.deleted_at is None
    sets = list(stored.sets.select_related("exercise").order_by("position"))
    assert [(s.position, s.exercise.slug, s.side) for s in sets] == [
        (i, given["exercise"], given["side"]) for i, given in enumerate(body["sets"])
    ]
    assert [(s.reps, s.seconds, s.load_display, s.unit) for s in sets] == [
        (10, None, 135, "lb"),
        (10, None, 135, "lb"),
        (8, None, 25, "lb"),
        (8, None, 25, "lb"),
        (None, 15, Decimal("61.25"), "kg"),
    ]
    assert [(s.rpe, s.faults, s.pain) for s in sets] == [
        (Decimal("7.5"), [], None),
        (Decimal("8"), ["knees_too_bent"], None),
        (None, [], None),
        (None, [], 1),
        (None, [], None),
    ]
    assert sets[4].load_kg == Decimal("61.25")
    # The client sees what their coach logged for them, as they would their own.
    assert api_for(assignment.client.user).get(url(body["id"])).json() == response.json()


# --- who may see and write what -------------------------------------------------------


def test_client_cannot_put_over_another_clients_session(phone: APIClient, assignment: Any, other_client: Any) -> None:
    body = session_body(assignment.pk)
    phone.put(url(body["id"]), body, format="json")
    theirs = other_client.assignments.get(is_active=True)
    intruder = session_body(theirs.pk, sid=body["id"], modified=BASE + dt.timedelta(days=1), notes="mine now")
    response = api_for(other_client.user).put(url(body["id"]), intruder, format="json")
    assert response.status_code == 404
    stored = LoggedSession.objects.get(pk=body["id"])
    assert (stored.notes, stored.client_id) == (body["notes"], assignment.client_id)


def test_client_cannot_log_into_another_clients_assignment(phone: APIClient, other_client: Any) -> None:
    theirs = other_client.assignments.get(is_active=True)
    body = session_body(theirs.pk)
    response = phone.put(url(body["id"]), body, format="json")
    assert response.status_code == 400
    assert response.json() == {"assignment": ["No such assignment."]}
    assert not LoggedSession.objects.filter(pk=body["id"]).exists()


def test_client_cannot_read_another_clients_session(phone: APIClient, assignment: Any, other_client: Any) -> None:
    body = session_body(assignment.pk)
    phone.put(url(body["id"]), body, format="json")
    assert api_for(other_client.user).get(url(body["id"])).status_code == 404


def test_other_coach_cannot_read_or_delete_the_session(phone: APIClient, assignment: Any, other_coach: Any) -> None:
    body = session_body(assignment.pk)
    phone.put(url(body["id"]), body, format="json")
    intruder = api_for(other_coach.user)
    assert intruder.get(url(body["id"])).status_code == 404
    assert intruder.delete(url(body["id"])).status_code == 404
    assert LoggedSession.objects.get(pk=body["id"]).deleted_at is None


def test_coach_sees_their_clients_sessions(phone: APIClient, assignment: Any, coach: Any) -> None:
    body = session_body(assignment.pk)
    created = phone.put(url(body["id"]), body, format="json").json()
    coach_api = api_for(coach.user)
    assert coach_api.get(url(body["id"])).json() == created
    feed = coach_api.get("/api/v1/sessions/").json()
    assert [r["id"] for r in feed["results"]] == [body["id"]]


def test_a_client_feed_holds_only_their_own_sessions(coach: Any, client_profile: Any, assignment: Any) -> None:
    sibling = factories.ClientFactory(coach=coach, with_login=True, with_assignment=True)
    mine = session_body(assignment.pk)
    theirs = session_body(sibling.assignments.get().pk)
    coach_api = api_for(coach.user)
    coach_api.put(url(mine["id"]), mine, format="json")
    coach_api.put(url(theirs["id"]), theirs, format="json")
    feed = api_for(client_profile.user).get("/api/v1/sessions/").json()
    assert [r["id"] for r in feed["results"]] == [mine["id"]]
    assert {r["id"] for r in coach_api.get("/api/v1/sessions/").json()["results"]} == {mine["id"], theirs["id"]}


def test_anonymous_requests_are_401(assignment: Any) -> None:
    body = session_body(assignment.pk)
    anon = APIClient()
    assert anon.put(url(body["id"]), body, format="json").status_code == 401
    assert anon.get("/api/v1/sessions/").status_code == 401
    assert anon.post("/api/v1/sessions/sync/", {"sessions": []}, format="json").status_code == 401


def test_wrong_methods_are_405(phone: APIClient, assignment: Any) -> None:
    assert phone.post(url(uuid.uuid4()), {}, format="json").status_code == 405
    assert phone.get("/api/v1/sessions/sync/").status_code == 405
    assert phone.delete("/api/v1/sessions/").status_code == 405


def test_get_of_an_unknown_or_malformed_id_is_404(phone: APIClient) -> None:
    assert phone.get(url(uuid.uuid4())).status_code == 404
    assert phone.get(url("not-a-uuid")).status_code == 404


# --- delete ---------------------------------------------------------------------------


def test_deleted_session_get_is_404_and_the_feed_shows_the_deletion(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    phone.put(url(body["id"]), body, format="json")
    cursor = phone.get("/api/v1/sessions/").json()["next_cursor"]
    assert phone.delete(url(body["id"])).status_code == 204
    assert phone.get(url(body["id"])).status_code == 404
    assert phone.delete(url(body["id"])).status_code == 204  # idempotent: see below
    feed = phone.get("/api/v1/sessions/", {"since": cursor}).json()
    assert len(feed["results"]) == 1
    assert feed["results"][0]["id"] == body["id"]
    assert feed["results"][0]["deleted"] is True
    assert "sets" not in feed["results"][0]
    assert LoggedSet.objects.filter(session_id=body["id"]).count() == 5  # a tombstone, not a hard delete


def test_a_repeated_delete_answers_as_the_first_and_changes_nothing(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    phone.put(url(body["id"]), body, format="json")
    deletion = {"client_modified_at": iso(BASE + dt.timedelta(hours=6))}
    assert phone.delete(url(body["id"]), deletion, format="json").status_code == 204
    after_first = phone.get("/api/v1/sessions/").json()
    stored = LoggedSession.objects.get(pk=body["id"])
    # The same request again (an outbox replaying it), and one without a body: 204, nothing changes.
    assert phone.delete(url(body["id"]), deletion, format="json").status_code == 204
    assert phone.delete(url(body["id"])).status_code == 204
    again = LoggedSession.objects.get(pk=body["id"])
    assert (again.change_seq, again.deleted_at, again.client_modified_at) == (
        stored.change_seq,
        stored.deleted_at,
        stored.client_modified_at,
    )
    assert phone.get("/api/v1/sessions/", {"since": after_first["next_cursor"]}).json()["results"] == []
    # A deletion older than the tombstone is stale, as any older change is.
    older = phone.delete(url(body["id"]), {"client_modified_at": iso(BASE)}, format="json")
    assert older.status_code == 409
    assert older.json()["deleted"] is True


def test_delete_of_a_session_never_stored_is_404(phone: APIClient, assignment: Any) -> None:
    assert phone.delete(url(uuid.uuid4())).status_code == 404


def test_a_newer_write_after_delete_restores_the_session(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    phone.put(url(body["id"]), body, format="json")
    phone.delete(url(body["id"]))
    newer = session_body(assignment.pk, sid=body["id"], modified=timezone.now() + dt.timedelta(minutes=1))
    response = phone.put(url(body["id"]), newer, format="json")
    assert response.status_code == 200
    assert phone.get(url(body["id"])).status_code == 200


def test_an_older_write_after_delete_is_stale(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    phone.put(url(body["id"]), body, format="json")
    phone.delete(url(body["id"]))
    older = session_body(assignment.pk, sid=body["id"], modified=BASE + dt.timedelta(hours=3))
    response = phone.put(url(body["id"]), older, format="json")
    assert response.status_code == 409
    assert response.json()["deleted"] is True
    # And the replay of the write the delete removed is stale too.
    assert phone.put(url(body["id"]), body, format="json").status_code == 409
    assert phone.get(url(body["id"])).status_code == 404


def test_delete_with_a_device_time_older_than_the_stored_version_is_409(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    stored = phone.put(url(body["id"]), body, format="json").json()
    response = phone.delete(url(body["id"]), {"client_modified_at": iso(BASE)}, format="json")
    assert response.status_code == 409
    assert response.json() == stored
    assert phone.get(url(body["id"])).status_code == 200


def test_delete_with_a_device_time_is_the_deletions_time(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    phone.put(url(body["id"]), body, format="json")
    when = BASE + dt.timedelta(hours=5)
    assert phone.delete(url(body["id"]), {"client_modified_at": iso(when)}, format="json").status_code == 204
    # A write between the original and the deletion is stale; a later one restores.
    mid = session_body(assignment.pk, sid=body["id"], modified=BASE + dt.timedelta(hours=4))
    assert phone.put(url(body["id"]), mid, format="json").status_code == 409
    later = session_body(assignment.pk, sid=body["id"], modified=when + dt.timedelta(seconds=1))
    assert phone.put(url(body["id"]), later, format="json").status_code == 200


# --- the feed -------------------------------------------------------------------------


def test_feed_pages_oldest_change_first_with_a_cursor_always_present(phone: APIClient, assignment: Any) -> None:
    ids = []
    for n in range(5):
        body = session_body(assignment.pk, notes=f"session {n}")
        phone.put(url(body["id"]), body, format="json")
        ids.append(body["id"])
    first = phone.get("/api/v1/sessions/", {"limit": 2}).json()
    assert [r["id"] for r in first["results"]] == ids[:2]
    assert first["has_more"] is True
    second = phone.get("/api/v1/sessions/", {"limit": 2, "since": first["next_cursor"]}).json()
    third = phone.get("/api/v1/sessions/", {"limit": 2, "since": second["next_cursor"]}).json()
    assert [r["id"] for r in second["results"] + third["results"]] == ids[2:]
    assert third["has_more"] is False
    empty = phone.get("/api/v1/sessions/", {"since": third["next_cursor"]}).json()
    assert empty == {"results": [], "next_cursor": third["next_cursor"], "has_more": False}


def test_an_empty_feed_still_has_a_next_cursor(phone: APIClient) -> None:
    data = phone.get("/api/v1/sessions/").json()
    assert data["results"] == []
    assert data["has_more"] is False
    assert isinstance(data["next_cursor"], str)
    assert data["next_cursor"]


def test_feed_after_a_cursor_shows_only_what_changed_since(phone: APIClient, assignment: Any) -> None:
    a = session_body(assignment.pk)
    b = session_body(assignment.pk)
    phone.put(url(a["id"]), a, format="json")
    phone.put(url(b["id"]), b, format="json")
    cursor = phone.get("/api/v1/sessions/").json()["next_cursor"]
    edit = session_body(assignment.pk, sid=a["id"], modified=BASE + dt.timedelta(hours=1), notes="edited")
    phone.put(url(a["id"]), edit, format="json")
    phone.put(url(b["id"]), b, format="json")  # a replay: not a change
    feed = phone.get("/api/v1/sessions/", {"since": cursor}).json()
    assert [(r["id"], r["notes"]) for r in feed["results"]] == [(a["id"], "edited")]


def test_two_writes_in_the_same_millisecond_both_appear_in_the_feed(phone: APIClient, assignment: Any) -> None:
    cursor = phone.get("/api/v1/sessions/").json()["next_cursor"]
    frozen = timezone.now()
    a = session_body(assignment.pk)
    b = session_body(assignment.pk)
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        phone.put(url(a["id"]), a, format="json")
        phone.put(url(b["id"]), b, format="json")
    assert LoggedSession.objects.get(pk=a["id"]).updated_at == LoggedSession.objects.get(pk=b["id"]).updated_at
    feed = phone.get("/api/v1/sessions/", {"since": cursor}).json()
    assert [r["id"] for r in feed["results"]] == [a["id"], b["id"]]


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "djE6MTA", encode_cursor(3) + "x", "v1.3:forged", "'; drop table x; --", "%00"],
)
def test_a_cursor_we_never_issued_is_400(phone: APIClient, cursor: str) -> None:
    response = phone.get("/api/v1/sessions/", {"since": cursor})
    assert response.status_code == 400
    assert "since" in response.json()


@pytest.mark.parametrize("limit", ["0", "-1", "abc", "501", "1e3"])
def test_a_bad_limit_is_400(phone: APIClient, limit: str) -> None:
    assert phone.get("/api/v1/sessions/", {"limit": limit}).status_code == 400


def test_feed_query_count_does_not_grow_with_the_page(
    phone: APIClient, assignment: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        body = session_body(assignment.pk)
        phone.put(url(body["id"]), body, format="json")
    with django_assert_max_num_queries(8):
        data = phone.get("/api/v1/sessions/").json()
    assert len(data["results"]) == 30


# --- bad input: field errors, never a 500 ---------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"reps": 10_000}, "reps"),
        ({"reps": -2}, "reps"),
        ({"reps": "ten"}, "reps"),
        ({"reps": 1e300}, "reps"),
        ({"reps": True}, "reps"),
        ({"load": -5}, "load"),
        ({"load": "@1e400"}, "load"),
        ({"load": "@-Infinity"}, "load"),
        ({"load": "heavy"}, "load"),
        ({"load": 135.125}, "load"),
        ({"load": 10**40}, "load"),
        ({"rpe": 7.3}, "rpe"),
        ({"rpe": 11}, "rpe"),
        ({"rpe": 0}, "rpe"),
        ({"pain": 11}, "pain"),
        ({"side": "middle"}, "side"),
        ({"unit": "stone"}, "unit"),
        ({"faults": "knees_too_bent"}, "faults"),
        ({"faults": [1, {}]}, "faults"),
        ({"exercise": None}, "exercise"),
        ({"exercise": "no such exercise!"}, "exercise"),
        ({"tempo_kept": "perhaps"}, "tempo_kept"),
        ({"seconds": 20}, "seconds"),
    ],
)
def test_bad_set_values_are_400_with_field_errors(
    phone: APIClient, assignment: Any, change: dict[str, Any], field: str
) -> None:
    body = session_body(assignment.pk)
    body["sets"][0] |= change
    # "@..." goes into the JSON text as is: numbers Python cannot send (1e400, -Infinity).
    raw = json.dumps(body)
    for value in change.values():
        if isinstance(value, str) and value.startswith("@"):
            raw = raw.replace(json.dumps(value), value[1:])
    response = phone.put(url(body["id"]), raw, content_type="application/json")
    assert response.status_code == 400, response.content
    if "Infinity" in raw:
        return  # DRF's strict JSON parser refuses the whole body: still a 400, not a 500
    assert field in response.json()["sets"][0]
    assert not LoggedSession.objects.filter(pk=body["id"]).exists()


def test_five_thousand_kg_is_rejected_by_the_service(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    body["sets"][0] |= {"load": 5000, "unit": "kg"}
    response = phone.put(url(body["id"]), body, format="json")
    assert response.status_code == 400
    assert response.json()["sets"][0] == {"load": ["That load is over 1000 kg: check the number and the unit."]}


def test_domain_errors_name_the_set(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    body["sets"][2]["side"] = "both"  # single-leg RDL is per side
    body["sets"][4] |= {"reps": 15, "seconds": None}  # the isometric hold is in seconds
    body["sets"][1]["faults"] = ["wobbly"]
    response = phone.put(url(body["id"]), body, format="json")
    assert response.status_code == 400
    sets = response.json()["sets"]
    assert set(sets[2]) == {"side"}
    assert set(sets[4]) == {"seconds", "reps"}
    assert sets[1] == {"faults": ["Unknown fault “wobbly”."]}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"performed_at": "2026-11-17T07:42:00"}, "performed_at"),
        ({"performed_at": "yesterday"}, "performed_at"),
        ({"performed_at": "2026-13-45T07:42:00+01:00"}, "performed_at"),
        ({"performed_at": "9999-12-31T23:59:59-14:00"}, "performed_at"),
        ({"performed_at": "2999-01-01T00:00:00+00:00"}, "performed_at"),
        ({"performed_at": 1763361720}, "performed_at"),
        ({"client_modified_at": "2126-11-17T07:42:00+01:00"}, "client_modified_at"),
        ({"client_modified_at": None}, "client_modified_at"),
        ({"performed_at": "1999-12-31T23:59:00+00:00"}, "performed_at"),
        ({"assignment": "x"}, "assignment"),
        ({"assignment": 2**70}, "assignment"),
        ({"assignment": 999_999}, "assignment"),
        ({"notes": "x" * 5001}, "notes"),
        ({"notes": "nul\x00byte"}, "notes"),
        ({"notes": ["list"]}, "notes"),
        ({"sets": "none"}, "sets"),
        ({"sets": [None]}, "sets"),
        ({"sets": [[]]}, "sets"),
    ],
)
def test_bad_session_values_are_400_with_field_errors(
    phone: APIClient, assignment: Any, change: dict[str, Any], field: str
) -> None:
    body = session_body(assignment.pk) | change
    response = phone.put(url(body["id"]), body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_null_notes_mean_no_notes(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk) | {"notes": None}
    response = phone.put(url(body["id"]), body, format="json")
    assert response.status_code == 201
    assert response.json()["notes"] == ""


@pytest.mark.parametrize(
    ("raw", "content_type", "code"),
    [
        (b"{not json", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'"text"', "application/json", 400),
        (b"null", "application/json", 400),
        (b'{"reps": NaN}', "application/json", 400),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 400),
        (b"\xff\xfe\x00", "application/json", 400),
        (b"id=1", "application/x-www-form-urlencoded", 415),
        (b"hello", "text/plain", 415),
    ],
)
def test_malformed_bodies_are_4xx_never_500(
    phone: APIClient, assignment: Any, raw: bytes, content_type: str, code: int
) -> None:
    sid = uuid.uuid4()
    assert phone.put(url(sid), raw, content_type=content_type).status_code == code
    assert phone.post("/api/v1/sessions/sync/", raw, content_type=content_type).status_code == code


def test_sessions_api_is_described_in_the_schema(phone: APIClient) -> None:
    schema = phone.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert {"/api/v1/sessions/", "/api/v1/sessions/sync/", "/api/v1/sessions/{session_id}/"} <= set(paths)
