"""A fault a coach (later: a reviewer) tagged on a logged set (imported by coaching.models).

Kept apart from the client's own ticks (``LoggedSet.faults``): who tagged it, with which role, and
when. A tag belongs to its set by the set's id (``LoggedSet.uid``): sets are rewritten on each
session write, so the tag names the set's identity, not its row; a write that drops the set
deletes its tags (``coaching.sessions.services.writes``), and the session's deletion from the
database (the client's data) takes them with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

FAULT_SLUG_MAX = 40


class CoachFault(models.Model):
    class Role(models.TextChoices):
        COACH = "coach", "Coach"
        REVIEWER = "reviewer", "Reviewer"

    session = models.ForeignKey("coaching.LoggedSession", on_delete=models.CASCADE, related_name="coach_faults")
    set_uid = models.UUIDField()
    fault = models.CharField(max_length=FAULT_SLUG_MAX)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.COACH)
    at = models.DateTimeField()

    class Meta:
        ordering = ["session", "set_uid", "at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "set_uid", "by", "fault"], name="coach_fault_unique"),
        ]
        indexes = [models.Index(fields=["session", "set_uid"], name="coach_fault_set_idx")]

    def __str__(self) -> str:
        return f"{self.fault} on {self.session_id}/{self.set_uid} by {self.by_id}"
