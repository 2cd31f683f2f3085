"""``POST /api/v1/clients/{id}/imports/`` (the dry run) and ``.../imports/{import_id}/commit/``."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from coaching.access import access_client, access_session_import
from coaching.api.permissions import IsCoach
from coaching.api.schema import DetailSerializer, errors
from coaching.api.views import ApiView, PayloadTooLarge
from coaching.sessions.imports import services
from coaching.sessions.imports.common import MAX_BYTES, MAX_ROWS, ImportFileError
from coaching.sessions.imports.models import SessionImport
from coaching.sessions.imports.serializers import (
    CommitReportSerializer,
    CommitSerializer,
    DryRunSerializer,
    ImportStatusSerializer,
    ImportUploadSerializer,
)

TAG = ["imports"]
MULTIPART_OVERHEAD = 64 * 1024
TOO_LARGE = f"The file is over {MAX_BYTES // (1024 * 1024)} MB: split it."
CLIENT_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The client.")
IMPORT_ID = OpenApiParameter("import_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The dry run.")
TOO_LARGE_RESPONSE = OpenApiResponse(
    DetailSerializer, description=f"Over {MAX_BYTES // (1024 * 1024)} MB or {MAX_ROWS:,} rows: nothing was read."
)


class ImportMultiPartParser(MultiPartParser):
    """Multipart; a body announced over the limit is refused before it is read."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        request = (parser_context or {}).get("request")
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError as exc:
            raise ParseError("The Content-Length header is not a number.") from exc
        if length > MAX_BYTES + MULTIPART_OVERHEAD:
            raise PayloadTooLarge(detail=TOO_LARGE)
        return super().parse(stream, media_type, parser_context)


def dry_run_body(session_import: SessionImport, plan: services.Plan) -> dict[str, Any]:
    return {
        "id": session_import.pk,
        "format": session_import.format,
        "sessions": plan.sessions,
        "new_sessions": plan.new_sessions,
        "sets": plan.sets,
        "warmups_skipped": plan.warmups_skipped,
        "matched": [{"name": n, "exercise": s} for n, s in plan.matched.items()],
        "unmatched": [{"name": u.name, "sets": u.sets, "suggestions": u.suggestions} for u in plan.unmatched],
        "errors": plan.errors,
        "expires_at": session_import.expires_at,
    }


def status_body(session_import: SessionImport) -> dict[str, Any]:
    report = session_import.report or None
    return {
        "id": session_import.pk,
        "format": session_import.format,
        "status": session_import.status,
        "progress": session_import.progress,
        "error": session_import.error or None,
        "report": report,
        "committed_at": session_import.committed_at,
        "expires_at": session_import.expires_at,
    }


@extend_schema(tags=TAG, parameters=[CLIENT_ID])
class SessionImportView(ApiView):
    permission_classes = [IsCoach]
    parser_classes = [ImportMultiPartParser]

    @extend_schema(
        operation_id="clients_imports_create",
        summary="Dry-run a sessions import (Strong, Hevy or our CSV)",
        description=(
            "Reads the file and answers what committing it would write: its sessions (one per workout), sets, "
            "the exercise names not matched to your library with suggested slugs (your own exercises first), "
            "warm-ups skipped and rows that cannot be imported. Nothing of the client's is written: the parsed "
            "rows are kept for 24 hours under the answer's `id` for the commit.\n\n"
            "Local times without an offset (Strong, Hevy) are read in `time_zone` (default: yours). A session's "
            "id is derived from the client, the format and the workout's start and name, so the same file "
            "imported twice creates nothing the second time.\n\n"
            "A file that cannot be read in the format (not UTF-8, missing columns, no sets) is a 400 under "
            f"`file`; over {MAX_BYTES // (1024 * 1024)} MB or {MAX_ROWS:,} rows a 413."
        ),
        request={"multipart/form-data": ImportUploadSerializer},
        responses={
            201: DryRunSerializer,
            413: TOO_LARGE_RESPONSE,
            **errors(400, 401, 403, 404, 429),
            415: OpenApiResponse(DetailSerializer, description="The body is not multipart/form-data."),
        },
    )
    def post(self, request: Request, pk: str) -> Response:
        client = access_client(request.user, pk)
        form = ImportUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        if upload.size > MAX_BYTES:
            raise PayloadTooLarge(detail=TOO_LARGE)
        try:
            session_import = services.import_dry_run(
                user=request.user,
                client=client,
                data=upload.read(),
                format=form.validated_data["format"],
                time_zone=form.validated_data.get("time_zone"),
                unit=form.validated_data["unit"],
                include_warmups=form.validated_data["include_warmups"],
                file_name=upload.name or "",
            )
        except ImportFileError as exc:
            if exc.too_large:
                raise PayloadTooLarge(detail=exc.message) from exc
            raise ValidationError({"file": [exc.message]}) from exc
        plan = services.import_plan(user=request.user, session_import=session_import)
        return Response(DryRunSerializer(dry_run_body(session_import, plan)).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=TAG, parameters=[CLIENT_ID, IMPORT_ID])
class SessionImportDetailView(ApiView):
    permission_classes = [IsCoach]

    @extend_schema(
        operation_id="clients_imports_retrieve",
        summary="A sessions import's status and progress",
        description=(
            "The import's `status` (`pending` dry run, `committing`, `committed`, `failed`), its `progress` "
            "(sessions written of the file's) and what the commit wrote so far. Poll it after a commit answered "
            "202. An expired import (a day after its dry run or commit) is a 404."
        ),
        responses={200: ImportStatusSerializer, **errors(401, 403, 404)},
    )
    def get(self, request: Request, pk: str, import_id: str) -> Response:
        session_import = access_session_import(request.user, pk, import_id, with_payload=False)
        return Response(ImportStatusSerializer(status_body(session_import)).data)


@extend_schema(tags=TAG, parameters=[CLIENT_ID, IMPORT_ID])
class SessionImportCommitView(ApiView):
    permission_classes = [IsCoach]

    @extend_schema(
        operation_id="clients_imports_commit_create",
        summary="Commit a dry-run sessions import",
        description=(
            "Writes the dry run's sessions through the sync service (its validation, its change feed and "
            "webhooks), mapping each unmatched name with `exercise_map` (remembered for your next import). "
            "Nothing is deleted: a session imported before with the same sets is `unchanged`, one whose stored "
            "sets differ keeps them (`conflict`), one changed since on the phone is `stale`. An unmapped name "
            "or an unknown slug is a 400 under `exercise_map` (checked before anything is written); an expired "
            "dry run is a 404.\n\n"
            "A file of at most 500 sessions is written before the answer: 200 with the report. A bigger one is "
            "written by a background task in chunks of 500 sessions (each chunk all or nothing): 202 with the "
            "import's status; poll `GET .../imports/{import_id}/` for its progress. A failed import keeps what "
            "it wrote: committing it again resumes where it stopped (and creates nothing twice)."
        ),
        request=CommitSerializer,
        responses={
            200: CommitReportSerializer,
            202: OpenApiResponse(ImportStatusSerializer, description="Queued: a task writes it, poll the import."),
            **errors(400, 401, 403, 404, 415, 429),
        },
    )
    def post(self, request: Request, pk: str, import_id: str) -> Response:
        session_import = access_session_import(request.user, pk, import_id)
        body = CommitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            report = services.import_commit_start(
                user=request.user, session_import=session_import, exercise_map=body.validated_data["exercise_map"]
            )
        except services.ImportMappingError as exc:
            raise ValidationError({"exercise_map": exc.errors}) from exc
        if report is None:
            return Response(ImportStatusSerializer(status_body(session_import)).data, status=status.HTTP_202_ACCEPTED)
        return Response(CommitReportSerializer(report).data)
