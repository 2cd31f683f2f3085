"""The coach imports a client's sessions from a CSV file, and reads what happened to each one."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from coaching.access import access_client
from coaching.models import Coach
from coaching.sessions import csv_io
from coaching.sessions.forms import SessionsCSVImportForm
from coaching.views.coach_common import coach_required, render_page

STATUS_WORDS = {
    "created": "Added",
    "updated": "Replaced",
    "unchanged": "Already up to date",
    "stale": "Skipped: older than the stored version",
    "conflict": "Conflict: not changed",
    "rejected": "Not imported",
}
STATUS_BADGES = {"created": "ok", "updated": "info", "conflict": "warn", "stale": "warn", "rejected": "danger"}


def _messages(errors: dict[str, Any], status: str) -> list[str]:
    """The report's errors as sentences: "Row 3, reps: Enter a whole number."."""
    lines: list[str] = []
    for field, value in errors.items():
        if field == "rows" and isinstance(value, dict):
            for row, cells in value.items():
                for name, messages in cells.items():
                    lines.extend(f"Row {row}, {name}: {m}" for m in messages)
        elif status == "conflict":
            lines.extend(value)  # the sentence names the column itself
        else:
            lines.extend(f"{field}: {m}" for m in value)
    return lines


def _report_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "id": entry["id"],
            "rows": entry["rows"],
            "status": entry["status"],
            "word": STATUS_WORDS.get(entry["status"], entry["status"]),
            "badge": STATUS_BADGES.get(entry["status"], ""),
            "messages": _messages(entry.get("errors") or {}, entry["status"]),
        }
        for entry in report["results"]
    ]


@require_http_methods(["GET", "POST"])
@coach_required
def client_sessions_import(request: HttpRequest, coach: Coach, client_id: int) -> HttpResponse:
    """Upload a sessions CSV; the page then lists every session of the file and its outcome."""
    client = access_client(request.user, client_id)
    form = SessionsCSVImportForm(request.POST, request.FILES) if request.method == "POST" else SessionsCSVImportForm()
    context: dict[str, Any] = {"client": client, "form": form, "report": None}
    if request.method == "POST":
        if form.is_valid():
            try:
                report = csv_io.sessions_csv_import(user=request.user, client=client, text=form.cleaned_data["file"])
            except csv_io.CSVFormatError as exc:
                form.add_error("file", str(exc))
            else:
                context |= {"report": _report_rows(report), "counts": report["counts"]}
                return render_page(request, "coaching/client_import.html", context)
        return render_page(request, "coaching/client_import.html", context, status=400)
    return render_page(request, "coaching/client_import.html", context)
