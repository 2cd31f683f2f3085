"""A coach's webhook endpoints and the deliveries of each event to them (imported by coaching.models).

A delivery row is written in the same transaction as the change that fires its event: the
event is never lost (a rolled-back change has none, a committed one always has its row) and
never doubled (the sending task claims the row; retries reuse its ``webhook_id``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class WebhookEvent(models.TextChoices):
    SESSION_SYNCED = "session.synced", "A session was created, changed or deleted"
    PAIN_REPORTED = "pain.reported", "A session has a set with pain 3 or more"
    REVIEW_READY = "review.ready", "A weekly review is ready"
    REVIEW_RECOMPUTED = "review.recomputed", "A weekly review was recomputed"
    REVIEW_DECIDED = "review.decided", "A weekly review was approved or rejected"
    CLIENT_JOINED = "client.joined", "A client accepted their invite"


class WebhookEndpoint(models.Model):
    coach = models.ForeignKey("coaching.Coach", on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=2000)
    # The event types (WebhookEvent values) the coach chose, in the order of WebhookEvent.
    events = models.JSONField(default=list)
    # ``whsec_`` + base64 of 32 random bytes. Kept in clear: an HMAC needs the key itself.
    secret = models.CharField(max_length=100)
    # After a rotation deliveries carry a second signature with the old secret until then.
    previous_secret = models.CharField(max_length=100, blank=True, default="")
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    enabled = models.BooleanField(default=True)
    # Since when every attempt has failed (None after a success): 24 hours of it disables.
    failing_since = models.DateTimeField(null=True, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # events_record: the enabled endpoints of the coaches a change concerns.
            models.Index(fields=["coach", "enabled"], name="webhook_endpoint_coach_idx"),
        ]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"  # not tried yet
        RETRYING = "retrying", "Retrying"  # failed at least once; tried again at next_attempt_at
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"  # gave up: 24 hours of failures, or the endpoint was disabled

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    # The Standard Webhooks ``webhook-id``: the same on every attempt and resend, for receivers to deduplicate.
    webhook_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=32, choices=WebhookEvent.choices)
    payload = models.JSONField()  # {"type", "timestamp", "data"}
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True, default="")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Failures are retried until then (24 hours after the event, or after a "send again").
    retry_until = models.DateTimeField()
    # A sender's claim: until then no other task sends this delivery (a killed one's claim runs out).
    claimed_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "retrying", "delivered", "failed"]),
                name="webhook_delivery_status_valid",
            ),
        ]
        indexes = [
            # The delivery log: an endpoint's deliveries, newest first.
            models.Index(fields=["endpoint", "-created_at", "-id"], name="webhook_delivery_log_idx"),
            # The beat sweep: deliveries still to send whose time has come.
            models.Index(
                fields=["next_attempt_at"],
                name="webhook_delivery_due_idx",
                condition=Q(status__in=["pending", "retrying"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.webhook_id} → {self.endpoint_id} ({self.status})"
