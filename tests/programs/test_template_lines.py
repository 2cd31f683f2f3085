"""The builder's line edits are services: add, replace, remove, put back, move; each one write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from programs.lines import Line
from programs.models import ProgramTemplate
from programs.services import (
    template_create,
    template_line_add,
    template_line_move,
    template_line_remove,
    template_line_replace,
)
from tests.factories import exercise

pytestmark = pytest.mark.django_db

RDL, THRUST, SWING = "romanian-deadlift", "hip-thrust", "kettlebell-swing"
SL_RDL = "single-leg-rdl"


def line(slug: str, load: str = "40", unit: str = "kg") -> Line:
    return Line(exercise=exercise(slug), sets=3, low=8, high=10, load=Decimal(load), unit=unit)


@pytest.fixture
def template(coach: Any) -> ProgramTemplate:
    return template_create(
        owner=coach.user, name="Hinge A", lines=[line(RDL, "60"), line(THRUST, "80"), line(SWING, "24")]
    )


def slugs(template: ProgramTemplate) -> list[str]:
    return [row.exercise.slug for row in template.lines.order_by("position")]


@pytest.mark.parametrize(
    ("position", "direction", "expected", "moved"),
    [
        (1, "up", [THRUST, RDL, SWING], True),
        (1, "down", [RDL, SWING, THRUST], True),
        (0, "up", [RDL, THRUST, SWING], False),  # already first
        (2, "down", [RDL, THRUST, SWING], False),  # already last
        (7, "up", [RDL, THRUST, SWING], False),  # no such line
        (1, "sideways", [RDL, THRUST, SWING], False),
    ],
)
def test_moving_a_line(template: ProgramTemplate, position: int, direction: str, expected: list[str], moved: bool):
    assert template_line_move(template=template, position=position, direction=direction) is moved
    assert slugs(template) == expected


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (None, [RDL, THRUST, SWING, SL_RDL]),
        (0, [SL_RDL, RDL, THRUST, SWING]),
        (2, [RDL, THRUST, SL_RDL, SWING]),
        (99, [RDL, THRUST, SWING, SL_RDL]),
    ],
)
def test_adding_a_line_at_the_end_or_back_where_it_was(
    template: ProgramTemplate, position: int | None, expected: list[str]
) -> None:
    template_line_add(template=template, line=line(SL_RDL, "50"), position=position)
    assert slugs(template) == expected


def test_replacing_a_line_keeps_the_others_as_stored(template: ProgramTemplate) -> None:
    assert template_line_replace(template=template, position=1, line=line(THRUST, "100", "lb"))
    rows = list(template.lines.order_by("position"))
    assert [r.exercise.slug for r in rows] == [RDL, THRUST, SWING]
    assert (rows[1].unit, rows[1].load_display) == ("lb", Decimal("100"))
    assert (rows[0].load_kg, rows[2].load_kg) == (Decimal("60"), Decimal("24"))
    assert not template_line_replace(template=template, position=3, line=line(RDL))
    assert template.lines.count() == 3


def test_removing_a_line_answers_the_removed_row(template: ProgramTemplate) -> None:
    removed = template_line_remove(template=template, position=1)
    assert removed is not None
    assert removed.exercise.slug == THRUST
    assert removed.load_kg == Decimal("80")
    assert slugs(template) == [RDL, SWING]
    assert template_line_remove(template=template, position=5) is None
    assert slugs(template) == [RDL, SWING]
