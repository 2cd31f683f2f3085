"""What a session write carries, its domain validation, and the canonical body hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from coaching.models import Assignment, LoggedSession, LoggedSet
from programs.faults import FAULTS
from programs.models import Exercise, to_kg
from programs.progression.types import CHECKIN_SCORES as CHECKIN_RANGE
from programs.progression.types import Checkin
from programs.progression.units import MAX_LOAD_KG

MAX_SETS_PER_SESSION = 200
TOO_MANY_SETS = f"At most {MAX_SETS_PER_SESSION} sets per session."
FUTURE_TOLERANCE = dt.timedelta(days=1)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class SetInput:
    exercise: str
    side: str = "both"
    reps: int | None = None
    seconds: int | None = None
    load: Decimal = Decimal("0")
    unit: str = "kg"
    rpe: Decimal | None = None
    tempo_kept: bool | None = None
    faults: tuple[str, ...] = ()
    pain: int | None = None
    # The set's id (docs/api.md): None takes the stored set's at its position, else a new one.
    id: uuid.UUID | None = None


@dataclass(frozen=True)
class SessionInput:
    id: uuid.UUID
    assignment_id: int
    performed_at: dt.datetime
    client_modified_at: dt.datetime
    notes: str = ""
    sets: tuple[SetInput, ...] = ()
    # The training day followed (docs/domain.md "Training days"); None: dayless.
    day: int | None = None
    # The readiness check-in (docs/domain.md "Readiness check-in"); None: none answered.
    checkin: Checkin | None = None


@dataclass
class SessionResult:
    id: uuid.UUID | None
    status: str  # created | updated | unchanged | stale | conflict (re-imports only) | rejected
    errors: dict[str, Any] | None = None
    session: LoggedSession | None = None
    sets: list[LoggedSet] = field(default_factory=list)
    # The id belongs to a session this user may not see: the PUT endpoint answers 404.
    not_found: bool = False


class SessionError(Exception):
    def __init__(self, errors: dict[str, Any]):
        super().__init__(errors)
        self.errors = errors


class SessionStale(Exception):
    """A change older than the stored version; ``session`` is the stored version."""

    def __init__(self, session: LoggedSession):
        super().__init__(f"Session {session.pk} has a newer version.")
        self.session = session


# --- validation: the one validator of a set's values, and a session's domain rules --------

REPS_MAX = 1000
SECONDS_MAX = 3600
PAIN_MAX = 10
RPE_MIN = Decimal(1)
RPE_MAX = Decimal(10)
SIDES = tuple(LoggedSet.Side.values)
UNITS = ("kg", "lb")
# Each input parses the types (a JSON number, a CSV cell); these are the values' own rules, with
# the one wording every input answers in (DRF's words for a range or a choice, which the API's
# documented examples show).
AT_LEAST = "Ensure this value is greater than or equal to {low}."
AT_MOST = "Ensure this value is less than or equal to {high}."
NOT_A_CHOICE = '"{value}" is not a valid choice.'
RPE_HALVES = "RPE goes in halves: 7, 7.5, 8 …"
UNIT_NEEDED = "Give the unit of the load: kg or lb."
REPS_OR_SECONDS = "Give reps or seconds, not both."
OVER_MAX_LOAD = f"That load is over {MAX_LOAD_KG} kg: check the number and the unit."
SET_VALUE_LIMITS: dict[str, tuple[Any, Any]] = {
    "reps": (0, REPS_MAX),
    "seconds": (0, SECONDS_MAX),
    "pain": (0, PAIN_MAX),
    "rpe": (RPE_MIN, RPE_MAX),
    "load": (Decimal(0), None),  # its limit is in kg, whatever the unit: see ``set_errors``
}
SET_VALUE_CHOICES = {"side": SIDES, "unit": UNITS}


def set_value_error(name: str, value: Any) -> str | None:
    """What is wrong with one value of a set on its own (docs/domain.md), or None; None is no value.

    The serializer runs it field by field (so a set's errors come together, as DRF's do), the
    CSV import cell by cell, the sync fast path and the service through ``set_errors``.
    """
    if value is None:
        return None
    if name in SET_VALUE_CHOICES:
        return None if value in SET_VALUE_CHOICES[name] else NOT_A_CHOICE.format(value=value)
    if name not in SET_VALUE_LIMITS:
        return None
    low, high = SET_VALUE_LIMITS[name]
    if value < low:
        return AT_LEAST.format(low=low)
    if high is not None and value > high:
        return AT_MOST.format(high=high)
    if name == "rpe" and (value * 2) % 1:
        return RPE_HALVES
    return None


def set_errors(
    s: SetInput, *, unit_given: bool = True, library: Mapping[str, Exercise] | None = None
) -> dict[str, list[str]]:
    """The one validator of a set: ``{field: [message]}``, empty when the set is good.

    First each value on its own (``set_value_error``); when they are good, how they go together
    (a load needs its unit: ``unit_given`` is False when the input left the unit out; reps or
    seconds, not both). With the coach's ``library`` (slug → exercise, the service's view) also the
    rules that need it, reported together for the set: a known exercise, its measure and sides,
    faults from the fixed list, and the load limit in kg. A parser checking a set before the
    service sees it passes no library: those rules are then the service's, which reports them
    for every set of the session at once.
    """
    errors: dict[str, list[str]] = {}
    for name in ("side", "reps", "seconds", "load", "unit", "rpe", "pain"):
        message = set_value_error(name, getattr(s, name))
        if message:
            errors[name] = [message]
    if errors:
        return errors
    if s.load and not unit_given:
        errors["unit"] = [UNIT_NEEDED]
    if s.reps is not None and s.seconds is not None:
        errors["seconds"] = [REPS_OR_SECONDS]
    if errors or library is None:
        return errors
    exercise = library.get(s.exercise)
    if exercise is None:
        errors["exercise"] = [f"Unknown exercise “{s.exercise}”."]
    else:
        if exercise.measure == Exercise.Measure.SECONDS:
            if s.seconds is None:
                errors["seconds"] = ["This exercise is a hold: give the seconds held."]
            if s.reps is not None:
                errors["reps"] = ["This exercise is a hold: give seconds, not reps."]
        else:
            if s.reps is None:
                errors["reps"] = ["Give the number of reps."]
            if s.seconds is not None:
                errors["seconds"] = ["This exercise is counted in reps, not seconds."]
        if exercise.is_per_side and s.side == LoggedSet.Side.BOTH:
            errors["side"] = ["This exercise is done one side at a time: use left or right."]
        elif not exercise.is_per_side and s.side != LoggedSet.Side.BOTH:
            errors["side"] = ["This exercise uses both sides: use both."]
        unknown = [f for f in s.faults if f not in FAULTS]
        if unknown:
            errors["faults"] = [f"Unknown fault “{f}”." for f in unknown]
    if to_kg(s.load, s.unit) > MAX_LOAD_KG:
        errors["load"] = [OVER_MAX_LOAD]
    return errors


DUPLICATE_SET_ID = "Another set of this session has this id: each set needs its own."

CHECKIN_SCORES = ("sleep", "soreness", "stress")
LOW_BACK = ("fine", "tight", "painful")
CHECKIN_EMPTY = "Answer at least one question of the check-in (sleep, soreness, stress or low_back)."


def checkin_errors(c: Checkin) -> dict[str, list[str]]:
    """The one validator of a check-in's values: scores 1–5, the low back's choices, at least one answer."""
    errors: dict[str, list[str]] = {}
    low, high = CHECKIN_RANGE
    for name in CHECKIN_SCORES:
        value = getattr(c, name)
        if value is not None and value < low:
            errors[name] = [AT_LEAST.format(low=low)]
        elif value is not None and value > high:
            errors[name] = [AT_MOST.format(high=high)]
    if c.low_back is not None and c.low_back not in LOW_BACK:
        errors["low_back"] = [NOT_A_CHOICE.format(value=c.low_back)]
    if not errors and all(getattr(c, name) is None for name in (*CHECKIN_SCORES, "low_back")):
        errors["non_field_errors"] = [CHECKIN_EMPTY]
    return errors


def _validate(
    item: SessionInput,
    assignments: dict[int, Assignment],
    exercises: dict[str, Exercise],
    now: dt.datetime,
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if item.assignment_id not in assignments:
        errors["assignment"] = ["No such assignment."]
    latest = now + FUTURE_TOLERANCE
    if item.performed_at > latest:
        errors["performed_at"] = ["This is in the future."]
    elif item.performed_at < EARLIEST:
        errors["performed_at"] = ["This is before the year 2000."]
    if item.client_modified_at > latest:
        errors["client_modified_at"] = ["This is in the future."]
    elif item.client_modified_at < EARLIEST:
        errors["client_modified_at"] = ["This is before the year 2000."]
    if len(item.sets) > MAX_SETS_PER_SESSION:
        errors["sets"] = [TOO_MANY_SETS]
        return errors
    set_errors_list = [set_errors(s, library=exercises) for s in item.sets]
    seen: set[uuid.UUID] = set()
    for s, set_errs in zip(item.sets, set_errors_list, strict=True):
        if s.id is not None and s.id in seen:
            set_errs["id"] = [DUPLICATE_SET_ID]
        elif s.id is not None:
            seen.add(s.id)
    if any(set_errors_list):
        errors["sets"] = set_errors_list
    return errors


# --- canonical body (replay detection) -----------------------------------------------


def _offset_minutes(value: dt.datetime) -> int:
    offset = value.utcoffset() or dt.timedelta(0)
    return int(offset.total_seconds() // 60)


def _canon_set(s: SetInput) -> list[Any]:
    # A set without an id hashes as sets always did (stored hashes stay valid); with one, its id
    # counts: a replay with the same ids is unchanged, new ids are a change.
    return [*_canon_values(s), str(s.id)] if s.id is not None else _canon_values(s)


def _canon_values(s: SetInput) -> list[Any]:
    return [
        s.exercise,
        s.side,
        s.reps,
        s.seconds,
        str(Decimal(s.load).normalize()),
        s.unit,
        None if s.rpe is None else str(Decimal(s.rpe).normalize()),
        s.tempo_kept,
        sorted(set(s.faults)),
        s.pain,
    ]


def body_hash(item: SessionInput) -> str:
    body = [
        item.assignment_id,
        item.performed_at.astimezone(dt.UTC).isoformat(),
        _offset_minutes(item.performed_at),
        item.notes,
        [_canon_set(s) for s in item.sets],
    ]
    if item.day is not None or item.checkin is not None:  # bodies without a day hash as they always did
        body.append(item.day)
    if item.checkin is not None:  # ... and so do bodies without a check-in
        c = item.checkin
        body.append(["checkin", c.sleep, c.soreness, c.stress, c.low_back, c.cut_taken])
    return hashlib.sha256(json.dumps(body, separators=(",", ":")).encode()).hexdigest()


# --- writing --------------------------------------------------------------------------
