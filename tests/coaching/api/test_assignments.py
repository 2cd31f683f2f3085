from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.models import Assignment
from programs.models import ProgramTemplate
from tests.coaching.api.factories_api import token_client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

LINES = [
    {"exercise": "romanian-deadlift", "sets": 3, "reps_low": 8, "reps_high": 10, "load": 135, "target_rpe": 8},
    {"exercise": "rdl-isometric-hold", "sets": 2, "seconds_low": 10, "seconds_high": 20, "load": 45},
]


def body(client_id: int, **extra: Any) -> dict[str, Any]:
    return {
        "client": client_id,
        "start_date": "2026-11-16",
        "sessions_per_week": 3,
        "unit": "lb",
        "prescription": LINES,
        **extra,
    }


def test_coach_assigns_a_prescription_and_reads_it_back(coach_api: APIClient, client_profile: Any) -> None:
    response = coach_api.post("/api/v1/assignments/", body(client_profile.pk, deload_every_weeks=4), format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["client"] == client_profile.pk
    assert created["unit"] == "lb"
    assert created["deload_every_weeks"] == 4
    assert created["load_increment_pct"] == 5
    assert created["is_active"] is True
    assert created["prescription_from"] == "2026-11-16"
    assert created["prescription"] == [
        {
            "exercise": "romanian-deadlift",
            "sets": 3,
            "reps_low": 8,
            "reps_high": 10,
            "day": 1,
            "load": 135,
            "unit": "lb",
            "tempo": None,
            "target_rpe": 8,
        },
        {
            "exercise": "rdl-isometric-hold",
            "sets": 2,
            "seconds_low": 10,
            "seconds_high": 20,
            "day": 1,
            "load": 45,
            "unit": "lb",
            "tempo": None,
            "target_rpe": None,
        },
    ]
    assert coach_api.get(f"/api/v1/assignments/{created['id']}/").json() == created
    # The client's previous assignment ended: only one is active.
    assert Assignment.objects.filter(client=client_profile, is_active=True).count() == 1


def test_assignment_from_a_program_copies_its_lines(coach_api: APIClient, client_profile: Any) -> None:
    program = coach_api.post(
        "/api/v1/programs/", {"name": "KB", "lines": [{"exercise": "kettlebell-swing", "load": 16}]}, format="json"
    ).json()
    payload = {"client": client_profile.pk, "program": program["id"], "start_date": "2026-11-16"}
    response = coach_api.post("/api/v1/assignments/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["program"] == program["id"]
    assert [line["exercise"] for line in response.json()["prescription"]] == ["kettlebell-swing"]


def test_a_program_in_kg_assigned_in_lb_is_prescribed_in_lb_as_on_the_web(
    coach_api: APIClient, client_profile: Any
) -> None:
    lines = [{"exercise": "kettlebell-swing", "load": 24}, {"exercise": "deadlift", "load": 100}]
    program = coach_api.post("/api/v1/programs/", {"name": "KB and bar", "lines": lines}, format="json").json()
    payload = {"client": client_profile.pk, "program": program["id"], "start_date": "2026-11-16", "unit": "lb"}
    response = coach_api.post("/api/v1/assignments/", payload, format="json")
    assert response.status_code == 201, response.content
    swing, deadlift = response.json()["prescription"]
    assert (swing["load"], swing["unit"]) == (52.91, "lb")  # the 24 kg bell, in lb
    assert (deadlift["load"], deadlift["unit"]) == (220.46, "lb")  # 100 kg converted once from kg


def test_client_reads_their_own_assignment(client_api: APIClient, client_profile: Any) -> None:
    response = client_api.get("/api/v1/me/assignment/")
    assert response.status_code == 200
    mine = response.json()
    assert mine["client"] == client_profile.pk
    assert [line["exercise"] for line in mine["prescription"]] == [
        "romanian-deadlift",
        "single-leg-rdl",
        "rdl-isometric-hold",
    ]
    # The same representation, plus the day due that only the client's own read carries.
    assert mine.pop("day_due") == {"day": 1, "name": "Day A", "rest_day": False}
    assert client_api.get(f"/api/v1/assignments/{mine['id']}/").json() == mine


def test_me_assignment_is_404_for_a_coach_or_a_client_without_one(coach_api: APIClient, coach: Any) -> None:
    assert coach_api.get("/api/v1/me/assignment/").status_code == 404
    idle = ClientFactory(coach=coach, with_login=True)
    assert token_client(idle.user).get("/api/v1/me/assignment/").status_code == 404


def test_another_coachs_client_or_program_is_a_field_error(
    coach_api: APIClient, other_client: Any, other_coach: Any, client_profile: Any
) -> None:
    response = coach_api.post("/api/v1/assignments/", body(other_client.pk), format="json")
    assert response.status_code == 400
    assert response.json() == {"client": ["No such client among yours."]}
    theirs = ProgramTemplate.objects.create(owner=other_coach.user, name="Theirs")
    response = coach_api.post("/api/v1/assignments/", body(client_profile.pk, program=theirs.pk), format="json")
    assert response.json() == {"program": ["No such program among yours."]}


def test_another_coachs_assignment_is_404(coach_api: APIClient, client_api: APIClient, other_client: Any) -> None:
    theirs = other_client.assignments.get()
    assert coach_api.get(f"/api/v1/assignments/{theirs.pk}/").status_code == 404
    assert client_api.get(f"/api/v1/assignments/{theirs.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"prescription": []}, "prescription"),
        ({"prescription": None}, "prescription"),
        ({"unit": "stone"}, "unit"),
        ({"start_date": "16/11/2026"}, "start_date"),
        ({"start_date": "9999-12-31"}, "start_date"),
        ({"sessions_per_week": 0}, "sessions_per_week"),
        ({"deload_every_weeks": 1}, "deload_every_weeks"),
        ({"load_increment_pct": 80}, "load_increment_pct"),
        ({"client": "abc"}, "client"),
        ({"client": 10**30}, "client"),
        ({"prescription": [{**LINES[0], "seconds_low": 10}]}, "prescription"),
        ({"prescription": [{**LINES[1], "reps_high": 10}]}, "prescription"),
        ({"prescription": [{**LINES[0], "load": 2205}], "unit": "kg"}, "prescription"),
    ],
)
def test_assignment_bad_input_gets_field_errors(
    coach_api: APIClient, client_profile: Any, change: dict[str, Any], field: str
) -> None:
    response = coach_api.post("/api/v1/assignments/", {**body(client_profile.pk), **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_lines_by_the_exercises_measure(coach_api: APIClient, client_profile: Any) -> None:
    hold_with_reps = {"exercise": "rdl-isometric-hold", "reps_low": 8, "reps_high": 10}
    response = coach_api.post(
        "/api/v1/assignments/", body(client_profile.pk, prescription=[hold_with_reps]), format="json"
    )
    assert response.json() == {
        "prescription": {
            "0": {
                "reps_low": ["This exercise is a hold: give seconds_low and seconds_high."],
                "reps_high": ["This exercise is a hold: give seconds_low and seconds_high."],
            }
        }
    }


def test_assignment_list_filters_by_client(coach_api: APIClient, client_profile: Any, coach: Any) -> None:
    second = ClientFactory(coach=coach, with_assignment=True)
    assert coach_api.get("/api/v1/assignments/").json()["count"] == 2
    only = coach_api.get("/api/v1/assignments/", {"client": second.pk}).json()
    assert [row["client"] for row in only["results"]] == [second.pk]
    assert coach_api.get("/api/v1/assignments/", {"client": "²"}).status_code == 400


def test_assignments_anonymous_401_client_cannot_create_and_put_is_405(
    anon: APIClient, client_api: APIClient, coach_api: APIClient, client_profile: Any
) -> None:
    assert anon.get("/api/v1/assignments/").status_code == 401
    assert client_api.post("/api/v1/assignments/", body(client_profile.pk), format="json").status_code == 404
    assignment = client_profile.assignments.get()
    assert coach_api.delete(f"/api/v1/assignments/{assignment.pk}/").status_code == 405


def test_prescription_is_the_version_in_force_today(coach_api: APIClient, client_profile: Any) -> None:
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()  # noqa: DTZ011 - compared with localdate (UTC)
    response = coach_api.post("/api/v1/assignments/", body(client_profile.pk, start_date=future), format="json")
    # Before its first version's date, the first version applies (coaching.selectors.versions_in_force).
    assert response.json()["prescription_from"] == future


KB = {"exercise": "kettlebell-swing", "sets": 3, "reps_low": 8, "reps_high": 12}


@pytest.mark.parametrize(
    ("line", "unit", "ok"),
    [
        ({**KB, "load": 53}, "lb", True),  # no unit on the line: the assignment's lb, the 24 kg bell
        ({**KB, "load": 24}, "lb", False),  # 24 lb is no bell
        ({**KB, "load": 24}, "kg", True),
        ({**KB, "load": 53, "unit": "kg"}, "lb", False),
        ({**KB, "load": 13.5}, "kg", False),
    ],
)
def test_an_assignments_kettlebell_lines_carry_bells_in_the_assignments_unit(
    coach_api: APIClient, client_profile: Any, line: dict[str, Any], unit: str, ok: bool
) -> None:
    response = coach_api.post(
        "/api/v1/assignments/", body(client_profile.pk, unit=unit, prescription=[line]), format="json"
    )
    if ok:
        assert response.status_code == 201, response.json()
        assert Assignment.objects.get(pk=response.json()["id"]).versions.get().lines.get().load_kg == 24
    else:
        assert response.status_code == 400
        assert response.json() == {"prescription": {"0": {"load": ["Kettlebells come in 8, 12, 16, … 48 kg."]}}}


def test_an_assignment_line_over_1000_kg_in_the_assignments_unit_is_keyed_by_its_index(
    coach_api: APIClient, client_profile: Any
) -> None:
    lines = [LINES[0], {**LINES[0], "load": 2205}]  # 2205 lb is 1000.17 kg
    response = coach_api.post("/api/v1/assignments/", body(client_profile.pk, prescription=lines), format="json")
    assert response.status_code == 400
    assert response.json() == {
        "prescription": {"1": {"load": ["That load is over 1000 kg: check the number and the unit."]}}
    }
