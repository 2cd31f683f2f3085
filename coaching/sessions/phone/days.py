"""Training days on the client's Today (docs/domain.md "Training days", "The day due"): which day
the page shows and how its header reads, and what the client did last time on each line. Pure
shaping of rows already loaded (no queries here); the day due and a set's line are decided by
``programs.days.day_due`` and ``programs.progression.days.line_for``, never a second copy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from coaching.models import LoggedSession, LoggedSet, PrescriptionLine
from coaching.sessions.phone.present import TodayLine, performed_local
from programs.days import WEEKDAY_NAMES, WEEKDAY_SHORT, Day, DayDue, day_due
from programs.lines import Line
from programs.models import shown_load
from programs.progression.days import line_for
from programs.progression.text import json_num as number

# Today keeps the two latest own sessions of each line: the page shows the latest one performed
# before today (the phone's local date decides on the phone), never the session being logged.
LAST_TIME_KEPT = 2


@dataclass(frozen=True)
class DoneSet:
    """One set of a line's last session, as the client reads it and as it fills the set's inputs."""

    side: str
    amount: int
    is_hold: bool
    load: Decimal  # in the unit it was entered in, as a person reads it (53 lb, not 52.91)
    unit: str
    fill_load: int | float  # in the line's unit: what the load input takes

    @property
    def text(self) -> str:
        side = f"{self.side} " if self.side != LoggedSet.Side.BOTH else ""
        amount = f"{self.amount} s" if self.is_hold else str(self.amount)
        if self.load > 0:
            return f"{side}{amount} × {number(self.load)} {self.unit}"
        return f"{side}{amount}" if self.is_hold else f"{side}{amount} reps"

    def as_json(self) -> dict[str, Any]:
        return {"side": self.side, "amount": self.amount, "load": self.fill_load, "text": self.text}


@dataclass(frozen=True)
class LastTime:
    """A line's own session: the sets of the line's exercise that went to that line."""

    session_id: str
    on: dt.date  # the day it was performed, at the phone's offset then
    sets: tuple[DoneSet, ...]

    @property
    def label(self) -> str:
        return f"Last time, {self.on.day} {self.on:%b}"

    @property
    def text(self) -> str:
        return f"{self.label}: {', '.join(s.text for s in self.sets)}"

    def as_json(self) -> dict[str, Any]:
        return {
            "session": self.session_id,
            "date": self.on.isoformat(),
            "label": self.label,
            "sets": [s.as_json() for s in self.sets],
        }


def _done(logged: LoggedSet, row: PrescriptionLine, unit: str) -> DoneSet:
    is_hold = logged.seconds is not None
    implement = row.exercise.implement
    return DoneSet(
        side=logged.side,
        amount=(logged.seconds if is_hold else logged.reps) or 0,
        is_hold=is_hold,
        load=shown_load(logged.load_kg, logged.unit, logged.exercise.implement),
        unit=logged.unit,
        fill_load=number(shown_load(logged.load_kg, unit, implement)),
    )


def last_times(
    sessions: Sequence[LoggedSession], rows: Sequence[PrescriptionLine], days: Sequence[Day], unit: str
) -> list[tuple[LastTime, ...]]:
    """For each of ``rows`` (the prescription's lines in the days' order), its latest own sessions,
    newest first (``LAST_TIME_KEPT`` at most), from ``sessions`` (newest first).

    A line's own session is a session of its day containing its exercise, or dayless sets going to
    it; ``line_for`` decides where each session's sets of an exercise go (docs/domain.md).
    """
    engine_lines = [Line.from_row(row, unit).to_engine() for row in rows]
    numbers = [day.number for day in days]
    found: list[list[LastTime]] = [[] for _ in rows]
    for session in sessions:
        groups: dict[str, list[LoggedSet]] = {}
        for logged in session.sets.all():
            groups.setdefault(logged.exercise.slug, []).append(logged)
        for slug, group in groups.items():
            index = line_for(slug, session.day, max(s.load_kg for s in group), engine_lines, numbers)
            if index is None or len(found[index]) >= LAST_TIME_KEPT:
                continue
            row = rows[index]
            found[index].append(
                LastTime(str(session.id), performed_local(session).date(), tuple(_done(s, row, unit) for s in group))
            )
    return [tuple(own) for own in found]


def with_last_times(
    lines: Sequence[TodayLine],
    sessions: Sequence[LoggedSession],
    rows: Sequence[PrescriptionLine],
    days: Sequence[Day],
    unit: str,
    on: dt.date,
) -> list[TodayLine]:
    """Today's lines (``present.today_lines(rows)``), each with its last times and the one shown."""
    found = last_times(sessions, rows, days, unit)
    return [replace(line, last_times=own, last=last_before(own, on)) for line, own in zip(lines, found, strict=True)]


def last_before(candidates: Sequence[LastTime], on: dt.date) -> LastTime | None:
    """The latest of a line's own sessions performed before ``on`` (today's is being logged)."""
    return next((c for c in candidates if c.on < on), None)


# --- the day Today shows ------------------------------------------------------------------


@dataclass(frozen=True)
class DayChoice:
    """The day Today shows on ``on``: the day due, or the one the client picked."""

    on: dt.date
    due: DayDue
    shown: Day
    picked: bool

    @property
    def rest_day(self) -> bool:
        """A rest day the client has not chosen to train anyway."""
        return self.due.rest_day and not self.picked

    @property
    def header(self) -> str:
        """ "Day B · Thursday", or "Rest day · Thursday"."""
        name = "Rest day" if self.rest_day else self.shown.name
        return f"{name} · {WEEKDAY_NAMES[self.on.weekday()]}"


def choose_day(
    days: Sequence[Day], on: dt.date, last_day: int | None, *, start: dt.date | None, picked: int | None
) -> DayChoice:
    """The day due on ``on`` (``programs.days.day_due``), or ``picked`` when it is one of ``days``
    (a day since deleted falls back to the day due)."""
    due = day_due(days, on, last_day, start=start)
    chosen = next((day for day in days if day.number == picked), None)
    return DayChoice(on=on, due=due, shown=chosen or due.day, picked=chosen is not None)


@dataclass(frozen=True)
class TodayDay:
    """One day of the prescription on Today: its lines, and whether it is the one shown."""

    day: Day
    lines: list[TodayLine]
    shown: bool

    @property
    def pins(self) -> str:
        return ", ".join(WEEKDAY_SHORT[weekday] for weekday in self.day.weekdays)


def today_days(days: Sequence[Day], lines: Sequence[TodayLine], choice: DayChoice) -> list[TodayDay]:
    """The days in order, each with its lines; the rest day shows none until one is picked."""
    return [
        TodayDay(
            day=day,
            lines=[line for line in lines if line.day == day.number],
            shown=day.number == choice.shown.number and not choice.rest_day,
        )
        for day in days
    ]
