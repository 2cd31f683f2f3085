"""The API's review bodies (docs/api.md, "Weekly reviews"). Serializers check; services decide."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coaching.api.fields import IdField
from coaching.api.serializers import MAX_LINES, DayNumberField, LineSerializer, date_in_range
from coaching.models import ReviewItem, WeeklyReview
from coaching.threads.models import NOTE_MAX_CHARS
from programs.lines import Line


class ReviewClientSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


@extend_schema_field(
    {
        "type": "object",
        "description": "The week's figures (docs/domain.md: weekly review metrics); more keys may appear.",
        "properties": {
            "adherence_pct": {"type": "number", "nullable": True},
            "adherence_band": {"type": "string", "nullable": True},
            "sessions_logged": {"type": "integer"},
            "sessions_prescribed": {"type": "integer"},
            "exercises": {"type": "object", "additionalProperties": {"type": "object"}},
        },
        "additionalProperties": True,
    }
)
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
    flags = serializers.ListField(child=serializers.CharField())
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
        required=False, validators=[date_in_range], help_text="Any day of the week; reviews of the week it falls in."
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
        if value not in self.context["item_ids"]:
            raise serializers.ValidationError(f"No item {value} in this review.")
        return value


class ReviewApproveSerializer(serializers.Serializer):
    """Needs ``context["item_ids"]``, ``context["exercises"]`` and ``context["unit"]``."""

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
