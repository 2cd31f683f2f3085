"""Shapes and types of the API's bodies (docs/api.md). Serializers check; services decide.

The shared ones (lines, dates) and the library's, assignments' and auth's; the clients' are in
``coaching.clients.serializers``, the reviews' in ``coaching.reviews.serializers``, the sessions' in
``coaching.sessions.serializers``.

Lines (of programs, prescriptions and review items) share one shape, ``Line``: the exercise's
slug, sets, reps or seconds range by the exercise's measure, load as a number in its unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.http import Http404
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coaching.access import access_client, access_template
from coaching.api.fields import IdField
from coaching.models import Assignment, Client, PrescriptionVersion
from coaching.services.prescriptions import assignment_days
from programs import days as day_rules
from programs import lines as line_rules
from programs.days import Day
from programs.lines import Line
from programs.models import Exercise, LineFields, ProgramTemplate, Unit
from programs.services import template_days

MAX_LINES = 50
# Dates far from today are typing mistakes; they would also overflow date arithmetic.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def date_in_range(value: dt.date) -> dt.date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise serializers.ValidationError(f"Use a date between {EARLIEST_DATE:%Y} and {LATEST_DATE:%Y}.")
    return value


# --- days -------------------------------------------------------------------------------
# docs/domain.md "Training days". These serializers check types only: the rules of a week (1–7
# days, unique numbers, names, weekday pins, lines on their days) are ``programs.days.days_errors``,
# which the services call (``programs.services.check_week``). The ranges below are documented in
# the schema, not checked a second time here.


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": day_rules.MAX_DAYS})
class DayNumberField(serializers.IntegerField):
    """A training day's number, 1–7 (checked by the week's validator)."""


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": 6})
class WeekdayField(serializers.IntegerField):
    """A weekday, 0 = Monday to 6 = Sunday (checked by the week's validator)."""


class DaySerializer(serializers.Serializer):
    """A training day as read back: its number (kept for its life), name and weekday pins."""

    day = DayNumberField(help_text="The day's number, 1–7, unique in the week and kept for the day's life.")
    name = serializers.CharField(help_text='"Day A", "Day B", ... unless the coach named it.')
    weekdays = serializers.ListField(
        child=WeekdayField(), help_text="The weekdays the day is pinned to (0 = Monday); empty when unpinned."
    )

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return instance.to_json() if isinstance(instance, Day) else dict(instance)


class DayInputSerializer(serializers.Serializer):
    """A training day as written; the week's rules are checked with its lines (docs/api.md)."""

    day = DayNumberField(help_text="The day's number, 1–7, unique in the week; lines name it in `day`.")
    name = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text=f'At most {day_rules.MAX_DAY_NAME} characters; "Day A", "Day B", ... by its place if left out.',
    )
    weekdays = serializers.ListField(
        child=WeekdayField(),
        required=False,
        help_text="Weekdays to pin the day to (0 = Monday), each weekday on one day at most.",
    )


DAYS_HELP = (
    "The week's training days in rotation order, 1 to 7 (docs/api.md). Left out: one day, "
    '"Day A". Each day needs at least one line; a line\'s `day` names its day.'
)


def days_of(validated: Mapping[str, Any]) -> list[Day] | None:
    """The ``days`` of a validated body as ``Day`` values (not yet checked), None when left out."""
    if validated.get("days") is None:
        return None
    return [Day.from_json(day, index) for index, day in enumerate(validated["days"])]


# --- lines ------------------------------------------------------------------------------


class LineSerializer(serializers.Serializer):
    """One prescription line, as written and as read back.

    Give `reps_low`/`reps_high` for an exercise measured in reps, `seconds_low`/`seconds_high` for
    a hold; a missing range takes the default (8–12 reps, 10–20 s).
    """

    # Validating needs context["exercises"] (slug → Exercise); context["unit"] is the unit of a
    # line that gives none. (A comment: the schema publishes the docstring.)

    exercise = serializers.CharField(max_length=80, help_text="The exercise's slug.")
    sets = serializers.IntegerField(min_value=1, max_value=line_rules.MAX_SETS, default=3)
    reps_low = serializers.IntegerField(min_value=1, max_value=line_rules.MAX_REPS, required=False, allow_null=True)
    reps_high = serializers.IntegerField(min_value=1, max_value=line_rules.MAX_REPS, required=False, allow_null=True)
    seconds_low = serializers.IntegerField(
        min_value=1, max_value=line_rules.MAX_SECONDS, required=False, allow_null=True
    )
    seconds_high = serializers.IntegerField(
        min_value=1, max_value=line_rules.MAX_SECONDS, required=False, allow_null=True
    )
    load = serializers.DecimalField(
        max_digits=7,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("2205"),
        coerce_to_string=False,
        default=Decimal("0"),
        help_text="In `unit`; at most 1000 kg.",
    )
    unit = serializers.ChoiceField(choices=Unit.choices, required=False)
    tempo = serializers.CharField(
        max_length=line_rules.TEMPO_MAX_LENGTH,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="e.g. 3-2-1: down, pause, up.",
    )
    target_rpe = serializers.DecimalField(
        max_digits=3,
        decimal_places=1,
        min_value=Decimal("1"),
        max_value=Decimal("10"),
        coerce_to_string=False,
        required=False,
        allow_null=True,
    )
    rest_seconds = serializers.IntegerField(
        min_value=0, max_value=line_rules.MAX_REST_SECONDS, required=False, allow_null=True
    )
    day = DayNumberField(required=False, help_text="The number of the line's training day (default 1).")

    def to_representation(self, instance: Any) -> dict[str, Any]:
        if isinstance(instance, LineFields):
            return Line.from_row(instance).to_json()
        return dict(instance)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Inside a partial (PATCH) body DRF skips missing fields and their defaults: fill them here.
        if "exercise" not in attrs:
            raise serializers.ValidationError({"exercise": ["This field is required."]})
        attrs = {"sets": 3, "load": Decimal("0"), **attrs}
        exercises: Mapping[str, Exercise] = self.context["exercises"]
        exercise = exercises.get(attrs["exercise"])
        if exercise is None:
            raise serializers.ValidationError({"exercise": [f"Unknown exercise “{attrs['exercise']}”."]})
        is_hold = exercise.measure == Exercise.Measure.SECONDS
        kind, other = ("seconds", "reps") if is_hold else ("reps", "seconds")
        errors: dict[str, list[str]] = {}
        for name in (f"{other}_low", f"{other}_high"):
            if attrs.get(name) is not None:
                errors[name] = [
                    "This exercise is a hold: give seconds_low and seconds_high."
                    if is_hold
                    else "This exercise is counted in reps: give reps_low and reps_high."
                ]
        unit = attrs.get("unit") or self.context.get("unit")
        line = Line(
            exercise=exercise,
            sets=attrs["sets"],
            low=attrs.get(f"{kind}_low"),
            high=attrs.get(f"{kind}_high"),
            load=attrs["load"],
            unit=unit,
            tempo=attrs.get("tempo") or "",
            target_rpe=attrs.get("target_rpe"),
            rest_seconds=attrs.get("rest_seconds"),
            day=attrs.get("day", 1),
        )
        # The one validator; a line without a unit has its load checked by its assignment's.
        errors |= line.errors(json_keys=True)
        if errors:
            raise serializers.ValidationError(errors)
        low, high = line.range()
        return {**attrs, "exercise": exercise, "low": low, "high": high, "unit": unit}


# --- exercises --------------------------------------------------------------------------


class ExerciseSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    implement = serializers.ChoiceField(choices=Exercise.Implement.choices)
    measure = serializers.ChoiceField(choices=Exercise.Measure.choices)
    laterality = serializers.ChoiceField(choices=Exercise.Laterality.choices)
    load_step = serializers.DecimalField(
        source="load_step_kg",
        max_digits=4,
        decimal_places=1,
        coerce_to_string=False,
        help_text="The smallest load change in kg (0 for bodyweight and dowel).",
    )
    easier = serializers.CharField(source="easier.slug", allow_null=True, help_text="Slug of the easier variant.")
    harder = serializers.CharField(source="harder.slug", allow_null=True, help_text="Slug of the harder variant.")
    cues = serializers.ListField(child=serializers.CharField())
    faults = serializers.ListField(child=serializers.CharField(), help_text="Fault slugs a client can tick.")
    description = serializers.CharField(allow_blank=True)
    custom = serializers.SerializerMethodField(help_text="The coach's own exercise, not the shared library's.")

    def get_custom(self, exercise: Exercise) -> bool:
        return exercise.owner_id is not None


class ExerciseCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.SlugField(max_length=80, required=False, help_text="Made from the name if left out.")
    implement = serializers.ChoiceField(choices=Exercise.Implement.choices)
    measure = serializers.ChoiceField(choices=Exercise.Measure.choices, default=Exercise.Measure.REPS)
    laterality = serializers.ChoiceField(choices=Exercise.Laterality.choices, default=Exercise.Laterality.BILATERAL)
    easier = serializers.CharField(max_length=80, required=False, allow_null=True, help_text="Slug.")
    harder = serializers.CharField(max_length=80, required=False, allow_null=True, help_text="Slug.")
    cues = serializers.ListField(
        child=serializers.CharField(max_length=200),
        max_length=20,
        required=False,
        help_text="Default: the six checkpoints.",
    )
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)

    def _variant(self, slug: str | None) -> Exercise | None:
        if slug is None:
            return None
        exercise = self.context["exercises"].get(slug)
        if exercise is None:
            raise serializers.ValidationError(f"Unknown exercise “{slug}”.")
        return exercise

    def validate_easier(self, value: str | None) -> Exercise | None:
        return self._variant(value)

    def validate_harder(self, value: str | None) -> Exercise | None:
        return self._variant(value)


# --- programs ---------------------------------------------------------------------------


class ProgramSerializer(serializers.Serializer):
    """Needs the template's ``days`` and ``lines`` prefetched (lines in position order)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    notes = serializers.CharField(allow_blank=True)
    days = serializers.SerializerMethodField(help_text="The training days in rotation order.")
    lines = serializers.SerializerMethodField(help_text="Every day's lines: in the days' order, then position.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()

    @extend_schema_field(DaySerializer(many=True))
    def get_days(self, template: ProgramTemplate) -> list[dict[str, Any]]:
        return [day.to_json() for day in template_days(template)]

    @extend_schema_field(LineSerializer(many=True))
    def get_lines(self, template: ProgramTemplate) -> list[dict[str, Any]]:
        lines = [Line.from_row(row) for row in template.lines.all()]
        return [line.to_json() for line in day_rules.ordered(template_days(template), lines)]


class ProgramWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    notes = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    days = DayInputSerializer(many=True, required=False, help_text=DAYS_HELP + " Given on a change: replaces the days.")
    lines = LineSerializer(many=True, required=False, max_length=MAX_LINES)


# --- assignments ------------------------------------------------------------------------


class AssignmentSerializer(serializers.Serializer):
    # Give it context["versions"]: assignment id → the prescription version in force (a comment,
    # not a docstring: the schema would publish it).

    id = serializers.IntegerField()
    client = serializers.IntegerField(source="client_id")
    client_name = serializers.CharField(source="client.name")
    program = serializers.IntegerField(source="program_id", allow_null=True)
    start_date = serializers.DateField()
    sessions_per_week = serializers.IntegerField()
    unit = serializers.ChoiceField(choices=Unit.choices)
    deload_every_weeks = serializers.IntegerField(allow_null=True)
    load_increment_pct = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)
    is_active = serializers.BooleanField()
    days = serializers.SerializerMethodField(help_text="The training days in rotation order.")
    prescription = serializers.SerializerMethodField(
        help_text="The lines in force today: in the days' order, then position."
    )
    prescription_from = serializers.SerializerMethodField(help_text="The date the prescription applies from.")

    def _version(self, assignment: Assignment) -> PrescriptionVersion | None:
        return self.context["versions"].get(assignment.pk)

    @extend_schema_field(DaySerializer(many=True))
    def get_days(self, assignment: Assignment) -> list[dict[str, Any]]:
        return [day.to_json() for day in assignment_days(assignment)]

    @extend_schema_field(LineSerializer(many=True))
    def get_prescription(self, assignment: Assignment) -> list[dict[str, Any]]:
        version = self._version(assignment)
        if version is None:
            return []
        lines = [Line.from_row(line) for line in version.lines.all()]
        return [line.to_json() for line in day_rules.ordered(assignment_days(assignment), lines)]

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_prescription_from(self, assignment: Assignment) -> dt.date | None:
        version = self._version(assignment)
        return version.effective_from if version else None


class DayDueSerializer(serializers.Serializer):
    """The day the client's Today opens on (docs/domain.md "The day due")."""

    day = DayNumberField(source="day.number", help_text="The day's number; on a rest day, the day offered anyway.")
    name = serializers.CharField(source="day.name")
    rest_day = serializers.BooleanField(help_text="No day is pinned to this weekday and every day is pinned to one.")


class MyAssignmentSerializer(AssignmentSerializer):
    """The client's own assignment, with the day their Today opens on."""

    # Needs ``context["day_due"]`` too: the ``programs.days.DayDue`` of the client's date.

    day_due = serializers.SerializerMethodField(help_text="The day due on `date` (default: today).")

    @extend_schema_field(DayDueSerializer)
    def get_day_due(self, assignment: Assignment) -> dict[str, Any]:
        return DayDueSerializer(self.context["day_due"]).data


class DayDueQuerySerializer(serializers.Serializer):
    date = serializers.DateField(
        required=False,
        validators=[date_in_range],
        help_text="The phone's local date, YYYY-MM-DD; default: today in the coach's time zone.",
    )


class AssignmentFilterSerializer(serializers.Serializer):
    client = IdField(required=False, help_text="Only this client's assignments.")


class AssignmentCreateSerializer(serializers.Serializer):
    # Give it context["request"] and context["exercises"] (a comment: the schema would publish a docstring).

    client = IdField(help_text="One of your clients.")
    program = IdField(
        required=False,
        allow_null=True,
        help_text="Copy its days and lines when `prescription` is left out.",
    )
    start_date = serializers.DateField(validators=[date_in_range])
    sessions_per_week = serializers.IntegerField(
        min_value=1,
        max_value=14,
        required=False,
        allow_null=True,
        help_text="Left out: the pinned weekdays plus one for each unpinned day (docs/domain.md).",
    )
    unit = serializers.ChoiceField(choices=Unit.choices, default=Unit.KG)
    deload_every_weeks = serializers.IntegerField(min_value=2, max_value=52, required=False, allow_null=True)
    load_increment_pct = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        min_value=Decimal("0.5"),
        max_value=Decimal("50"),
        coerce_to_string=False,
        default=Decimal("5"),
    )
    days = DayInputSerializer(
        many=True,
        required=False,
        help_text=DAYS_HELP + " With a `program` and no `prescription`: the program's lines on these days.",
    )
    prescription = LineSerializer(many=True, required=False, max_length=MAX_LINES, help_text="Applies from start_date.")

    def validate_client(self, value: int) -> Client:
        try:
            return access_client(self.context["request"].user, value)
        except Http404 as exc:
            raise serializers.ValidationError("No such client among yours.") from exc

    def validate_program(self, value: int | None) -> ProgramTemplate | None:
        if value is None:
            return None
        try:
            return access_template(self.context["request"].user, value)
        except Http404 as exc:
            raise serializers.ValidationError("No such program among yours.") from exc

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        lines = attrs.get("prescription")
        if not lines and attrs.get("program") is None:
            raise serializers.ValidationError({"prescription": ["Give at least one line, or a program to copy."]})
        # A line that gave no unit is in the assignment's: check its load in that unit now.
        errors = [
            {} if line["unit"] else Line.from_cleaned(line, attrs["unit"]).errors(json_keys=True)
            for line in lines or []
        ]
        if any(errors):
            # Keyed by the line's index, as the lines' own field errors are.
            raise serializers.ValidationError({"prescription": {str(i): e for i, e in enumerate(errors) if e}})
        return attrs


# --- auth -------------------------------------------------------------------------------


class LoginSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    expiry = serializers.DateTimeField(help_text="When the token stops working; each use renews it.")
