"""Weekly review metrics: adherence and the per-exercise figures, JSON-ready."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from progression_builders import CUSTOM_LIBRARY, LIBRARY, MON, a_set, per_side, session, sets

from programs.progression import SessionLog, week_metrics

SL = "single-leg-rdl"
HOLD = "rdl-isometric-hold"


def metrics(*sessions: SessionLog, prescribed: int = 3, library=LIBRARY) -> dict:
    return week_metrics(week_start=MON, sessions=sessions, sessions_prescribed=prescribed, library=library)


def the_api_example_week() -> tuple[SessionLog, ...]:
    """The two sessions of api-examples/sync-request.json's client, on 17 and 19 Nov."""
    return (
        session(
            1,
            a_set(reps=10, load="135", unit="lb", rpe="7.5"),
            a_set(reps=10, load="135", unit="lb", rpe="8", faults=("knees_too_bent",)),
            a_set(SL, reps=8, load="25", unit="lb", side="left"),
            a_set(SL, reps=8, load="25", unit="lb", side="right", pain=1),
            a_set(HOLD, reps=None, seconds=15, load="45", unit="lb"),
        ),
        session(3, a_set("kettlebell-swing", reps=15, load="16")),
    )


def test_the_api_example_week():
    got = metrics(*the_api_example_week())
    assert got["adherence_pct"] == 66.7
    assert got["adherence_band"] == "fair"
    assert (got["sessions_logged"], got["sessions_prescribed"]) == (2, 3)
    assert got["exercises"]["romanian-deadlift"] == {
        "sets": 2,
        "volume_load_kg": 1224.7,
        "best_e1rm_kg": 81.6,
        "mean_rpe": 7.75,
        "fault_share": 0.5,
        "max_pain": 0,
    }
    assert got["exercises"][SL] == {
        "sets": 2,
        "volume_load_kg": 181.4,
        "best_e1rm_kg": 14.4,
        "mean_rpe": None,
        "fault_share": 0.0,
        "max_pain": 1,
        "weaker_side_pct": 100.0,
    }
    # A hold's volume is seconds × kg; Epley means nothing for a hold.
    assert got["exercises"][HOLD]["volume_load_kg"] == 306.2
    assert got["exercises"][HOLD]["best_e1rm_kg"] is None
    # More than 12 reps: no e1RM.
    assert got["exercises"]["kettlebell-swing"]["best_e1rm_kg"] is None
    assert list(got["exercises"]) == sorted(got["exercises"])
    json.dumps(got)


@pytest.mark.parametrize(
    ("logged", "prescribed", "pct", "band"),
    [
        (0, 3, 0.0, "low"),
        (1, 3, 33.3, "low"),
        (1, 2, 50.0, "fair"),
        (2, 3, 66.7, "fair"),
        (4, 5, 80.0, "good"),
        (3, 3, 100.0, "good"),
        (5, 3, 100.0, "good"),
        (2, 0, 100.0, "good"),
    ],
)
def test_adherence(logged, prescribed, pct, band):
    got = metrics(*(session(day, a_set()) for day in range(logged)), prescribed=prescribed)
    assert (got["adherence_pct"], got["adherence_band"], got["sessions_logged"]) == (pct, band, logged)


def test_only_sessions_inside_the_monday_to_sunday_week_count():
    got = metrics(session(-1, a_set()), session(0, a_set()), session(6, a_set()), session(7, a_set()))
    assert got["sessions_logged"] == 2
    assert got["exercises"]["romanian-deadlift"]["sets"] == 2


def test_a_session_without_sets_is_not_logged():
    got = metrics(session(1), session(2, a_set()))
    assert got["sessions_logged"] == 1


def test_best_e1rm_uses_fault_free_sets_of_1_to_12_reps():
    got = metrics(
        session(
            1,
            a_set(reps=5, load="100", faults=("core_lost",)),  # 116.7, faulted
            a_set(reps=13, load="90"),  # 129, too many reps
            a_set(reps=0, load="120"),
            a_set(reps=12, load="60"),  # 84
            a_set(reps=1, load="80"),  # 82.7
        )
    )
    assert got["exercises"]["romanian-deadlift"]["best_e1rm_kg"] == 84.0


def test_e1rm_is_none_without_a_usable_set_and_for_bodyweight():
    got = metrics(
        session(1, a_set(reps=5, faults=("bar_drift",)), a_set("glute-bridge", reps=12, load="0")),
    )
    assert got["exercises"]["romanian-deadlift"]["best_e1rm_kg"] is None
    assert got["exercises"]["glute-bridge"]["best_e1rm_kg"] is None


def test_mean_rpe_fault_share_and_pain():
    got = metrics(
        session(1, a_set(rpe="7"), a_set(rpe="8", faults=("core_lost", "bar_drift")), a_set(pain=0)),
        session(3, a_set(rpe="8", pain=2), a_set(), a_set()),
    )
    block = got["exercises"]["romanian-deadlift"]
    assert block["mean_rpe"] == 7.67
    assert block["fault_share"] == 0.167
    assert block["max_pain"] == 2


def test_weaker_side_pct_for_per_side_exercises():
    got = metrics(
        session(1, sets(3, SL, reps=10, load="10", side="left"), sets(3, SL, reps=12, load="10", side="right")),
        session(2, a_set("romanian-deadlift", side="left")),
    )
    assert got["exercises"][SL]["weaker_side_pct"] == 83.3
    assert "weaker_side_pct" not in got["exercises"]["romanian-deadlift"]


def test_weaker_side_pct_needs_both_sides():
    got = metrics(session(1, sets(3, SL, load="10", side="left")))
    assert got["exercises"][SL]["weaker_side_pct"] is None


def test_unloaded_per_side_drills_compare_reps():
    got = metrics(
        session(1, sets(2, "band-hinge", reps=9, load="0", side="left"), per_side(2, "band-hinge", load="0")),
        library=CUSTOM_LIBRARY,
    )
    # left: 2 × 9 + 2 × 12 = 42 reps, right: 2 × 12 = 24 reps
    assert got["exercises"]["band-hinge"]["weaker_side_pct"] == 57.1


def test_an_exercise_missing_from_the_library_still_gets_figures():
    got = metrics(session(1, a_set("cable-pull-through", reps=10, load="20")))
    block = got["exercises"]["cable-pull-through"]
    assert (block["sets"], block["volume_load_kg"], block["best_e1rm_kg"]) == (1, 200.0, 26.7)


def test_unusable_numbers_count_as_nothing():
    got = metrics(session(1, a_set(load=Decimal("NaN"), rpe="NaN"), a_set(reps=None, load="60")))
    block = got["exercises"]["romanian-deadlift"]
    assert (block["volume_load_kg"], block["mean_rpe"], block["best_e1rm_kg"]) == (0.0, None, None)
    json.dumps(got)


@pytest.mark.parametrize(
    ("load", "reps", "e1rm"),
    [
        ("20.25", 8, 25.7),  # exactly 25.65 kg: half-up, not a hair below the half
        ("20.25", 4, 23.0),  # exactly 22.95 kg
        ("62.5", 10, 83.3),
    ],
)
def test_an_e1rm_that_is_exactly_a_half_rounds_up(load, reps, e1rm):
    assert metrics(session(1, a_set(reps=reps, load=load)))["exercises"]["romanian-deadlift"]["best_e1rm_kg"] == e1rm
