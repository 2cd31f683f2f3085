"""A pending review's recompute request (imported by coaching.models): late data's outbox.

A session write (or a coach's fault tag) inserts one row per pending review it can affect, in its
own transaction; the row's unique review coalesces many writes into one request (a sync of 200
sessions recomputes each review once). The Celery task that recomputes the review deletes the
row in the same transaction, so a recompute is never lost (a committed write always leaves its
row) and never doubled (the row is claimed under a lock; a killed worker's transaction rolls
back and leaves it for the beat sweep).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class RecomputeCause(models.TextChoices):
    SESSION = "session", "a session synced late"
    FAULT_TAG = "fault_tag", "a fault tagged by a coach"


class ReviewRecompute(models.Model):
    review = models.OneToOneField("coaching.WeeklyReview", on_delete=models.CASCADE, related_name="recompute_request")
    # The latest cause wins when writes coalesce (RecomputeCause), and who tagged, for a tag.
    cause = models.CharField(max_length=10, choices=RecomputeCause.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(cause__in=["session", "fault_tag"]), name="review_recompute_cause_valid"
            ),
        ]
        indexes = [
            # The beat sweep: the oldest requests first.
            models.Index(fields=["requested_at"], name="review_recompute_due_idx"),
        ]

    def __str__(self) -> str:
        return f"Recompute review {self.review_id} ({self.cause})"
