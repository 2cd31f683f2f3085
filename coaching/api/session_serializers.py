"""Logged sessions in the API: shapes and types in, the representation out.

Serializers only check shape and types; domain rules (known exercise, reps or seconds by
the exercise's measure, load limit, dates not in the future) are the service's.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import uuid
from decimal import Decimal
from typing import Any

from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from coaching.api.fields import IdField
from coaching.models import LoggedSession, LoggedSet
from coaching.parsing import MAX_ID
from coaching.services.sessions import SessionInput, SetInput
from coaching.services.sessions.inputs import MAX_SETS_PER_SESSION, TOO_MANY_SETS
from programs.models import display_load
from programs.progression.text import json_num

MAX_SESSIONS_PER_SYNC = 500
DATETIME_EXAMPLE = "2026-11-17T07:42:00+01:00"


@extend_schema_field(OpenApiTypes.DATETIME)
class OffsetDateTimeField(serializers.Field):
    """An ISO 8601 date and time that must carry its UTC offset, which is kept (not converted)."""

    default_error_messages = {
        "invalid": f"Enter a date and time with its UTC offset, like {DATETIME_EXAMPLE}.",
        "naive": f"Give the UTC offset too, like {DATETIME_EXAMPLE}.",
        "offset": "The UTC offset must be whole minutes and at most 18 hours.",
    }

    def to_internal_value(self, data: Any) -> dt.datetime:
        if not isinstance(data, str) or len(data) > 64:
            self.fail("invalid")
        try:
            value = parse_datetime(data.strip())
        except (ValueError, OverflowError):
            value = None
        if value is None:
            self.fail("invalid")
        offset = value.utcoffset()
        if offset is None:
            self.fail("naive")
        if offset % dt.timedelta(minutes=1) or abs(offset) > dt.timedelta(hours=18):
            self.fail("offset")
        try:
            value.astimezone(dt.UTC)
        except OverflowError:
            self.fail("invalid")
        return value

    def to_representation(self, value: dt.datetime) -> str:
        return value.isoformat()


class StrictUUIDField(serializers.UUIDField):
    """A UUID as a string only (DRF also takes an integer, which no device means)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class SetSerializer(serializers.Serializer):
    exercise = serializers.SlugField(max_length=80)
    side = serializers.ChoiceField(choices=LoggedSet.Side.choices, default=LoggedSet.Side.BOTH)
    reps = serializers.IntegerField(min_value=0, max_value=1000, required=False, allow_null=True)
    seconds = serializers.IntegerField(min_value=0, max_value=3600, required=False, allow_null=True)
    # Up to two decimals, so a load reads back exactly as it was entered; the upper limit
    # in kg is the service's (it depends on the unit).
    load = serializers.DecimalField(
        max_digits=9, decimal_places=2, min_value=Decimal(0), required=False, coerce_to_string=False
    )
    unit = serializers.ChoiceField(choices=["kg", "lb"], required=False)
    rpe = serializers.DecimalField(
        max_digits=3,
        decimal_places=1,
        min_value=Decimal(1),
        max_value=Decimal(10),
        required=False,
        allow_null=True,
        coerce_to_string=False,
    )
    tempo_kept = serializers.BooleanField(required=False, allow_null=True)
    faults = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20, required=False)
    pain = serializers.IntegerField(min_value=0, max_value=10, required=False, allow_null=True)

    def validate_rpe(self, value: Decimal | None) -> Decimal | None:
        if value is not None and (value * 2) % 1:
            raise serializers.ValidationError("RPE goes in halves: 7, 7.5, 8 …")
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("load") and "unit" not in attrs:
            raise serializers.ValidationError({"unit": ["Give the unit of the load: kg or lb."]})
        if attrs.get("reps") is not None and attrs.get("seconds") is not None:
            raise serializers.ValidationError({"seconds": ["Give reps or seconds, not both."]})
        return attrs


class SessionSerializer(serializers.Serializer):
    id = StrictUUIDField()
    assignment = IdField()
    performed_at = OffsetDateTimeField()
    client_modified_at = OffsetDateTimeField()
    notes = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, allow_null=True, trim_whitespace=False
    )
    sets = SetSerializer(
        many=True, max_length=MAX_SETS_PER_SESSION, required=False, error_messages={"max_length": TOO_MANY_SETS}
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Set errors as a list aligned with the sets sent ({} for a good one), as in
            # api-examples/sync-response.json and the service's errors; DRF keys them by index.
            # An error about the list itself (too many sets, not a list) is its message instead.
            sets = exc.detail.get("sets") if isinstance(exc.detail, dict) else None
            if isinstance(sets, dict) and not all(isinstance(key, int) for key in sets):
                exc.detail["sets"] = [m for v in sets.values() for m in (v if isinstance(v, list) else [v])]
            elif isinstance(sets, dict) and isinstance(data.get("sets"), list):
                exc.detail["sets"] = [sets.get(i, {}) for i in range(len(data["sets"]))]
            raise


class SyncRequestSerializer(serializers.Serializer):
    """For the schema only: the sync view checks items one by one (a bad one never blocks)."""

    sessions = SessionSerializer(many=True, max_length=MAX_SESSIONS_PER_SYNC)


SYNC_STATUSES = ["created", "updated", "unchanged", "stale", "rejected"]


class SyncResultSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True)
    status = serializers.ChoiceField(choices=SYNC_STATUSES)
    errors = serializers.DictField(required=False)


class SyncResponseSerializer(serializers.Serializer):
    results = SyncResultSerializer(many=True)


# --- what the API answers (for the schema: the body is built by ``session_as_dict``) -----


class SetOutSerializer(serializers.Serializer):
    exercise = serializers.CharField()
    side = serializers.ChoiceField(choices=LoggedSet.Side.choices)
    reps = serializers.IntegerField(allow_null=True)
    seconds = serializers.IntegerField(allow_null=True)
    load = serializers.FloatField(help_text="In the unit it was entered in.")
    unit = serializers.ChoiceField(choices=["kg", "lb"])
    rpe = serializers.FloatField(allow_null=True)
    tempo_kept = serializers.BooleanField(allow_null=True)
    faults = serializers.ListField(child=serializers.CharField())
    pain = serializers.IntegerField(allow_null=True)


class SessionOutSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    assignment = serializers.IntegerField()
    performed_at = serializers.DateTimeField(help_text="With the UTC offset it was sent with.")
    notes = serializers.CharField(allow_blank=True)
    client_modified_at = serializers.DateTimeField()
    sets = SetOutSerializer(many=True)


class TombstoneSerializer(serializers.Serializer):
    """A deleted session, as the feed (and a stale write) shows it."""

    id = serializers.UUIDField()
    deleted = serializers.BooleanField()
    client_modified_at = serializers.DateTimeField()


def session_or_tombstone(many: bool = False) -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name="SessionOrTombstone",
        serializers=[SessionOutSerializer, TombstoneSerializer],
        resource_type_field_name=None,
        many=many,
    )


class FeedSerializer(serializers.Serializer):
    results = session_or_tombstone(many=True)
    next_cursor = serializers.CharField()
    has_more = serializers.BooleanField()


class CSVImportResultSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True)
    # Not a second enum of the same choices: drf-spectacular would name both "status" enums
    # (this and the reviews') with a hash.
    status = serializers.CharField(
        help_text="As in a sync result: "
        + ", ".join(SYNC_STATUSES)
        + "; or conflict: the rows would remove or change stored sets without a later client_modified_at, "
        "so nothing of the session was written (errors say why)."
    )
    rows = serializers.ListField(child=serializers.IntegerField(), help_text="The file's row numbers.")
    errors = serializers.DictField(required=False)


class CSVImportSerializer(serializers.Serializer):
    results = CSVImportResultSerializer(many=True)
    counts = serializers.DictField(child=serializers.IntegerField())


class SessionDeleteSerializer(serializers.Serializer):
    """Optional DELETE body: the device's time of the deletion."""

    client_modified_at = OffsetDateTimeField(required=False)


def parse_session(data: Any, serializer: SessionSerializer | None = None) -> SessionInput:
    """One session from the request: the fast path, else the serializer (which raises
    ``ValidationError`` with the field errors). Pass a serializer to reuse across a batch."""
    item = fast_session_input(data)
    if item is not None:
        return item
    return session_input((serializer or SessionSerializer()).run_validation(data))


def session_input(data: dict[str, Any]) -> SessionInput:
    """Validated serializer data → the service's input."""
    return SessionInput(
        id=data["id"],
        assignment_id=data["assignment"],
        performed_at=data["performed_at"],
        client_modified_at=data["client_modified_at"],
        notes=data.get("notes") or "",
        sets=tuple(
            SetInput(
                exercise=s["exercise"],
                side=s["side"],
                reps=s.get("reps"),
                seconds=s.get("seconds"),
                load=s.get("load") or Decimal(0),
                unit=s.get("unit", "kg"),
                rpe=s.get("rpe"),
                tempo_kept=s.get("tempo_kept"),
                faults=tuple(s.get("faults") or ()),
                pain=s.get("pain"),
            )
            for s in data.get("sets") or ()
        ),
    )


# --- the fast path: clean items skip DRF's field-by-field validation ---------------------

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
_SIDES = frozenset(LoggedSet.Side.values)
_UNITS = frozenset({"kg", "lb"})
_SESSION_KEYS = frozenset({"id", "assignment", "performed_at", "client_modified_at", "notes", "sets"})
_SET_KEYS = frozenset({"exercise", "side", "reps", "seconds", "load", "unit", "rpe", "tempo_kept", "faults", "pain"})
_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
_MAX_LOAD = Decimal(10) ** 7  # DecimalField(max_digits=9, decimal_places=2)
_datetime_field = OffsetDateTimeField()


class _NotClean(Exception):
    """The item needs the full serializer (which will say what is wrong, or accept it)."""


def _int(value: Any, low: int, high: int) -> int | None:
    if value is None:
        return None
    if type(value) is not int or not low <= value <= high:
        raise _NotClean
    return value


def _decimal(value: Any, exp: Decimal, low: Decimal, high: Decimal) -> Decimal:
    if type(value) not in (int, float) or (type(value) is float and not math.isfinite(value)):
        raise _NotClean
    number = Decimal(str(value))
    if not low <= number < high or number != number.quantize(exp):
        raise _NotClean
    return number.quantize(exp)


def _when(value: Any) -> dt.datetime:
    if type(value) is not str:
        raise _NotClean
    try:
        return _datetime_field.to_internal_value(value)
    except serializers.ValidationError as exc:
        raise _NotClean from exc


def _fast_set(data: Any) -> SetInput:
    if type(data) is not dict or not data.keys() <= _SET_KEYS:
        raise _NotClean
    exercise, side, unit = data.get("exercise"), data.get("side", "both"), data.get("unit")
    if type(exercise) is not str or not _SLUG.fullmatch(exercise) or type(side) is not str or side not in _SIDES:
        raise _NotClean
    reps = _int(data.get("reps"), 0, 1000)
    seconds = _int(data.get("seconds"), 0, 3600)
    pain = _int(data.get("pain"), 0, 10)
    load = _decimal(data["load"], _CENT, Decimal(0), _MAX_LOAD) if "load" in data else Decimal(0)
    rpe = data.get("rpe")
    if rpe is not None:
        rpe = _decimal(rpe, _TENTH, Decimal(1), Decimal("10.01"))
        if (rpe * 2) % 1:
            raise _NotClean
    tempo_kept = data.get("tempo_kept")
    faults = data.get("faults", [])
    if (
        ("unit" in data and (type(unit) is not str or unit not in _UNITS))
        or (unit is None and load)
        or (reps is not None and seconds is not None)
        or (tempo_kept is not None and type(tempo_kept) is not bool)
        or type(faults) is not list
        or len(faults) > 20
        or not all(type(f) is str and _SLUG.fullmatch(f) and len(f) <= 40 for f in faults)
    ):
        raise _NotClean
    return SetInput(
        exercise=exercise,
        side=side,
        reps=reps,
        seconds=seconds,
        load=load,
        unit=unit or "kg",
        rpe=rpe,
        tempo_kept=tempo_kept,
        faults=tuple(faults),
        pain=pain,
    )


def fast_session_input(data: Any) -> SessionInput | None:
    """``session_input(SessionSerializer(data).validated_data)`` for a clean item, quickly.

    Accepts only what the serializer certainly accepts, with the same result (a property
    test holds the two together); anything else is ``None``: run the serializer.
    """
    try:
        if type(data) is not dict or not data.keys() <= _SESSION_KEYS:
            raise _NotClean
        sid, assignment, notes, sets = data.get("id"), data.get("assignment"), data.get("notes"), data.get("sets", [])
        if type(sid) is not str or type(assignment) is not int or not 1 <= assignment <= MAX_ID:
            raise _NotClean
        if notes is not None and (type(notes) is not str or len(notes) > 5000 or "\x00" in notes):
            raise _NotClean
        if type(sets) is not list or len(sets) > MAX_SETS_PER_SESSION:
            raise _NotClean
        try:
            session_id = uuid.UUID(hex=sid)
        except ValueError as exc:
            raise _NotClean from exc
        return SessionInput(
            id=session_id,
            assignment_id=assignment,
            performed_at=_when(data.get("performed_at")),
            client_modified_at=_when(data.get("client_modified_at")),
            notes=notes or "",
            sets=tuple(_fast_set(s) for s in sets),
        )
    except _NotClean:
        return None


# --- representation (plain functions: a feed page or a 500 batch renders fast) ------------


def _utc_iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def set_as_dict(s: LoggedSet) -> dict[str, Any]:
    return {
        "exercise": s.exercise.slug,
        "side": s.side,
        "reps": s.reps,
        "seconds": s.seconds,
        "load": json_num(display_load(s.load_kg, s.unit)),
        "unit": s.unit,
        "rpe": None if s.rpe is None else json_num(Decimal(s.rpe)),
        "tempo_kept": s.tempo_kept,
        "faults": list(s.faults),
        "pain": s.pain,
    }


def session_as_dict(session: LoggedSession, sets: list[LoggedSet] | None = None) -> dict[str, Any]:
    """The API's session; a deleted one is its tombstone ``{"id", "deleted": true}``.

    ``performed_at`` reads back with the offset it was sent with; ``client_modified_at``
    in UTC. ``sets`` defaults to the session's (prefetched) sets.
    """
    if session.deleted_at is not None:
        return {"id": str(session.pk), "deleted": True, "client_modified_at": _utc_iso(session.client_modified_at)}
    if sets is None:
        sets = list(session.sets.all())
    offset = dt.timezone(dt.timedelta(minutes=session.performed_at_offset))
    return {
        "id": str(session.pk),
        "assignment": session.assignment_id,
        "performed_at": session.performed_at.astimezone(offset).isoformat(),
        "notes": session.notes,
        "client_modified_at": _utc_iso(session.client_modified_at),
        "sets": [set_as_dict(s) for s in sets],
    }
