"""The facts one review of one line is judged on, gathered once from a ``ReviewInput``.

docs/domain.md's words: *the last two sessions* are the two most recent sessions that contain the
exercise, up to the end of the reviewed week (they may lie in earlier weeks); *a qualifying
session* is one that earns its part of a progression (see ``rules.progress.qualify``).

With training days (docs/domain.md "Reviews with days") everything the rules count comes from the
line's *own sessions* (``days.own_sessions``): ``history`` and ``week``. Pain (rule 1) and the break
(rule 2) concern the client rather than the day, so they look at the exercise on every day:
``exercise_history`` and ``exercise_week``. Without days both views are the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from .metrics import clean_decimal, has_fault
from .thresholds import MAX_DAYS_BETWEEN
from .types import (
    DEFAULT_LOAD_INCREMENT_PCT,
    AssignmentSettings,
    Checkin,
    ExerciseFacts,
    Line,
    LoggedSet,
    ReviewInput,
    SessionLog,
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
    # The client took the day at the readiness cut: never qualifies, no part of rule 4's e1RM.
    cut_taken: bool = False

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
    # The exercise on every day (rules 1 and 2); the line's own sessions are ``history``/``week``.
    exercise_history: tuple[ExerciseSession, ...]
    exercise_week: tuple[ExerciseSession, ...]
    # Rule 6's "at most N days apart" (``thresholds.max_days_between``).
    window_days: int
    # The check-ins of every session of the reviewed week (from ``week_from``), oldest first, with
    # their local dates: the readiness post-rule's (docs/domain.md "Reviews with days").
    checkins: tuple[tuple[date, Checkin], ...] = ()

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


def build_review(
    inp: ReviewInput,
    facts: ExerciseFacts,
    own: Sequence[SessionLog] | None = None,
    window_days: int = MAX_DAYS_BETWEEN,
    *,
    only_line: bool = True,
) -> Review:
    """The review of ``inp.line``: ``own`` are its own sessions (None: every session, as without
    days), ``window_days`` rule 6's window. ``only_line``: the line is its exercise's only line."""
    # The session before the read window is known only by its date and exercise, not its day: it
    # is the line's own only when every set of the exercise goes to this line (one line of it);
    # otherwise it is the exercise's alone (the break; docs/domain.md "Reviews with days").
    history, week = _exercise_sessions(inp, inp.sessions if own is None else own, earlier=own is None or only_line)
    # With one line of the exercise every set of it goes to that line (``days.line_for``): its own
    # sessions seen through the exercise are the exercise's on every day, built once.
    if own is None or only_line:
        exercise_history, exercise_week = history, week
    else:
        exercise_history, exercise_week = _exercise_sessions(inp, inp.sessions)
    return Review(
        line=inp.line,
        facts=facts,
        settings=inp.settings,
        library=inp.library,
        week_start=inp.week_start,
        history=history,
        week=week,
        deload_in_force=inp.deload_in_force,
        exercise_history=exercise_history,
        exercise_week=exercise_week,
        window_days=window_days,
        checkins=week_checkins(inp),
    )


def week_checkins(inp: ReviewInput) -> tuple[tuple[date, Checkin], ...]:
    """The check-ins of the reviewed week's sessions (all of them, whatever their day), oldest first."""
    week_ord = inp.week_start.toordinal()
    from_ord = max(week_ord, inp.week_from.toordinal()) if inp.week_from is not None else week_ord
    found = [
        (session.performed_on, _time_key(session.performed_at), session.id, session.checkin)
        for session in inp.sessions
        if session.checkin is not None and from_ord <= session.performed_on.toordinal() <= week_ord + 6
    ]
    found.sort(key=lambda item: (item[0].toordinal(), item[1], item[2]))
    return tuple((on, checkin) for on, _, _, checkin in found)


def _exercise_sessions(
    inp: ReviewInput, sessions: Sequence[SessionLog], *, earlier: bool = True
) -> tuple[tuple[ExerciseSession, ...], tuple[ExerciseSession, ...]]:
    """The sessions with the line's exercise up to the end of the week, oldest first, and the tail
    of them that is the reviewed week's."""
    slug = inp.line.exercise
    week_ord = inp.week_start.toordinal()
    history = []
    for session in sessions:
        if session.performed_on.toordinal() > week_ord + 6:
            continue
        sets = tuple(logged for logged in session.sets if logged.exercise == slug)
        if sets:
            history.append(
                ExerciseSession(
                    session.id, session.performed_on, sets, session.performed_at, cut_taken=session.cut_taken
                )
            )
    # Same-day sessions are ordered by the time performed (the id only breaks exact ties).
    history.sort(key=lambda session: (session.on.toordinal(), _time_key(session.at), session.id))
    # In a first week that starts mid-week, the days before the start are history.
    from_ord = max(week_ord, inp.week_from.toordinal()) if inp.week_from is not None else week_ord
    before = inp.last_done_before if earlier else None
    if before is not None and before.toordinal() < from_ord and (not history or before <= history[0].on):
        history.insert(0, ExerciseSession("", before, (), known=False))
    week = tuple(session for session in history if session.on.toordinal() >= from_ord)
    return tuple(history), week


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
