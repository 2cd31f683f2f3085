"""Clients: list (search and filters), add (invite), import a roster, client page, assign, edit the prescription."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import formset_factory
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from coaching import charts
from coaching.access import (
    access_client,
    access_template,
    access_visible_client,
    assignable_clients,
    assignable_templates,
    exercises_by_slug,
    exercises_for,
    find_template,
)
from coaching.clients import roster
from coaching.clients.forms import ClientAddForm, RosterCommitForm, RosterUploadForm
from coaching.clients.services import (
    client_create,
    client_delete_data,
    client_invite_email_later,
    client_invite_renew,
)
from coaching.forms import (
    AssignForm,
    DayForm,
    LineForm,
    PrescriptionMetaForm,
    apply_errors,
    day_choices,
    line_initial,
)
from coaching.metrics import adherence_band
from coaching.models import Client, Coach
from coaching.parsing import parse_id, query_text
from coaching.selectors import (
    active_assignment,
    client_session_count,
    latest_versions,
    prescription_history,
    upcoming_versions,
    version_in_force,
)
from coaching.selectors_calendar import client_calendar, week_plan
from coaching.selectors_coach import (
    CLIENT_FILTERS,
    client_progress,
    client_sessions,
    clients_list,
    session_exercises,
)
from coaching.services.prescriptions import (
    assignment_create,
    assignment_days,
    prescription_week_edit,
    program_week,
)
from coaching.sessions.faults.selectors import fault_choices, fault_rows
from coaching.teams.selectors import client_team_panel
from coaching.threads.selectors import ThreadCount, thread_counts
from coaching.views.coach_common import coach_required, invalid_status, is_htmx, render_page
from coaching.weeks import first_monday_on_or_after, local_today
from programs.days import WEEKDAY_SHORT, Day, default_sessions_per_week, new_day
from programs.models import ProgramTemplate
from programs.services import template_days

logger = logging.getLogger(__name__)
SESSIONS_PER_PAGE = 10
VERSIONS_SHOWN = 5  # the client page's prescription history: the latest versions, the rest on demand
CLIENTS_PER_PAGE = 50


def invite_url(client: Client, request: HttpRequest | None = None) -> str:
    """The client's invite link, on the host the coach is using (SITE_URL outside a request)."""
    if not client.invite_token:
        return ""
    path = reverse("client-invite", args=[client.invite_token])
    return request.build_absolute_uri(path) if request is not None else f"{settings.SITE_URL.rstrip('/')}{path}"


@require_GET
@coach_required
def client_list(request: HttpRequest, coach: Coach) -> HttpResponse:
    # A search PostgreSQL cannot run (a NUL in it) is ignored: the full list shows.
    query = query_text(request.GET.get("q", "")[:100]) or ""
    status = request.GET.get("status", "all")
    status = status if status in CLIENT_FILTERS else "all"
    page = Paginator(clients_list(coach, query=query, status=status), CLIENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"coach": coach, "page": page, "q": query, "status": status, "filters": CLIENT_FILTERS}
    return render_page(request, "coaching/clients.html", context, fragment="client-rows")


@require_http_methods(["GET", "POST"])
@coach_required
def client_add(request: HttpRequest, coach: Coach) -> HttpResponse:
    form = ClientAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            client = client_create(coach=coach, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc, fallback="email")
        else:
            client_invite_email_later(client=client, site_url=request.build_absolute_uri("/"))
            return redirect(f"{reverse('coach-client', args=[client.pk])}?invited=1")
    status = invalid_status(request) if request.method == "POST" else 200
    return render_page(request, "coaching/client_add.html", {"form": form}, fragment="add-form", status=status)


ROSTER_WORDS = {
    roster.Status.VALID: ("Will be created", "ok"),
    roster.Status.EXISTING: ("Skipped: already your client", "info"),
    roster.Status.REJECTED: ("Not imported", "danger"),
}


def _roster_context(coach: Coach, form: RosterUploadForm, entries: list[roster.RosterEntry]) -> dict[str, Any]:
    rows = [
        {"entry": e, "word": ROSTER_WORDS[e.status][0], "badge": ROSTER_WORDS[e.status][1],
         "messages": [m for messages in e.errors.values() for m in messages]}
        for e in entries
    ]  # fmt: skip
    counts = {status: sum(e.status == status for e in entries) for status in ROSTER_WORDS}
    signed = roster.roster_sign(coach=coach, entries=entries) if counts[roster.Status.VALID] else ""
    return {
        "form": form,
        "rows": rows,
        "creating": counts[roster.Status.VALID],
        "skipped": counts[roster.Status.EXISTING],
        "rejected": counts[roster.Status.REJECTED],
        "commit": RosterCommitForm(initial={"rows": signed}, coach=coach) if signed else None,
    }


@require_http_methods(["GET", "POST"])
@coach_required
def client_roster_import(request: HttpRequest, coach: Coach) -> HttpResponse:
    """Upload a roster CSV; the page previews every row (nothing written) and offers "Create N clients"."""
    form = RosterUploadForm(request.POST, request.FILES) if request.method == "POST" else RosterUploadForm()
    context: dict[str, Any] = {"form": form, "rows": None}
    if request.method == "POST" and form.is_valid():
        try:
            entries = roster.roster_preview(coach=coach, file=form.cleaned_data["file"])
        except roster.RosterFileError as exc:
            form.add_error("file", exc.message)
        else:
            context = _roster_context(coach, RosterUploadForm(), entries)
            return render_page(request, "coaching/clients_import.html", context, fragment="roster")
    status = invalid_status(request) if request.method == "POST" else 200
    return render_page(request, "coaching/clients_import.html", context, fragment="roster", status=status)


@require_POST
@coach_required
def client_roster_commit(request: HttpRequest, coach: Coach) -> HttpResponse:
    """Create the previewed clients (checked again now) and send their invites; then the clients list."""
    commit = RosterCommitForm(request.POST, coach=coach)
    if commit.is_valid():
        try:
            entries = roster.roster_import(
                coach=coach, rows=commit.cleaned_data["rows"], site_url=request.build_absolute_uri("/")
            )
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            created = sum(e.status == roster.Status.CREATED for e in entries)
            # Rows that became clients since the preview (added meanwhile) are skipped.
            left = len(entries) - created
            note = f" Skipped {left}: already your client{'s' if left != 1 else ''}." if left else ""
            messages.success(
                request, f"{created} client{'s' if created != 1 else ''} added; their invites are on their way.{note}"
            )
            url = reverse("coach-clients")
            return HttpResponseClientRedirect(url) if is_htmx(request) else redirect(url)
    else:
        problem = " ".join(commit.errors["rows"])
    context = {"form": RosterUploadForm(), "rows": None, "problem": problem}
    return render_page(
        request, "coaching/clients_import.html", context, fragment="roster", status=invalid_status(request)
    )


@require_POST
@coach_required
def client_invite(request: HttpRequest, coach: Coach, client_id: int) -> HttpResponse:
    client = access_client(request.user, client_id)
    client = client_invite_renew(client=client)
    client_invite_email_later(client=client, site_url=request.build_absolute_uri("/"))
    if is_htmx(request):
        return render_page(
            request,
            "coaching/client.html",
            {"client": client, "invite_url": invite_url(client, request), "primary": True},  # access_client: theirs
            fragment="invite",
        )
    return redirect(f"{reverse('coach-client', args=[client.pk])}?invited=1")


@require_http_methods(["GET", "POST"])
@coach_required
def client_delete(request: HttpRequest, coach: Coach, client_id: int) -> HttpResponse:
    """Privacy: remove a client and everything logged for them, after the coach confirms by name."""
    client = access_client(request.user, client_id)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm_name", "").strip().casefold() == client.name.strip().casefold():
            name = client.name
            client_delete_data(client=client)
            messages.success(request, f"{name} and all their sessions, sets and reviews were deleted.")
            return redirect("coach-clients")
        error = f"Type the client's name, {client.name}, to confirm."
    sessions = client_session_count(client)
    return render_page(
        request, "coaching/client_delete.html", {"client": client, "sessions": sessions, "error": error},
        status=400 if error else 200,
    )  # fmt: skip


@require_GET
@coach_required
def client_detail(request: HttpRequest, coach: Coach, client_id: int) -> HttpResponse:
    """The client's page; a coach the client is shared with (covering) or the team's owner reads
    it too, without the primary coach's actions (docs/domain.md "Teams")."""
    client = access_visible_client(request.user, client_id)
    primary = client.coach_id == coach.pk
    sessions = Paginator(client_sessions(client), SESSIONS_PER_PAGE).get_page(request.GET.get("page"))
    threads = thread_counts(request.user, [session.pk for session in sessions.object_list])
    fault_rows((s for session in sessions.object_list for s in session.sets.all()), request.user)
    for session in sessions.object_list:
        session.thread = threads.get(session.pk, ThreadCount())
        session.exercises = session_exercises(session.sets.all())
    if is_htmx(request) and request.GET.get("page"):
        context = {"client": client, "sessions": sessions, "fault_choices": fault_choices(), "primary": primary}
        return render_page(request, "coaching/client.html", context, fragment="sessions")
    assignment = active_assignment(client)
    coach = client.coach  # the client's coach's time zone and figures, whoever reads the page
    today = local_today(coach)
    current = version_in_force(assignment, today) if assignment else None
    # The latest versions; all of them on "show all" (?versions=all, an htmx fragment too).
    all_versions = request.GET.get("versions") == "all"
    history, versions_total = (
        latest_versions(assignment, None if all_versions else VERSIONS_SHOWN) if assignment else ([], 0)
    )
    history_context = {
        "client": client,
        "history": history,
        "versions_total": versions_total,
        "all_versions": all_versions,
    }
    if all_versions and is_htmx(request):
        return render_page(request, "coaching/client.html", history_context, fragment="history")
    upcoming = [
        v for v in (upcoming_versions(assignment, today) if assignment else []) if current is None or v.pk != current.pk
    ]
    progress = client_progress(coach, client, assignment)
    days = assignment_days(assignment) if assignment else []
    plan = week_plan(assignment, current, days) if assignment else None
    calendar = client_calendar(coach, client, assignment, days, page_size=SESSIONS_PER_PAGE) if assignment else None
    chart_rows = [
        {
            "series": series,
            "has_e1rm": any(p.value is not None for p in series.e1rm),
            "e1rm_svg": charts.line_chart(
                series.e1rm,
                chart_id=f"e1rm-{series.exercise.pk}",
                title=f"{series.exercise.name}: best e1RM per week",
                unit="kg",
            ),
            "volume_svg": charts.bar_chart(
                series.volume,
                chart_id=f"vol-{series.exercise.pk}",
                title=f"{series.exercise.name}: volume load per week",
                unit="kg",
            ),
            "table": list(zip(series.e1rm, series.volume, strict=True)),
        }
        for series in progress.series
    ]
    adherence_svg = (
        charts.bar_chart(
            progress.adherence, chart_id="adherence", title="Adherence per week", unit="%", top=100, bands=True
        )
        if progress.weeks
        else ""
    )
    context: dict[str, Any] = {
        "coach": coach,
        "client": client,
        "assignment": assignment,
        "current": current,
        "upcoming": upcoming,
        **history_context,
        "sessions": sessions,
        "fault_choices": fault_choices(),
        "progress": progress,
        "plan": plan,
        "calendar": calendar,
        "chart_rows": chart_rows,
        "adherence_svg": adherence_svg,
        "adherence_rows": [
            {"week": p.week, "value": p.value, "band": adherence_band(p.value)}
            for p in reversed(progress.adherence)
            if p.value is not None
        ][:6],
        "invite_url": invite_url(client, request),
        "just_invited": request.GET.get("invited") == "1",
        "csv_url": reverse("api-client-sessions-csv", args=[client.pk]),
        "team": client_team_panel(request.user, client),
        "primary": primary,
    }
    return render_page(request, "coaching/client.html", context)


def _week_plan(template: ProgramTemplate | None) -> dict[str, Any] | None:
    """The chosen program's week as the assign page shows it: the day on each weekday (pinned
    days), the unpinned days in their turn, each day's exercises, and the default sessions per week."""
    if template is None:
        return None
    days = template_days(template)
    lines = list(template.lines.all())  # prefetched by assignable_templates, or one query
    return {
        "template": template,
        "days": [
            {"day": day, "exercises": [line.exercise.name for line in lines if line.day == day.number]} for day in days
        ],
        "weekdays": [
            (WEEKDAY_SHORT[weekday], next((day for day in days if weekday in day.weekdays), None))
            for weekday in range(7)
        ],
        "pinned": any(day.weekdays for day in days),
        "rotation": [day for day in days if not day.weekdays],
        "sessions_per_week": default_sessions_per_week(days),
    }


@require_http_methods(["GET", "POST"])
@coach_required
def client_assign(
    request: HttpRequest, coach: Coach, client_id: int | None = None, template_id: int | None = None
) -> HttpResponse:
    """Assign a program template to a client (from the client page or from the template): its
    week (days, pins, turns) shown, sessions per week prefilled with the program's default."""
    clients = assignable_clients(request.user)
    templates = assignable_templates(request.user)
    client = access_client(request.user, client_id) if client_id is not None else None
    template = access_template(request.user, template_id) if template_id is not None else None
    if request.method == "GET" and is_htmx(request) and "start_date" in request.GET:
        # The date input changed: only its help, the date in the app's words, comes back.
        form = AssignForm(request.GET, clients=clients, client=client)
        return render_page(request, "coaching/assign.html", {"form": form}, fragment="start-help")
    query = request.POST if request.method == "POST" else request.GET
    chosen_template = template or find_template(request.user, parse_id(query.get("program", "")))
    if chosen_template is None and request.method == "GET" and "program" not in query and len(templates) == 1:
        chosen_template = templates[0]
    if chosen_template is not None and template is None:
        chosen_template = next((t for t in templates if t.pk == chosen_template.pk), chosen_template)
    plan = _week_plan(chosen_template)
    initial: dict[str, Any] = {"start_date": local_today(coach)}
    if plan:
        initial["sessions_per_week"] = plan["sessions_per_week"]
    form = AssignForm(request.POST or None, clients=clients, client=client, initial=initial)
    if request.method == "GET" and is_htmx(request) and "program" in request.GET:
        # The program changed: its week and its default sessions per week come back.
        return render_page(request, "coaching/assign.html", {"form": form, "plan": plan}, fragment="week")
    if request.method == "POST" and form.is_valid():
        if chosen_template is None:
            form.add_error(None, "Choose the program to assign.")
        elif not (week := program_week(chosen_template, unit=form.cleaned_data["unit"]))[1]:
            form.add_error(None, f"“{chosen_template.name}” has no exercises yet: add some first.")
        else:
            data = form.cleaned_data
            try:
                assignment = assignment_create(
                    client=form.chosen_client,
                    program=chosen_template,
                    start_date=data["start_date"],
                    # Left empty: the program's default (pinned weekdays plus one per unpinned day).
                    sessions_per_week=data["sessions_per_week"],
                    unit=data["unit"],
                    deload_every_weeks=data["deload_every_weeks"],
                    load_increment_pct=data["load_increment_pct"],
                    days=week[0],
                    lines=week[1],
                    changed_by=request.user,
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                return redirect("coach-client", client_id=assignment.client_id)
    context = {
        "form": form,
        "client": client,
        "template": template,
        "templates": templates,
        "chosen_template": chosen_template,
        "plan": plan,
    }
    status = invalid_status(request) if request.method == "POST" else 200
    return render_page(request, "coaching/assign.html", context, status=status)


LineFormSet = formset_factory(LineForm, extra=1, can_delete=True, min_num=1, validate_min=True)
DayFormSet = formset_factory(DayForm, extra=0, can_delete=True)


def _edited_days(days: list[Day], day_forms: Any) -> list[Day]:
    """The days as the coach left them: renamed, pinned, some deleted (the forms follow ``days``).
    A POST without the days' forms (an older page) keeps the days as they are."""
    if day_forms is None:
        return days
    kept = []
    for day, form in zip(days, day_forms.forms, strict=False):
        if not form.cleaned_data.get("DELETE"):
            kept.append(Day(day.number, form.cleaned_data["name"], tuple(form.cleaned_data["weekdays"])))
    return kept


@require_http_methods(["GET", "POST"])
@coach_required
def prescription_edit_view(request: HttpRequest, coach: Coach, client_id: int) -> HttpResponse:
    """The coach edits the client's week: each line (on its day, a select to move it), the days'
    names and pins, a day deleted (its lines go) or a new day (the lines put on it)."""
    client = access_client(request.user, client_id)
    assignment = active_assignment(client)
    if assignment is None:
        return redirect("coach-client-assign", client_id=client.pk)
    today = local_today(coach)
    history = prescription_history(assignment)
    current = history[-1] if history else None
    days = assignment_days(assignment)
    adding = new_day(days)
    exercises = exercises_for(request.user)
    exercise_list = list(exercises)
    initial = [line_initial(line) for line in (current.lines.all() if current else [])]
    data = request.POST or None
    meta = PrescriptionMetaForm(data, initial={"effective_from": first_monday_on_or_after(today)})
    formset = LineFormSet(
        data,
        initial=initial,
        form_kwargs={"exercises": exercises, "day_choices": day_choices(days, new=True)},
        prefix="line",
    )
    with_days = data is None or "day-TOTAL_FORMS" in data
    day_forms = (
        DayFormSet(data, initial=[DayForm.initial_for(day) for day in days], prefix="day") if with_days else None
    )
    for day, form in zip(days, day_forms.forms if day_forms is not None else [], strict=False):
        form.fields["DELETE"].label = f"Delete {day.name} and its lines"
    by_slug = exercises_by_slug(exercise_list)
    for form in formset.forms:
        form.chosen = form.chosen or by_slug.get((form.initial or {}).get("exercise"))
    valid = meta.is_valid() & formset.is_valid() & (day_forms is None or day_forms.is_valid())
    if request.method == "POST" and valid:
        week = _edited_days(days, day_forms)
        kept = {day.number for day in week}
        lines = []
        for form in formset.forms:
            if not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            if form.new_day and adding is not None:
                lines.append(replace(form.to_line(), day=adding.number))
            elif form.cleaned_data.get("day") in kept:
                lines.append(form.to_line())
        if adding is not None and any(line.day == adding.number for line in lines):
            week.append(adding)
        if not lines:
            meta.add_error(None, "A prescription needs at least one exercise.")
        else:
            try:
                version = prescription_week_edit(
                    assignment=assignment,
                    days=week,
                    lines=lines,
                    effective_from=meta.cleaned_data["effective_from"],
                    changed_by=request.user,
                    reason=meta.cleaned_data["reason"],
                )
            except ValidationError as exc:
                apply_errors(meta, exc)
            else:
                if version is None:
                    messages.success(request, "Day names and pins saved; the prescription's lines are unchanged.")
                return redirect("coach-client", client_id=client.pk)
    context = {
        "client": client,
        "assignment": assignment,
        "meta": meta,
        "formset": formset,
        "day_forms": day_forms,
        "day_rows": list(zip(days, day_forms.forms, strict=False)) if day_forms is not None else [],
        "new_day": adding,
        "current": current,
    }
    status = invalid_status(request) if request.method == "POST" else 200
    return render_page(request, "coaching/prescription_edit.html", context, status=status)
