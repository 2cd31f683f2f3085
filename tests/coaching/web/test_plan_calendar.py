"""Planned vs logged (coaching.plan_calendar): table tests, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from coaching.plan_calendar import DONE, MISSED, MOVED, PLANNED, LoggedRef, moved_from, plan_week, plan_weeks
from programs.days import Day

MONDAY = dt.date(2026, 11, 16)
AFTER = MONDAY + dt.timedelta(days=14)  # "today" well after the week: the week is over

A_MON = Day(1, "Day A", (0,))
B_THU = Day(2, "Day B", (3,))
A_MON_THU = Day(1, "Day A", (0, 3))
C_FREE = Day(3, "Day C")
D_FREE = Day(4, "Day D")


def on(weekday: int, day: int | None, *, counted: bool = True, sid: str = "") -> LoggedRef:
    return LoggedRef(id=sid or f"{weekday}-{day}", on=MONDAY + dt.timedelta(days=weekday), day=day, counted=counted)


def statuses(week) -> list[tuple[str, int, str]]:
    return [(m.day.name, m.on.weekday(), m.status) for m in week.marks]


CASES = [
    # (what, days, sessions, today, expected marks, (rotation planned, rotation logged, missed))
    ("both pinned days on their weekdays", [A_MON, B_THU], [on(0, 1), on(3, 2)], AFTER,
     [("Day A", 0, DONE), ("Day B", 3, DONE)], (0, 0, 0)),
    ("Day A logged on Tuesday is moved", [A_MON, B_THU], [on(1, 1), on(3, 2)], AFTER,
     [("Day A", 0, MOVED), ("Day B", 3, DONE)], (0, 0, 0)),
    ("Day A logged later than its pin, on Saturday, is still moved", [A_MON, B_THU], [on(5, 1)], AFTER,
     [("Day A", 0, MOVED), ("Day B", 3, MISSED)], (0, 0, 1)),
    ("nothing logged: both missed", [A_MON, B_THU], [], AFTER,
     [("Day A", 0, MISSED), ("Day B", 3, MISSED)], (0, 0, 2)),
    ("a Day B session on Monday does not do Day A", [A_MON, B_THU], [on(0, 2)], AFTER,
     [("Day A", 0, MISSED), ("Day B", 3, MOVED)], (0, 0, 1)),
    ("a dayless session does no pinned day", [A_MON, B_THU], [on(0, None)], AFTER,
     [("Day A", 0, MISSED), ("Day B", 3, MISSED)], (0, 1, 2)),
    ("a session without sets does not count", [A_MON, B_THU], [on(0, 1, counted=False)], AFTER,
     [("Day A", 0, MISSED), ("Day B", 3, MISSED)], (0, 0, 2)),
    ("a day on two weekdays needs two sessions", [A_MON_THU], [on(0, 1)], AFTER,
     [("Day A", 0, DONE), ("Day A", 3, MISSED)], (0, 0, 1)),
    ("a day on two weekdays: Wednesday stands in for the nearer Thursday", [A_MON_THU], [on(2, 1)], AFTER,
     [("Day A", 0, MISSED), ("Day A", 3, MOVED)], (0, 0, 1)),
    ("a day on two weekdays: Tuesday and Friday", [A_MON_THU], [on(1, 1), on(4, 1)], AFTER,
     [("Day A", 0, MOVED), ("Day A", 3, MOVED)], (0, 0, 0)),
    ("an extra session of a pinned day is left to the rotation count", [A_MON], [on(0, 1), on(2, 1)], AFTER,
     [("Day A", 0, DONE)], (0, 1, 0)),
    ("mid-week: a pin still ahead is planned, one passed is missed", [A_MON, B_THU], [], MONDAY + dt.timedelta(days=2),
     [("Day A", 0, MISSED), ("Day B", 3, PLANNED)], (0, 0, 1)),
    ("today's pin not logged yet is planned", [A_MON], [], MONDAY, [("Day A", 0, PLANNED)], (0, 0, 0)),
    ("rotation: two unpinned days of three sessions a week, two logged", [C_FREE, D_FREE],
     [on(0, 3), on(2, 4)], AFTER, [], (3, 2, 1)),
    ("rotation beside a pin: 3 a week less the Monday pin", [A_MON, C_FREE], [on(0, 1), on(4, 3)], AFTER,
     [("Day A", 0, DONE)], (2, 1, 1)),
    ("rotation in a week not over counts nothing missed yet", [C_FREE], [on(0, 3)], MONDAY + dt.timedelta(days=3),
     [], (3, 1, 0)),
]  # fmt: skip


@pytest.mark.parametrize(("what", "days", "sessions", "today", "marks", "rotation"), CASES, ids=[c[0] for c in CASES])
def test_plan_week(what: str, days, sessions, today, marks, rotation) -> None:
    week = plan_week(days, sessions, MONDAY, sessions_per_week=3, today=today)
    assert statuses(week) == marks, what
    assert (week.rotation_planned, week.rotation_logged, week.missed) == rotation, what
    assert week.logged == sum(1 for s in sessions if s.counted)


def test_a_moved_session_says_which_pin_it_stood_in_for() -> None:
    moved = on(1, 1)
    week = plan_week([A_MON, B_THU], [moved, on(3, 2)], MONDAY, sessions_per_week=2, today=AFTER)
    mark = moved_from(week, moved)
    assert mark is not None
    assert mark.on == MONDAY
    assert moved_from(week, week.dates[3].sessions[0]) is None  # Day B was done on its day


def test_dates_run_monday_to_sunday_with_their_pins_and_sessions() -> None:
    week = plan_week(
        [A_MON, B_THU], [on(1, 1), on(3, 2)], MONDAY, sessions_per_week=2, today=MONDAY + dt.timedelta(days=3)
    )
    assert [d.on.weekday() for d in week.dates] == list(range(7))
    assert [len(d.marks) for d in week.dates] == [1, 0, 0, 1, 0, 0, 0]
    assert [len(d.sessions) for d in week.dates] == [0, 1, 0, 1, 0, 0, 0]
    assert [d.future for d in week.dates] == [False] * 4 + [True] * 3
    assert not week.finished


def test_pins_before_the_start_date_are_not_planned() -> None:
    week = plan_week([A_MON, B_THU], [], MONDAY, sessions_per_week=2, today=AFTER, start=MONDAY + dt.timedelta(days=2))
    assert statuses(week) == [("Day B", 3, MISSED)]
    assert [d.before_start for d in week.dates] == [True, True] + [False] * 5


def test_other_weeks_sessions_are_left_out() -> None:
    next_monday = LoggedRef(id="n", on=MONDAY + dt.timedelta(days=7), day=1)
    [this, following] = plan_weeks(
        [A_MON], [on(0, 1), next_monday], [MONDAY, MONDAY + dt.timedelta(days=7)], sessions_per_week=1, today=AFTER
    )
    assert (this.logged, following.logged) == (1, 1)
    assert statuses(this) == statuses(following) == [("Day A", 0, DONE)]
