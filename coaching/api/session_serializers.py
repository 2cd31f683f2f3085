"""Logged sessions in the API: shapes and types in, the representation out.

Serializers only check shape and types; domain rules (known exercise, reps or seconds by
the exercise's measure, load limit, dates not in the future) are the service's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.dateparse import parse_datetime
from rest_framework import serializers

from coaching.models import LoggedSession, LoggedSet
from coaching.services.sessions import SessionInput, SetInput
from programs.models import display_load

MAX_SESSIONS_PER_SYNC = 500
MAX_SETS_PER_SESSION = 200
DATETIME_EXAMPLE = "2026-11-17T07:42:00+01:00"


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
    load = serializers.DecimalField(max_digits=9, decimal_places=2, min_value=Decimal(0), required=False)
    unit = serializers.ChoiceField(choices=["kg", "lb"], required=False)
    rpe = serializers.DecimalField(
        max_digits=3,
        decimal_places=1,
        min_value=Decimal(1),
        max_value=Decimal(10),
        required=False,
        allow_null=True,
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
    assignment = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    performed_at = OffsetDateTimeField()
    client_modified_at = OffsetDateTimeField()
    notes = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, allow_null=True, trim_whitespace=False
    )
    sets = SetSerializer(many=True, max_length=MAX_SETS_PER_SESSION, required=False)

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError as exc:
            # Set errors as a list aligned with the sets sent ({} for a good one), as in
            # api-examples/sync-response.json and the service's errors; DRF keys them by index.
            sets = exc.detail.get("sets") if isinstance(exc.detail, dict) else None
            if isinstance(sets, dict) and isinstance(data.get("sets"), list):
                exc.detail["sets"] = [sets.get(i, {}) for i in range(len(data["sets"]))]
            raise


class SyncRequestSerializer(serializers.Serializer):
    """For the schema only: the sync view checks items one by one (a bad one never blocks)."""

    sessions = SessionSerializer(many=True, max_length=MAX_SESSIONS_PER_SYNC)


class SyncResultSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True)
    status = serializers.ChoiceField(choices=["created", "updated", "unchanged", "stale", "rejected"])
    errors = serializers.DictField(required=False)


class SyncResponseSerializer(serializers.Serializer):
    results = SyncResultSerializer(many=True)


class SetOutSerializer(SetSerializer):
    """For the schema only: the representation is built by ``session_as_dict``."""


class SessionOutSerializer(SessionSerializer):
    sets = SetOutSerializer(many=True)


class FeedItemSerializer(SessionOutSerializer):
    deleted = serializers.BooleanField(required=False)


class FeedSerializer(serializers.Serializer):
    results = FeedItemSerializer(many=True)
    next_cursor = serializers.CharField()
    has_more = serializers.BooleanField()


class SessionDeleteSerializer(serializers.Serializer):
    """Optional DELETE body: the device's time of the deletion."""

    client_modified_at = OffsetDateTimeField(required=False)


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


# --- representation (plain functions: a feed page or a 500 batch renders fast) ------------


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _utc_iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def set_as_dict(s: LoggedSet) -> dict[str, Any]:
    return {
        "exercise": s.exercise.slug,
        "side": s.side,
        "reps": s.reps,
        "seconds": s.seconds,
        "load": _number(display_load(s.load_kg, s.unit)),
        "unit": s.unit,
        "rpe": None if s.rpe is None else _number(Decimal(s.rpe)),
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
