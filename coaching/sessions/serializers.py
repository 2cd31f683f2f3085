"""Logged sessions in the API: shapes and types in, the representation out.

Serializers check shape and types, and a set's values through the one validator of a set
(``coaching.sessions.services.inputs.set_errors``); the rules that need the coach's library
(known exercise, reps or seconds by its measure, known faults, load limit) and dates not in the
future are the service's. The response serializers below build every body the API sends.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from coaching.api.fields import FieldErrorsField, IdField
from coaching.api.openapi import ref
from coaching.models import CoachFault, LoggedSession, LoggedSet
from coaching.parsing import MAX_ID
from coaching.sessions.faults.selectors import attach_coach_faults
from coaching.sessions.services import SessionInput, SetInput
from coaching.sessions.services.feed import FeedRows
from coaching.sessions.services.inputs import (
    CHECKIN_SCORES,
    LOW_BACK,
    MAX_SETS_PER_SESSION,
    SET_VALUE_LIMITS,
    TOO_MANY_SETS,
    UNITS,
    checkin_errors,
    set_errors,
    set_value_error,
)
from coaching.videos.selectors import with_video_urls
from programs.days import MAX_DAYS
from programs.models import display_load
from programs.progression import readiness_shown
from programs.progression.text import json_num
from programs.progression.types import CHECKIN_SCORES as CHECKIN_RANGE
from programs.progression.types import Checkin

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


class _SetValue:
    """A DRF validator: one value of a set against the one validator of a set's values."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, value: Any) -> None:
        message = set_value_error(self.name, value)
        if message:
            raise serializers.ValidationError(message)


class _SetNumber:
    """A set's number field, checked by ``set_value_error``; its limits stay declared on the field
    for the schema (drf-spectacular reads ``min_value``/``max_value``) but DRF's own range checks
    go, so the one validator says what is wrong, in its words."""

    validators: list[Any]

    def __init__(self, *, value_of: str, **kwargs: Any) -> None:
        low, high = SET_VALUE_LIMITS[value_of]
        super().__init__(min_value=low, max_value=high, **kwargs)  # type: ignore[call-arg]
        kept = [v for v in self.validators if not isinstance(v, MinValueValidator | MaxValueValidator)]
        self.validators = [*kept, _SetValue(value_of)]


class SetIntegerField(_SetNumber, serializers.IntegerField):
    """Reps, seconds or pain of a set, checked by the one set validator."""


class SetDecimalField(_SetNumber, serializers.DecimalField):
    """The load or RPE of a set, checked by the one set validator."""


class SetChoiceField(serializers.ChoiceField):
    """A set's side or unit: the enum for the schema, the one validator's check and words."""

    def __init__(self, *, value_of: str, **kwargs: Any) -> None:
        self.value_of = value_of
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        message = set_value_error(self.value_of, data)
        if message:
            raise serializers.ValidationError(message, code="invalid_choice")
        return data


class SetSerializer(serializers.Serializer):
    id = StrictUUIDField(
        required=False,
        allow_null=True,
        help_text="The set's own id, made by the client, unique in its session; absent: the stored set's at "
        "this position keeps its id (a new set gets one from the server).",
    )
    exercise = serializers.SlugField(max_length=80)
    side = SetChoiceField(value_of="side", choices=LoggedSet.Side.choices, default=LoggedSet.Side.BOTH)
    reps = SetIntegerField(value_of="reps", required=False, allow_null=True)
    seconds = SetIntegerField(value_of="seconds", required=False, allow_null=True)
    # Up to two decimals, so a load reads back exactly as it was entered; the upper limit
    # in kg is the service's (it depends on the unit).
    load = SetDecimalField(value_of="load", max_digits=9, decimal_places=2, required=False, coerce_to_string=False)
    unit = SetChoiceField(value_of="unit", choices=UNITS, required=False)
    rpe = SetDecimalField(
        value_of="rpe", max_digits=3, decimal_places=1, required=False, allow_null=True, coerce_to_string=False
    )
    tempo_kept = serializers.BooleanField(required=False, allow_null=True)
    faults = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20, required=False)
    pain = SetIntegerField(value_of="pain", required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = set_errors(set_input(attrs), unit_given="unit" in attrs)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class CheckinSerializer(serializers.Serializer):
    """The readiness check-in answered before the session (docs/domain.md "Readiness check-in")."""

    sleep = serializers.IntegerField(
        min_value=CHECKIN_RANGE[0], max_value=CHECKIN_RANGE[1], required=False, allow_null=True,
        help_text="1 poor to 5 great.",
    )  # fmt: skip
    soreness = serializers.IntegerField(
        min_value=CHECKIN_RANGE[0], max_value=CHECKIN_RANGE[1], required=False, allow_null=True,
        help_text="1 none to 5 very sore.",
    )  # fmt: skip
    stress = serializers.IntegerField(
        min_value=CHECKIN_RANGE[0], max_value=CHECKIN_RANGE[1], required=False, allow_null=True,
        help_text="1 low to 5 high.",
    )  # fmt: skip
    low_back = serializers.ChoiceField(choices=LOW_BACK, required=False, allow_null=True)
    cut_taken = serializers.BooleanField(
        required=False, default=False, help_text="The client took the day's lines at the readiness cut of 10%."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = checkin_errors(checkin_input(attrs))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class SessionSerializer(serializers.Serializer):
    id = StrictUUIDField()
    assignment = IdField()
    performed_at = OffsetDateTimeField()
    client_modified_at = OffsetDateTimeField()
    notes = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, allow_null=True, trim_whitespace=False
    )
    day = serializers.IntegerField(
        min_value=1,
        max_value=MAX_DAYS,
        required=False,
        allow_null=True,
        help_text="The number of the training day followed; absent, null or a day the assignment does not have: "
        "dayless (its sets go to the line of their exercise whose load is nearest).",
    )
    checkin = CheckinSerializer(
        required=False,
        allow_null=True,
        help_text="The readiness check-in, with at least one answer; a session may have no sets when it carries one.",
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


@extend_schema_field(
    {
        "description": "A rejected item's field errors; for an item that is not a session object, its messages.",
        "anyOf": [ref("SessionErrors"), {"type": "array", "items": {"type": "string"}}],
    }
)
class SyncErrorsField(serializers.Field):
    """A rejected item's field errors; for an item that is not an object (``null``), its messages."""

    def to_representation(self, value: Any) -> Any:
        return value


class SyncResultSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True)
    status = serializers.ChoiceField(choices=SYNC_STATUSES)
    errors = SyncErrorsField(required=False)


class SyncResponseSerializer(serializers.Serializer):
    results = SyncResultSerializer(many=True)


# --- what the API answers: these serializers build every session body the API sends -------


class NumberField(serializers.FloatField):
    """A stored Decimal as a JSON number (documented as FloatField is)."""

    def to_representation(self, value: Any) -> int | float:
        return json_num(Decimal(value))  # type: ignore[return-value]  # never None here


@extend_schema_field(OpenApiTypes.DATETIME)
class PerformedAtField(serializers.Field):
    """When the session was performed, at the UTC offset the device sent."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", **kwargs)

    def to_representation(self, value: LoggedSession) -> str:
        offset = dt.timezone(dt.timedelta(minutes=value.performed_at_offset))
        return value.performed_at.astimezone(offset).isoformat()


@extend_schema_field(OpenApiTypes.DATETIME)
class UTCDateTimeField(serializers.Field):
    def to_representation(self, value: dt.datetime) -> str:
        return value.astimezone(dt.UTC).isoformat()


class TaggerSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The tagger's name (or email when they gave no name).")
    role = serializers.ChoiceField(choices=CoachFault.Role.choices)


class _Tagger(TaggerSerializer):
    def get_attribute(self, instance: CoachFault) -> dict[str, str]:
        return {"name": instance.by.name or instance.by.email, "role": instance.role}


class CoachFaultOutSerializer(serializers.Serializer):
    fault = serializers.CharField(help_text="A slug of the fixed fault list.")
    by = _Tagger()
    at = UTCDateTimeField(help_text="When it was tagged.")


class _CoachTags(serializers.ListSerializer):
    def get_attribute(self, instance: LoggedSet) -> list[CoachFault]:
        return getattr(instance, "coach_tags", [])


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class _VideoField(serializers.Field):
    """The set's form video for the permitted users, or null (none yet)."""

    def get_attribute(self, instance: LoggedSet) -> str | None:
        return getattr(instance, "video_url", None)

    def to_representation(self, value: Any) -> Any:
        return value


class SetOutSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="uid", help_text="The set's id, kept across edits.")
    exercise = serializers.CharField(source="exercise.slug")
    side = serializers.ChoiceField(choices=LoggedSet.Side.choices)
    reps = serializers.IntegerField(allow_null=True)
    seconds = serializers.IntegerField(allow_null=True)
    load = NumberField(source="load_display", help_text="In the unit it was entered in.")
    unit = serializers.ChoiceField(choices=UNITS)
    rpe = NumberField(allow_null=True)
    tempo_kept = serializers.BooleanField(allow_null=True)
    faults = serializers.ListField(child=serializers.CharField(), help_text="The client's own ticks.")
    pain = serializers.IntegerField(allow_null=True)
    coach_faults = _CoachTags(
        child=CoachFaultOutSerializer(), help_text="Faults a coach tagged on this set, oldest first (not the client's)."
    )
    video = _VideoField(
        allow_null=True, help_text="Where the set's form video is watched (only by the permitted users); null: none."
    )

    def to_representation(self, instance: LoggedSet) -> dict[str, Any]:
        """What the declared fields above give (``declared_representation``), without DRF's
        dozen field calls per set: a feed page holds 1,800 sets. A test pins the two equal."""
        rpe, faults = instance.rpe, instance.faults
        return {
            "id": str(instance.uid),
            "exercise": str(instance.exercise.slug),
            "side": str(instance.side),
            "reps": None if instance.reps is None else int(instance.reps),
            "seconds": None if instance.seconds is None else int(instance.seconds),
            "load": json_num(Decimal(instance.load_display)),
            "unit": str(instance.unit),
            "rpe": None if rpe is None else json_num(Decimal(rpe)),
            "tempo_kept": None if instance.tempo_kept is None else bool(instance.tempo_kept),
            "faults": None if faults is None else [None if f is None else str(f) for f in faults],
            "pain": None if instance.pain is None else int(instance.pain),
            "coach_faults": [_coach_fault(tag) for tag in getattr(instance, "coach_tags", [])],
            "video": getattr(instance, "video_url", None),
        }

    def declared_representation(self, instance: LoggedSet) -> dict[str, Any]:
        """The set through DRF's fields, as declared (the reference ``to_representation`` keeps to)."""
        return super().to_representation(instance)


def _coach_fault(tag: CoachFault) -> dict[str, Any]:
    """``CoachFaultOutSerializer``'s representation of a tag."""
    return {
        "fault": str(tag.fault),
        "by": {"name": str(tag.by.name or tag.by.email), "role": str(tag.role)},
        "at": tag.at.astimezone(dt.UTC).isoformat(),
    }


class CheckinOutSerializer(serializers.Serializer):
    sleep = serializers.IntegerField(allow_null=True)
    soreness = serializers.IntegerField(allow_null=True)
    stress = serializers.IntegerField(allow_null=True)
    low_back = serializers.ChoiceField(choices=LOW_BACK, allow_null=True)
    cut_taken = serializers.BooleanField()
    readiness = serializers.SerializerMethodField(
        help_text="The mean of sleep, 6 − soreness and 6 − stress, with one decimal; null unless all three are given."
    )

    @extend_schema_field(OpenApiTypes.DOUBLE)
    def get_readiness(self, checkin: Checkin) -> int | float | None:
        return json_num(readiness_shown(checkin))


@extend_schema_serializer(component_name="SessionCheckin")  # not "_SessionCheckin" in generated clients
class _SessionCheckin(CheckinOutSerializer):
    def get_attribute(self, instance: LoggedSession) -> Checkin | None:
        return instance.checkin


class _SessionSets(serializers.ListSerializer):
    """A session's sets: those the caller has (``context["sets"]``, a write's), else its prefetched ones."""

    def get_attribute(self, instance: LoggedSession) -> list[LoggedSet]:
        sets = self.context.get("sets")
        sets = list(instance.sets.all()) if sets is None else sets
        if any(not hasattr(s, "coach_tags") for s in sets):
            attach_coach_faults(sets)  # readers of many sessions attach them for all at once
        if sets and all(hasattr(s, "video_url") for s in sets):
            return sets  # known already (a session just created has none)
        return with_video_urls(instance, sets)


@extend_schema_field(
    {"type": "boolean", "enum": [False], "description": "Always false: a live session (a tombstone has true)."}
)
class _LiveField(serializers.Field):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: Any) -> bool:
        return False


class SessionOutSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    # The union's discriminator (with TombstoneSerializer.deleted): a boolean literal on each side.
    deleted = _LiveField()
    assignment = serializers.IntegerField(source="assignment_id")
    performed_at = PerformedAtField(help_text="With the UTC offset it was sent with.")
    notes = serializers.CharField(allow_blank=True)
    day = serializers.IntegerField(allow_null=True, help_text="The training day followed; null: dayless.")
    checkin = _SessionCheckin(allow_null=True, help_text="The readiness check-in; null: none.")
    client_modified_at = UTCDateTimeField()
    sets = _SessionSets(child=SetOutSerializer())

    def to_representation(self, instance: LoggedSession) -> dict[str, Any]:
        """What the declared fields above give (``declared_representation``), with fewer DRF calls:
        a feed page renders 200 sessions. A test pins the two equal."""
        fields = self.fields
        checkin = instance.checkin
        sets = fields["sets"]
        offset = dt.timezone(dt.timedelta(minutes=instance.performed_at_offset))
        return {
            "id": str(instance.id),
            "deleted": False,
            "assignment": int(instance.assignment_id),
            "performed_at": instance.performed_at.astimezone(offset).isoformat(),
            "notes": str(instance.notes),
            "day": None if instance.day is None else int(instance.day),
            "checkin": None if checkin is None else fields["checkin"].to_representation(checkin),
            "client_modified_at": instance.client_modified_at.astimezone(dt.UTC).isoformat(),
            "sets": sets.to_representation(sets.get_attribute(instance)),
        }

    def declared_representation(self, instance: LoggedSession) -> dict[str, Any]:
        """The session through DRF's fields, as declared (the reference ``to_representation`` keeps to)."""
        return super().to_representation(instance)


@extend_schema_field({"type": "boolean", "enum": [True], "description": "Always true: the session was deleted."})
class _DeletedField(serializers.BooleanField):
    def get_attribute(self, instance: LoggedSession) -> bool:
        return instance.deleted_at is not None


class TombstoneSerializer(serializers.Serializer):
    """A deleted session, as the feed (and a stale write) shows it."""

    id = serializers.UUIDField()
    deleted = _DeletedField()
    client_modified_at = UTCDateTimeField()


def session_or_tombstone(many: bool = False) -> PolymorphicProxySerializer:
    """A live session or a tombstone, told apart by ``deleted`` (false or true)."""
    return PolymorphicProxySerializer(
        component_name="SessionOrTombstone",
        serializers=[SessionOutSerializer, TombstoneSerializer],
        resource_type_field_name=None,
        many=many,
    )


def session_body(session: LoggedSession, sets: list[LoggedSet] | None = None) -> dict[str, Any]:
    """The API's session, by the serializers the schema documents; a deleted one is its tombstone.

    ``performed_at`` reads back with the offset it was sent with; ``client_modified_at`` in UTC.
    ``sets`` defaults to the session's (prefetched) sets.
    """
    if session.deleted_at is not None:
        return TombstoneSerializer(session).data
    return SessionOutSerializer(session, context={"sets": sets}).data


@extend_schema_field(session_or_tombstone())
class SessionOrTombstoneField(serializers.Field):
    """A session of the feed, live or deleted (one bound serializer of each renders the page)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = SessionOutSerializer()
        self.tombstone = TombstoneSerializer()

    def to_representation(self, value: LoggedSession) -> dict[str, Any]:
        shape = self.tombstone if value.deleted_at is not None else self.session
        return shape.to_representation(value)


# A page of the change feed (no docstring: it would become the schema's description).
class FeedSerializer(serializers.Serializer):
    results = serializers.ListField(child=SessionOrTombstoneField())
    next_cursor = serializers.CharField()
    has_more = serializers.BooleanField()


class _FeedShown:
    """A feed page's rows as the API shows them, with the page's caches of what many rows repeat
    (a load and unit, an RPE, a list of faults: decoded and formatted once each)."""

    def __init__(self, page: FeedRows) -> None:
        self.page = page
        self.loads: dict[tuple[str, str], int | float | None] = {}
        self.rpes: dict[str, int | float | None] = {}
        self.fault_lists: dict[str, list[str | None] | None] = {}

    def session(self, row: tuple[Any, ...], sets: list[Any]) -> dict[str, Any]:
        """``session_body`` of the session (its tombstone if deleted), with ``sets`` as given."""
        sid, deleted_at, modified = row[0], row[1], row[2]
        if deleted_at is not None:
            return {"id": sid, "deleted": True, "client_modified_at": modified}
        (_, _, _, _, assignment, performed_at, notes, day, sleep, soreness, stress, low_back, cut) = row
        checkin = None
        if sleep is not None or soreness is not None or stress is not None or low_back:
            shown = Checkin(sleep=sleep, soreness=soreness, stress=stress, low_back=low_back or None, cut_taken=cut)
            checkin = {
                "sleep": sleep,
                "soreness": soreness,
                "stress": stress,
                "low_back": low_back or None,
                "cut_taken": bool(cut),
                "readiness": json_num(readiness_shown(shown)),
            }
        return {
            "id": sid,
            "deleted": False,
            "assignment": assignment,
            "performed_at": performed_at,
            "notes": notes,
            "day": day,
            "checkin": checkin,
            "client_modified_at": modified,
            "sets": sets,
        }

    def set(self, sid: str, row: tuple[Any, ...]) -> dict[str, Any]:
        """``SetOutSerializer``'s representation of a set row (``SET_COLUMNS``) of session ``sid``."""
        _, uid, slug, side, reps, seconds, load_kg, unit, rpe, tempo_kept, faults_json, pain = row
        loads = self.loads
        load = loads.get((load_kg, unit), loads)
        if load is loads:
            load = loads[(load_kg, unit)] = json_num(display_load(_stored(load_kg, _LOAD_PLACES), unit))
        if rpe is not None:
            rpes = self.rpes
            shown_rpe = rpes.get(rpe, rpes)
            if shown_rpe is rpes:
                shown_rpe = rpes[rpe] = json_num(_stored(rpe, _RPE_PLACES))
            rpe = shown_rpe
        fault_lists = self.fault_lists
        faults = fault_lists.get(faults_json, fault_lists)
        if faults is fault_lists:
            parsed = json.loads(faults_json)
            faults = [None if f is None else str(f) for f in parsed] if parsed is not None else None
            fault_lists[faults_json] = faults
        key = (sid, uid)
        return {
            "id": uid,
            "exercise": slug,
            "side": side,
            "reps": reps,
            "seconds": seconds,
            "load": load,
            "unit": unit,
            "rpe": rpe,
            "tempo_kept": tempo_kept,
            "faults": faults,  # one list per distinct value, shared (JSON does not mind)
            "pain": pain,
            "coach_faults": [
                {"fault": fault, "by": {"name": name or email, "role": role}, "at": at.astimezone(dt.UTC).isoformat()}
                for _, _, fault, name, email, role, at in self.page.tags.get(key, ())
            ],
            "video": self.page.videos.get(key),
        }


_LOAD_PLACES = Decimal(1).scaleb(-LoggedSet._meta.get_field("load_kg").decimal_places)  # type: ignore[union-attr]
_RPE_PLACES = Decimal(1).scaleb(-LoggedSet._meta.get_field("rpe").decimal_places)  # type: ignore[union-attr]


def _stored(text: str, places: Decimal) -> Decimal:
    """A decimal column's text as the field reads it: its value at the field's decimal places
    (PostgreSQL's text has them already; SQLite's drops trailing zeros, ``60`` for 60.00)."""
    return Decimal(text).quantize(places)


def feed_results(page: FeedRows) -> list[dict[str, Any]]:
    """A feed page's ``results`` from its rows (``sessions_changed_since``): what ``FeedSerializer``
    gives for the same sessions as model instances (``session_body`` of each, a tombstone for a
    deleted one), built from the tuples directly (ids and the session's times already the text
    printed: ``UUIDText``, ``IsoUTC``, ``IsoAtOffset``). A test pins the two equal, byte for byte."""
    shown = _FeedShown(page)
    return [
        shown.session(row, [shown.set(row[0], s) for s in page.sets.get(row[0], ())] if row[1] is None else [])
        for row in page.sessions
    ]


@dataclass(frozen=True)
class FeedPage:
    """A page of the feed as the view answers it: ``FeedSerializer``'s shape (``data``), which
    ``FeedRenderer`` prints without building it (``feed_page_json``)."""

    rows: FeedRows
    next_cursor: str
    has_more: bool

    def data(self) -> dict[str, Any]:
        return {"results": feed_results(self.rows), "next_cursor": self.next_cursor, "has_more": self.has_more}


def feed_page_json(page: FeedPage, dumps: Callable[[Any], str], separators: tuple[str, str]) -> str:
    """``dumps(page.data())``, the same text, assembled from pieces: each set is its id and the
    text of the rest of it, printed once per distinct rest on the page (a coach's sets repeat the
    same exercise, load, reps and RPE week after week), each session printed without its sets and
    given them. ``dumps`` must print a dict's keys in order with ``separators`` (item, key) and
    print a UUID's text as itself in quotes, as JSON does."""
    item, key = separators
    shown = _FeedShown(page.rows)
    tags, videos, sets_of = page.rows.tags, page.rows.videos, page.rows.sets
    head = "{" + dumps("id") + key + '"'
    rests: dict[tuple[Any, ...], str] = {}
    sessions = []
    for row in page.rows.sessions:
        sid = row[0]
        if row[1] is not None:
            sessions.append(dumps(shown.session(row, [])))
            continue
        sets = []
        for set_row in sets_of[sid]:
            uid = set_row[1]
            if (sid, uid) in tags or (sid, uid) in videos:  # rare: printed whole
                sets.append(dumps(shown.set(sid, set_row)))
                continue
            rest = rests.get(set_row[2:])
            if rest is None:
                blank = dumps(shown.set(sid, set_row) | {"id": ""})
                rest = rests[set_row[2:]] = blank[len(head) + 1 :]
            sets.append(head + uid + '"' + rest)
        body = dumps(shown.session(row, []))  # ends with the empty sets: ``"sets":[]}``
        sessions.append(body[:-3] + "[" + item.join(sets) + "]}")
    skeleton = dumps({"results": [], "next_cursor": page.next_cursor, "has_more": page.has_more})
    prefix = "{" + dumps("results") + key
    return prefix + "[" + item.join(sessions) + "]" + skeleton[len(prefix) + 2 :]


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
    errors = FieldErrorsField(
        required=False, help_text="Per column, and per row under `rows` (keyed by the file's row number)."
    )


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
        sets=tuple(set_input(s) for s in data.get("sets") or ()),
        day=data.get("day"),
        checkin=checkin_input(data["checkin"]) if data.get("checkin") is not None else None,
    )


def checkin_input(data: dict[str, Any]) -> Checkin:
    """A check-in's validated serializer data → the service's input."""
    return Checkin(
        sleep=data.get("sleep"),
        soreness=data.get("soreness"),
        stress=data.get("stress"),
        low_back=data.get("low_back"),
        cut_taken=bool(data.get("cut_taken", False)),
    )


def set_input(data: dict[str, Any]) -> SetInput:
    """One set's validated serializer data → the service's input."""
    return SetInput(
        exercise=data["exercise"],
        side=data.get("side", LoggedSet.Side.BOTH),
        reps=data.get("reps"),
        seconds=data.get("seconds"),
        load=data.get("load") or Decimal(0),
        unit=data.get("unit", "kg"),
        rpe=data.get("rpe"),
        tempo_kept=data.get("tempo_kept"),
        faults=tuple(data.get("faults") or ()),
        pain=data.get("pain"),
        id=data.get("id"),
    )


# --- the fast path: clean items skip DRF's field-by-field validation ---------------------

_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
_SESSION_KEYS = frozenset({"id", "assignment", "performed_at", "client_modified_at", "notes", "sets", "day", "checkin"})
_CHECKIN_KEYS = frozenset({*CHECKIN_SCORES, "low_back", "cut_taken"})
# A body repeating a set's ``coach_faults`` or ``video`` (from a response) has them ignored.
_SET_KEYS = frozenset(
    {"id", "exercise", "side", "reps", "seconds", "load", "unit", "rpe", "tempo_kept", "faults", "pain"}
    | {"coach_faults", "video"}
)
_CENT = Decimal("0.01")
_TENTH = Decimal("0.1")
_LOAD_DIGITS = Decimal(10) ** 7  # DecimalField(max_digits=9, decimal_places=2)
_RPE_DIGITS = Decimal(100)  # DecimalField(max_digits=3, decimal_places=1)
_datetime_field = OffsetDateTimeField()


class _NotClean(Exception):
    """The item needs the full serializer (which will say what is wrong, or accept it)."""


def _int(value: Any) -> int | None:
    if value is None:
        return None
    if type(value) is not int:
        raise _NotClean
    return value


def _decimal(value: Any, exp: Decimal, digits: Decimal) -> Decimal:
    """A JSON number with at most ``exp``'s places and below ``digits`` (the field's max_digits)."""
    if type(value) not in (int, float) or (type(value) is float and not math.isfinite(value)):
        raise _NotClean
    number = Decimal(str(value))
    if not abs(number) < digits or number != number.quantize(exp):
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
    if type(exercise) is not str or not _SLUG.fullmatch(exercise) or type(side) is not str:
        raise _NotClean
    reps = _int(data.get("reps"))
    seconds = _int(data.get("seconds"))
    pain = _int(data.get("pain"))
    load = _decimal(data["load"], _CENT, _LOAD_DIGITS) if "load" in data else Decimal(0)
    rpe = data.get("rpe")
    if rpe is not None:
        rpe = _decimal(rpe, _TENTH, _RPE_DIGITS)
    tempo_kept = data.get("tempo_kept")
    faults = data.get("faults", [])
    set_id = data.get("id")
    if set_id is not None:
        if type(set_id) is not str:
            raise _NotClean
        try:
            set_id = uuid.UUID(hex=set_id)
        except ValueError as exc:
            raise _NotClean from exc
    if (
        ("unit" in data and type(unit) is not str)
        or (tempo_kept is not None and type(tempo_kept) is not bool)
        or type(faults) is not list
        or len(faults) > 20
        or not all(type(f) is str and _SLUG.fullmatch(f) and len(f) <= 40 for f in faults)
    ):
        raise _NotClean
    result = SetInput(
        exercise=exercise,
        side=side,
        reps=reps,
        seconds=seconds,
        load=load,
        unit="kg" if unit is None else unit,  # a blank unit is the serializer's error, not kg
        rpe=rpe,
        tempo_kept=tempo_kept,
        faults=tuple(faults),
        pain=pain,
        id=set_id,
    )
    if set_errors(result, unit_given=unit is not None):
        raise _NotClean
    return result


def _fast_checkin(data: Any) -> Checkin | None:
    if data is None:
        return None
    if type(data) is not dict or not data.keys() <= _CHECKIN_KEYS:
        raise _NotClean
    low_back, cut_taken = data.get("low_back"), data.get("cut_taken", False)
    if (low_back is not None and type(low_back) is not str) or type(cut_taken) is not bool:
        raise _NotClean
    result = Checkin(
        sleep=_int(data.get("sleep")),
        soreness=_int(data.get("soreness")),
        stress=_int(data.get("stress")),
        low_back=low_back,  # type: ignore[arg-type]  # checked just below
        cut_taken=cut_taken,
    )
    if checkin_errors(result):
        raise _NotClean
    return result


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
        day = _int(data.get("day"))
        if day is not None and not 1 <= day <= MAX_DAYS:
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
            day=day,
            checkin=_fast_checkin(data.get("checkin")),
        )
    except _NotClean:
        return None
