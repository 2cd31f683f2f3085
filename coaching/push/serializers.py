"""The API's Web Push bodies: the browser's ``PushSubscription.toJSON()`` as it comes."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from coaching.push import services
from coaching.push.models import ENDPOINT_MAX_CHARS


def _check(problem: str | None, value: str) -> str:
    if problem:
        raise serializers.ValidationError(problem)
    return value.strip()


class SubscriptionKeysSerializer(serializers.Serializer):
    p256dh = serializers.CharField(max_length=100, help_text="The phone's P-256 public key, base64url.")
    auth = serializers.CharField(max_length=40, help_text="The phone's 16-byte auth secret, base64url.")

    def validate_p256dh(self, value: str) -> str:
        return _check(services.p256dh_problem(value), value)

    def validate_auth(self, value: str) -> str:
        return _check(services.auth_problem(value), value)


class SubscriptionSerializer(serializers.Serializer):
    endpoint = serializers.CharField(
        max_length=ENDPOINT_MAX_CHARS, trim_whitespace=False, help_text="The push service's https:// URL."
    )
    expirationTime = serializers.IntegerField(  # noqa: N815 - the browser's name
        required=False, allow_null=True, help_text="Ignored (the browser's own field)."
    )
    keys = SubscriptionKeysSerializer()

    def validate_endpoint(self, value: str) -> str:
        return _check(services.endpoint_problem(value), value)


class SubscriptionOutSerializer(serializers.Serializer):
    endpoint = serializers.CharField()
    created_at = serializers.DateTimeField()


class UnsubscribeSerializer(serializers.Serializer):
    endpoint = serializers.CharField(max_length=ENDPOINT_MAX_CHARS, trim_whitespace=False)


def subscription_out(subscription: Any) -> dict[str, Any]:
    return dict(SubscriptionOutSerializer(subscription).data)
