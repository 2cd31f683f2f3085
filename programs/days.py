"""Training days (docs/domain.md "Training days"): one value, its one validator, the day due.

A program template, and so an assignment's prescription, has 1 to 7 days. Each day has a number
(1–7, kept for the day's life; a new day takes the lowest free number), a name ("Day A", ... by
default), its weekday pins (0 = Monday; a weekday on one day at most) and its own lines, at least
one, an exercise at most once. ``Day`` holds a day as the coach wrote it, ``days_errors`` is the
one validator of a week's structure (every writer calls it: serializers, forms, services), and
``day_due`` says which day the client's Today opens on. Pure: no database here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MAX_DAYS = 7
DAY_NUMBERS = range(1, MAX_DAYS + 1)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_DAY_NAME = 40


def default_name(index: int) -> str:
    """The default name of the day at ``index`` (0-based) in the order: "Day A", "Day B", ..."""
    return f"Day {'ABCDEFG'[index]}" if 0 <= index < MAX_DAYS else f"Day {index + 1}"


def weekday_mask(weekdays: Iterable[int]) -> int:
    """Weekdays as the stored bit mask (bit 0 = Monday), so "pinned to today" is one SQL test."""
    mask = 0
    for weekday in weekdays:
        mask |= 1 << weekday
    return mask


def mask_weekdays(mask: int) -> tuple[int, ...]:
    return tuple(weekday for weekday in range(7) if mask & (1 << weekday))


@dataclass(frozen=True)
class Day:
    """One training day: its number (1–7), its name and the weekdays it is pinned to."""

    number: int
    name: str
    weekdays: tuple[int, ...] = ()

    @classmethod
    def from_row(cls, row: Any) -> Day:
        """A stored day (a template's ``ProgramDay`` or an assignment's ``AssignmentDay``)."""
        return cls(number=row.number, name=row.name, weekdays=mask_weekdays(row.weekday_mask))

    @classmethod
    def from_json(cls, data: Mapping[str, Any], index: int = 0) -> Day:
        """A day in the API's shape ``{"day", "name"?, "weekdays"?}``, not yet checked."""
        name = data.get("name")
        return cls(
            number=data.get("day"),  # type: ignore[arg-type]  # checked by days_errors
            name=default_name(index) if name is None or (isinstance(name, str) and not name.strip()) else name,
            weekdays=tuple(data.get("weekdays") or ()),
        )

    def to_json(self) -> dict[str, Any]:
        return {"day": self.number, "name": self.name, "weekdays": list(self.weekdays)}

    def row_values(self, position: int) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name.strip(),
            "position": position,
            "weekday_mask": weekday_mask(self.weekdays),
        }

    @property
    def label(self) -> str:
        """ "Day A · Mon, Thu": the name and its pins, as the pages write a day."""
        pins = ", ".join(WEEKDAY_SHORT[weekday] for weekday in self.weekdays)
        return f"{self.name} · {pins}" if pins else self.name


ONE_DAY = (Day(1, default_name(0)),)


def stored_days(rows: Iterable[Any]) -> list[Day]:
    """Stored day rows (in their order) as days; one "Day A" when there are none."""
    return [Day.from_row(row) for row in rows] or list(ONE_DAY)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def days_errors(days: Sequence[Day], lines: Sequence[Any]) -> dict[str, list[str]]:
    """What is wrong with a week's structure, by field (``days`` or ``prescription``), in a
    coach's words; empty when it is valid.

    ``lines`` are ``programs.lines.Line`` values (each with ``day`` and ``exercise``). Checked: 1–7
    days; numbers whole, 1–7, unique; names present and short; weekdays 0–6, each on one day at
    most; every line's day among the days; every day with a line; an exercise at most once on a
    day. The lines themselves are checked by ``Line.errors``.
    """
    day_errors: list[str] = []
    line_errors: list[str] = []
    if not days:
        return {"days": ["A program needs at least one day."]}
    if len(days) > MAX_DAYS:
        day_errors.append(f"A program has at most {MAX_DAYS} days.")
    numbers: list[int] = []
    pinned: dict[int, int] = {}
    for day in days:
        if not _whole(day.number) or day.number not in DAY_NUMBERS:
            day_errors.append(f"A day's number is a whole number from 1 to {MAX_DAYS} (got {day.number!r}).")
            continue
        if day.number in numbers:
            day_errors.append(f"Day number {day.number} is used twice.")
        numbers.append(day.number)
        if not isinstance(day.name, str) or not day.name.strip():
            day_errors.append("Give every day a name.")
        elif len(day.name.strip()) > MAX_DAY_NAME:
            day_errors.append(f"A day's name has at most {MAX_DAY_NAME} characters.")
        for weekday in day.weekdays:
            if not _whole(weekday) or not 0 <= weekday <= 6:
                day_errors.append(f"Weekdays are 0 (Monday) to 6 (Sunday) (got {weekday!r}).")
            elif weekday in pinned and pinned[weekday] != day.number:
                day_errors.append(f"{WEEKDAY_NAMES[weekday]} is pinned to two days: pin a weekday to one day at most.")
            else:
                pinned[weekday] = day.number
    names = {day.number: day.name for day in days if _whole(day.number)}
    seen: set[tuple[int, str]] = set()
    used: set[int] = set()
    for line in lines:
        if not _whole(line.day) or line.day not in names:
            known = ", ".join(str(number) for number in numbers)
            # With no valid day number at all, the days' own error says the rest.
            among = f" ({known})" if known else ""
            line_errors.append(f"A line's day {line.day!r} is not one of the program's days{among}.")
            continue
        used.add(line.day)
        key = (line.day, line.exercise.slug)
        if key in seen:
            line_errors.append(
                f"{line.exercise.name} is twice on {names[line.day]}: an exercise is on a day once at most."
            )
        seen.add(key)
    for number in numbers:
        if number not in used and lines:
            day_errors.append(f"{names[number]} has no lines: give every day at least one line, or delete it.")
    errors: dict[str, list[str]] = {}
    if day_errors:
        errors["days"] = list(dict.fromkeys(day_errors))
    if line_errors:
        errors["prescription"] = list(dict.fromkeys(line_errors))
    return errors


def default_sessions_per_week(days: Sequence[Day]) -> int:
    """docs/domain.md: the pinned weekdays plus one for each unpinned day (a weekday listed twice
    on a day, which ``days_errors`` lets by and the stored mask keeps once, counts once)."""
    return sum(len(set(day.weekdays)) or 1 for day in days) or 1


def next_number(days: Sequence[Day]) -> int | None:
    """The lowest free day number, None when all seven are taken."""
    taken = {day.number for day in days}
    return next((number for number in DAY_NUMBERS if number not in taken), None)


def new_day(days: Sequence[Day]) -> Day | None:
    """The day a coach adds: the lowest free number and the first default name not in use,
    trying the name of its place first ("Day C" as a third day); None when all seven are taken."""
    number = next_number(days)
    if number is None:
        return None
    used = {day.name.strip().casefold() for day in days}
    names = [default_name(index) for index in (len(days), *range(MAX_DAYS))]
    return Day(number, next((name for name in names if name.casefold() not in used), default_name(len(days))))


def ordered(days: Sequence[Day], lines: Iterable[Any]) -> list[Any]:
    """``lines`` in the days' order, then in their own order (a line of no day last)."""
    rank = {day.number: index for index, day in enumerate(days)}
    indexed = list(enumerate(lines))
    indexed.sort(key=lambda pair: (rank.get(pair[1].day, len(rank)), pair[0]))
    return [line for _, line in indexed]


@dataclass(frozen=True)
class DayDue:
    """The day Today opens on: ``day`` (offered anyway on a rest day) and whether it is a rest day."""

    day: Day
    rest_day: bool


def day_due(days: Sequence[Day], on: dt.date, last_day: int | None, *, start: dt.date | None = None) -> DayDue:
    """docs/domain.md "The day due" on the client's local date ``on``.

    The day pinned to that weekday; otherwise the next unpinned day after ``last_day`` (the day of
    the client's latest session that has one), in order and wrapping around, the first unpinned day
    when there is none. When every day is pinned, a weekday without a pin is a rest day, and the day
    offered is the next day in order after ``last_day``. Before ``start``, the first day.
    """
    if not days:
        raise ValueError("a prescription has at least one day")
    if start is not None and on < start:
        return DayDue(days[0], rest_day=False)
    weekday = on.weekday()
    for day in days:
        if weekday in day.weekdays:
            return DayDue(day, rest_day=False)
    unpinned = [day for day in days if not day.weekdays]
    if unpinned:
        return DayDue(_after(unpinned, days, last_day), rest_day=False)
    return DayDue(_after(list(days), days, last_day), rest_day=True)


def _after(candidates: Sequence[Day], days: Sequence[Day], last_day: int | None) -> Day:
    """The first of ``candidates`` after ``last_day`` in the order of ``days``, wrapping around."""
    order = [day.number for day in days]
    if last_day not in order:
        return candidates[0]
    start = order.index(last_day)
    rank = {day.number: (order.index(day.number) - start - 1) % len(order) for day in candidates}
    return min(candidates, key=lambda day: rank[day.number])
