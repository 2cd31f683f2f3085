"""POST /api/v1/sessions/sync/: batches of up to 500 sessions, one result per item, in order."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from coaching.models import ChangeCounter, LoggedSession, LoggedSet
from tests.coaching.api.test_sessions_api import BASE, api_for, session_body
from tests.conftest import examples

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/sessions/sync/"
# A copy of the worked examples of docs/api.md (`api-examples/`).
EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "api-examples"


@pytest.fixture
def assignment(client_profile: Any) -> Any:
    return client_profile.assignments.get(is_active=True)


@pytest.fixture
def phone(client_profile: Any) -> APIClient:
    return api_for(client_profile.user)


def batch(assignment_id: int, n: int) -> list[dict[str, Any]]:
    """n sessions of three sets each."""
    items = []
    for i in range(n):
        body = session_body(assignment_id, notes=f"session {i}")
        body["sets"] = body["sets"][:3]
        items.append(body)
    return items


def example_request(assignment_id: int) -> dict[str, Any]:
    path = EXAMPLES / "sync-request.json"
    if path.exists():
        data = json.loads(path.read_text())
    else:  # the same body, for a checkout without the shared folder
        data = {"sessions": [session_body(41, sid="0b6f5a0e-3c1d-4f6e-9a57-2f1c9d0c4e11")]}
        data["sessions"].append(
            session_body(41, sid="not-a-uuid") | {"sets": [{"exercise": "deadlift", "reps": -2, "load": 100}]}
        )
    for item in data["sessions"]:
        item["assignment"] = assignment_id
    return data


def test_the_documented_example_gives_the_documented_response(phone: APIClient, assignment: Any) -> None:
    response = phone.post(SYNC, example_request(assignment.pk), format="json")
    assert response.status_code == 200
    expected = {
        "results": [
            {"id": "0b6f5a0e-3c1d-4f6e-9a57-2f1c9d0c4e11", "status": "created"},
            {
                "id": None,
                "status": "rejected",
                "errors": {
                    "id": ["Must be a valid UUID."],
                    "sets": [{"reps": ["Ensure this value is greater than or equal to 0."]}],
                },
            },
        ]
    }
    assert response.json() == expected
    if (EXAMPLES / "sync-response.json").exists():
        assert response.json() == json.loads((EXAMPLES / "sync-response.json").read_text())
    stored = phone.get("/api/v1/sessions/0b6f5a0e-3c1d-4f6e-9a57-2f1c9d0c4e11/").json()
    assert stored["performed_at"] == "2026-11-17T07:42:00+01:00"
    assert [s["load"] for s in stored["sets"]] == [135, 135, 25, 25, 45]


def test_one_bad_session_is_rejected_and_the_others_apply(phone: APIClient, assignment: Any) -> None:
    items = batch(assignment.pk, 3)
    items[1]["sets"][0]["exercise"] = "underwater-deadlift"
    results = phone.post(SYNC, {"sessions": items}, format="json").json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected", "created"]
    assert [r["id"] for r in results] == [i["id"] for i in items]
    assert results[1]["errors"] == {"sets": [{"exercise": ["Unknown exercise “underwater-deadlift”."]}, {}, {}]}
    assert "errors" not in results[0]
    assert set(LoggedSession.objects.values_list("id", flat=True)) == {
        uuid.UUID(items[0]["id"]),
        uuid.UUID(items[2]["id"]),
    }


def test_replaying_a_batch_is_all_unchanged_and_writes_nothing(phone: APIClient, assignment: Any) -> None:
    items = batch(assignment.pk, 20)
    first = phone.post(SYNC, {"sessions": items}, format="json").json()["results"]
    counter = ChangeCounter.objects.get(coach=assignment.client.coach).value
    again = phone.post(SYNC, {"sessions": items}, format="json").json()["results"]
    assert {r["status"] for r in first} == {"created"}
    assert {r["status"] for r in again} == {"unchanged"}
    assert ChangeCounter.objects.get(coach=assignment.client.coach).value == counter
    assert LoggedSet.objects.count() == 60


def test_a_batch_mixes_created_updated_unchanged_and_stale(phone: APIClient, assignment: Any) -> None:
    items = batch(assignment.pk, 3)
    phone.post(SYNC, {"sessions": items}, format="json")
    newer = items[0] | {"client_modified_at": (BASE + dt.timedelta(hours=3)).isoformat(), "notes": "newer"}
    older = items[2] | {"client_modified_at": BASE.isoformat(), "notes": "older"}
    fresh = batch(assignment.pk, 1)[0]
    results = phone.post(SYNC, {"sessions": [newer, items[1], older, fresh]}, format="json").json()["results"]
    assert [r["status"] for r in results] == ["updated", "unchanged", "stale", "created"]
    assert LoggedSession.objects.get(pk=items[2]["id"]).notes == "session 2"


def test_the_same_id_twice_in_one_batch_keeps_the_newer(phone: APIClient, assignment: Any) -> None:
    item = batch(assignment.pk, 1)[0]
    newer = item | {"client_modified_at": (BASE + dt.timedelta(hours=3)).isoformat(), "notes": "newer"}
    results = phone.post(SYNC, {"sessions": [item, newer, item]}, format="json").json()["results"]
    assert [r["status"] for r in results] == ["created", "created", "stale"]
    stored = LoggedSession.objects.get(pk=item["id"])
    assert stored.notes == "newer"
    assert LoggedSet.objects.filter(session=stored).count() == 3


def test_an_item_without_a_usable_id_has_id_null(phone: APIClient, assignment: Any) -> None:
    items: list[Any] = [
        {k: v for k, v in batch(assignment.pk, 1)[0].items() if k != "id"},
        batch(assignment.pk, 1)[0] | {"id": 12},
        "not an object",
        None,
        batch(assignment.pk, 1)[0] | {"reps": "x", "assignment": "nope"},
    ]
    results = phone.post(SYNC, {"sessions": items}, format="json").json()["results"]
    assert [r["id"] for r in results] == [None, None, None, None, items[4]["id"]]
    assert [r["status"] for r in results] == ["rejected"] * 5
    assert results[0]["errors"] == {"id": ["This field is required."]}
    assert "non_field_errors" in results[2]["errors"]
    assert results[4]["errors"] == {"assignment": ["A valid integer is required."]}


def test_more_than_500_sessions_is_413_and_nothing_applied(phone: APIClient, assignment: Any) -> None:
    response = phone.post(SYNC, {"sessions": batch(assignment.pk, 501)}, format="json")
    assert response.status_code == 413
    assert "500" in response.json()["detail"]
    assert not LoggedSession.objects.exists()


def test_an_empty_batch_is_an_empty_result(phone: APIClient) -> None:
    assert phone.post(SYNC, {"sessions": []}, format="json").json() == {"results": []}


@pytest.mark.parametrize("body", [[], [{"id": 1}], "sessions", 5, {"sessions": {"a": 1}}, {"sessions": None}, {}])
def test_a_body_that_is_not_an_object_with_a_sessions_list_is_400(phone: APIClient, body: Any) -> None:
    response = phone.post(SYNC, json.dumps(body), content_type="application/json")
    assert response.status_code == 400


def test_not_json_is_415(phone: APIClient) -> None:
    assert phone.post(SYNC, "sessions=1", content_type="text/plain").status_code == 415


def test_the_sync_of_another_coaches_session_id_is_rejected_and_changes_nothing(
    phone: APIClient, assignment: Any, other_client: Any
) -> None:
    item = batch(assignment.pk, 1)[0]
    phone.post(SYNC, {"sessions": [item]}, format="json")
    theirs = other_client.assignments.get(is_active=True)
    hijack = item | {"assignment": theirs.pk, "client_modified_at": (BASE + dt.timedelta(days=1)).isoformat()}
    results = api_for(other_client.user).post(SYNC, {"sessions": [hijack]}, format="json").json()["results"]
    assert results[0]["status"] == "rejected"
    assert LoggedSession.objects.get(pk=item["id"]).client_id == assignment.client_id


@pytest.mark.parametrize("n", [10, 100, 500])
def test_sync_costs_a_constant_number_of_queries(
    phone: APIClient, assignment: Any, django_assert_num_queries: Any, n: int
) -> None:
    # The same at 10 and 500 sessions, pinned (test_write_queries.py lists the statements; this
    # client is signed in by force_authenticate, so no token is read).
    items = batch(assignment.pk, n)
    with django_assert_num_queries(12):
        response = phone.post(SYNC, {"sessions": items}, format="json")
    assert {r["status"] for r in response.json()["results"]} == {"created"}
    assert LoggedSet.objects.count() == 3 * n
    changed = [i | {"client_modified_at": (BASE + dt.timedelta(hours=2)).isoformat()} for i in items]
    with django_assert_num_queries(15):
        response = phone.post(SYNC, {"sessions": changed}, format="json")
    assert {r["status"] for r in response.json()["results"]} == {"updated"}
    with django_assert_num_queries(6):
        response = phone.post(SYNC, {"sessions": changed}, format="json")
    assert {r["status"] for r in response.json()["results"]} == {"unchanged"}


def test_sync_change_numbers_are_unique_and_increasing(phone: APIClient, assignment: Any) -> None:
    items = batch(assignment.pk, 50)
    phone.post(SYNC, {"sessions": items}, format="json")
    seqs = list(LoggedSession.objects.order_by("change_seq").values_list("id", "change_seq"))
    assert len({s for _, s in seqs}) == 50
    assert [str(i) for i, _ in seqs] == [i["id"] for i in items]


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20,
)
GOOD_SET = {
    "exercise": "romanian-deadlift",
    "side": "both",
    "reps": 8,
    "load": 60,
    "unit": "kg",
    "rpe": 7.5,
    "tempo_kept": True,
    "faults": ["core_lost"],
    "pain": 2,
}
SET_KEYS = [*GOOD_SET, "seconds"]
SESSION_KEYS = ["id", "assignment", "performed_at", "client_modified_at", "notes", "sets"]
# A good set or session with one or two fields replaced by anything JSON can hold; the
# session's assignment 0 stands for the client's real one.
sets_st = st.lists(
    st.dictionaries(st.sampled_from(SET_KEYS), json_values, max_size=2).map(lambda bad: GOOD_SET | bad),
    max_size=3,
)
session_fields = st.builds(
    lambda sid, sets, bad: (
        {
            "id": sid,
            "assignment": 0,
            "performed_at": "2026-11-17T07:42:00+01:00",
            "client_modified_at": "2026-11-17T08:00:00+01:00",
            "notes": "",
            "sets": sets,
        }
        | bad
    ),
    st.uuids().map(str),
    sets_st,
    st.dictionaries(st.sampled_from(SESSION_KEYS), json_values, max_size=2),
)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(session_fields | json_values, max_size=4))
def test_sync_never_answers_500_for_any_json(phone: APIClient, assignment: Any, items: list[Any]) -> None:
    for item in items:
        if isinstance(item, dict) and item.get("assignment") == 0:
            item["assignment"] = assignment.pk
    response = phone.post(SYNC, {"sessions": items}, format="json")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert len(results) == len(items)
    for r in results:
        assert r["status"] in {"created", "updated", "unchanged", "stale", "rejected"}
        event(r["status"])


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=session_fields | json_values)
def test_put_never_answers_500_for_any_json(phone: APIClient, body: Any) -> None:
    response = phone.put(f"/api/v1/sessions/{uuid.uuid4()}/", json.dumps(body), content_type="application/json")
    assert response.status_code in {200, 201, 400, 404, 409}, response.content


def test_writes_are_throttled_with_retry_after_and_reads_are_not(
    phone: APIClient, assignment: Any, settings: Any
) -> None:
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login": "10/min", "writes": "2/min"},
    }
    cache.clear()
    item = batch(assignment.pk, 1)[0]
    assert phone.post(SYNC, {"sessions": [item]}, format="json").status_code == 200
    assert phone.put(f"/api/v1/sessions/{item['id']}/", item, format="json").status_code == 200
    throttled = phone.post(SYNC, {"sessions": [item]}, format="json")
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) > 0
    assert phone.get("/api/v1/sessions/").status_code == 200
    cache.clear()


def test_the_first_write_of_a_coach_makes_their_change_counter(phone: APIClient, assignment: Any) -> None:
    coach = assignment.client.coach
    ChangeCounter.objects.filter(coach=coach).delete()
    phone.post(SYNC, {"sessions": batch(assignment.pk, 3)}, format="json")
    assert ChangeCounter.objects.get(coach=coach).value == 3
    assert sorted(LoggedSession.objects.values_list("change_seq", flat=True)) == [1, 2, 3]
    phone.post(SYNC, {"sessions": batch(assignment.pk, 2)}, format="json")
    assert ChangeCounter.objects.get(coach=coach).value == 5


def test_session_writes_run_with_the_collector_paused_and_turn_it_back_on(
    phone: APIClient, assignment: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync and a PUT apply their sessions with the cycle collector off (``gc_paused``), and leave
    it on after, also when the write fails; a collector someone else turned off stays off."""
    import gc

    from coaching.sessions import api as sessions_api
    from coaching.sessions.services import writes

    seen: list[bool] = []
    real = writes.sessions_apply

    def spy(**kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return real(**kwargs)

    monkeypatch.setattr(sessions_api, "sessions_apply", spy)
    monkeypatch.setattr(writes, "sessions_apply", spy)  # the PUT's session_upsert calls it here
    assert gc.isenabled()
    assert phone.post(SYNC, {"sessions": batch(assignment.pk, 2)}, format="json").status_code == 200
    body = batch(assignment.pk, 1)[0]
    assert phone.put(f"/api/v1/sessions/{body['id']}/", body, format="json").status_code == 201
    assert seen == [False, False]
    assert gc.isenabled()
    assert LoggedSession.objects.filter(assignment=assignment).count() == 3

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(sessions_api, "sessions_apply", broken)
    with pytest.raises(RuntimeError):
        phone.post(SYNC, {"sessions": batch(assignment.pk, 1)}, format="json")
    assert gc.isenabled()  # a failing write leaves it on too
    monkeypatch.setattr(sessions_api, "sessions_apply", spy)
    gc.disable()
    try:
        assert phone.post(SYNC, {"sessions": batch(assignment.pk, 1)}, format="json").status_code == 200
        assert not gc.isenabled()  # whoever turned it off keeps it off
    finally:
        gc.enable()
