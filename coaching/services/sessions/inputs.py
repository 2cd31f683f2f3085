"""What a session write carries, its domain validation, and the canonical body hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from coaching.models import Assignment, LoggedSession, LoggedSet
from programs.faults import FAULTS
from programs.models import Exercise, to_kg
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


@dataclass(frozen=True)
class SessionInput:
    id: uuid.UUID
    assignment_id: int
    performed_at: dt.datetime
    client_modified_at: dt.datetime
    notes: str = ""
    sets: tuple[SetInput, ...] = ()


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


# --- validation (domain rules; shapes and types are the serializer's job) ---------------


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
    set_errors: list[dict[str, list[str]]] = []
    for s in item.sets:
        e: dict[str, list[str]] = {}
        exercise = exercises.get(s.exercise)
        if exercise is None:
            e["exercise"] = [f"Unknown exercise “{s.exercise}”."]
        else:
            if exercise.measure == Exercise.Measure.SECONDS:
                if s.seconds is None:
                    e["seconds"] = ["This exercise is a hold: give the seconds held."]
                if s.reps is not None:
                    e["reps"] = ["This exercise is a hold: give seconds, not reps."]
            else:
                if s.reps is None:
                    e["reps"] = ["Give the number of reps."]
                if s.seconds is not None:
                    e["seconds"] = ["This exercise is counted in reps, not seconds."]
            if exercise.is_per_side and s.side == LoggedSet.Side.BOTH:
                e["side"] = ["This exercise is done one side at a time: use left or right."]
            elif not exercise.is_per_side and s.side != LoggedSet.Side.BOTH:
                e["side"] = ["This exercise uses both sides: use both."]
            unknown = [f for f in s.faults if f not in FAULTS]
            if unknown:
                e["faults"] = [f"Unknown fault “{f}”." for f in unknown]
        if to_kg(s.load, s.unit) > MAX_LOAD_KG:
            e["load"] = ["That load is over 1000 kg: check the number and the unit."]
        set_errors.append(e)
    if any(set_errors):
        errors["sets"] = set_errors
    return errors


# --- canonical body (replay detection) -----------------------------------------------


def _offset_minutes(value: dt.datetime) -> int:
    offset = value.utcoffset() or dt.timedelta(0)
    return int(offset.total_seconds() // 60)


def _canon_set(s: SetInput) -> list[Any]:
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
    return hashlib.sha256(json.dumps(body, separators=(",", ":")).encode()).hexdigest()


# --- writing --------------------------------------------------------------------------
