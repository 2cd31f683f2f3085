"""programs/days.py, the one home of a week's structure (docs/domain.md "Training days"): its
validator, the day due, and the small helpers. No database: plain values in, plain values out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from programs.days import (
    MAX_DAYS,
    ONE_DAY,
    Day,
    DayDue,
    day_due,
    days_errors,
    default_name,
    default_sessions_per_week,
    mask_weekdays,
    next_number,
    ordered,
    weekday_mask,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
# A week of dates: 2026-11-16 is a Monday.
ON = {weekday: dt.date(2026, 11, 16) + dt.timedelta(days=weekday) for weekday in range(7)}


@dataclass(frozen=True)
class Exercise:
    slug: str
    name: str


@dataclass(frozen=True)
class L:
    """What ``days_errors`` reads of a line: its day and its exercise."""

    day: Any
    exercise: Exercise


DL = Exercise("deadlift", "Deadlift")
HT = Exercise("hip-thrust", "Hip thrust")
KBS = Exercise("kettlebell-swing", "Kettlebell swing")

A, B, C = Day(1, "Day A"), Day(2, "Day B"), Day(3, "Day C")


def line(day: Any, exercise: Exercise = DL) -> L:
    return L(day, exercise)


# --- days_errors --------------------------------------------------------------------------

DAY_NUMBER = "A day's number is a whole number from 1 to 7 (got {!r})."

ERROR_CASES = [
    pytest.param([], [line(1)], {"days": ["A program needs at least one day."]}, id="no-days"),
    pytest.param(
        [Day(n, f"D{n}") for n in range(1, 8)] + [Day(1, "Again")],
        [line(n) for n in range(1, 8)],
        {"days": ["A program has at most 7 days.", "Day number 1 is used twice."]},
        id="eight-days",
    ),
    *[
        pytest.param(
            [Day(number, "Day A")], [line(number)], {"days": [DAY_NUMBER.format(number)]}, id=f"number-{number!r}"
        )
        for number in (0, 8, -1)
    ],
    *[
        pytest.param(
            [Day(number, "Day A")],
            [line(number)],
            {
                "days": [DAY_NUMBER.format(number)],
                "prescription": [f"A line's day {number!r} is not one of the program's days."],
            },
            id=f"number-{number!r}",
        )
        for number in ("1", 1.0, True, None)
    ],
    pytest.param([A, Day(1, "Day B")], [line(1)], {"days": ["Day number 1 is used twice."]}, id="number-used-twice"),
    *[
        pytest.param([Day(1, name)], [line(1)], {"days": ["Give every day a name."]}, id=f"name-{name!r}")
        for name in ("", "   ", None, 7)
    ],
    pytest.param(
        [Day(1, "x" * 41)], [line(1)], {"days": ["A day's name has at most 40 characters."]}, id="name-too-long"
    ),
    *[
        pytest.param(
            [Day(1, "Day A", (weekday,))],
            [line(1)],
            {"days": [f"Weekdays are 0 (Monday) to 6 (Sunday) (got {weekday!r})."]},
            id=f"weekday-{weekday!r}",
        )
        for weekday in (7, -1, "0", True, 1.5)
    ],
    pytest.param(
        [Day(1, "Day A", (MON, THU)), Day(2, "Day B", (THU,))],
        [line(1), line(2)],
        {"days": ["Thursday is pinned to two days: pin a weekday to one day at most."]},
        id="weekday-on-two-days",
    ),
    pytest.param(
        [A, B],
        [line(1), line(3)],
        {
            "days": ["Day B has no lines: give every day at least one line, or delete it."],
            "prescription": ["A line's day 3 is not one of the program's days (1, 2)."],
        },
        id="line-of-no-day",
    ),
    *[
        pytest.param(
            [A],
            [line(day)],
            {
                "days": ["Day A has no lines: give every day at least one line, or delete it."],
                "prescription": [f"A line's day {day!r} is not one of the program's days (1)."],
            },
            id=f"line-day-{day!r}",
        )
        for day in ("1", True, 1.0, None)
    ],
    pytest.param(
        [A, B],
        [line(1), line(1, HT)],
        {"days": ["Day B has no lines: give every day at least one line, or delete it."]},
        id="day-without-lines",
    ),
    pytest.param(
        [A, B],
        [line(1), line(2), line(1)],
        {"prescription": ["Deadlift is twice on Day A: an exercise is on a day once at most."]},
        id="exercise-twice-on-a-day",
    ),
    pytest.param(
        [A],
        [line(1), line(1), line(1)],
        {"prescription": ["Deadlift is twice on Day A: an exercise is on a day once at most."]},
        id="a-message-once-however-often",
    ),
]


@pytest.mark.parametrize(("days", "lines", "expected"), ERROR_CASES)
def test_days_errors_says_each_rule_under_its_key(days: list[Day], lines: list[L], expected: dict[str, Any]) -> None:
    assert days_errors(days, lines) == expected


VALID_CASES = [
    pytest.param(list(ONE_DAY), [line(1), line(1, HT)], id="one-day"),
    pytest.param(
        [Day(n, default_name(n - 1), (n - 1,)) for n in range(1, 8)],
        [line(n) for n in range(1, 8)],
        id="seven-days-each-pinned",
    ),
    pytest.param(
        [Day(n, f"Day {n}") for n in (7, 3, 1, 5, 2, 6, 4)], [line(n) for n in range(1, 8)], id="seven-any-order"
    ),
    pytest.param([A, B], [line(1), line(2)], id="one-exercise-heavy-and-light-days"),
    pytest.param([Day(1, "x" * 40), Day(2, "  padded  ")], [line(1), line(2, KBS)], id="name-of-40"),
    pytest.param([Day(4, "Day A", (MON, THU)), Day(6, "Day B", (SAT,))], [line(4), line(6)], id="gaps-in-numbers"),
    pytest.param([Day(1, "Day A", (MON, MON))], [line(1)], id="a-weekday-twice-on-one-day"),
]


@pytest.mark.parametrize(("days", "lines"), VALID_CASES)
def test_days_errors_is_empty_for_a_valid_week(days: list[Day], lines: list[L]) -> None:
    assert days_errors(days, lines) == {}


def test_a_week_without_any_line_is_left_to_the_caller() -> None:
    """The days are checked; that a prescription has lines at all is the line validators' rule."""
    assert days_errors([A, B], []) == {}
    assert days_errors([A, Day(0, "Zero")], []) == {"days": [DAY_NUMBER.format(0)]}


# --- day_due ------------------------------------------------------------------------------

PINNED_A_MON_B_THU = [Day(1, "Day A", (MON,)), Day(2, "Day B", (THU,))]
ROTATION = [A, B, C]
MIXED = [Day(1, "Day A", (MON,)), B, C]  # Day A on Mondays, B and C in turn the other days

DUE_CASES = [
    # (days, on, last_day, start, expected number, rest day)
    pytest.param(MIXED, ON[MON], 3, None, 1, False, id="pinned-weekday-wins-over-the-rotation"),
    pytest.param(PINNED_A_MON_B_THU, ON[THU], 2, None, 2, False, id="pinned-whatever-the-last-day"),
    pytest.param(ROTATION, ON[TUE], 1, None, 2, False, id="after-A-comes-B"),
    pytest.param(ROTATION, ON[TUE], 2, None, 3, False, id="after-B-comes-C"),
    pytest.param(ROTATION, ON[TUE], 3, None, 1, False, id="after-the-last-wraps-to-the-first"),
    pytest.param([Day(3, "C"), Day(1, "A"), Day(2, "B")], ON[WED], 3, None, 1, False, id="order-not-numbers"),
    pytest.param([Day(3, "C"), Day(1, "A"), Day(2, "B")], ON[WED], 2, None, 3, False, id="order-wraps"),
    pytest.param(MIXED, ON[TUE], 1, None, 2, False, id="latest-day-pinned-next-unpinned"),
    pytest.param(MIXED, ON[WED], 3, None, 2, False, id="wrap-skips-the-pinned-day"),
    pytest.param([B, Day(1, "Day A", (FRI,)), C], ON[TUE], 2, None, 3, False, id="skips-a-pinned-day-between"),
    pytest.param(ROTATION, ON[TUE], 5, None, 1, False, id="latest-day-no-longer-there-first-unpinned"),
    pytest.param(MIXED, ON[TUE], 7, None, 2, False, id="latest-day-gone-first-unpinned-not-first-day"),
    pytest.param(ROTATION, ON[SAT], None, None, 1, False, id="no-latest-day-first-unpinned"),
    pytest.param(MIXED, ON[SAT], None, None, 2, False, id="no-latest-day-first-day-pinned"),
    pytest.param(list(ONE_DAY), ON[SUN], 1, None, 1, False, id="one-day-every-day"),
    pytest.param(PINNED_A_MON_B_THU, ON[TUE], 1, None, 2, True, id="all-pinned-rest-day-offers-next"),
    pytest.param(PINNED_A_MON_B_THU, ON[FRI], 2, None, 1, True, id="all-pinned-rest-day-wraps"),
    pytest.param(PINNED_A_MON_B_THU, ON[SUN], None, None, 1, True, id="all-pinned-rest-day-no-latest"),
    pytest.param(PINNED_A_MON_B_THU, ON[WED], 6, None, 1, True, id="all-pinned-rest-day-latest-gone"),
    pytest.param(PINNED_A_MON_B_THU, ON[THU], 2, ON[FRI], 1, False, id="before-start-the-first-day"),
    pytest.param(ROTATION, ON[TUE], 1, ON[WED], 1, False, id="before-start-no-rotation"),
    pytest.param(PINNED_A_MON_B_THU, ON[TUE], 1, ON[FRI], 1, False, id="before-start-no-rest-day"),
    pytest.param(PINNED_A_MON_B_THU, ON[THU], 1, ON[THU], 2, False, id="on-the-start-date-as-usual"),
]


@pytest.mark.parametrize(("days", "on", "last_day", "start", "number", "rest_day"), DUE_CASES)
def test_day_due(
    days: list[Day], on: dt.date, last_day: int | None, start: dt.date | None, number: int, rest_day: bool
) -> None:
    due = day_due(days, on, last_day, start=start)
    assert due == DayDue(next(day for day in days if day.number == number), rest_day=rest_day)


def test_day_due_needs_a_day() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        day_due([], ON[MON], None)


def _weeks() -> st.SearchStrategy[list[Day]]:
    """Any valid week: 1-7 days with unique numbers in any order, each weekday on one day at most."""

    @st.composite
    def build(draw: st.DrawFn) -> list[Day]:
        numbers = draw(st.permutations(range(1, MAX_DAYS + 1)))[: draw(st.integers(1, MAX_DAYS))]
        # Each weekday goes to one of the days or to none (index len(numbers)).
        owner = draw(st.lists(st.integers(0, len(numbers)), min_size=7, max_size=7))
        return [
            Day(number, default_name(i), tuple(w for w in range(7) if owner[w] == i))
            for i, number in enumerate(numbers)
        ]

    return build()


@settings(max_examples=300, deadline=None, database=None)
@given(
    days=_weeks(),
    on=st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
    last_day=st.none() | st.integers(1, 9),
    start=st.none() | st.dates(dt.date(2026, 1, 1), dt.date(2027, 12, 31)),
)
def test_day_due_is_one_of_the_days_and_a_rest_day_only_when_every_day_is_pinned(
    days: list[Day], on: dt.date, last_day: int | None, start: dt.date | None
) -> None:
    assert days_errors(days, [line(day.number) for day in days]) == {}
    due = day_due(days, on, last_day, start=start)
    assert due.day in days
    pinned_today = [day for day in days if on.weekday() in day.weekdays]
    before_start = start is not None and on < start
    if due.rest_day:
        assert all(day.weekdays for day in days)
    assert due.rest_day == (not before_start and not pinned_today and all(day.weekdays for day in days))
    if pinned_today and not before_start:
        assert due.day == pinned_today[0]
    elif not before_start and not due.rest_day:
        assert not due.day.weekdays  # a weekday without a pin opens an unpinned day


# --- the helpers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        pytest.param(list(ONE_DAY), 1, id="one-day"),
        pytest.param([], 1, id="no-days"),
        pytest.param(ROTATION, 3, id="three-unpinned"),
        pytest.param(PINNED_A_MON_B_THU, 2, id="two-pins"),
        pytest.param([Day(1, "Day A", (MON, THU)), B], 3, id="two-pins-and-an-unpinned-day"),
        pytest.param([Day(n, "D", (n - 1,)) for n in range(1, 8)], 7, id="every-weekday"),
        pytest.param([Day(1, "Day A", (MON, MON)), B], 2, id="a-weekday-listed-twice-counts-once"),
    ],
)
def test_default_sessions_per_week(days: list[Day], expected: int) -> None:
    assert default_sessions_per_week(days) == expected


@pytest.mark.parametrize(
    ("numbers", "expected"),
    [([], 1), ([1], 2), ([1, 2, 3], 4), ([2, 3], 1), ([3, 1], 2), ([1, 2, 4, 5], 3), (list(range(1, 8)), None)],
)
def test_next_number_is_the_lowest_free_one(numbers: list[int], expected: int | None) -> None:
    assert next_number([Day(n, "D") for n in numbers]) == expected


def test_ordered_puts_lines_in_the_days_order_then_their_own_a_line_of_no_day_last() -> None:
    days = [Day(2, "Day B"), Day(1, "Day A")]
    lines = [line(1, DL), line(9, KBS), line(2, HT), line(1, KBS), line(2, DL)]
    assert ordered(days, lines) == [line(2, HT), line(2, DL), line(1, DL), line(1, KBS), line(9, KBS)]
    assert ordered(list(ONE_DAY), [line(1, HT), line(1, DL)]) == [line(1, HT), line(1, DL)]


@pytest.mark.parametrize(
    "day", [A, Day(7, "Heavy deadlift", (MON, THU)), Day(3, "Light", (SUN,)), Day(2, "Day B", tuple(range(7)))]
)
def test_a_day_reads_back_from_its_json(day: Day) -> None:
    assert Day.from_json(day.to_json()) == day
    assert day.to_json()["day"] == day.number


def test_a_day_in_json_without_a_name_or_weekdays_gets_the_defaults_for_its_place() -> None:
    assert Day.from_json({"day": 4}, index=2) == Day(4, "Day C", ())
    assert Day.from_json({"day": 4, "name": "  ", "weekdays": None}, index=0) == Day(4, "Day A", ())
    assert Day.from_json({"day": 1, "name": "Heavy", "weekdays": [0, 3]}) == Day(1, "Heavy", (MON, THU))


def test_labels_names_and_masks() -> None:
    assert Day(1, "Day A", (MON, THU)).label == "Day A · Mon, Thu"
    assert A.label == "Day A"
    assert [default_name(i) for i in range(7)] == [f"Day {c}" for c in "ABCDEFG"]
    assert default_name(7) == "Day 8"
    assert weekday_mask([MON, THU]) == 0b1001
    assert mask_weekdays(0b1001) == (MON, THU)
    assert all(mask_weekdays(weekday_mask(ws)) == ws for ws in [(), (SUN,), tuple(range(7)), (TUE, SAT)])
    assert Day(1, " Heavy ", (MON, THU)).row_values(2) == {
        "number": 1,
        "name": "Heavy",
        "position": 2,
        "weekday_mask": 0b1001,
    }
