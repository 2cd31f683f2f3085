"""Web Push subscriptions in the API: the phone subscribes and unsubscribes (clients only)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from coaching.access import require_client
from coaching.api.schema import WRITE_ERRORS, errors, field_errors
from coaching.api.views import ApiView
from coaching.push import services
from coaching.push.serializers import (
    SubscriptionOutSerializer,
    SubscriptionSerializer,
    UnsubscribeSerializer,
    subscription_out,
)

TAG = ["push"]
WHO = "Clients only (a coach's login gets a 404). Session cookie with CSRF, or a token."
SUBSCRIBE_ERRORS = field_errors(
    {
        "endpoint": "Not an https:// URL, too long, or its host is not a public address.",
        "keys": "p256dh is not a base64url P-256 public key, or auth is not a base64url 16-byte secret.",
        "non_field_errors": "Push is not set up on this server (no VAPID keys).",
    }
)


class PushSubscriptionListView(ApiView):
    @extend_schema(
        summary="Subscribe this phone to Web Push",
        description="The body is the browser's `PushSubscription.toJSON()`. The phone then gets a "
        "notification for each reply of the coach in a session thread and for each new prescription "
        "(an approved review or the coach's edit). Sending the same endpoint again refreshes its keys "
        f"(200). {WHO}",
        request=SubscriptionSerializer,
        responses={
            201: SubscriptionOutSerializer,
            200: SubscriptionOutSerializer,
            **errors(*WRITE_ERRORS, bad_input=SUBSCRIBE_ERRORS),
        },
        tags=TAG,
    )
    def post(self, request: Any) -> Response:
        require_client(request.user)
        serializer = SubscriptionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        subscription, created = services.subscription_save(
            user=request.user, endpoint=data["endpoint"], p256dh=data["keys"]["p256dh"], auth=data["keys"]["auth"]
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(subscription_out(subscription), status=code)


class PushUnsubscribeView(ApiView):
    @extend_schema(
        summary="Unsubscribe a phone from Web Push",
        description="Forgets your subscription for this endpoint; 204 whether or not you had one "
        f"(another user's is never touched). {WHO}",
        request=UnsubscribeSerializer,
        responses={204: None, **errors(*WRITE_ERRORS)},
        tags=TAG,
    )
    def post(self, request: Any) -> Response:
        require_client(request.user)
        serializer = UnsubscribeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.subscription_delete(user=request.user, endpoint=serializer.validated_data["endpoint"])
        return Response(status=status.HTTP_204_NO_CONTENT)
