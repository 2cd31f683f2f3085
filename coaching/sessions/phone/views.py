"""The client's phone pages: accept an invite, Today (log sets, offline outbox), History; and the
service worker and web app manifest those pages need, served from the site root."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from typing import Any

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from coaching.access import require_client
from coaching.clients.forms import InviteAcceptForm
from coaching.clients.services import client_for_invite, client_invite_accept
from coaching.models import Client, LoggedSession
from coaching.push.services import push_page_key
from coaching.selectors import (
    active_assignment,
    latest_session_day_at,
    recent_versions,
    version_in_force,
)
from coaching.services.prescriptions import assignment_days
from coaching.sessions.phone import days as phone_days
from coaching.sessions.phone import present
from coaching.sessions.phone import selectors as phone
from coaching.sessions.phone.forms import HistoryQuery, TodayQuery
from coaching.sessions.phone.selectors import day_names, last_time_sessions
from coaching.sessions.serializers import SessionOutSerializer
from coaching.threads import selectors as threads
from coaching.threads.forms import CommentForm
from coaching.threads.selectors import review_notes
from coaching.threads.views import phone_badge, thread_context
from coaching.views.coach_common import is_htmx, render_page
from coaching.weeks import coach_zone, local_today
from programs.faults import FAULTS

# The app shell the service worker keeps for offline use (static files, stable URLs).
SHELL_STATIC = (
    "client/phone.css",
    "vendor/idb/idb.umd.js",
    "client/merge.js",
    "client/days.js",
    "client/outbox.js",
    "client/today.js",
    "client/history.js",
    "client/videos.js",
    "client/push.js",
    "client/icon.svg",
    "client/icon-192.png",
    "vendor/workbox/workbox-sw.js",
    "vendor/workbox/workbox-core.prod.js",
    "vendor/workbox/workbox-routing.prod.js",
    "vendor/workbox/workbox-strategies.prod.js",
    "vendor/workbox/workbox-precaching.prod.js",
)
RECENT_CHANGE_DAYS = 7
RECENT_SESSION_HOURS = 36
RPE_CHOICES = [f"{n / 2:g}" for n in range(20, 1, -1)]
PAIN_CHOICES = list(range(11))
HISTORY_CHANGES_SHOWN = 5  # History lists the latest approved changes; the rest on demand


def _local_today(client: Client) -> dt.date:
    return local_today(client.coach)


@login_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    query = TodayQuery(request.GET)
    if not query.is_valid():
        return _bad_query(query)
    client = require_client(request.user)
    # Clients stay signed in while they keep training: each visit starts the 30 days again.
    request.session.set_expiry(settings.SESSION_COOKIE_AGE)
    assignment = active_assignment(client)
    context: dict[str, Any] = {"client": client, "assignment": assignment, "tab": "today"}
    if assignment is not None:
        # The phone's local date when it sends one; the script also re-decides the day on the
        # phone's own date (a phone in another zone than the coach, or the offline copy).
        day = query.cleaned_data["date"] or _local_today(assignment.client)
        days = assignment_days(assignment)
        rows = present.today_rows(version_in_force(assignment, day), days)
        latest = latest_session_day_at(assignment)
        choice = phone_days.choose_day(
            days, day, latest[0] if latest else None, start=assignment.start_date, picked=query.cleaned_data["day"]
        )
        sessions = last_time_sessions(assignment)
        lines = phone_days.with_last_times(
            present.today_lines(rows, assignment.unit), sessions, rows, days, assignment.unit, day
        )
        # The sessions the page may carry on in: the latest ones, so already read for last time.
        since = timezone.now() - dt.timedelta(hours=RECENT_SESSION_HOURS)
        recent = [session for session in sessions if session.performed_at >= since]
        # Only the versions from a week back are compared: the changes Today shows.
        lately = recent_versions(assignment, since=day - dt.timedelta(days=RECENT_CHANGE_DAYS)).versions
        changes = present.approved_changes(lately, assignment, review_notes(v.review_id for v in lately))
        context |= {
            "day": day,
            "choice": choice,
            "days": phone_days.today_days(days, lines, choice),
            "several_days": len(days) > 1,
            "date_param": query.cleaned_data["date"],
            # Before the start the first prescription is shown (and can be logged), with the date.
            "starts_on": assignment.start_date if assignment.start_date > day else None,
            "lines": lines,
            "rpe_choices": RPE_CHOICES,
            "pain_choices": PAIN_CHOICES,
            "checkin_questions": present.CHECKIN_QUESTIONS,
            "readiness": present.READINESS,
            "changes": [c for c in changes if c.effective_from >= day - dt.timedelta(days=RECENT_CHANGE_DAYS)],
            "data": {
                "user": request.user.pk,
                "assignment": assignment.pk,
                "unit": assignment.unit,
                "day": day.isoformat(),
                "start": assignment.start_date.isoformat(),
                "days": [d.to_json() for d in days],
                "shown": choice.shown.number,
                "picked": choice.picked,
                "rest_day": choice.rest_day,
                "dated": query.cleaned_data["date"] is not None,
                "last_day": {"day": latest[0], "performed_at": latest[1].isoformat()} if latest else None,
                "lines": [line.as_json() for line in lines],
                "faults": FAULTS,
                "readiness": present.READINESS,
                # The API's own session bodies: the script reads them as it reads the API's.
                "recent": SessionOutSerializer(recent, many=True).data,
            },
        }
    # The latest session's thread, shown (and so read) under the day; before the badge is counted.
    # Only a page the browser shows marks it read: the service worker fetching Today into its
    # cache at install (Sec-Fetch-Dest "empty") shows nobody anything.
    latest_session = threads.latest_session(client)
    if latest_session is not None:
        url = reverse("client-thread", args=[latest_session.pk])
        shown = request.headers.get("Sec-Fetch-Dest", "document") == "document"
        context["thread"] = thread_context(latest_session, request.user, CommentForm(), url, mark_read=shown)
    context |= phone_badge(request.user)
    context["push_key"] = push_page_key()
    return render(request, "client/today.html", context)


def _bad_query(query: TodayQuery | HistoryQuery) -> HttpResponse:
    return HttpResponseBadRequest(
        "; ".join(f"{name}: {' '.join(errors)}" for name, errors in query.errors.items()),
        content_type="text/plain; charset=utf-8",
    )


def _with_threads(user: Any, sessions: list[LoggedSession]) -> list[LoggedSession]:
    counts = threads.thread_counts(user, [session.pk for session in sessions])
    for session in sessions:
        session.thread = counts.get(session.pk, threads.ThreadCount())  # type: ignore[attr-defined]
    return sessions


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """Past sessions by month (the latest in full, older months a line each that opens in place,
    ``?month=YYYY-MM``), the best sets with weekly e1RM charts, and the latest changes the coach
    approved (``?changes=all`` for all): rows read do not grow with the years of history."""
    query = HistoryQuery(request.GET)
    if not query.is_valid():
        return _bad_query(query)
    client = require_client(request.user)
    opened: dt.date | None = query.cleaned_data["month"]
    names = day_names(client)
    months = phone.history_months(client)
    zone = coach_zone(client.coach)
    if opened is not None and is_htmx(request):
        # The month's line, opened in place.
        sessions = _with_threads(request.user, phone.month_sessions(client, [opened]))
        summary = next((m for m in months if m.month == opened), phone.MonthSummary(opened, 0))
        month = {"summary": summary, "sessions": present.session_summaries(sessions, names)}
        return render_page(request, "client/history.html", {"month": month}, fragment="month")
    assignment = active_assignment(client)
    unit = assignment.unit if assignment is not None else "kg"
    all_changes = query.cleaned_data["changes"] == "all"
    recent = recent_versions(assignment, reviews=None if all_changes else HISTORY_CHANGES_SHOWN) if assignment else None
    versions = recent.versions if recent else []
    changes = (
        present.approved_changes(versions, assignment, review_notes(v.review_id for v in versions))
        if assignment
        else []
    )
    changes_context = {"changes": changes, "more_changes": max(0, (recent.reviews if recent else 0) - len(changes))}
    if all_changes and is_htmx(request):
        return render_page(request, "client/history.html", changes_context, fragment="changes")
    full = [m.month for m in phone.full_months(months)]
    shown = _with_threads(
        request.user, phone.month_sessions(client, full + ([opened] if opened and opened not in full else []))
    )
    by_month: dict[dt.date, list[LoggedSession]] = {}
    for session in shown:
        by_month.setdefault(session.performed_at.astimezone(zone).date().replace(day=1), []).append(session)
    exercises = phone.history_exercises(client, assignment)
    context = {
        "client": client,
        "tab": "history",
        "summaries": present.session_summaries([s for m in full for s in by_month.get(m, [])], names),
        "older": [
            {
                "summary": m,
                "sessions": present.session_summaries(by_month.get(m.month, []), names) if m.month == opened else None,
            }
            for m in months
            if m.month not in full
        ],
        **changes_context,
        "exercises": present.exercise_bests(exercises, phone.best_sets(client), phone.weekly_e1rm(client), unit),
        "chart_weeks": phone.CHART_WEEKS,
        "unit": unit,
        # For the sets still on the phone (history.js shows them, offline too).
        "data": present.history_page_data((ex for ex, _ in exercises), names)
        | {"rendered_at": timezone.now().isoformat(timespec="milliseconds")},
        **phone_badge(request.user),
    }
    return render_page(request, "client/history.html", context)


@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, token: str) -> HttpResponse:
    client = client_for_invite(token)
    if client is None:
        return render(request, "client/invite_invalid.html", status=404)
    form = InviteAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            client = client_invite_accept(token=token, password=form.cleaned_data["password"])
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                form.add_error("password" if name == "password" else None, messages)
        else:
            login(request, client.user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("client-today")
    return render(request, "client/invite.html", {"form": form, "invited": client})


@functools.cache
def _shell_version() -> str:
    """Changes whenever a shell file or the worker's template changes, so phones update."""
    digest = hashlib.sha256()
    for name in SHELL_STATIC:
        path = finders.find(name)
        if path:
            with open(path, "rb") as fh:
                digest.update(fh.read())
    digest.update(render_to_string("client/sw.js", {"version": "", "shell": []}).encode())
    return digest.hexdigest()[:12]


@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {
        "version": _shell_version(),
        # Static names: the template makes each URL with {% static %}.
        "shell": SHELL_STATIC,
        "pages": [reverse("client-today"), reverse("client-history")],
        "workbox_prefix": static("vendor/workbox/").rstrip("/"),
    }
    response = render(request, "client/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    return render(request, "client/manifest.webmanifest", content_type="application/manifest+json")
