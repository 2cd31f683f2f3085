"""Webhook bodies: endpoints (the secret only where it is shown once) and deliveries."""

from __future__ import annotations

from rest_framework import serializers

from coaching.webhooks.addresses import MAX_URL_LENGTH
from coaching.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent


class WebhookEndpointCreateSerializer(serializers.Serializer):
    url = serializers.CharField(
        max_length=MAX_URL_LENGTH,
        trim_whitespace=True,
        help_text="Where to POST the events: http(s), no credentials; a public address outside tests.",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEvent.choices),
        allow_empty=False,
        max_length=len(WebhookEvent.choices),
        help_text="The event types to send to this endpoint.",
    )


class WebhookEndpointSerializer(serializers.ModelSerializer):
    events = serializers.ListField(child=serializers.ChoiceField(choices=WebhookEvent.choices))
    previous_secret_expires_at = serializers.DateTimeField(
        allow_null=True,
        help_text="After a rotation, until when deliveries also carry a signature made with the old secret.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "enabled", "failing_since", "disabled_at", "previous_secret_expires_at",
                  "created_at"]  # fmt: skip
        read_only_fields = fields


class WebhookEndpointWithSecretSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        help_text="The signing secret (`whsec_` + base64). Shown only in this answer: store it now."
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class PayloadSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=WebhookEvent.choices)
    timestamp = serializers.CharField(help_text="When the event happened (ISO 8601, UTC).")
    data = serializers.DictField(help_text="The event's ids and facts; fetch details from the API.")


class WebhookDeliverySerializer(serializers.ModelSerializer):
    payload = PayloadSerializer(help_text="The JSON body POSTed.")
    last_duration_ms = serializers.IntegerField(allow_null=True, help_text="How long the last attempt took.")

    class Meta:
        model = WebhookDelivery
        fields = [
            "id", "webhook_id", "event_type", "status", "attempts", "last_status_code", "last_duration_ms",
            "last_error", "last_attempt_at", "next_attempt_at", "delivered_at", "created_at", "payload",
        ]  # fmt: skip
        read_only_fields = fields
