"""The API's review bodies (docs/api.md, "Weekly reviews"). Serializers check; services decide."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coaching.api.fields import IdField
from coaching.api.serializers import MAX_LINES, DayNumberField, LineSerializer, date_in_range
from coaching.models import ReviewItem, WeeklyReview
from coaching.sessions.services.inputs import LOW_BACK
from coaching.threads.models import NOTE_MAX_CHARS
from programs.lines import Line
from programs.progression.metrics import ADHERENCE_BANDS
from programs.progression.text import FLAG_ORDER


class ReviewClientSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ExerciseWeekMetricsSerializer(serializers.Serializer):
    """One exercise's week (programs.progression.metrics.exercise_week_metrics); for the schema. This
    server sends every field (``weaker_side_pct`` for per-side exercises only); the contract's worked
    example leaves some out, so they are optional."""

    sets = serializers.IntegerField(min_value=0, help_text="Sets logged.")
    volume_load_kg = serializers.FloatField(help_text="Sum of reps × load, in kg.")
    best_e1rm_kg = serializers.FloatField(
        required=False, allow_null=True, help_text="Best estimated one-rep max, in kg."
    )
    mean_rpe = serializers.FloatField(required=False, allow_null=True, help_text="Mean RPE of the sets that gave one.")
    fault_share = serializers.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        help_text="Share of sets with a fault (the client's or a coach's), 0–1.",
    )
    max_pain = serializers.IntegerField(
        required=False, min_value=0, max_value=10, help_text="Highest pain reported, 0–10."
    )
    weaker_side_pct = serializers.FloatField(
        required=False,
        allow_null=True,
        help_text="Per-side exercises only: the weaker side's volume load as a % of the stronger's "
        "(null unless both sides were logged).",
    )


class CheckinDaySerializer(serializers.Serializer):
    """One check-in of the week; for the schema."""

    date = serializers.DateField()
    sleep = serializers.IntegerField(allow_null=True)
    soreness = serializers.IntegerField(allow_null=True)
    stress = serializers.IntegerField(allow_null=True)
    low_back = serializers.ChoiceField(choices=LOW_BACK, allow_null=True)
    cut_taken = serializers.BooleanField()
    readiness = serializers.FloatField(allow_null=True)


class ReviewMetricsSerializer(serializers.Serializer):
    """The week's figures (docs/domain.md: weekly review metrics), as review generation stored them."""

    adherence_pct = serializers.FloatField(
        min_value=0, max_value=100, help_text="Sessions logged as a % of those prescribed, at most 100."
    )
    adherence_band = serializers.ChoiceField(choices=ADHERENCE_BANDS, help_text="≥ 80 good, ≥ 50 fair, else low.")
    sessions_logged = serializers.IntegerField(min_value=0)
    sessions_prescribed = serializers.IntegerField(min_value=0)
    exercises = serializers.DictField(child=ExerciseWeekMetricsSerializer(), help_text="By exercise slug.")
    checkins = CheckinDaySerializer(
        many=True, required=False, help_text="The week's check-ins, oldest first (only weeks that have one)."
    )
    readiness_mean = serializers.FloatField(
        required=False, allow_null=True, help_text="Mean readiness of the week's check-ins (only weeks that have one)."
    )


@extend_schema_field(ReviewMetricsSerializer)
class MetricsField(serializers.JSONField):
    """The week's metrics as review generation stored them (the schema above describes them)."""


def _on_its_day(line: dict[str, Any], proposal: ReviewItem) -> dict[str, Any]:
    """A stored line with its proposal's ``day`` (lines stored before training days have none)."""
    return line if "day" in line else {**line, "day": proposal.day}


class ReviewItemSerializer(serializers.Serializer):
    """One proposal; a review's proposals come in the order of the days, then of the lines."""

    id = serializers.IntegerField()
    exercise = serializers.CharField(source="exercise.slug")
    # Not required in the schema: bodies written before training days (api-examples) have none.
    day = DayNumberField(required=False, help_text="The number of the line's training day.")
    day_name = serializers.CharField(required=False, help_text="The day's name when the review was made.")
    action = serializers.ChoiceField(choices=ReviewItem.Action.choices)
    flags = serializers.ListField(child=serializers.ChoiceField(choices=FLAG_ORDER))
    rule = serializers.ChoiceField(choices=ReviewItem.Rule.choices)
    current = serializers.SerializerMethodField()
    proposed = serializers.SerializerMethodField()
    rationale = serializers.CharField()
    # Not required in the schema: bodies written before approval notes (api-examples) have none.
    note = serializers.CharField(
        required=False, help_text="The coach's note to the client with the approved change (may be empty)."
    )

    @extend_schema_field(LineSerializer)
    def get_current(self, proposal: ReviewItem) -> dict[str, Any]:
        return _on_its_day(proposal.current, proposal)

    @extend_schema_field(LineSerializer)
    def get_proposed(self, proposal: ReviewItem) -> dict[str, Any]:
        return _on_its_day(proposal.proposed, proposal)


class ReviewCosignSerializer(serializers.Serializer):
    reviewer = serializers.SerializerMethodField()
    at = serializers.DateTimeField()
    note = serializers.CharField()

    def get_reviewer(self, cosign: Any) -> str:
        return str(cosign.reviewer.name or cosign.reviewer.email)


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    assignment = serializers.IntegerField(source="assignment_id")
    client = ReviewClientSerializer(source="assignment.client")
    week_start = serializers.DateField()
    status = serializers.ChoiceField(choices=WeeklyReview.Status.choices)
    metrics = MetricsField()
    # Always sent; not required in the schema: bodies written before late data (api-examples) have none.
    recomputed_at = serializers.DateTimeField(
        allow_null=True,
        required=False,
        help_text="When a late session or a coach's fault tag last recomputed this pending review (its items "
        "got new ids); null if never.",
    )
    items = ReviewItemSerializer(many=True, source="items.all")
    cosigns = ReviewCosignSerializer(
        many=True,
        source="cosigns.all",
        required=False,
        help_text="Reviewers' co-signs (a shared client's pain/refer proposals).",
    )


class ReviewFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=WeeklyReview.Status.choices, required=False)
    client = IdField(required=False)
    week = serializers.DateField(
        required=False,
        validators=[date_in_range],
        help_text="Any day of the week (years 2000 to 2100); reviews of the week it falls in.",
    )


class ApproveItemSerializer(serializers.Serializer):
    id = IdField(help_text="A review item's id.")
    proposed = LineSerializer(
        required=False,
        help_text="An edited line to approve instead of the proposal; its `day`, when given, must be the item's.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=NOTE_MAX_CHARS,
        help_text="A note to the client, shown beside the change on their Today and History.",
    )

    def validate_id(self, value: int) -> int:
        # An id a recompute replaced passes here: the service answers 409 "this review was updated".
        if value not in self.context["item_ids"] and value not in self.context.get("replaced_ids", ()):
            raise serializers.ValidationError(f"No item {value} in this review.")
        return value


class ReviewApproveSerializer(serializers.Serializer):
    # Give it context["item_ids"], context["exercises"] and context["unit"], and perhaps
    # context["replaced_ids"] (the ids a recompute replaced). No docstring: the schema would publish it.

    items = ApproveItemSerializer(
        many=True, required=False, max_length=MAX_LINES, help_text="Only these items; every item if left out."
    )

    def service_proposals(self) -> list[dict[str, Any]] | None:
        """The ``items`` argument of ``review_approve``: edited lines in the stored JSON shape."""
        proposals = self.validated_data.get("items")
        if proposals is None:
            return None
        chosen: list[dict[str, Any]] = []
        for proposal in proposals:
            entry: dict[str, Any] = {"id": proposal["id"]}
            if proposal.get("note"):
                entry["note"] = proposal["note"]
            edited = proposal.get("proposed")
            if edited is not None:
                line = Line.from_cleaned(edited, self.context["unit"])
                entry["proposed"] = line.as_stored().to_json()
                if "day" not in edited:  # left out: the item's own day (review_approve fills it)
                    del entry["proposed"]["day"]
            chosen.append(entry)
        return chosen
