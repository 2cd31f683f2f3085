"""What the client's calendar shows: the pinned days' dates of the next weeks (pure, no database).

docs/domain.md "Training days": a day pinned to weekdays is planned on those weekdays; unpinned
days (the rotation) have no date of their own, so the feed shows them as one hint on today,
"Training: next up Day B", when today has no pin (``coaching.calendar_feed.ics``). Each date
carries the lines of the prescription version in force on it, so a change the coach has already
dated for a later week shows from that week on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from programs.days import Day

FEED_WEEKS = 8


@dataclass(frozen=True)
class PlannedDate:
    """A pinned day on one date, with the lines of its prescription on that date."""

    on: dt.date
    day: Day
    lines: tuple[Any, ...]  # PrescriptionLine rows of the day, in order


def version_on(versions: Sequence[Any], on: dt.date) -> Any | None:
    """The version in force on ``on`` (``versions`` ordered by effective_from, id): the latest
    effective on or before it; before the first one's date, the first (as the selectors do)."""
    chosen = None
    for version in versions:
        if chosen is None or version.effective_from <= on:
            chosen = version
    return chosen


def feed_dates(today: dt.date, weeks: int = FEED_WEEKS) -> list[dt.date]:
    """Today and the days after it: ``weeks`` × 7 dates."""
    return [today + dt.timedelta(days=offset) for offset in range(weeks * 7)]


def planned_dates(
    days: Sequence[Day], versions: Sequence[Any], *, today: dt.date, start: dt.date, weeks: int = FEED_WEEKS
) -> list[PlannedDate]:
    """Every pinned day's date from today for ``weeks`` weeks, none before ``start``.

    ``versions`` are the assignment's prescription versions, each with ``lines`` (rows with a
    ``day``) prefetched in order."""
    planned: list[PlannedDate] = []
    by_weekday = {weekday: day for day in days for weekday in day.weekdays}
    for on in feed_dates(today, weeks):
        day = by_weekday.get(on.weekday())
        if day is None or on < start:
            continue
        version = version_on(versions, on)
        lines = tuple(line for line in version.lines.all() if line.day == day.number) if version else ()
        planned.append(PlannedDate(on, day, lines))
    return planned
