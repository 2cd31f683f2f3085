"""The engine's inputs and outputs: frozen dataclasses, loads as ``Decimal``.

Nothing here knows about Django. The caller (the weekly review service) turns rows into these
values: logged loads in kg, the session's local date in the coach's time zone, the prescription
line in the assignment's display unit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from functools import cached_property
from typing import Literal

Implement = Literal["barbell", "dumbbell", "kettlebell", "bodyweight", "dowel"]
Measure = Literal["reps", "seconds"]
Laterality = Literal["bilateral", "per_side"]
Unit = Literal["kg", "lb"]
Side = Literal["both", "left", "right"]
Action = Literal["progress", "hold", "regress", "deload"]
RuleName = Literal["safety", "data", "technique", "deload", "too_hard", "progress", "hold"]
LowBack = Literal["fine", "tight", "painful"]

IMPLEMENTS: tuple[str, ...] = ("barbell", "dumbbell", "kettlebell", "bodyweight", "dowel")
UNLOADED_IMPLEMENTS: frozenset[str] = frozenset({"bodyweight", "dowel"})
MEASURES: tuple[str, ...] = ("reps", "seconds")
LATERALITIES: tuple[str, ...] = ("bilateral", "per_side")
UNITS: tuple[str, ...] = ("kg", "lb")
LOW_BACK: tuple[str, ...] = ("fine", "tight", "painful")
CHECKIN_SCORES: tuple[int, int] = (1, 5)

# The prescription defaults of docs/domain.md, used when a move changes the measure.
DEFAULT_REP_RANGE: tuple[int, int] = (8, 12)
DEFAULT_SECONDS_RANGE: tuple[int, int] = (10, 20)
DEFAULT_LOAD_INCREMENT_PCT = Decimal("5")

# Flags the rules set (docs/domain.md "Weekly review: one proposal per line").
FLAG_PAIN = "pain"
FLAG_REFER = "refer"
FLAG_ASYMMETRY = "asymmetry"
FLAG_NO_DATA = "no_data"
FLAG_RETURN_FROM_BREAK = "return_from_break"
FLAG_READINESS = "readiness"


@dataclass(frozen=True)
class ExerciseFacts:
    """What the engine needs to know about one library exercise."""

    slug: str
    name: str
    implement: Implement
    measure: Measure
    laterality: Laterality
    easier: str | None = None
    harder: str | None = None

    @property
    def per_side(self) -> bool:
        return self.laterality == "per_side"

    @property
    def unloaded(self) -> bool:
        return self.implement in UNLOADED_IMPLEMENTS


@dataclass(frozen=True)
class Line:
    """One prescription line. ``low``–``high`` counts reps, or seconds for a hold.

    ``load`` is in the display unit ``unit`` (the assignment's), not in kg. ``day`` is the number
    (1–7) of the training day the line belongs to (docs/domain.md "Training days"); a prescription
    without days is one day, number 1.
    """

    exercise: str
    sets: int
    low: int
    high: int
    load: Decimal
    unit: Unit
    tempo: str | None = None
    target_rpe: Decimal | None = None
    day: int = 1


@dataclass(frozen=True)
class CoachTag:
    """A fault a coach (or a team's reviewer: ``role``) tagged on a set, on ``on`` (the coach's date)."""

    fault: str
    role: str = "coach"
    on: date | None = None


@dataclass(frozen=True)
class LoggedSet:
    """One logged set. ``load_kg`` is the stored load; ``unit`` is the unit the client typed it in
    (a set typed in lb is compared in lb: within 0.1 lb, and a kettlebell within 0.5 lb of a bell).
    ``faults`` are the client's own ticks, ``coach_faults`` the coach's tags: a set is faulted for
    the rules and metrics when either has a fault (docs/domain.md "Conversation and form")."""

    exercise: str
    side: Side
    reps: int | None = None
    seconds: int | None = None
    load_kg: Decimal = Decimal("0")
    rpe: Decimal | None = None
    tempo_kept: bool | None = None
    faults: tuple[str, ...] = ()
    pain: int | None = None
    unit: Unit = "kg"
    coach_faults: tuple[CoachTag, ...] = ()

    # The engine asks these of every set many times (once per rule and metric); a set is
    # immutable, so each is worked out once (``metrics.has_fault`` and ``metrics.set_load_kg``).
    @cached_property
    def faulted(self) -> bool:
        return any(self.faults) or any(tag.fault for tag in self.coach_faults)

    @cached_property
    def clean_load_kg(self) -> Decimal:
        from .metrics import clean_decimal

        load = clean_decimal(self.load_kg)
        return Decimal("0") if load is None else load


@dataclass(frozen=True)
class Checkin:
    """The readiness check-in answered before a session (docs/domain.md "Readiness check-in"):
    sleep (1 poor to 5 great), soreness (1 none to 5 very sore), stress (1 low to 5 high), the low
    back; any may be unanswered. ``cut_taken``: the client took the day at the readiness cut."""

    sleep: int | None = None
    soreness: int | None = None
    stress: int | None = None
    low_back: LowBack | None = None
    cut_taken: bool = False

    @property
    def complete(self) -> bool:
        return self.sleep is not None and self.soreness is not None and self.stress is not None

    @property
    def readiness(self) -> Fraction | None:
        """The mean of sleep, 6 − soreness and 6 − stress, exact (compared unrounded); None unless
        all three are given."""
        if self.sleep is None or self.soreness is None or self.stress is None:
            return None
        return Fraction(self.sleep + (6 - self.soreness) + (6 - self.stress), 3)

    @property
    def painful_back(self) -> bool:
        return self.low_back == "painful"


@dataclass(frozen=True)
class SessionLog:
    """A logged session. ``performed_on`` is its local date in the coach's time zone;
    ``performed_at`` the time it was performed, which orders sessions of one day (docs/domain.md: "the
    last two sessions" are ordered by the time performed). A naive ``performed_at`` is read as
    UTC; sessions without one come first on their day. ``day`` is the number of the training day
    the session followed; None (older clients, imports) makes it dayless (docs/domain.md "Training
    days", and ``days.own_sessions`` for where its sets go). ``checkin``: its readiness check-in, if
    any; a session whose readiness cut was taken (``checkin.cut_taken``) never makes a line qualify
    and is left out of rule 4's e1RM comparison.

    Precondition: ids are unique within one call (the caller passes stored sessions).
    """

    id: str
    performed_on: date
    sets: tuple[LoggedSet, ...] = ()
    performed_at: datetime | None = None
    day: int | None = None
    checkin: Checkin | None = None

    @property
    def cut_taken(self) -> bool:
        return self.checkin is not None and self.checkin.cut_taken


@dataclass(frozen=True, kw_only=True)
class AssignmentSettings:
    """The assignment's progression settings (keyword-only: ``first_monday`` has no default).

    ``first_monday`` is the first Monday on or after the assignment's start; week 1 starts on it,
    so with ``deload_every_weeks = N`` the weeks N, 2N, ... are deload weeks.
    """

    unit: Unit
    load_increment_pct: Decimal = DEFAULT_LOAD_INCREMENT_PCT
    deload_every_weeks: int | None = None
    first_monday: date


@dataclass(frozen=True, kw_only=True)
class Prescription:
    """The assignment's current prescription as training days (docs/domain.md "Training days").

    ``lines``: every line, in the order of their days and then their position on the day.
    ``days``: the assignment's day numbers in their order (empty: the days of ``lines``, in the
    order they first appear). ``sessions_per_week``: the assignment's (None: one per day, which is
    docs/domain.md's default for unpinned days). A prescription without days is one day, number 1.
    """

    lines: tuple[Line, ...]
    days: tuple[int, ...] = ()
    sessions_per_week: int | None = None

    @property
    def day_numbers(self) -> tuple[int, ...]:
        if self.days:
            return self.days
        return tuple(dict.fromkeys(line.day for line in self.lines))

    @property
    def per_week(self) -> int:
        return len(self.day_numbers) if self.sessions_per_week is None else self.sessions_per_week


@dataclass(frozen=True)
class ReviewInput:
    """Everything one proposal depends on.

    ``sessions``: all of the client's sessions up to the end of the reviewed week (Sunday), in any
    order, possibly with other exercises (later sessions are ignored). ``deload_in_force``: the
    pre-deload line, when an approved deload was the prescription during the reviewed week.
    ``week_from``: in an assignment's first week, its start date; the week's sessions are those
    on or after it, earlier ones are history (docs/domain.md, "Weekly review: metrics").
    ``last_done_before``: the local date the line's exercise was last done before the oldest of
    ``sessions``, when the caller passes only recent sessions (the weekly review reads three weeks
    back). It counts as a session whose sets are unknown: it measures a break and is one of "the
    last two sessions", but never qualifies, is never fault-free and has no set under the range.
    It is ignored when it is not before the reviewed week or not older than the sessions given.
    ``prescription``: the whole current prescription with its days, of which ``line`` is one; the
    line's *own sessions* and rule 6's window come from it (docs/domain.md "Reviews with days").
    None: a prescription of this line alone on its day, which judges it on every set of its
    exercise, as a prescription without days always did.
    """

    line: Line
    settings: AssignmentSettings
    library: Mapping[str, ExerciseFacts]
    week_start: date
    sessions: tuple[SessionLog, ...]
    deload_in_force: Line | None = None
    week_from: date | None = None
    last_done_before: date | None = None
    prescription: Prescription | None = None


@dataclass(frozen=True)
class Proposal:
    """One proposal of a weekly review: current → proposed, the rule that fired and why."""

    exercise: str
    action: Action
    flags: tuple[str, ...]
    rule: RuleName
    current: Line
    proposed: Line
    rationale: str

    @property
    def day(self) -> int:
        """The number of the training day of the line this proposal is for."""
        return self.current.day
