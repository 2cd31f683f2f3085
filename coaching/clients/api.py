"""A coach's clients and the invites that give them a login."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import BaseParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from coaching.access import access_client, clients_of, require_coach
from coaching.api.permissions import IsCoach
from coaching.api.schema import ID_PARAMETER, LIST_ERRORS, READ_ERRORS, WRITE_ERRORS, DetailSerializer, errors
from coaching.api.throttles import LoginThrottle, WritesThrottle
from coaching.api.views import ApiListView, ApiView, PayloadTooLarge
from coaching.clients import roster
from coaching.clients import services as accounts
from coaching.clients.serializers import (
    ClientCreateSerializer,
    ClientSerializer,
    InviteAcceptedSerializer,
    InviteAcceptSerializer,
    RosterQuerySerializer,
    RosterResponseSerializer,
    RosterUploadSerializer,
)

# Room for a multipart body's boundaries and headers around a file of roster.MAX_BYTES.
MULTIPART_OVERHEAD = 64 * 1024
TOO_LARGE = f"The file is over {roster.MAX_BYTES // (1024 * 1024)} MB: split it."


@extend_schema(tags=["clients"])
class ClientListView(ApiListView):
    permission_classes = [IsCoach]
    serializer_class = ClientSerializer

    @extend_schema(
        summary="List your clients",
        description="Your clients, paged, each with `has_login` and, until they accept, their `invite_url`.",
        responses={200: ClientSerializer(many=True), **errors(*LIST_ERRORS)},
    )
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

    @extend_schema(
        summary="One of your clients",
        description="A client of yours; anyone else's is a 404.",
        responses={200: ClientSerializer, **errors(*READ_ERRORS)},
    )
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


class RosterCSVParser(BaseParser):
    """A ``text/csv`` body as bytes, at most ``roster.MAX_BYTES`` (read no further)."""

    media_type = "text/csv"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> bytes:
        raw = b"" if stream is None else stream.read(roster.MAX_BYTES + 1)
        if len(raw) > roster.MAX_BYTES:
            raise PayloadTooLarge(detail=TOO_LARGE)
        return raw


class RosterMultiPartParser(MultiPartParser):
    """Multipart with a ``file``; a body announced over the limit is refused before it is read."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError as exc:
            raise ParseError("The Content-Length header is not a number.") from exc
        if length > roster.MAX_BYTES + MULTIPART_OVERHEAD:
            raise PayloadTooLarge(detail=TOO_LARGE)
        return super().parse(stream, media_type, parser_context)


def _uploaded(request: Request) -> bytes:
    """The roster file's bytes from either kind of body."""
    data = request.data
    if isinstance(data, bytes):
        return data
    if request.content_type.split(";")[0].strip().lower() == RosterCSVParser.media_type:
        return b""  # an empty text/csv body: DRF does not call the parser
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError({"file": ["Send the CSV as a text/csv body, or as the multipart field “file”."]})
    if upload.size > roster.MAX_BYTES:
        raise PayloadTooLarge(detail=TOO_LARGE)
    return upload.read()


def _result(entry: roster.RosterEntry) -> dict[str, Any]:
    status_word = entry.status if entry.status in (roster.Status.CREATED, roster.Status.VALID) else "rejected"
    body: dict[str, Any] = {"row": entry.row, "status": str(status_word), "email": entry.email}
    if entry.client_id is not None:
        body["id"] = entry.client_id
    if entry.errors:
        body["errors"] = entry.errors
    return body


@extend_schema(tags=["clients"])
class RosterImportView(ApiView):
    permission_classes = [IsCoach]
    parser_classes = [RosterCSVParser, RosterMultiPartParser]

    @extend_schema(
        operation_id="clients_import_create",
        summary="Import clients from a CSV roster",
        description=(
            "A CSV with a header row naming the columns `name`, `email` and optionally `notes` (any case; "
            "other columns are ignored), separated by commas, semicolons or tabs; UTF-8, a byte-order mark "
            f"allowed; at most {roster.MAX_ROWS:,} clients and {roster.MAX_BYTES // (1024 * 1024)} MB. Send it "
            "as a `text/csv` body or as the multipart field `file`.\n\n"
            "Each row is judged on its own: a missing name, an email that is not one, an email already on an "
            "earlier row, an email of one of your clients (case-insensitive; another coach's clients do not "
            f"count) or notes over {roster.NOTES_MAX:,} characters reject that row. The valid rows' clients are "
            "created together (all or none) and each is emailed an invite; the rejected rows create nothing. "
            "With `dry_run=true` nothing is written: the valid rows answer `valid`.\n\n"
            "A file that cannot be read as a roster (not UTF-8 text, no name and email columns, no rows) is a "
            "400 with a message under `file`; a file over the limits is a 413."
        ),
        parameters=[RosterQuerySerializer],
        request={"text/csv": OpenApiTypes.STR, "multipart/form-data": RosterUploadSerializer},
        responses={
            200: OpenApiResponse(RosterResponseSerializer, description="One result per client row, in order."),
            413: OpenApiResponse(
                DetailSerializer,
                description=f"Over {roster.MAX_BYTES // (1024 * 1024)} MB or {roster.MAX_ROWS:,} clients: "
                "nothing was imported.",
            ),
            **errors(400, 401, 403, 404, 429),
            415: OpenApiResponse(DetailSerializer, description="The body is neither text/csv nor multipart."),
        },
    )
    def post(self, request: Request) -> Response:
        query = RosterQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        coach = require_coach(request.user)
        data = _uploaded(request)
        try:
            if query.validated_data["dry_run"]:
                entries = roster.roster_preview(coach=coach, file=data)
            else:
                rows = roster.roster_read(data)
                entries = roster.roster_import(coach=coach, rows=rows, site_url=request.build_absolute_uri("/"))
        except roster.RosterFileError as exc:
            if exc.too_large:
                raise PayloadTooLarge(detail=exc.message) from exc
            raise ValidationError({"file": [exc.message]}) from exc
        return Response(RosterResponseSerializer({"results": [_result(e) for e in entries]}).data)
