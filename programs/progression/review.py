"""The facts one review of one line is judged on, gathered once from a ``ReviewInput``.

docs/domain.md's words: *the last two sessions* are the two most recent sessions that contain the
exercise, up to the end of the reviewed week (they may lie in earlier weeks); *a qualifying
session* is one that earns its part of a progression (see ``rules.progress.qualify``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from .metrics import clean_decimal, has_fault
from .types import (
    DEFAULT_LOAD_INCREMENT_PCT,
    AssignmentSettings,
    ExerciseFacts,
    Line,
    LoggedSet,
    ReviewInput,
)


@dataclass(frozen=True)
class ExerciseSession:
    """A session seen through one exercise: only that exercise's sets. ``known`` is False for the
    session of ``ReviewInput.last_done_before``: only its date is known, never its sets."""

    id: str
    on: date
    sets: tuple[LoggedSet, ...]
    at: datetime | None = None
    known: bool = True

    @property
    def faulted(self) -> tuple[LoggedSet, ...]:
        return tuple(logged for logged in self.sets if has_fault(logged))


@dataclass(frozen=True)
class Review:
    line: Line
    facts: ExerciseFacts
    settings: AssignmentSettings
    library: Mapping[str, ExerciseFacts]
    week_start: date
    history: tuple[ExerciseSession, ...]  # oldest first, up to the end of the reviewed week
    week: tuple[ExerciseSession, ...]  # the tail of ``history`` inside the reviewed week (from ``week_from``)
    deload_in_force: Line | None

    @property
    def week_sets(self) -> tuple[LoggedSet, ...]:
        return tuple(logged for session in self.week for logged in session.sets)

    @property
    def last_two(self) -> tuple[ExerciseSession, ...]:
        return self.history[-2:]

    @property
    def target_rpe(self) -> Decimal | None:
        return clean_decimal(self.line.target_rpe)

    @property
    def increment_pct(self) -> Decimal:
        """The assignment's increment; one that is not a number from 0 to 100 means the default."""
        pct = clean_decimal(self.settings.load_increment_pct)
        if pct is None or not 0 <= pct <= 100:
            return DEFAULT_LOAD_INCREMENT_PCT
        return pct


def build_review(inp: ReviewInput, facts: ExerciseFacts) -> Review:
    slug = inp.line.exercise
    week_ord = inp.week_start.toordinal()
    history = []
    for session in inp.sessions:
        if session.performed_on.toordinal() > week_ord + 6:
            continue
        sets = tuple(logged for logged in session.sets if logged.exercise == slug)
        if sets:
            history.append(ExerciseSession(session.id, session.performed_on, sets, session.performed_at))
    # Same-day sessions are ordered by the time performed (the id only breaks exact ties).
    history.sort(key=lambda session: (session.on.toordinal(), _time_key(session.at), session.id))
    # In a first week that starts mid-week, the days before the start are history.
    from_ord = max(week_ord, inp.week_from.toordinal()) if inp.week_from is not None else week_ord
    earlier = inp.last_done_before
    if earlier is not None and earlier.toordinal() < from_ord and (not history or earlier <= history[0].on):
        history.insert(0, ExerciseSession("", earlier, (), known=False))
    week = tuple(session for session in history if session.on.toordinal() >= from_ord)
    return Review(
        line=inp.line,
        facts=facts,
        settings=inp.settings,
        library=inp.library,
        week_start=inp.week_start,
        history=tuple(history),
        week=week,
        deload_in_force=inp.deload_in_force,
    )


def _time_key(at: datetime | None) -> tuple[int] | tuple[int, datetime]:
    """Sessions without a time first, then by the instant performed (in UTC; a naive time is UTC)."""
    if at is None:
        return (0,)
    naive = at.replace(tzinfo=None)
    try:
        return (1, naive - (at.utcoffset() or timedelta(0)))
    except OverflowError:  # within a day of the calendar's ends
        return (1, naive)


def days_apart(first: ExerciseSession, second: ExerciseSession) -> int:
    return abs(second.on.toordinal() - first.on.toordinal())
