"""'The coach's own exercise beats the library's' has one home, coaching/access.py: every lookup
of an exercise by slug (the API, the sync, approving a review, the line form, the exercise page)
asks ``exercises_by_slug`` / ``exercise_map`` / ``access_exercise``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from coaching.access import access_exercise, exercise_map, exercises_by_slug, exercises_for
from coaching.forms import LineForm
from programs.models import Exercise

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _own(coach: Any, name: str) -> Exercise:
    """The coach's own exercise with the library's Romanian deadlift's slug."""
    return Exercise.objects.create(owner=coach.user, slug="romanian-deadlift", name=name, implement="barbell")


@pytest.mark.parametrize("name", ["Aa my RDL", "Zz my RDL"])  # before and after the library's name
def test_the_coachs_own_exercise_wins_whatever_the_order(coach: Any, name: str) -> None:
    own = _own(coach, name)
    library = Exercise.objects.get(slug="romanian-deadlift", owner__isnull=True)
    assert exercises_by_slug([library, own])["romanian-deadlift"] == own
    assert exercises_by_slug([own, library])["romanian-deadlift"] == own
    assert exercise_map(coach.user)["romanian-deadlift"] == own
    assert exercise_map(coach.user, ["romanian-deadlift"]) == {"romanian-deadlift": own}
    assert access_exercise(coach.user, "romanian-deadlift") == own
    form = LineForm(data={"exercise": "romanian-deadlift"}, exercises=exercises_for(coach.user))
    assert form.chosen == own


def test_without_an_own_exercise_the_library_one_is_used(coach: Any, other_coach: Any) -> None:
    _own(other_coach, "Theirs")
    library = Exercise.objects.get(slug="romanian-deadlift", owner__isnull=True)
    assert exercise_map(coach.user)["romanian-deadlift"] == library
    assert access_exercise(coach.user, "romanian-deadlift") == library


def test_no_second_home_for_the_own_exercise_rule() -> None:
    patterns = [
        r"slug not in \w+ or \w+\.owner_id is not None",  # the loop that keeps the own exercise
        r"key=lambda \w+: \w+\.owner_id is None",
        r"\{\w+\.slug: \w+ for \w+ in exercises_for\(",  # a map where the last one wins
        r"for \w+ in \w+ if \w+\.slug == ",  # the first one by name wins
    ]
    offenders = [
        f"{path.relative_to(ROOT)}: {pattern}"
        for path in sorted((ROOT / "coaching").rglob("*.py"))
        if path != ROOT / "coaching" / "access.py" and "migrations" not in path.parts
        for pattern in patterns
        if re.search(pattern, path.read_text())
    ]
    assert offenders == []
