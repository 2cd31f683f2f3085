"""Logged sessions: create-or-replace, batch sync, soft delete, the change feed, CSV.

Each view parses (serializer), loads through ``coaching.access``, calls one service and
renders; ``ApiView`` brings the nesting-safe JSON parser, the per-user writes throttle and the
domain exceptions' status codes. Status codes follow docs/api.md: 201 created, 200 replayed or replaced, 409 stale
(body: the stored version), 413 batch too large, 415 not JSON, 404 anything not yours.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.compat import LONG_SEPARATORS, SHORT_SEPARATORS
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import BaseParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils import json

from coaching.access import access_client, access_session
from coaching.api.schema import DetailSerializer, errors, ref
from coaching.api.views import ApiView
from coaching.parsing import parse_int
from coaching.sessions import csv_io
from coaching.sessions.serializers import (
    MAX_SESSIONS_PER_SYNC,
    CSVImportSerializer,
    FeedPage,
    FeedSerializer,
    SessionDeleteSerializer,
    SessionOutSerializer,
    SessionSerializer,
    SyncRequestSerializer,
    SyncResponseSerializer,
    feed_page_json,
    parse_session,
    session_body,
    session_or_tombstone,
)
from coaching.sessions.services import (
    SessionInput,
    SessionResult,
    SessionStale,
    decode_cursor,
    encode_cursor,
    session_delete,
    session_upsert,
    sessions_apply,
    sessions_changed_since,
)
from coaching.sessions.services.inputs import MAX_SETS_PER_SESSION

FEED_PAGE = 200
FEED_PAGE_MAX = 500
TAG = ["sessions"]
CLIENT_ID = OpenApiParameter("client_id", OpenApiTypes.INT, OpenApiParameter.PATH)
SESSION_ID = OpenApiParameter("session_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
STALE = OpenApiResponse(session_or_tombstone(), description="Stale: the stored version (a tombstone if deleted).")
SESSION_ERRORS = OpenApiResponse(
    response=ref("SessionErrors"),
    description="Bad input: the session's field errors, its sets' aligned with the sets sent.",
)


class CSVParser(BaseParser):
    """``text/csv`` bodies, decoded to a string (UTF-8, a byte-order mark allowed).

    DRF hands this parser the raw stream, which Django does not size-check: the body limit
    (``DATA_UPLOAD_MAX_MEMORY_SIZE``) is applied here, as Django does for JSON bodies.
    """

    media_type = "text/csv"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> str:
        if stream is None:
            return ""
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(raw) > limit:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ParseError("CSV must be UTF-8 text.") from exc


def _session_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError as exc:
        raise Http404("Not found.") from exc


def _object_body(request: Request) -> dict[str, Any]:
    data = request.data
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": ["Send a JSON object."]})
    return data


def _result_response(result: SessionResult) -> Response:
    if result.not_found:
        raise Http404("Not found.")
    if result.status == "rejected":
        return Response(result.errors, status=status.HTTP_400_BAD_REQUEST)
    assert result.session is not None
    body = session_body(result.session, result.sets)
    code = {"created": status.HTTP_201_CREATED, "stale": status.HTTP_409_CONFLICT}.get(result.status, 200)
    return Response(body, status=code)


class CollectorPausedView(ApiView):
    """A view whose requests run with the cycle collector paused (``gc_paused``): a session write
    makes thousands of short-lived objects (a sync of 500 sessions, hundreds of thousands) and no
    cycle worth collecting, yet the collector's generations walked the worker's long-lived objects
    again and again while it ran (6% of a PUT's CPU, measured alternating the two ways; more of a
    large sync's)."""

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        with gc_paused():
            return super().dispatch(request, *args, **kwargs)


class SessionDetail(CollectorPausedView):
    delete_body = SessionDeleteSerializer  # the DELETE's optional body, in the schema (coaching.api.openapi)

    @extend_schema(
        tags=TAG,
        operation_id="sessions_retrieve",
        summary="One logged session",
        description="The session with its sets, as its last write left it. A deleted session is a 404 here; "
        "the change feed shows its tombstone.",
        parameters=[SESSION_ID],
        responses={200: SessionOutSerializer, **errors(401, 404)},
    )
    def get(self, request: Request, session_id: str) -> Response:
        session = access_session(request.user, _session_uuid(session_id), read_only=True)
        return Response(session_body(session, list(session.sets.select_related("exercise"))))

    @extend_schema(
        tags=TAG,
        operation_id="sessions_update",
        summary="Create or replace a session",
        description="The phone's write: the session's `id` is a UUID the device made. The first PUT creates it "
        "(201); a later one with a `client_modified_at` newer than or equal to the stored one replaces it (200), "
        "and the same body again is a replay that changes nothing (200, same representation). An older "
        f"`client_modified_at` is not applied: 409 with the stored version (a tombstone if it was deleted). "
        f"At most {MAX_SETS_PER_SESSION} sets.",
        parameters=[SESSION_ID],
        request=SessionSerializer,
        responses={
            200: OpenApiResponse(SessionOutSerializer, description="Replaced, or a replay (unchanged)."),
            201: OpenApiResponse(SessionOutSerializer, description="Created."),
            409: STALE,
            **errors(400, 401, 403, 404, 415, 429, bad_input=SESSION_ERRORS),
        },
    )
    def put(self, request: Request, session_id: str) -> Response:
        sid = _session_uuid(session_id)
        data = _object_body(request)
        if "id" in data and _usable_id(data) != str(sid):
            raise ValidationError({"id": ["Does not match the id in the URL."]})
        item = parse_session({**data, "id": str(sid)})
        result = session_upsert(user=request.user, item=item)
        return _result_response(result)

    @extend_schema(
        tags=TAG,
        operation_id="sessions_destroy",
        summary="Delete a session",
        description="A soft delete: the session becomes a tombstone that other devices learn of through the "
        "change feed. The optional body gives the deletion the device's time (`client_modified_at`): older "
        "than the stored version, it is not applied (409 with the stored version). Without a body the "
        "server's time is used. Idempotent: deleting a deleted session again (without a time, or with the "
        "same one) answers 204 again and changes nothing.",
        parameters=[SESSION_ID],
        request=SessionDeleteSerializer,
        responses={
            204: OpenApiResponse(description="Deleted (or already deleted): a tombstone the feed shows."),
            409: STALE,
            **errors(400, 401, 403, 404, 415, 429),
        },
    )
    def delete(self, request: Request, session_id: str) -> Response:
        session = access_session(request.user, _session_uuid(session_id), include_deleted=True)
        data = request.data if request.data else {}
        serializer = SessionDeleteSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        try:
            session_delete(session=session, client_modified_at=serializer.validated_data.get("client_modified_at"))
        except SessionStale as stale:
            stored = stale.session
            sets = list(stored.sets.select_related("exercise"))
            return Response(session_body(stored, sets), status=status.HTTP_409_CONFLICT)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SessionSync(CollectorPausedView):
    @extend_schema(
        tags=TAG,
        operation_id="sessions_sync_create",
        summary="Sync a batch of sessions",
        description=f"Up to {MAX_SESSIONS_PER_SYNC} sessions, each applied as a PUT would be, with one result per "
        "session in the order sent: `created`, `updated`, `unchanged` (a replay), `stale` (older than the "
        "stored version) or `rejected` with its field errors (`id` null where the item had none usable). A "
        "rejected session never blocks the others. More than "
        f"{MAX_SESSIONS_PER_SYNC}: 413 and nothing applied.",
        request=SyncRequestSerializer,
        responses={
            200: OpenApiResponse(SyncResponseSerializer, description="One result per session, in order."),
            413: OpenApiResponse(
                DetailSerializer, description=f"More than {MAX_SESSIONS_PER_SYNC} sessions: nothing applied."
            ),
            **errors(400, 401, 403, 415, 429),
        },
    )
    def post(self, request: Request) -> Response:
        data = _object_body(request)
        raw = data.get("sessions")
        if not isinstance(raw, list):
            raise ValidationError({"sessions": ['Send a list of sessions: {"sessions": [...]}.']})
        if len(raw) > MAX_SESSIONS_PER_SYNC:
            return Response(
                {"detail": f"At most {MAX_SESSIONS_PER_SYNC} sessions per sync; this batch has {len(raw)}."},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        results, valid = _parse_items(raw)
        applied = iter(sessions_apply(user=request.user, items=[item for _, item in valid]))
        for index, _ in valid:
            r = next(applied)
            results[index] = {"id": str(r.id), "status": r.status} | ({"errors": r.errors} if r.errors else {})
        return Response(SyncResponseSerializer({"results": results}).data)


def _parse_items(raw: list[Any]) -> tuple[list[dict[str, Any]], list[tuple[int, SessionInput]]]:
    """Rejected results in place for items of the wrong shape; the others as service inputs."""
    child = SessionSerializer()  # one instance: binding the fields once keeps 500 items fast
    results: list[dict[str, Any]] = []
    valid: list[tuple[int, SessionInput]] = []
    for index, item in enumerate(raw):
        try:
            parsed = parse_session(item, child)
        except serializers.ValidationError as exc:
            results.append({"id": _usable_id(item), "status": "rejected", "errors": exc.detail})
            continue
        results.append({})
        valid.append((index, parsed))
    return results, valid


def _usable_id(item: Any) -> str | None:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        return None
    try:
        return str(uuid.UUID(item["id"]))
    except ValueError:
        return None


class FeedRenderer(JSONRenderer):
    """The JSON renderer, which prints a feed page (``FeedPage``) from its rows without building the
    page's dicts first (``feed_page_json``): the very text ``JSONRenderer`` gives for
    ``page.data()`` (a test pins the two equal), in a fraction of the time. A page asked for
    indented (``Accept: application/json; indent=4``), and any other body, is rendered as usual."""

    def render(self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None) -> bytes:
        if not isinstance(data, FeedPage):
            return super().render(data, accepted_media_type, renderer_context)
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data.data(), accepted_media_type, renderer_context)
        separators = SHORT_SEPARATORS if self.compact else LONG_SEPARATORS

        def dumps(value: Any) -> str:
            return json.dumps(
                value,
                cls=self.encoder_class,
                ensure_ascii=self.ensure_ascii,
                allow_nan=not self.strict,
                separators=separators,
            )

        text = feed_page_json(data, dumps, separators)
        return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()


class SessionFeed(ApiView):
    renderer_classes = [FeedRenderer]  # the API's one renderer (settings), able to print a page fast

    @extend_schema(
        tags=TAG,
        operation_id="sessions_list",
        summary="The change feed: sessions changed since a cursor",
        description="What changed after the cursor, oldest change first: live sessions (`deleted` false) and "
        "tombstones of deleted ones (`deleted` true). Without `since`, from the beginning. `next_cursor` is "
        "always present, also on the last page (`has_more` false): keep it and pass it back later to get "
        "only what changed since. Cursors are opaque strings.",
        parameters=[
            OpenApiParameter("since", OpenApiTypes.STR, description="A next_cursor from an earlier page."),
            OpenApiParameter(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": FEED_PAGE_MAX, "default": FEED_PAGE},
                description=f"Page size, 1–{FEED_PAGE_MAX} (default {FEED_PAGE}).",
            ),
        ],
        responses={200: FeedSerializer, **errors(400, 401)},
    )
    def get(self, request: Request) -> Response:
        try:
            since = decode_cursor(request.query_params.get("since"))
        except ValueError as exc:
            raise ValidationError({"since": [str(exc)]}) from exc
        limit = _limit(request.query_params.get("limit"))
        rows, next_seq, has_more = sessions_changed_since(user=request.user, since=since, limit=limit)
        # ``FeedSerializer``'s shape (the schema's), printed from the page's rows by ``FeedRenderer``.
        return Response(FeedPage(rows, encode_cursor(next_seq), has_more))

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        """The page built, rendered (by the negotiated renderer, as the handler would next) and its
        objects freed with the collector paused (``gc_paused``): the body is then bytes, and the
        page's ~30,000 objects go by refcount without a collection ever walking them."""
        with gc_paused():
            response = super().dispatch(request, *args, **kwargs)
            if isinstance(response, Response):
                response.render()
                response.data = None  # rendered: the page's objects go now, not after the collector is back
        return response


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cycle collector off while a page is built and rendered: a feed page makes ~30,000 dicts,
    lists and tuples that all live until the page is rendered, so the collector would run dozens of
    times per page and, every few pages, a full collection of the whole process (~100 ms a time, a
    third of a feed walk, for nothing: a page makes no cycles; refcounting frees it). Left as it was
    found: only the request that turned it off turns it back on."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _limit(value: str | None) -> int:
    if value is None or value == "":
        return FEED_PAGE
    limit = parse_int(value, low=1, high=FEED_PAGE_MAX)
    if limit is None:
        raise ValidationError({"limit": [f"A whole number from 1 to {FEED_PAGE_MAX}."]})
    return limit


class ClientSessionsCSV(ApiView):
    """A coach's export and import of one client's sessions, one row per set."""

    parser_classes = [CSVParser]

    @extend_schema(
        tags=TAG,
        operation_id="clients_sessions_csv_retrieve",
        summary="Export a client's sessions as CSV",
        parameters=[CLIENT_ID],
        responses={(200, "text/csv"): OpenApiTypes.STR, **errors(401, 404)},
    )
    def get(self, request: Request, client_id: str) -> HttpResponse:
        client = access_client(request.user, client_id)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="client-{client.pk}-sessions.csv"'
        csv_io.sessions_csv_write(client=client, out=response)
        return response

    @extend_schema(
        tags=TAG,
        operation_id="clients_sessions_csv_create",
        summary="Import a client's sessions from our CSV",
        parameters=[CLIENT_ID],
        request={"text/csv": OpenApiTypes.STR},
        responses={200: CSVImportSerializer, **errors(400, 401, 403, 404, 415, 429)},
    )
    def post(self, request: Request, client_id: str) -> Response:
        client = access_client(request.user, client_id)
        text = request.data
        if not isinstance(text, str):
            raise ValidationError({"non_field_errors": ["Send the CSV as a text/csv body."]})
        try:
            report = csv_io.sessions_csv_import(user=request.user, client=client, text=text)
        except csv_io.CSVFormatError as exc:
            raise ValidationError({"csv": [str(exc)]}) from exc
        return Response(CSVImportSerializer(report).data)
