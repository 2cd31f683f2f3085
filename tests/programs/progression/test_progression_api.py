"""The engine's public surface: plain Python, frozen values, the names the Django side calls."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal, localcontext
from pathlib import Path

import pytest
from progression_builders import MON, clean, line, review

import programs.progression as progression
from programs.progression import AssignmentSettings, Proposal, is_deload_week, propose, week_index

ROOT = Path(__file__).resolve().parents[3]


def test_the_engine_imports_no_django():
    code = (
        "import sys, programs.progression; "
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith('django.')]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_no_module_of_the_engine_imports_django():
    importing = re.compile(r"^\s*(from|import)\s+django\b", re.MULTILINE)
    for path in (ROOT / "programs" / "progression").rglob("*.py"):
        assert not importing.search(path.read_text(encoding="utf-8")), path


def test_the_public_api_is_exported():
    for name in (
        "ExerciseFacts",
        "Line",
        "LoggedSet",
        "SessionLog",
        "AssignmentSettings",
        "ReviewInput",
        "Proposal",
        "propose",
        "week_metrics",
        "round_down_to_grid",
        "next_step_up",
        "lightest",
        "LB_IN_KG",
        "to_kg",
        "from_kg",
        "load_step_kg",
        "bell_for",
    ):
        assert name in progression.__all__
        assert hasattr(progression, name)


def test_values_are_frozen():
    proposal = propose(review(line(), clean(-6), clean(1)))
    with pytest.raises(dataclasses.FrozenInstanceError):
        proposal.action = "hold"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        proposal.current.load = Decimal(1)  # type: ignore[misc]


def test_assignment_settings_take_keywords_with_the_documented_defaults():
    settings = AssignmentSettings(unit="kg", first_monday=MON)
    assert settings.load_increment_pct == Decimal("5")
    assert settings.deload_every_weeks is None


def test_propose_is_deterministic_and_ignores_the_callers_decimal_context():
    inp = review(line(load="135", unit="lb"), clean(-6, load="135", unit="lb"), clean(1, load="135", unit="lb"))
    first = propose(inp)
    with localcontext() as ctx:
        ctx.prec = 3
        assert propose(inp) == first
    assert isinstance(first, Proposal)
    assert first.proposed.load == Decimal("140")


@pytest.mark.parametrize(
    ("day", "first_monday", "index"),
    [
        (date(2026, 10, 5), date(2026, 10, 5), 1),
        (date(2026, 10, 11), date(2026, 10, 5), 1),
        (date(2026, 10, 12), date(2026, 10, 5), 2),
        (date(2026, 11, 16), date(2026, 10, 5), 7),
        (date(2026, 10, 4), date(2026, 10, 5), 0),
    ],
)
def test_week_index_counts_from_the_first_monday(day, first_monday, index):
    assert week_index(day, first_monday) == index


@pytest.mark.parametrize(
    ("index", "every", "deload"),
    [(4, 4, True), (8, 4, True), (3, 4, False), (0, 4, False), (-4, 4, False), (5, None, False), (5, 0, False)],
)
def test_weeks_n_2n_are_deload_weeks(index, every, deload):
    assert is_deload_week(index, every) is deload


def test_an_exercise_the_library_does_not_know_is_held_with_a_reason():
    proposal = propose(review(line("zercher-squat"), clean(1, exercise="zercher-squat")))
    assert (proposal.action, proposal.rule, proposal.proposed) == ("hold", "hold", proposal.current)
    assert "not an exercise of the library" in proposal.rationale


@pytest.mark.parametrize("load", ["NaN", "-5", "Infinity"])
def test_an_unusable_load_is_held_with_a_reason(load):
    proposal = propose(review(line(load=load)))
    assert (proposal.action, proposal.rule) == ("hold", "hold")
    assert "not a usable number" in proposal.rationale
