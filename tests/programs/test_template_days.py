"""The builder's day and line edits as services: every action on a template's week, each refusal
with its message, and a refused action changes nothing (docs/domain.md "Training days")."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from programs.days import Day
from programs.lines import Line
from programs.models import ProgramTemplate
from programs.services import (
    template_create,
    template_day_add,
    template_day_delete,
    template_day_duplicate,
    template_day_move,
    template_day_update,
    template_days,
    template_line_add,
    template_line_move,
    template_line_remove,
    template_line_replace,
    template_line_to_day,
)
from tests.factories import exercise

pytestmark = pytest.mark.django_db

DEADLIFT, THRUST, SWING, SL_RDL, RDL = (
    "deadlift",
    "hip-thrust",
    "kettlebell-swing",
    "single-leg-rdl",
    "romanian-deadlift",
)


def line(slug: str, day: int = 1, load: str = "40") -> Line:
    return Line(exercise=exercise(slug), sets=3, low=8, high=10, load=Decimal(load), day=day)


@pytest.fixture
def week(coach: Any) -> ProgramTemplate:
    """Day A (heavy deadlift, hip thrust) pinned to Monday, Day B (swing, single-leg RDL)."""
    return template_create(
        owner=coach.user,
        name="Two days",
        days=[Day(1, "Day A", (0,)), Day(2, "Day B")],
        lines=[line(DEADLIFT, 1, "120"), line(THRUST, 1, "80"), line(SWING, 2, "24"), line(SL_RDL, 2, "20")],
    )


def shape(template: ProgramTemplate) -> list[tuple[Any, ...]]:
    """The stored week: each day (number, name, pins) with its lines' exercises, in order."""
    rows = list(template.lines.select_related("exercise").order_by("position"))
    return [
        (day.number, day.name, day.weekdays, [row.exercise.slug for row in rows if row.day == day.number])
        for day in template_days(template)
    ]


def stored(template: ProgramTemplate) -> tuple[list[Any], list[Any]]:
    """Every stored column of the days and lines but the ids, to see that nothing changed."""
    days = list(template.days.order_by("position").values("number", "name", "position", "weekday_mask"))
    lines = [{k: v for k, v in row.items() if k != "id"} for row in template.lines.order_by("position").values()]
    return days, lines


def refused(template: ProgramTemplate, action: Callable[[], Any]) -> dict[str, list[str]]:
    """Run ``action``, which must be refused, and check that it wrote nothing; answer its messages."""
    before = stored(template)
    with pytest.raises(ValidationError) as exc:
        action()
    assert stored(template) == before
    return exc.value.message_dict


# --- days ---------------------------------------------------------------------------------------


def test_adding_a_day_takes_the_lowest_free_number_the_next_name_and_its_first_line(week: ProgramTemplate) -> None:
    day = template_day_add(template=week, line=line(RDL, day=7))
    assert day == Day(3, "Day C")
    assert shape(week)[-1] == (3, "Day C", (), [RDL])


def test_a_new_day_fills_the_gap_a_deleted_day_left(week: ProgramTemplate) -> None:
    template_day_add(template=week, line=line(RDL))
    template_day_delete(template=week, number=2)
    day = template_day_add(template=week, line=line(SWING))
    assert day.number == 2  # the lowest free number
    assert day.name == "Day B"  # "Day C" is taken: the next default name not in use
    assert [d[:2] for d in shape(week)] == [(1, "Day A"), (3, "Day C"), (2, "Day B")]


def test_an_eighth_day_is_refused(week: ProgramTemplate) -> None:
    for slug in (RDL, SWING, THRUST, DEADLIFT, SL_RDL):
        template_day_add(template=week, line=line(slug))
    assert len(template_days(week)) == 7
    errors = refused(week, lambda: template_day_add(template=week, line=line(RDL)))
    assert errors == {"days": ["A program has at most 7 days."]}


def test_renaming_a_day_changes_no_line(week: ProgramTemplate) -> None:
    before = stored(week)[1]
    assert template_day_update(template=week, number=2, name="  Light day ") == Day(2, "Light day")
    assert shape(week)[1][:2] == (2, "Light day")
    assert stored(week)[1] == before


def test_an_empty_or_long_day_name_is_refused(week: ProgramTemplate) -> None:
    assert refused(week, lambda: template_day_update(template=week, number=1, name="  ")) == {
        "days": ["Give every day a name."]
    }
    errors = refused(week, lambda: template_day_update(template=week, number=1, name="x" * 41))
    assert errors == {"days": ["A day's name has at most 40 characters."]}


def test_pinning_a_day_to_weekdays(week: ProgramTemplate) -> None:
    template_day_update(template=week, number=2, weekdays=[3, 5, 3])
    template_day_update(template=week, number=1, weekdays=[])
    assert [(d[0], d[2]) for d in shape(week)] == [(1, ()), (2, (3, 5))]


def test_a_weekday_pinned_to_another_day_is_refused_naming_that_day(week: ProgramTemplate) -> None:
    errors = refused(week, lambda: template_day_update(template=week, number=2, name="Light", weekdays=[0, 3]))
    assert errors == {"weekdays": ["Monday is already pinned to Day A: unpin it there first."]}
    # Its own pin is no clash.
    template_day_update(template=week, number=1, weekdays=[0, 3])
    assert shape(week)[0][2] == (0, 3)


def test_a_weekday_out_of_range_is_refused(week: ProgramTemplate) -> None:
    errors = refused(week, lambda: template_day_update(template=week, number=2, weekdays=[7]))
    assert errors == {"days": ["Weekdays are 0 (Monday) to 6 (Sunday) (got 7)."]}


def test_a_day_that_is_gone_is_refused(week: ProgramTemplate) -> None:
    errors = refused(week, lambda: template_day_update(template=week, number=5, name="X"))
    assert errors == {"days": ["That day is no longer in the program: reload the page."]}


@pytest.mark.parametrize(
    ("number", "direction", "order", "moved"),
    [
        (2, "up", [2, 1], True),
        (1, "down", [2, 1], True),
        (1, "up", [1, 2], False),
        (2, "down", [1, 2], False),
        (1, "sideways", [1, 2], False),
    ],
)
def test_reordering_days_keeps_their_numbers_and_lines(
    week: ProgramTemplate, number: int, direction: str, order: list[int], moved: bool
) -> None:
    assert template_day_move(template=week, number=number, direction=direction) is moved
    assert [d[0] for d in shape(week)] == order
    assert {d[0]: d[3] for d in shape(week)} == {1: [DEADLIFT, THRUST], 2: [SWING, SL_RDL]}
    # The lines' stored order follows the days' order.
    rows = list(week.lines.order_by("position"))
    assert [row.day for row in rows] == [n for n in order for _ in range(2)]


def test_duplicating_a_day_copies_its_lines_right_after_it_without_pins(week: ProgramTemplate) -> None:
    copy = template_day_duplicate(template=week, number=1)
    assert copy == Day(3, "Day C")
    assert shape(week) == [
        (1, "Day A", (0,), [DEADLIFT, THRUST]),
        (3, "Day C", (), [DEADLIFT, THRUST]),
        (2, "Day B", (), [SWING, SL_RDL]),
    ]
    loads = [row.load_kg for row in week.lines.filter(day=3).order_by("position")]
    assert loads == [Decimal("120"), Decimal("80")]


def test_deleting_a_day_deletes_its_lines(week: ProgramTemplate) -> None:
    assert template_day_delete(template=week, number=1).name == "Day A"
    assert shape(week) == [(2, "Day B", (), [SWING, SL_RDL])]


def test_the_only_day_cannot_be_deleted(week: ProgramTemplate) -> None:
    template_day_delete(template=week, number=1)
    errors = refused(week, lambda: template_day_delete(template=week, number=2))
    assert errors == {"days": ["Day B is the program's only day: a program needs at least one day."]}


# --- lines, each on its day -----------------------------------------------------------------------


def test_adding_a_line_to_a_day_puts_it_at_the_end_of_that_day(week: ProgramTemplate) -> None:
    template_line_add(template=week, line=line(RDL, day=1))
    template_line_add(template=week, line=line(DEADLIFT, day=2), position=0)
    assert shape(week) == [
        (1, "Day A", (0,), [DEADLIFT, THRUST, RDL]),
        (2, "Day B", (), [DEADLIFT, SWING, SL_RDL]),
    ]


def test_a_line_on_no_such_day_or_twice_on_a_day_is_refused(week: ProgramTemplate) -> None:
    errors = refused(week, lambda: template_line_add(template=week, line=line(RDL, day=4)))
    assert errors == {"prescription": ["A line's day 4 is not one of the program's days (1, 2)."]}
    errors = refused(week, lambda: template_line_add(template=week, line=line(SWING, day=2)))
    assert errors == {"prescription": ["Kettlebell swing is twice on Day B: an exercise is on a day once at most."]}


def test_editing_a_line_keeps_it_on_its_day(week: ProgramTemplate) -> None:
    assert template_line_replace(template=week, day=2, position=1, line=line(RDL, day=1, load="30"))
    assert shape(week)[1][3] == [SWING, RDL]
    assert week.lines.get(day=2, exercise__slug=RDL).load_kg == Decimal("30")
    assert not template_line_replace(template=week, day=2, position=2, line=line(RDL))
    errors = refused(week, lambda: template_line_replace(template=week, day=2, position=0, line=line(RDL)))
    assert errors == {"prescription": ["Romanian deadlift is twice on Day B: an exercise is on a day once at most."]}


@pytest.mark.parametrize(
    ("day", "position", "direction", "expected", "moved"),
    [
        (2, 1, "up", [SL_RDL, SWING], True),
        (2, 0, "down", [SL_RDL, SWING], True),
        (2, 0, "up", [SWING, SL_RDL], False),  # first of its day
        (2, 1, "down", [SWING, SL_RDL], False),  # last of its day
        (2, 5, "up", [SWING, SL_RDL], False),
    ],
)
def test_reordering_lines_within_a_day(
    week: ProgramTemplate, day: int, position: int, direction: str, expected: list[str], moved: bool
) -> None:
    assert template_line_move(template=week, day=day, position=position, direction=direction) is moved
    assert shape(week)[1][3] == expected
    assert shape(week)[0][3] == [DEADLIFT, THRUST]


def test_removing_a_line_of_a_day(week: ProgramTemplate) -> None:
    removed = template_line_remove(template=week, day=2, position=0)
    assert removed is not None
    assert (removed.exercise.slug, removed.day) == (SWING, 2)
    assert shape(week)[1][3] == [SL_RDL]
    assert template_line_remove(template=week, day=2, position=3) is None


def test_the_last_line_of_a_day_cannot_be_removed_while_there_are_other_days(week: ProgramTemplate) -> None:
    template_line_remove(template=week, day=2, position=0)
    errors = refused(week, lambda: template_line_remove(template=week, day=2, position=0))
    assert errors == {"days": ["Day B has no lines: give every day at least one line, or delete it."]}


def test_a_removed_line_goes_back_to_its_day_and_place(week: ProgramTemplate) -> None:
    before = stored(week)
    removed = template_line_remove(template=week, day=1, position=0)
    assert removed is not None
    template_line_add(template=week, line=Line.from_row(removed), position=0)
    assert stored(week) == before


def test_moving_a_line_to_another_day(week: ProgramTemplate) -> None:
    assert template_line_to_day(template=week, day=1, position=1, to_day=2)
    assert shape(week) == [(1, "Day A", (0,), [DEADLIFT]), (2, "Day B", (), [SWING, SL_RDL, THRUST])]
    assert week.lines.get(exercise__slug=THRUST).load_kg == Decimal("80")
    assert not template_line_to_day(template=week, day=1, position=4, to_day=2)
    assert not template_line_to_day(template=week, day=2, position=0, to_day=2)


def test_moving_a_line_to_a_day_that_has_its_exercise_is_refused(week: ProgramTemplate) -> None:
    template_line_add(template=week, line=line(DEADLIFT, day=2, load="60"))
    errors = refused(week, lambda: template_line_to_day(template=week, day=1, position=0, to_day=2))
    assert errors == {"day": ["Deadlift is already on Day B: an exercise is on a day once at most."]}


def test_moving_a_days_last_line_away_or_to_no_such_day_is_refused(week: ProgramTemplate) -> None:
    template_line_to_day(template=week, day=1, position=1, to_day=2)
    errors = refused(week, lambda: template_line_to_day(template=week, day=1, position=0, to_day=2))
    assert errors == {"days": ["Day A has no lines: give every day at least one line, or delete it."]}
    errors = refused(week, lambda: template_line_to_day(template=week, day=2, position=0, to_day=6))
    assert errors == {"days": ["That day is no longer in the program: reload the page."]}


def test_a_one_day_template_behaves_as_before(coach: Any) -> None:
    """Line services without a day work on Day A; removing the last line leaves an empty program."""
    template = template_create(owner=coach.user, name="One", lines=[line(RDL)])
    template_line_add(template=template, line=line(SWING))
    assert template_line_move(template=template, position=1, direction="up")
    removed = template_line_remove(template=template, position=0)
    assert removed is not None
    assert template_line_remove(template=template, position=0) is not None
    assert shape(template) == [(1, "Day A", (), [])]
    template_day_update(template=template, number=1, name="Full body", weekdays=[0, 2, 4])
    assert shape(template) == [(1, "Full body", (0, 2, 4), [])]
