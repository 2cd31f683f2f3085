"""The coach imports a client's sessions from Strong, Hevy or our CSV: upload (a dry run), map, commit."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from coaching.access import access_client, access_session_import, exercises_for
from coaching.models import Coach
from coaching.sessions.imports import services
from coaching.sessions.imports.common import ImportFileError
from coaching.sessions.imports.forms import ImportMappingForm, ImportUploadForm
from coaching.sessions.imports.models import SessionImport
from coaching.sessions.views import STATUS_WORDS
from coaching.views.coach_common import coach_required, invalid_status, is_htmx, render_page

TEMPLATE = "coaching/client_sessions_import.html"


def _to_dry_run(request: HttpRequest, client_id: int, import_id: int) -> HttpResponse:
    """After a POST: the dry run's page (htmx navigates there, so its address is the page's)."""
    url = reverse("coach-client-import-dry-run", args=[client_id, import_id])
    return HttpResponseClientRedirect(url) if is_htmx(request) else redirect(url)


def _library(request: HttpRequest) -> list[tuple[str, str]]:
    return sorted({(e.slug, e.name) for e in exercises_for(request.user)}, key=lambda e: e[1].casefold())


@require_http_methods(["GET", "POST"])
@coach_required
def import_upload(request: HttpRequest, coach: Coach, client_id: int) -> HttpResponse:
    """The upload form; a good file becomes a dry run, shown on its own page."""
    client = access_client(request.user, client_id)
    initial = {"time_zone": coach.time_zone, "unit": "kg", "format": "strong"}
    posted = request.method == "POST"
    form = ImportUploadForm(request.POST, request.FILES) if posted else ImportUploadForm(initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session_import = services.import_dry_run(
                user=request.user,
                client=client,
                data=data["file"].read(),
                format=data["format"],
                time_zone=data["time_zone"],
                unit=data["unit"],
                include_warmups=data["include_warmups"],
                file_name=data["file"].name or "",
            )
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            return _to_dry_run(request, client.pk, session_import.pk)
    status = invalid_status(request) if request.method == "POST" else 200
    context = {"client": client, "form": form, "session_import": None}
    return render_page(request, TEMPLATE, context, fragment="upload", status=status)


def _dry_run_context(request: HttpRequest, session_import: SessionImport, form: Any = None) -> dict[str, Any]:
    status = session_import.status
    context: dict[str, Any] = {
        "client": session_import.client,
        "session_import": session_import,
        "committing": status == SessionImport.Status.COMMITTING,
        "failed": status == SessionImport.Status.FAILED,
        "progress": session_import.progress,
    }
    if context["committing"]:
        return context  # polled every second: no plan (it reads the parsed rows)
    plan = services.import_plan(user=request.user, session_import=session_import)
    report = session_import.report if status == SessionImport.Status.COMMITTED else None
    return context | {
        "plan": plan,
        "mapping": form or ImportMappingForm(plan=plan, library=_library(request)),
        "report": report,
        "report_words": [(STATUS_WORDS.get(k, k), v, k) for k, v in (report or {}).get("counts", {}).items()],
    }


@require_http_methods(["GET"])
@coach_required
def import_dry_run(request: HttpRequest, coach: Coach, client_id: int, import_id: int) -> HttpResponse:
    """What the import would write, the names to map, the rows left out; while a task writes it,
    its progress (htmx polls this every second until it is done); after the commit, its report."""
    session_import = access_session_import(request.user, client_id, import_id, with_payload=False)
    return render_page(request, TEMPLATE, _dry_run_context(request, session_import), fragment="dry-run")


@require_POST
@coach_required
def import_commit(request: HttpRequest, coach: Coach, client_id: int, import_id: int) -> HttpResponse:
    """A small file is written now, a big one by a task: either way the dry run's page follows
    (with the report, or the task's progress); a failed import's page commits again to resume."""
    session_import = access_session_import(request.user, client_id, import_id)
    plan = services.import_plan(user=request.user, session_import=session_import)
    form = ImportMappingForm(request.POST, plan=plan, library=_library(request))
    if form.is_valid():
        try:
            services.import_commit_start(
                user=request.user, session_import=session_import, exercise_map=form.exercise_map()
            )
        except services.ImportMappingError as exc:
            for message in exc.errors.values():
                form.add_error(None, message)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            return _to_dry_run(request, client_id, session_import.pk)
    context = _dry_run_context(request, session_import, form)
    return render_page(request, TEMPLATE, context, fragment="dry-run", status=invalid_status(request))
