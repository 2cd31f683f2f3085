"""The facts one review of one line is judged on, gathered once from a ``ReviewInput``.

DOMAIN.md's words: *the last two sessions* are the two most recent sessions that contain the
exercise, up to the end of the reviewed week (they may lie in earlier weeks); *a qualifying
session* is one that earns its part of a progression (see ``qualify``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from .metrics import clean_decimal, has_fault, set_load_kg, set_rpe, set_value
from .text import fmt_date, fmt_faults, fmt_load, fmt_num, measure_word, plural
from .types import (
    DEFAULT_LOAD_INCREMENT_PCT,
    UNITS,
    AssignmentSettings,
    ExerciseFacts,
    Line,
    LoggedSet,
    ReviewInput,
)
from .units import at_least_load, bell_kg, from_kg, grid_kg


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


@dataclass(frozen=True)
class Verdict:
    """Whether a session qualifies; ``reason`` says what was hit or what was missing."""

    ok: bool
    reason: str
    advice: str = ""


def qualify(session: ExerciseSession, review: Review) -> Verdict:
    """DOMAIN.md's *qualifying session*.

    At least the prescribed number of sets (per side for per-side exercises; a set logged as
    ``both`` counts for each side) at the prescribed load or more, with reps (seconds for holds)
    at the top of the range or above, the tempo kept where one is prescribed, and an RPE not
    above the target. A fault on any set of the exercise in the session disqualifies it: a
    session with a faulted set is not clean, whatever the other sets did. Warm-up sets below
    the prescribed load are simply not counted. A missing RPE passes, and so does a missing
    "tempo kept" answer: only a tempo reported as not kept holds the session back.
    """
    line, facts = review.line, review.facts
    when = fmt_date(session.on)
    if not session.known:
        return Verdict(False, f"the sets of {when} are not known", f"log all {line.sets} sets")
    if session.faulted:
        return Verdict(
            False,
            f"{when} had {_sets_with(len(session.faulted), 'a fault')} ({fmt_faults(session.faulted)})",
            "aim for clean reps",
        )
    prescribed_kg = grid_kg(line.load, facts.implement, line.unit)
    target = review.target_rpe
    load_text = fmt_load(line.load, line.unit, facts)
    unit_word = measure_word(facts)
    sides: tuple[str | None, ...] = ("left", "right") if facts.per_side else (None,)
    for side in sides:
        side_sets = [s for s in session.sets if side is None or s.side in (side, "both")]
        on_side = f" on the {side} side" if side else ""
        at_load = [s for s in side_sets if at_least_load(_set_kg(s, facts), prescribed_kg, s.unit)]
        at_top = [s for s in at_load if (set_value(s, facts.measure) or 0) >= line.high]
        tempo_ok = [s for s in at_top if not (line.tempo and s.tempo_kept is False)]
        counted = [s for s in tempo_ok if not _rpe_above(s, target)]
        if len(counted) >= line.sets:
            continue
        if not side_sets:
            return Verdict(False, f"{when} had no set{on_side}", f"log all {line.sets} sets{on_side}")
        if len(at_load) < line.sets:
            some = f"only {len(at_load)} of {line.sets} sets" if at_load else "no set"
            return Verdict(
                False,
                f"{when} had {some}{on_side} at {load_text} or more",
                f"do all {line.sets} sets at {load_text}",
            )
        if len(at_top) < line.sets:
            some = f"only {len(at_top)} of {line.sets} sets" if at_top else "no set"
            return Verdict(
                False,
                f"{some}{on_side} reached {line.high} {unit_word} on {when}",
                f"build toward {line.high} {unit_word} on every set",
            )
        if len(tempo_ok) < line.sets:
            missed = len(at_top) - len(tempo_ok)
            return Verdict(
                False,
                f"the {line.tempo} tempo was not kept on {plural(missed, 'set')}{on_side} on {when}",
                f"keep the {line.tempo} tempo",
            )
        above = len(tempo_ok) - len(counted)
        return Verdict(
            False,
            f"RPE was above the target {fmt_num(target or Decimal(0))} on {plural(above, 'set')}{on_side} on {when}",
            f"keep RPE at {fmt_num(target or Decimal(0))} or under",
        )
    per_side = " per side" if facts.per_side else ""
    tempo = f", tempo {line.tempo} kept" if line.tempo else ""
    return Verdict(
        True,
        f"{line.sets} sets{per_side} of {line.high}+ {unit_word} at {load_text}, no fault{tempo}",
    )


def _set_kg(logged: LoggedSet, facts: ExerciseFacts) -> Decimal:
    """The set's load in kg to compare; a kettlebell set typed as a bell is that bell's kg."""
    kg = set_load_kg(logged)
    if facts.implement == "kettlebell" and logged.unit in UNITS:
        bell = bell_kg(from_kg(kg, logged.unit), logged.unit)
        if bell is not None:
            return bell
    return kg


def _rpe_above(logged: LoggedSet, target: Decimal | None) -> bool:
    rpe = set_rpe(logged)
    return target is not None and rpe is not None and rpe > target


def _sets_with(count: int, what: str) -> str:
    return f"a set with {what}" if count == 1 else f"{count} sets with {what.removeprefix('a ')}s"
