"""Webhooks (coach): endpoints, their delivery log, "send again", secret rotation (docs/api.md)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from coaching.access import access_delivery, access_webhook, require_coach
from coaching.api.permissions import IsCoach
from coaching.api.schema import ID_PARAMETER, LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, DetailSerializer, errors
from coaching.api.views import ApiListView, ApiView, Conflict
from coaching.webhooks import services
from coaching.webhooks.selectors import deliveries_log, endpoints_list
from coaching.webhooks.serializers import (
    WebhookDeliverySerializer,
    WebhookEndpointCreateSerializer,
    WebhookEndpointSerializer,
    WebhookEndpointWithSecretSerializer,
)

TAG = ["webhooks"]
DELIVERY_PARAMETER = OpenApiParameter("delivery", OpenApiTypes.INT, OpenApiParameter.PATH)
SIGNING = (
    'Each delivery is a POST of `{"type", "timestamp", "data"}` signed as the Standard Webhooks '
    "specification says: headers `webhook-id` (the same on every retry and resend), `webhook-timestamp` "
    'and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the endpoint\'s secret. '
    "A non-2xx answer or no answer within a few seconds is retried with exponential backoff for 24 hours; "
    "an endpoint that has failed for 24 hours is disabled and you are emailed."
)
DISABLED = OpenApiResponse(DetailSerializer, description="The endpoint is disabled: enable it again first.")


@extend_schema(tags=TAG)
class WebhookListView(ApiListView):
    permission_classes = [IsCoach]
    serializer_class = WebhookEndpointSerializer

    @extend_schema(
        summary="List your webhook endpoints",
        description="Oldest first; secrets are never listed.",
        responses={200: WebhookEndpointSerializer(many=True), **errors(*LIST_ERRORS)},
    )
    def get(self, request: Any) -> Response:
        return self.paged(endpoints_list(request.user), lambda page: WebhookEndpointSerializer(page, many=True).data)

    @extend_schema(
        summary="Add a webhook endpoint",
        description=f"Answers with the endpoint and its signing `secret`, shown this once. {SIGNING} "
        "Outside tests a URL whose host resolves to a loopback, private, link-local or otherwise "
        "non-public address is refused (400 on `url`), and is checked again at every delivery.",
        request=WebhookEndpointCreateSerializer,
        responses={201: WebhookEndpointWithSecretSerializer, **errors(*WRITE_ERRORS)},
    )
    def post(self, request: Any) -> Response:
        serializer = WebhookEndpointCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(coach=require_coach(request.user), **serializer.validated_data)
        return Response(WebhookEndpointWithSecretSerializer(endpoint).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[ID_PARAMETER], tags=TAG)
class WebhookDetailView(ApiView):
    permission_classes = [IsCoach]

    @extend_schema(
        summary="One webhook endpoint",
        description="Without its secret.",
        responses={200: WebhookEndpointSerializer, **errors(*READ_ERRORS)},
    )
    def get(self, request: Any, pk: str) -> Response:
        return Response(WebhookEndpointSerializer(access_webhook(request.user, pk)).data)

    @extend_schema(
        summary="Delete a webhook endpoint",
        description="With its delivery log; nothing more is sent to it.",
        request=None,
        responses={204: OpenApiResponse(description="Deleted."), **errors(401, 403, 404, 429)},
    )
    def delete(self, request: Any, pk: str) -> Response:
        services.endpoint_delete(endpoint=access_webhook(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(parameters=[ID_PARAMETER], tags=TAG)
class WebhookRotateSecretView(ApiView):
    permission_classes = [IsCoach]

    @extend_schema(
        summary="Rotate an endpoint's signing secret",
        description="Answers with the new `secret`, shown this once. For the next 24 hours "
        "(`previous_secret_expires_at`) each delivery carries two signatures in `webhook-signature`, "
        "space-separated: one with the new secret, one with the old, so a receiver verifies with either "
        "while it switches. Rotating again drops the older of the two.",
        request=None,
        responses={200: WebhookEndpointWithSecretSerializer, **errors(401, 403, 404, 429)},
    )
    def post(self, request: Any, pk: str) -> Response:
        endpoint = services.endpoint_rotate_secret(endpoint=access_webhook(request.user, pk))
        return Response(WebhookEndpointWithSecretSerializer(endpoint).data)


@extend_schema(parameters=[ID_PARAMETER], tags=TAG)
class WebhookEnableView(ApiView):
    permission_classes = [IsCoach]

    @extend_schema(
        summary="Enable a disabled webhook endpoint",
        description="After 24 hours of failures an endpoint is disabled. Enabled again, it gets new events; "
        "send the failed ones again from its delivery log.",
        request=None,
        responses={200: WebhookEndpointSerializer, **errors(401, 403, 404, 429)},
    )
    def post(self, request: Any, pk: str) -> Response:
        endpoint = services.endpoint_enable(endpoint=access_webhook(request.user, pk))
        return Response(WebhookEndpointSerializer(endpoint).data)


@extend_schema(parameters=[ID_PARAMETER], tags=TAG)
class WebhookDeliveryListView(ApiListView):
    permission_classes = [IsCoach]
    serializer_class = WebhookDeliverySerializer

    @extend_schema(
        summary="An endpoint's delivery log",
        description="Newest first: each event sent to the endpoint, its status (`pending`, `retrying`, "
        "`delivered`, `failed`), attempts, the last answer's status code and duration, and the next attempt.",
        responses={200: WebhookDeliverySerializer(many=True), **errors(*LIST_ERRORS)},
    )
    def get(self, request: Any, pk: str) -> Response:
        endpoint = access_webhook(request.user, pk)
        return self.paged(deliveries_log(endpoint), lambda page: WebhookDeliverySerializer(page, many=True).data)


@extend_schema(parameters=[ID_PARAMETER, DELIVERY_PARAMETER], tags=TAG)
class WebhookResendView(ApiView):
    permission_classes = [IsCoach]

    @extend_schema(
        summary="Send a delivery again",
        description="Queued now, with the same `webhook-id` (it is the same event: a receiver that already "
        "has it may ignore it), and retried for another 24 hours if it fails.",
        request=None,
        responses={
            202: OpenApiResponse(WebhookDeliverySerializer, description="Queued."),
            409: DISABLED,
            **errors(401, 403, 404, 429),
        },
    )
    def post(self, request: Any, pk: str, delivery: str) -> Response:
        found = access_delivery(request.user, pk, delivery)
        try:
            resent = services.delivery_resend(delivery=found)
        except services.DeliveryNotResendable as exc:
            raise Conflict(detail=str(exc)) from exc
        return Response(WebhookDeliverySerializer(resent).data, status=status.HTTP_202_ACCEPTED)
