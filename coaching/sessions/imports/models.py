"""What a session import keeps between its dry run and its commit, and the names a coach mapped."""

from __future__ import annotations

from django.db import models

from programs.models import Exercise


class SessionImport(models.Model):
    """A dry run's parsed file (normalized JSON), owned by the coach and the client, until it expires.

    The commit reads ``payload``, not the file again. ``status`` moves pending → committed (a small
    import, written in the request) or pending → committing → committed | failed (a Celery task
    writes it in chunks, ``progress_done`` of ``progress_total`` sessions so far). A failed or
    committed import can be committed again: a failed one resumes at ``progress_done``, and the
    sessions' ids make a repeated write create nothing.
    """

    class Format(models.TextChoices):
        HINGE = "hinge", "Hinge Coach CSV"
        STRONG = "strong", "Strong"
        HEVY = "hevy", "Hevy"

    class Status(models.TextChoices):
        PENDING = "pending", "Dry run"
        COMMITTING = "committing", "Importing"
        COMMITTED = "committed", "Committed"
        FAILED = "failed", "Failed"

    coach = models.ForeignKey("coaching.Coach", on_delete=models.CASCADE, related_name="session_imports")
    client = models.ForeignKey("coaching.Client", on_delete=models.CASCADE, related_name="session_imports")
    format = models.CharField(max_length=8, choices=Format.choices)
    time_zone = models.CharField(max_length=64)
    unit = models.CharField(max_length=2, default="kg")
    include_warmups = models.BooleanField(default=False)
    file_name = models.CharField(max_length=255, blank=True)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    committed_at = models.DateTimeField(null=True, blank=True)
    # The commit's mapping (file name → slug or None), kept for the task and a resume.
    exercise_map = models.JSONField(default=dict, blank=True)
    progress_done = models.PositiveIntegerField(default=0)  # sessions of the file written so far
    progress_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # why the task stopped (status failed)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(format__in=["hinge", "strong", "hevy"]), name="session_import_format_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="committed") | models.Q(committed_at__isnull=False),
                name="session_import_committed_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "committing", "committed", "failed"]),
                name="session_import_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(progress_done__lte=models.F("progress_total")),
                name="session_import_progress_within_total",
            ),
        ]
        indexes = [
            # The client's import page: a coach's live imports of one client, newest first.
            models.Index(fields=["client", "-created_at"], name="session_import_client_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.format} import for client {self.client_id} ({self.status})"

    @property
    def progress(self) -> dict[str, int]:
        """Sessions written (``done``) of the file's (``total``), ``left`` and the whole ``percent``."""
        done, total = self.progress_done, self.progress_total
        return {"done": done, "total": total, "left": total - done, "percent": (100 * done // total) if total else 0}


class ExerciseAlias(models.Model):
    """A name from another app's file ("Bench Press (Barbell)") that the coach mapped to an exercise.

    ``name`` is kept folded (``imports.common.fold``), so a case or spacing difference is the same name.
    """

    coach = models.ForeignKey("coaching.Coach", on_delete=models.CASCADE, related_name="exercise_aliases")
    name = models.CharField(max_length=200)
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="aliases")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["coach", "name"], name="exercise_alias_coach_name_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.exercise_id}"
