from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from programs.models import ProgramTemplate

pytestmark = pytest.mark.django_db

RDL_LINE = {"exercise": "romanian-deadlift", "sets": 3, "reps_low": 8, "reps_high": 10, "load": 135, "unit": "lb"}
HOLD_LINE = {"exercise": "rdl-isometric-hold", "sets": 2, "seconds_low": 10, "seconds_high": 20, "load": 40}


def by_slug(response: Any) -> dict[str, Any]:
    return {row["slug"]: row for row in response.json()["results"]}


# --- exercises ------------------------------------------------------------------------


def test_exercise_list_has_the_library_with_ladders_and_load_steps(coach_api: APIClient) -> None:
    response = coach_api.get("/api/v1/exercises/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    rows = by_slug(response)
    assert {"deadlift", "kettlebell-swing", "good-morning", "hip-thrust", "single-leg-rdl"} <= set(rows)
    rdl = rows["romanian-deadlift"]
    assert rdl["easier"] == "kettlebell-deadlift"
    assert rdl["harder"] == "deadlift"
    assert rdl["load_step"] == 2.5
    assert rdl["measure"] == "reps"
    assert "knees_too_bent" in rdl["faults"]
    assert "Spine stays neutral" in rdl["cues"]
    assert rows["dowel-hip-hinge"]["easier"] is None
    assert rows["rdl-isometric-hold"]["measure"] == "seconds"
    assert rows["single-leg-rdl"]["laterality"] == "per_side"


def test_coach_adds_an_exercise_that_only_they_and_their_clients_see(
    coach_api: APIClient, other_coach_api: APIClient, client_api: APIClient
) -> None:
    body = {"name": "Landmine RDL", "implement": "barbell", "easier": "kettlebell-deadlift", "harder": "deadlift"}
    response = coach_api.post("/api/v1/exercises/", body, format="json")
    assert response.status_code == 201
    created = response.json()
    assert created["slug"] == "landmine-rdl"
    assert created["custom"] is True
    assert created["easier"] == "kettlebell-deadlift"
    assert "landmine-rdl" in by_slug(coach_api.get("/api/v1/exercises/"))
    assert "landmine-rdl" in by_slug(client_api.get("/api/v1/exercises/"))
    assert "landmine-rdl" not in by_slug(other_coach_api.get("/api/v1/exercises/"))


def test_exercise_create_bad_input_gets_field_errors(coach_api: APIClient) -> None:
    response = coach_api.post(
        "/api/v1/exercises/", {"name": "Deadlift", "implement": "sled", "easier": "nope"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"implement", "easier"}
    clash = coach_api.post("/api/v1/exercises/", {"name": "Deadlift", "implement": "barbell"}, format="json")
    assert clash.status_code == 400
    assert "library exercise" in clash.json()["slug"][0]


def test_client_cannot_add_exercises(client_api: APIClient) -> None:
    response = client_api.post("/api/v1/exercises/", {"name": "X", "implement": "barbell"}, format="json")
    assert response.status_code == 404


def test_exercises_anonymous_is_401_and_delete_is_405(anon: APIClient, coach_api: APIClient) -> None:
    assert anon.get("/api/v1/exercises/").status_code == 401
    assert coach_api.delete("/api/v1/exercises/").status_code == 405


# --- programs ---------------------------------------------------------------------------


def test_program_create_read_update_delete(coach_api: APIClient) -> None:
    created = coach_api.post(
        "/api/v1/programs/", {"name": "Hinge A", "notes": "Weeks 1-4", "lines": [RDL_LINE, HOLD_LINE]}, format="json"
    )
    assert created.status_code == 201
    program = created.json()
    assert program["name"] == "Hinge A"
    assert program["lines"][0] == {**RDL_LINE, "day": 1, "tempo": None, "target_rpe": None}
    assert program["lines"][1]["seconds_low"] == 10
    assert program["lines"][1]["unit"] == "kg"
    assert "reps_low" not in program["lines"][1]
    url = f"/api/v1/programs/{program['id']}/"
    assert coach_api.get(url).json() == program
    patched = coach_api.patch(url, {"name": "Hinge B"}, format="json")
    assert patched.status_code == 200
    assert patched.json()["name"] == "Hinge B"
    assert len(patched.json()["lines"]) == 2
    relined = coach_api.patch(url, {"lines": [{"exercise": "kettlebell-swing", "load": 16}]}, format="json")
    assert relined.json()["lines"] == [
        {
            "exercise": "kettlebell-swing",
            "sets": 3,
            "reps_low": 8,
            "reps_high": 12,
            "day": 1,
            "load": 16,
            "unit": "kg",
            "tempo": None,
            "target_rpe": None,
        }
    ]
    assert coach_api.delete(url).status_code == 204
    assert coach_api.get(url).status_code == 404


def test_program_list_is_paged_and_only_mine(coach_api: APIClient, other_coach_api: APIClient) -> None:
    coach_api.post("/api/v1/programs/", {"name": "Mine"}, format="json")
    other_coach_api.post("/api/v1/programs/", {"name": "Theirs"}, format="json")
    body = coach_api.get("/api/v1/programs/").json()
    assert body["count"] == 1
    assert [p["name"] for p in body["results"]] == ["Mine"]


def test_another_coachs_program_is_404_for_every_method(coach_api: APIClient, other_coach: Any) -> None:
    theirs = ProgramTemplate.objects.create(owner=other_coach.user, name="Theirs")
    url = f"/api/v1/programs/{theirs.pk}/"
    assert coach_api.get(url).status_code == 404
    assert coach_api.patch(url, {"name": "Mine now"}, format="json").status_code == 404
    assert coach_api.delete(url).status_code == 404
    assert ProgramTemplate.objects.get(pk=theirs.pk).name == "Theirs"


@pytest.mark.parametrize(
    ("body", "error_path"),
    [
        ({}, ["name"]),
        ({"name": "   "}, ["name"]),
        ({"name": "P", "lines": [{"exercise": "no-such-thing"}]}, ["lines", "0", "exercise"]),
        ({"name": "P", "lines": [{**RDL_LINE, "seconds_low": 10}]}, ["lines", "0", "seconds_low"]),
        ({"name": "P", "lines": [{**HOLD_LINE, "reps_low": 5}]}, ["lines", "0", "reps_low"]),
        ({"name": "P", "lines": [{**RDL_LINE, "reps_low": 12, "reps_high": 8}]}, ["lines", "0", "reps_low"]),
        ({"name": "P", "lines": [{**RDL_LINE, "load": 2500}]}, ["lines", "0", "load"]),
        ({"name": "P", "lines": [{**RDL_LINE, "load": 2200, "unit": "kg"}]}, ["lines", "0", "load"]),
        ({"name": "P", "lines": [{**RDL_LINE, "sets": 0}]}, ["lines", "0", "sets"]),
        ({"name": "P", "lines": [{**RDL_LINE, "target_rpe": 11}]}, ["lines", "0", "target_rpe"]),
        ({"name": "P", "lines": [{**RDL_LINE, "tempo": "3-2-1-0-0-0-0"}]}, ["lines", "0", "tempo"]),
        ({"name": "P", "lines": "deadlift"}, ["lines", "non_field_errors"]),
    ],
)
def test_program_bad_input_gets_field_errors(coach_api: APIClient, body: dict[str, Any], error_path: list) -> None:
    response = coach_api.post("/api/v1/programs/", body, format="json")
    assert response.status_code == 400
    errors: Any = response.json()
    for key in error_path:  # list items' errors are keyed by their index
        errors = errors[key]
    assert isinstance(errors, list)
    assert isinstance(errors[0], str)


def test_program_name_clash_is_a_field_error(coach_api: APIClient) -> None:
    coach_api.post("/api/v1/programs/", {"name": "Hinge A"}, format="json")
    response = coach_api.post("/api/v1/programs/", {"name": "hinge a"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"name": ["You already have a program with this name."]}


def test_patch_line_without_exercise_is_a_field_error(coach_api: APIClient) -> None:
    program = coach_api.post("/api/v1/programs/", {"name": "P"}, format="json").json()
    response = coach_api.patch(f"/api/v1/programs/{program['id']}/", {"lines": [{"sets": 3}]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"lines": {"0": {"exercise": ["This field is required."]}}}


def test_programs_are_for_coaches(anon: APIClient, client_api: APIClient, coach_api: APIClient) -> None:
    assert anon.get("/api/v1/programs/").status_code == 401
    assert client_api.get("/api/v1/programs/").status_code == 404
    assert coach_api.put("/api/v1/programs/", {}, format="json").status_code == 405
    program = coach_api.post("/api/v1/programs/", {"name": "P"}, format="json").json()
    assert coach_api.put(f"/api/v1/programs/{program['id']}/", {}, format="json").status_code == 405


BELL_ERROR = ["Kettlebells come in 8, 12, 16, … 48 kg."]
KB_LINE = {"exercise": "kettlebell-deadlift", "sets": 3, "reps_low": 8, "reps_high": 12}


@pytest.mark.parametrize(
    ("load", "unit"), [(13.5, "kg"), (24.5, "kg"), (52.41, "lb"), (50, "lb"), (60, "kg"), (13.5, None)]
)
def test_a_kettlebell_line_must_carry_a_bell(coach_api: APIClient, load: float, unit: str | None) -> None:
    line = {**KB_LINE, "load": load} | ({"unit": unit} if unit else {})
    response = coach_api.post("/api/v1/programs/", {"name": "Bells", "lines": [line]}, format="json")
    assert response.status_code == 400
    assert response.json() == {"lines": {"0": {"load": BELL_ERROR}}}
    assert not ProgramTemplate.objects.filter(name="Bells").exists()


@pytest.mark.parametrize(("load", "unit", "shown"), [(24, "kg", 24), (53, "lb", 52.91), (52.91, "lb", 52.91)])
def test_a_kettlebell_bell_in_either_unit_is_stored_at_its_exact_weight(
    coach_api: APIClient, load: float, unit: str, shown: float
) -> None:
    line = {**KB_LINE, "load": load, "unit": unit}
    response = coach_api.post("/api/v1/programs/", {"name": "Bells", "lines": [line]}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["lines"][0]["load"] == shown
    assert ProgramTemplate.objects.get(name="Bells").lines.get().load_kg == 24
