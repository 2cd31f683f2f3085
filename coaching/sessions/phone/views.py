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
from coaching.models import Client
from coaching.push.services import push_page_key
from coaching.selectors import (
    active_assignment,
    latest_session_day_at,
    phone_sessions,
    prescription_history,
    version_in_force,
)
from coaching.services.prescriptions import assignment_days
from coaching.sessions.faults.selectors import attach_coach_faults
from coaching.sessions.phone import days as phone_days
from coaching.sessions.phone import present
from coaching.sessions.phone.forms import TodayQuery
from coaching.sessions.phone.selectors import day_names, last_time_sessions
from coaching.sessions.serializers import SessionOutSerializer
from coaching.threads import selectors as threads
from coaching.threads.forms import CommentForm
from coaching.threads.selectors import review_notes
from coaching.threads.views import phone_badge, thread_context
from coaching.weeks import local_today
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
HISTORY_SESSIONS_SHOWN = 30


def _local_today(client: Client) -> dt.date:
    return local_today(client.coach)


@login_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    query = TodayQuery(request.GET)
    if not query.is_valid():
        return HttpResponseBadRequest(
            "; ".join(f"{name}: {' '.join(errors)}" for name, errors in query.errors.items()),
            content_type="text/plain; charset=utf-8",
        )
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
        history = prescription_history(assignment)
        changes = present.approved_changes(history, assignment, review_notes(v.review_id for v in history))
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


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    client = require_client(request.user)
    assignment = active_assignment(client)
    unit = assignment.unit if assignment is not None else "kg"
    sessions = phone_sessions(request.user)
    versions = prescription_history(assignment) if assignment else []
    notes = review_notes(v.review_id for v in versions)
    changes = present.approved_changes(versions, assignment, notes) if assignment else []
    names = day_names(client)
    shown = sessions[:HISTORY_SESSIONS_SHOWN]
    attach_coach_faults(s for session in shown for s in session.sets.all())
    counts = threads.thread_counts(request.user, [session.pk for session in shown])
    for session in shown:
        session.thread = counts.get(session.pk, threads.ThreadCount())  # type: ignore[attr-defined]
    context = {
        "client": client,
        "tab": "history",
        "summaries": present.session_summaries(shown, names),
        "more_sessions": max(0, len(sessions) - HISTORY_SESSIONS_SHOWN),
        "exercises": present.exercise_histories(sessions, unit),
        "changes": changes,
        "unit": unit,
        # For the sets still on the phone (history.js shows them, offline too).
        "data": present.history_page_data(sessions, versions, names)
        | {"rendered_at": timezone.now().isoformat(timespec="milliseconds")},
        **phone_badge(request.user),
    }
    return render(request, "client/history.html", context)


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
