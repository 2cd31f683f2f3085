"""Reading webhooks: a coach's endpoints and an endpoint's delivery log, newest first."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from coaching.access import webhooks_of
from coaching.webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoints_list(user: Any) -> QuerySet[WebhookEndpoint]:
    return webhooks_of(user).order_by("created_at", "id")


def deliveries_log(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    """The endpoint's deliveries, newest first (the ``webhook_delivery_log_idx`` index)."""
    return WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-id")
