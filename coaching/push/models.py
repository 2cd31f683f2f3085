"""A phone's Web Push subscription (imported by coaching.models).

The browser's push service gives the endpoint (a capability URL: whoever knows it can send to the
phone) and the keys the messages are encrypted to; a subscription belongs to the user who signed in
on that phone. The push service answering 404 or 410 means the phone dropped it: the row goes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

ENDPOINT_MAX_CHARS = 2000
ERROR_MAX_CHARS = 300


class PushSubscription(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = models.CharField(max_length=ENDPOINT_MAX_CHARS)
    # base64url, as the browser's PushSubscription.toJSON() gives them.
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    # The last failed send's status and reason (blank after a success).
    last_error = models.CharField(max_length=ERROR_MAX_CHARS, blank=True, default="")
    last_error_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "endpoint"], name="push_subscription_user_endpoint_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.endpoint[:60]}"
