"""Load units, the load grid and the bells have one home, programs/progression/units.py: a table
of the steps and bells the pages use, and a guard that the tree has no second copy."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from programs.lines import KETTLEBELL_LOAD_ERROR, Line
from programs.models import Exercise, display_load, shown_load, to_kg
from programs.progression import units

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "programs" / "progression" / "units.py"
D = Decimal


def _tree() -> list[Path]:
    """Every source file of the project outside tests and migrations."""
    found = []
    for folder in ("coaching", "programs", "accounts", "config", "static", "templates", "bench"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".js", ".html") and "migrations" not in path.parts and "vendor" not in path.parts:
                found.append(path)
    return found


def _offenders(pattern: str) -> list[str]:
    regex = re.compile(pattern)
    return [str(p.relative_to(ROOT)) for p in _tree() if p != HOME and regex.search(p.read_text(errors="ignore"))]


def test_the_pound_is_defined_once() -> None:
    assert _offenders(r"0\.45359237|2\.2046|LB_IN_KG\s*=") == []


def test_the_bells_are_listed_once() -> None:
    # range(8, 49, 4), [8, 12, 16, ...] or "8, 12, 16" spelled out anywhere but units.py.
    assert _offenders(r"range\(8,\s*49|\b8,\s*12,\s*16\b") == []


@pytest.mark.parametrize(
    ("implement", "unit", "step"),
    [
        ("barbell", "kg", "2.5"),
        ("barbell", "lb", "5"),
        ("dumbbell", "kg", "2"),
        ("dumbbell", "lb", "5"),
        ("kettlebell", "kg", "4"),
        ("kettlebell", "lb", "5"),
        ("bodyweight", "kg", "0"),
        ("dowel", "lb", "0"),
    ],
)
def test_the_load_step_in_the_display_unit(implement: str, unit: str, step: str) -> None:
    assert units.load_step(implement, unit) == D(step)
    assert Exercise(implement=implement).load_step_kg == units.load_step(implement, "kg")


def test_an_unknown_implement_or_unit_has_no_step() -> None:
    with pytest.raises(ValueError, match="implement"):
        units.load_step("cable", "kg")
    with pytest.raises(ValueError, match="unit"):
        units.load_step("barbell", "st")


@pytest.mark.parametrize(
    ("load", "unit", "shown"),
    [
        ("24", "kg", "24"),
        ("52.91", "lb", "53"),  # the 24 kg bell, 52.91094... lb, reads as 53 lb
        ("53", "lb", "53"),
        ("17.64", "lb", "18"),
        ("50", "lb", None),  # no bell
        ("25", "kg", None),
    ],
)
def test_a_bell_as_a_person_reads_it(load: str, unit: str, shown: str | None) -> None:
    assert units.bell_shown(D(load), unit) == (None if shown is None else D(shown))


def test_the_models_display_helpers_are_the_units() -> None:
    kg_24 = units.KETTLEBELL_BELLS_KG[4]
    assert shown_load(kg_24, "lb", "kettlebell") == D("53")
    assert display_load(kg_24, "lb") == D("52.91")
    assert to_kg(D("100"), "lb") == units.to_kg(D("100"), "lb")
    barbell, bell = Exercise(implement="barbell"), Exercise(implement="kettlebell")
    assert Line(exercise=bell, load=D("53"), unit="lb").load_kg == units.grid_kg(D("53"), "kettlebell", "lb") == D("24")
    assert Line(exercise=barbell, load=D("135"), unit="lb").load_kg == units.to_kg(D("135"), "lb")


def test_the_kettlebell_error_names_the_engines_bells() -> None:
    assert KETTLEBELL_LOAD_ERROR == "Kettlebells come in 8, 12, 16, … 48 kg."
