"""The import API's bodies (docs/api.md, "Imports (coach)"). Serializers check shape; services decide."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from coaching.api.fields import SessionErrorsField
from coaching.sessions.imports.common import MAX_BYTES, MAX_ROWS
from coaching.sessions.imports.models import SessionImport
from coaching.weeks import is_time_zone

FORMAT_HELP = (
    "hinge: our sessions CSV (as downloaded). strong: Strong's export, current (comma) or legacy (semicolon) "
    "layout. hevy: Hevy's export (weight_kg or weight_lbs)."
)


def check_time_zone(value: str) -> str:
    if not is_time_zone(value):
        raise serializers.ValidationError(f"“{value[:64]}” is not a time zone (like Europe/Berlin).")
    return value


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=f"The app's CSV export, UTF-8; at most {MAX_BYTES // (1024 * 1024)} MB and {MAX_ROWS:,} rows."
    )
    format = serializers.ChoiceField(choices=SessionImport.Format.values, help_text=FORMAT_HELP)
    time_zone = serializers.CharField(
        required=False,
        max_length=64,
        validators=[check_time_zone],
        help_text="The zone of the file's local times (Strong and Hevy write none); default: yours.",
    )
    unit = serializers.ChoiceField(
        choices=["kg", "lb"],
        required=False,
        default="kg",
        help_text="The weights' unit when the file does not say (Strong's current layout).",
    )
    include_warmups = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Import warm-up sets too (Hevy's warmup, Strong's W): skipped by default.",
    )


class UnmatchedSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The exercise as the file names it.")
    sets = serializers.IntegerField(help_text="How many of the file's sets name it.")
    suggestions = serializers.ListField(
        child=serializers.SlugField(), help_text="Slugs of similar exercises, your own first."
    )


class MatchedSerializer(serializers.Serializer):
    name = serializers.CharField()
    exercise = serializers.SlugField(
        help_text="The slug it maps to: remembered from your last import, or the library's same name or slug."
    )


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="The line in the file (the header is 1).")
    message = serializers.CharField()


class DryRunSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The dry run's id: commit it at `.../imports/{id}/commit/`.")
    format = serializers.ChoiceField(choices=SessionImport.Format.values)
    sessions = serializers.IntegerField(help_text="Sessions (workouts) in the file.")
    new_sessions = serializers.IntegerField(
        help_text="Of those, not imported before (the others are unchanged, or conflicts that keep their sets)."
    )
    sets = serializers.IntegerField(help_text="Sets that would be written (warm-ups and rows with errors left out).")
    warmups_skipped = serializers.IntegerField()
    matched = MatchedSerializer(many=True)
    unmatched = UnmatchedSerializer(many=True, help_text="Names to map in `exercise_map` before committing.")
    errors = RowErrorSerializer(many=True, help_text="Rows that will not be imported, and why.")
    expires_at = serializers.DateTimeField(help_text="After this the dry run is gone (404): upload the file again.")


class CommitSerializer(serializers.Serializer):
    exercise_map = serializers.DictField(
        child=serializers.CharField(allow_null=True, allow_blank=True, max_length=80),
        required=False,
        default=dict,
        help_text='File name → exercise slug, for every unmatched name (null or "" leaves its sets out). '
        "Remembered for your next import.",
    )

    def validate_exercise_map(self, value: dict[str, Any]) -> dict[str, Any]:
        if len(value) > 1000:
            raise serializers.ValidationError("At most 1,000 names.")
        return value


class CommitSessionSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="Derived from the file's workout: the same file gives the same ids.")
    status = serializers.ChoiceField(
        choices=["created", "updated", "unchanged", "stale", "conflict", "rejected"],
        help_text="unchanged: imported before with the same sets. conflict: the stored sets differ and are kept. "
        "stale: changed since on the phone (kept). rejected: see errors.",
    )
    errors = SessionErrorsField(required=False, help_text="As the sync answers: per field, `sets` per set.")


class CommitReportSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Sessions per status.")
    sets = serializers.IntegerField(help_text="Sets sent to the sync service.")
    sessions = CommitSessionSerializer(many=True)


class ImportProgressSerializer(serializers.Serializer):
    done = serializers.IntegerField(help_text="Sessions of the file written so far.")
    total = serializers.IntegerField(help_text="Sessions in the file (0 before the commit).")


class ImportSummarySerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Sessions per status so far.")
    sets = serializers.IntegerField(help_text="Sets sent to the sync service so far.")
    sessions = CommitSessionSerializer(
        many=True,
        help_text="A task's import lists only the sessions to look at (rejected, conflict, stale), at most 1,000; "
        "one written in the request lists every session.",
    )


class ImportStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    format = serializers.ChoiceField(choices=SessionImport.Format.values)
    status = serializers.ChoiceField(
        choices=SessionImport.Status.values,
        help_text="pending: a dry run. committing: a task is writing it (poll this). committed: done. "
        "failed: stopped with `error`; what was written is kept, and committing again resumes.",
    )
    progress = ImportProgressSerializer()
    error = serializers.CharField(allow_null=True, help_text="Why a failed import stopped; null otherwise.")
    report = ImportSummarySerializer(allow_null=True, help_text="What the commit wrote so far; null for a dry run.")
    committed_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(help_text="After this the import is gone (404).")
