"""The sync fast path accepts only what the serializer accepts, with the same result."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import event, example, given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from coaching.sessions.serializers import SessionSerializer, fast_session_input, parse_session, session_input
from tests.conftest import examples

UUID = "0b6f5a0e-3c1d-4f6e-9a57-2f1c9d0c4e11"

SET_VALUES: dict[str, list[Any]] = {
    "exercise": ["romanian-deadlift", "deadlift", "dead lift", " deadlift", "deadlift\n", "", None, "a" * 81, "é", 5],
    "side": ["both", "left", "right", "middle", "BOTH", None, ["both"], 1],
    "reps": [0, 10, 1000, 1001, -1, 10.0, "10", True, None, 2**70],
    "seconds": [0, 15, 3600, 3601, -1, 15.0, "15", None],
    "load": [0, 135, 61.25, 61.255, -0.0, 1e-7, 9999999.99, 10_000_000, 1e22, "135", True, None, 0.1 + 0.2, -5],
    "unit": ["kg", "lb", "KG", "stone", None, ["kg"], ""],
    "rpe": [7.5, 7, 10, 10.0, 10.5, 1, 0.5, 7.25, 7.3, "8", None, True],
    "tempo_kept": [True, False, None, 1, 0, "true", "yes"],
    "faults": [[], ["core_lost"], ["core lost"], [" core_lost"], [""], "core_lost", None, [1], ["a" * 41], ["x"] * 21],
    "pain": [0, 3, 10, 11, -1, None, "2", 2.0],
}
SESSION_VALUES: dict[str, list[Any]] = {
    "id": [UUID, UUID.upper(), UUID.replace("-", ""), "{" + UUID + "}", "urn:uuid:" + UUID, 12, "x", None, ""],
    "assignment": [1, 41, 0, -1, 2**63 - 1, 2**63, True, "41", 41.0, None],
    "performed_at": [
        "2026-11-17T07:42:00+01:00",
        "2026-11-17T06:42:00Z",
        "2026-11-17T07:42:00.123456-05:30",
        "2026-11-17T07:42:00",
        "2026-11-17T07:42:00+01:00:30",
        "2026-11-17",
        "2026-11-17 07:42+01",
        None,
        123,
    ],
    "client_modified_at": ["2026-11-17T08:31:10+01:00", "2026-11-17T08:31:10", "soon", None],
    "notes": ["", "Felt fine.", None, "a" * 5000, "a" * 5001, "nul\x00", 5, ["x"]],
    "checkin": [
        None,
        {"sleep": 2, "soreness": 4, "stress": 4, "low_back": "fine", "cut_taken": True},
        {"sleep": 5},
        {"low_back": "painful"},
        {"low_back": "painful", "cut_taken": "true"},
        {"cut_taken": False},
        {},
        {"sleep": 0},
        {"sleep": 6},
        {"stress": 3.0},
        {"soreness": True},
        {"soreness": "3"},
        {"low_back": "sore"},
        {"low_back": None, "sleep": 1},
        {"sleep": 3, "extra": 1},
        [1],
        "x",
    ],
}

GOOD_SET = {"exercise": "romanian-deadlift", "side": "both", "reps": 10, "load": 135, "unit": "lb", "rpe": 7.5}
GOOD_SESSION = {
    "id": UUID,
    "assignment": 41,
    "performed_at": "2026-11-17T07:42:00+01:00",
    "client_modified_at": "2026-11-17T08:31:10+01:00",
    "notes": "",
}


def variants(base: dict[str, Any], values: dict[str, list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """``base`` with some fields replaced by listed values, some dropped, maybe an unknown key."""
    changes = st.dictionaries(st.sampled_from(sorted(values)), st.none(), max_size=3).flatmap(
        lambda keys: st.fixed_dictionaries({k: st.sampled_from(values[k]) for k in keys})
    )
    drops = st.sets(st.sampled_from(sorted(base)), max_size=2)
    extra = st.sampled_from([{}, {}, {"extra": 1}])
    return st.tuples(changes, drops, extra).map(
        lambda t: {k: v for k, v in (base | t[0]).items() if k not in t[1]} | t[2]
    )


sessions = st.tuples(
    variants(GOOD_SESSION, SESSION_VALUES),
    st.one_of(st.lists(variants(GOOD_SET, SET_VALUES), max_size=4), st.sampled_from([None, "x", [None], "absent"])),
).map(lambda t: t[0] if t[1] == "absent" else t[0] | {"sets": t[1]})


def serializer_result(data: Any) -> Any:
    try:
        return session_input(SessionSerializer().run_validation(data))
    except serializers.ValidationError:
        return "invalid"


@settings(max_examples=examples(600), deadline=None)
@given(data=sessions)
@example(data=GOOD_SESSION | {"sets": [GOOD_SET]})
def test_fast_path_agrees_with_the_serializer(data: dict[str, Any]) -> None:
    fast = fast_session_input(data)
    event("fast path" if fast is not None else "serializer")
    if fast is not None:
        assert serializer_result(data) == fast


@settings(max_examples=300, deadline=None)
@given(data=sessions)
@example(data=GOOD_SESSION | {"sets": [GOOD_SET | {"unit": ""}]})  # a blank unit is refused, not kg
def test_parse_session_gives_the_serializers_result(data: dict[str, Any]) -> None:
    expected = serializer_result(data)
    try:
        got = parse_session(data)
    except serializers.ValidationError:
        got = "invalid"
    assert got == expected


def test_the_documented_example_takes_the_fast_path() -> None:
    path = Path(__file__).resolve().parents[2] / "fixtures" / "api-examples" / "sync-request.json"
    good = json.loads(path.read_text())["sessions"][0]
    fast = fast_session_input(good)
    assert fast is not None
    assert fast == serializer_result(good)
