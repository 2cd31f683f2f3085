"""A coach's clients and the invites that give them a login."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from coaching.access import access_client, clients_of, require_coach
from coaching.api.permissions import IsCoach
from coaching.api.schema import ID_PARAMETER, LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, errors
from coaching.api.throttles import LoginThrottle, WritesThrottle
from coaching.api.views import ApiListView, ApiView
from coaching.clients import services as accounts
from coaching.clients.serializers import (
    ClientCreateSerializer,
    ClientSerializer,
    InviteAcceptedSerializer,
    InviteAcceptSerializer,
)


@extend_schema(tags=["clients"])
class ClientListView(ApiListView):
    permission_classes = [IsCoach]
    serializer_class = ClientSerializer

    @extend_schema(summary="List your clients", responses={200: ClientSerializer(many=True), **errors(*LIST_ERRORS)})
    def get(self, request: Any) -> Response:
        queryset = clients_of(request.user).order_by("name", "id")
        return self.paged(queryset, lambda page: ClientSerializer(page, many=True, context={"request": request}).data)

    @extend_schema(
        summary="Add a client",
        description=(
            "Answers with the client's `invite_url`: the link to send them to set a password. "
            "It is also emailed to them."
        ),
        request=ClientCreateSerializer,
        responses={201: ClientSerializer, **errors(*WRITE_ERRORS)},
    )
    def post(self, request: Any) -> Response:
        serializer = ClientCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = accounts.client_create(coach=require_coach(request.user), **serializer.validated_data)
        accounts.client_invite_email_later(client=client, site_url=request.build_absolute_uri("/"))
        return Response(ClientSerializer(client, context={"request": request}).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[ID_PARAMETER], tags=["clients"])
class ClientDetailView(ApiView):
    permission_classes = [IsCoach]

    @extend_schema(summary="One of your clients", responses={200: ClientSerializer, **errors(*READ_ERRORS)})
    def get(self, request: Any, pk: str) -> Response:
        client = access_client(request.user, pk)
        return Response(ClientSerializer(client, context={"request": request}).data)


@extend_schema(tags=["clients"])
class InviteAcceptView(ApiView):
    """The invite link is the credential: anyone holding it may set the client's password once."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle, WritesThrottle]
    throttle_scope = "login"

    @extend_schema(
        summary="Accept an invite: set the client's password",
        request=InviteAcceptSerializer,
        responses={201: InviteAcceptedSerializer, **errors(400, 415, 429)},
        auth=[],
    )
    def post(self, request: Any, token: str) -> Response:
        serializer = InviteAcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        client = accounts.client_invite_accept(token=token, password=serializer.validated_data["password"])
        body = {"id": client.pk, "name": client.name, "email": client.email}
        return Response(InviteAcceptedSerializer(body).data, status=status.HTTP_201_CREATED)
