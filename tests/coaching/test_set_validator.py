"""One validator of a set's values: every input (the API's serializer, the sync fast path, the CSV
import, the service) answers a set with the same errors, in the same words."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from coaching.sessions import csv_io
from coaching.sessions.serializers import SessionSerializer, fast_session_input, session_input
from coaching.sessions.services import SetInput
from coaching.sessions.services.inputs import set_errors, set_value_error
from programs.models import Exercise

ROOT = Path(__file__).resolve().parents[2]
LIBRARY = {
    "deadlift": Exercise(slug="deadlift", implement="barbell", measure="reps"),
    "rdl-isometric-hold": Exercise(slug="rdl-isometric-hold", implement="barbell", measure="seconds"),
    "single-leg-rdl": Exercise(slug="single-leg-rdl", implement="dumbbell", measure="reps", laterality="per_side"),
}
GOOD = {"exercise": "deadlift", "side": "both", "reps": 5, "load": 100, "unit": "kg"}
SESSION = {
    "id": "0b6f5a0e-3c1d-4f6e-9a57-2f1c9d0c4e11",
    "assignment": 41,
    "performed_at": "2026-11-17T07:42:00+01:00",
    "client_modified_at": "2026-11-17T08:31:10+01:00",
}

# (change to a good set, the errors every input reports for it)
CASES: list[tuple[dict[str, Any], dict[str, list[str]]]] = [
    ({}, {}),
    ({"reps": -1}, {"reps": ["Ensure this value is greater than or equal to 0."]}),
    ({"reps": 1001}, {"reps": ["Ensure this value is less than or equal to 1000."]}),
    ({"reps": 1000}, {}),
    ({"load": 2200, "unit": "lb"}, {}),  # 997.9 kg
    (
        {"exercise": "rdl-isometric-hold", "reps": None, "seconds": 3601},
        {"seconds": ["Ensure this value is less than or equal to 3600."]},
    ),
    ({"pain": 11}, {"pain": ["Ensure this value is less than or equal to 10."]}),
    ({"pain": 10}, {}),
    ({"rpe": 0.5}, {"rpe": ["Ensure this value is greater than or equal to 1."]}),
    ({"rpe": 10.5}, {"rpe": ["Ensure this value is less than or equal to 10."]}),
    ({"rpe": 7.3}, {"rpe": ["RPE goes in halves: 7, 7.5, 8 …"]}),
    ({"rpe": 7.5}, {}),
    ({"side": "middle"}, {"side": ['"middle" is not a valid choice.']}),
    ({"unit": "stone"}, {"unit": ['"stone" is not a valid choice.']}),
    ({"load": -5}, {"load": ["Ensure this value is greater than or equal to 0."]}),
    ({"seconds": 20}, {"seconds": ["Give reps or seconds, not both."]}),
    ({"load": 5000}, {"load": ["That load is over 1000 kg: check the number and the unit."]}),
    ({"load": 2300, "unit": "lb"}, {"load": ["That load is over 1000 kg: check the number and the unit."]}),
    (
        {"load": 2300, "unit": "lb", "faults": ["wobbly"]},
        {
            "faults": ["Unknown fault “wobbly”."],
            "load": ["That load is over 1000 kg: check the number and the unit."],
        },
    ),
    ({"exercise": "good-mornings"}, {"exercise": ["Unknown exercise “good-mornings”."]}),
    ({"exercise": "single-leg-rdl"}, {"side": ["This exercise is done one side at a time: use left or right."]}),
    (
        {"exercise": "rdl-isometric-hold"},
        {
            "seconds": ["This exercise is a hold: give the seconds held."],
            "reps": ["This exercise is a hold: give seconds, not reps."],
        },
    ),
    (
        {"pain": 11, "reps": -1},
        {
            "reps": ["Ensure this value is greater than or equal to 0."],
            "pain": ["Ensure this value is less than or equal to 10."],
        },
    ),
]


def _set(change: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in (GOOD | change).items() if v is not None}


def via_serializer(values: dict[str, Any]) -> dict[str, list[str]]:
    """What the API answers for the set: the serializer's errors, else the service's."""
    serializer = SessionSerializer(data=SESSION | {"sets": [values]})
    if not serializer.is_valid():
        return {k: [str(m) for m in v] for k, v in serializer.errors["sets"][0].items()}
    [s] = session_input(serializer.validated_data).sets
    return set_errors(s, library=LIBRARY)


def via_fast_path(values: dict[str, Any]) -> dict[str, list[str]] | None:
    """The fast path's answer: the service's errors for a set it accepts; None when it leaves the
    set to the serializer (which then answers as above)."""
    item = fast_session_input(SESSION | {"sets": [values]})
    return None if item is None else set_errors(item.sets[0], library=LIBRARY)


def via_csv(values: dict[str, Any]) -> dict[str, list[str]]:
    row = {name: "" for name in csv_io.COLUMNS}
    row |= {k: ";".join(v) if isinstance(v, list) else str(v) for k, v in values.items()}
    parsed, errors = csv_io._parse_set(row)
    if errors:
        return errors
    assert parsed is not None
    return set_errors(parsed, library=LIBRARY)


@pytest.mark.parametrize(("change", "expected"), CASES)
def test_every_input_answers_a_set_with_the_same_errors(change: dict[str, Any], expected: dict[str, Any]) -> None:
    values = _set(change)
    assert via_serializer(values) == expected
    assert via_csv(values) == expected
    fast = via_fast_path(values)
    if SessionSerializer(data=SESSION | {"sets": [values]}).is_valid():
        assert fast == expected
    else:
        assert fast is None, "a set the serializer refuses never takes the fast path"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("reps", 0, None),
        ("reps", 1000, None),
        ("reps", 1001, "Ensure this value is less than or equal to 1000."),
        ("seconds", 3600, None),
        ("pain", -1, "Ensure this value is greater than or equal to 0."),
        ("rpe", Decimal("1"), None),
        ("rpe", Decimal("9.5"), None),
        ("rpe", Decimal("9.6"), "RPE goes in halves: 7, 7.5, 8 …"),
        ("load", Decimal("-0.01"), "Ensure this value is greater than or equal to 0."),
        ("load", Decimal("999999"), None),  # its limit is in kg: the whole set's rule
        ("side", "left", None),
        ("unit", "lb", None),
        ("unit", "KG", '"KG" is not a valid choice.'),
        ("pain", None, None),
    ],
)
def test_one_value_of_a_set(name: str, value: Any, expected: str | None) -> None:
    assert set_value_error(name, value) == expected


def test_a_load_without_its_unit_is_refused_by_the_api_not_by_the_csv_which_defaults_to_kg() -> None:
    expected = {"unit": ["Give the unit of the load: kg or lb."]}
    assert via_serializer(_set({"unit": None})) == expected
    assert set_errors(SetInput(exercise="deadlift", reps=5, load=Decimal(100)), unit_given=False) == expected
    assert via_csv(_set({"unit": None})) == {}


def test_the_sets_rules_live_in_one_module() -> None:
    """A guard: the parsers of a set (the API's and the CSV's) carry no range or message of their own."""
    texts = ("RPE goes in halves", "reps or seconds, not both", "unit of the load", "over 1000 kg")
    for path in ("coaching/sessions/csv_io.py", "coaching/sessions/serializers.py"):
        source = (ROOT / path).read_text()
        assert not [t for t in texts if t in source], path
        assert not re.search(r"\b(0, 1000|0, 3600|0, 10)\b|max_value=(1000|3600|10)\b", source), path
