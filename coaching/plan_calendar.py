"""Planned vs logged: the client page's calendar of training days (docs/domain.md "Training days").

Pure: the days of an assignment and its sessions (each as its local date for the coach and the
day it followed) in, one ``CalendarWeek`` per Monday–Sunday week out. No database here; the
reads are ``coaching.selectors_coach.client_calendar``.

A day pinned to a weekday is **done** when a session of that day was logged on that weekday,
**moved** when the day's session was logged on another weekday of the same week, **missed** when
the week has no session of it (once its date has passed; until then it is **planned**). A day
pinned to two weekdays needs two sessions: each session goes to its own weekday first, then to
the nearest pin left. Unpinned days (the rotation) are counted per week: the sessions not used
by a pin, against ``sessions_per_week`` less the pinned weekdays. Adherence counts every session
with a set against ``sessions_per_week``, as the weekly review does (not prorated).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from programs.days import Day

DONE = "done"
MOVED = "moved"
MISSED = "missed"
PLANNED = "planned"


@dataclass(frozen=True)
class LoggedRef:
    """A logged session as the calendar reads it. ``day`` is the day followed (None: dayless, or
    of another assignment); ``counted`` is whether it has a set (what adherence counts)."""

    id: Any
    on: dt.date
    day: int | None = None
    counted: bool = True
    link: str = ""  # where the client page lists it


@dataclass(frozen=True)
class PinnedMark:
    """A pinned day's weekday in one week and what became of it."""

    day: Day
    on: dt.date
    status: str  # DONE, MOVED, MISSED or PLANNED
    session: LoggedRef | None = None  # the session that did it (done or moved)


@dataclass(frozen=True)
class CalendarDate:
    on: dt.date
    marks: tuple[PinnedMark, ...]  # the days pinned to this weekday
    sessions: tuple[LoggedRef, ...]  # the sessions logged this date
    before_start: bool
    future: bool


@dataclass(frozen=True)
class CalendarWeek:
    monday: dt.date
    dates: tuple[CalendarDate, ...]  # Monday to Sunday
    marks: tuple[PinnedMark, ...]  # every pinned weekday of the week, in date order
    rotation_planned: int  # sessions of unpinned days the week asks for
    rotation_logged: int  # counted sessions no pin used
    logged: int  # counted sessions
    sessions_per_week: int
    finished: bool  # the week is over

    @property
    def rotation_missed(self) -> int:
        return max(0, self.rotation_planned - self.rotation_logged) if self.finished else 0

    @property
    def missed(self) -> int:
        return sum(1 for mark in self.marks if mark.status == MISSED) + self.rotation_missed

    def count(self, status: str) -> int:
        return sum(1 for mark in self.marks if mark.status == status)


def moved_from(week: CalendarWeek, session: LoggedRef) -> PinnedMark | None:
    """The pinned weekday a session stood in for, when it was logged on another weekday."""
    return next((m for m in week.marks if m.status == MOVED and m.session == session), None)


def _nearest(pins: list[dt.date], on: dt.date) -> dt.date:
    return min(pins, key=lambda pin: (abs((pin - on).days), pin))


def plan_week(
    days: Sequence[Day],
    sessions: Iterable[LoggedRef],
    monday: dt.date,
    *,
    sessions_per_week: int,
    today: dt.date,
    start: dt.date | None = None,
) -> CalendarWeek:
    """The week starting ``monday``: each pinned weekday done, moved, missed or planned, and the
    rotation counted. ``sessions`` may hold other weeks' sessions (they are left out); a pinned
    weekday before ``start`` (the assignment's start date) is not planned."""
    sunday = monday + dt.timedelta(days=6)
    week = sorted((s for s in sessions if monday <= s.on <= sunday), key=lambda s: s.on)
    counted = [s for s in week if s.counted]
    used: set[int] = set()  # indexes into ``counted``
    marks: list[PinnedMark] = []
    pinned_slots = 0
    for day in days:
        pins = [monday + dt.timedelta(days=weekday) for weekday in sorted(day.weekdays)]
        pinned_slots += len(pins)
        pins = [pin for pin in pins if start is None or pin >= start]
        own = [i for i, s in enumerate(counted) if s.day == day.number and i not in used]
        filled: dict[dt.date, tuple[str, LoggedRef]] = {}
        for i in list(own):
            if counted[i].on in pins and counted[i].on not in filled:
                filled[counted[i].on] = (DONE, counted[i])
                used.add(i)
                own.remove(i)
        for i in own:
            left = [pin for pin in pins if pin not in filled]
            if not left:
                break
            filled[_nearest(left, counted[i].on)] = (MOVED, counted[i])
            used.add(i)
        for pin in pins:
            if pin in filled:
                status, session = filled[pin]
                marks.append(PinnedMark(day, pin, status, session))
            else:
                marks.append(PinnedMark(day, pin, MISSED if pin < today else PLANNED))
    marks.sort(key=lambda mark: mark.on)
    dates = tuple(
        CalendarDate(
            on=on,
            marks=tuple(m for m in marks if m.on == on),
            sessions=tuple(s for s in week if s.on == on),
            before_start=start is not None and on < start,
            future=on > today,
        )
        for on in (monday + dt.timedelta(days=i) for i in range(7))
    )
    return CalendarWeek(
        monday=monday,
        dates=dates,
        marks=tuple(marks),
        rotation_planned=max(0, sessions_per_week - pinned_slots) if any(not d.weekdays for d in days) else 0,
        rotation_logged=len(counted) - len(used),
        logged=len(counted),
        sessions_per_week=sessions_per_week,
        finished=sunday < today,
    )


def plan_weeks(
    days: Sequence[Day],
    sessions: Sequence[LoggedRef],
    mondays: Iterable[dt.date],
    *,
    sessions_per_week: int,
    today: dt.date,
    start: dt.date | None = None,
) -> list[CalendarWeek]:
    """``plan_week`` for each of ``mondays``."""
    return [
        plan_week(days, sessions, monday, sessions_per_week=sessions_per_week, today=today, start=start)
        for monday in mondays
    ]
