"""Exercise library (list, detail, the coach's own exercises) and the program template builder."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching.access import access_exercise, access_template, exercises_for, templates_of
from coaching.forms import ExerciseForm, LineForm, TemplateForm, apply_errors, line_initial
from coaching.models import Coach
from coaching.parsing import MAX_ID, parse_int, query_text
from coaching.views.coach_common import coach_required, invalid_status, is_htmx, render_page
from programs.faults import FAULTS
from programs.lines import Line
from programs.models import Exercise, ProgramTemplate
from programs.services import (
    exercise_create,
    exercise_delete,
    exercise_update,
    template_create,
    template_delete,
    template_update,
)

# --- exercise library ---------------------------------------------------------------------------


@require_GET
@coach_required
def exercise_list(request: HttpRequest, coach: Coach) -> HttpResponse:
    exercises = exercises_for(request.user).select_related("easier", "harder").order_by("name")
    context = {
        "library": [e for e in exercises if e.owner_id is None],
        "own": [e for e in exercises if e.owner_id is not None],
    }
    return render_page(request, "coaching/exercises.html", context)


@require_GET
@coach_required
def exercise_detail(request: HttpRequest, coach: Coach, slug: str) -> HttpResponse:
    exercise = access_exercise(request.user, slug)
    visible = exercises_for(request.user)
    context = {
        "exercise": exercise,
        # A ladder step the coach cannot see (another coach's exercise) is not shown.
        "easier": visible.filter(pk=exercise.easier_id).first() if exercise.easier_id else None,
        "harder": visible.filter(pk=exercise.harder_id).first() if exercise.harder_id else None,
        "faults": [(slug, FAULTS.get(slug, slug)) for slug in exercise.faults],
    }
    return render_page(request, "coaching/exercise.html", context)


@require_http_methods(["GET", "POST"])
@coach_required
def exercise_add(request: HttpRequest, coach: Coach) -> HttpResponse:
    form = ExerciseForm(request.POST or None, exercises=exercises_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            exercise = exercise_create(
                owner=request.user, measure=form.cleaned_data["measure"], **form.service_fields()
            )
        except ValidationError as exc:
            apply_errors(form, exc, fallback="name")
        else:
            return redirect("coach-exercise", slug=exercise.slug)
    status = invalid_status(request) if request.method == "POST" else 200
    return render_page(request, "coaching/exercise_add.html", {"form": form}, fragment="exercise-form", status=status)


def _own_exercise(request: HttpRequest, slug: str) -> Exercise:
    exercise = access_exercise(request.user, slug)
    if exercise.owner_id != request.user.pk:
        raise Http404("Not found.")
    return exercise


@require_http_methods(["GET", "POST"])
@coach_required
def exercise_edit(request: HttpRequest, coach: Coach, slug: str) -> HttpResponse:
    exercise = _own_exercise(request, slug)
    form = ExerciseForm(
        request.POST or None,
        initial=ExerciseForm.initial_for(exercise),
        exercises=exercises_for(request.user).exclude(pk=exercise.pk),
    )
    form.fields["measure"].disabled = True
    form.fields["measure"].help_text = "Fixed once created: lines and logged sets already count it this way."
    if request.method == "POST" and form.is_valid():
        try:
            exercise_update(exercise=exercise, **form.service_fields())
        except ValidationError as exc:
            apply_errors(form, exc, fallback="name")
        else:
            messages.success(request, f"{exercise.name} saved.")
            return redirect("coach-exercise", slug=exercise.slug)
    status = invalid_status(request) if request.method == "POST" else 200
    context = {"form": form, "exercise": exercise}
    return render_page(request, "coaching/exercise_add.html", context, fragment="exercise-form", status=status)


@require_POST
@coach_required
def exercise_delete_view(request: HttpRequest, coach: Coach, slug: str) -> HttpResponse:
    exercise = _own_exercise(request, slug)
    try:
        exercise_delete(exercise=exercise)
    except ValidationError as exc:
        messages.error(request, f"{exercise.name} was not deleted: {' '.join(exc.messages)}")
        return redirect("coach-exercise", slug=exercise.slug)
    messages.success(request, f"{exercise.name} was deleted.")
    return redirect("coach-exercises")


@require_GET
@coach_required
def exercise_cues(request: HttpRequest, coach: Coach) -> HttpResponse:
    """The picker's preview: cues, measure and ladder of one exercise (fragment or page)."""
    exercise = access_exercise(request.user, query_text(request.GET.get("exercise", "")) or "")
    return render_page(request, "coaching/exercise.html", {"exercise": exercise}, fragment="cues")


# --- program templates ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@coach_required
def program_list(request: HttpRequest, coach: Coach) -> HttpResponse:
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = template_create(owner=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc, fallback="name")
        else:
            return redirect("coach-program", template_id=template.pk)
    templates = templates_of(request.user).annotate(line_count=Count("lines", distinct=True)).order_by("name")
    status = invalid_status(request) if request.method == "POST" else 200
    return render_page(
        request, "coaching/programs.html", {"templates": templates, "form": form}, fragment="new-form", status=status
    )


def _lines(template: ProgramTemplate) -> list[Any]:
    return list(template.lines.select_related("exercise").order_by("position"))


def _add_form(request_user: Any, data: QueryDict | None = None, exercise_slug: str = "") -> LineForm:
    exercises = exercises_for(request_user)
    initial = {"exercise": exercise_slug} if exercise_slug else {}
    form = LineForm(data, exercises=exercises, initial=initial, prefix="new")
    if not data and form.chosen is not None:
        form.initial.setdefault("load", 0)
    return form


def _builder(
    request: HttpRequest,
    template: ProgramTemplate,
    *,
    add_form: LineForm | None = None,
    edit_pos: int | None = None,
    edit_form: LineForm | None = None,
    settings_form: TemplateForm | None = None,
    undo: dict[str, Any] | None = None,
    undo_error: str = "",
    fragment: str | None = "lines",
    status: int = 200,
) -> HttpResponse:
    lines = _lines(template)
    if edit_form is None and edit_pos is not None and 0 <= edit_pos < len(lines):
        edit_form = LineForm(
            initial=line_initial(lines[edit_pos]), exercises=exercises_for(request.user), prefix=f"line{edit_pos}"
        )
    context = {
        "template": template,
        "lines": lines,
        "add_form": add_form or _add_form(request.user, exercise_slug=request.GET.get("new-exercise", "")),
        "edit_pos": edit_pos if edit_form is not None else None,
        "edit_form": edit_form,
        "settings_form": settings_form or TemplateForm(initial={"name": template.name, "notes": template.notes}),
        "undo": undo,
        "undo_error": undo_error,
    }
    return render_page(request, "coaching/program.html", context, fragment=fragment, status=status)


def _done(request: HttpRequest, template: ProgramTemplate) -> HttpResponse:
    """After a change: htmx gets the refreshed lines, a plain POST goes back to the page."""
    if is_htmx(request):
        return _builder(request, template)
    return redirect("coach-program", template_id=template.pk)


@require_GET
@coach_required
def program_detail(request: HttpRequest, coach: Coach, template_id: int) -> HttpResponse:
    template = access_template(request.user, template_id)
    edit_pos = parse_int(request.GET.get("edit", ""), low=0, high=MAX_ID)
    # The undo is offered right after a removal (a plain POST lands here with ?removed=1), not later.
    undo = _removed_line(request, template) if "removed" in request.GET else None
    return _builder(request, template, edit_pos=edit_pos, undo=undo, fragment=None)


@require_POST
@coach_required
def program_settings(request: HttpRequest, coach: Coach, template_id: int) -> HttpResponse:
    template = access_template(request.user, template_id)
    form = TemplateForm(request.POST)
    if form.is_valid():
        try:
            template_update(template=template, name=form.cleaned_data["name"], notes=form.cleaned_data["notes"])
        except ValidationError as exc:
            apply_errors(form, exc, fallback="name")
        else:
            if is_htmx(request):
                return _builder(request, template, fragment="settings")
            return redirect("coach-program", template_id=template.pk)
    template.refresh_from_db()
    return _builder(request, template, settings_form=form, fragment="settings", status=invalid_status(request))


@require_POST
@coach_required
def program_delete(request: HttpRequest, coach: Coach, template_id: int) -> HttpResponse:
    template = access_template(request.user, template_id)
    template_delete(template=template)
    return redirect("coach-programs")


@require_GET
@coach_required
def line_add_form(request: HttpRequest, coach: Coach, template_id: int) -> HttpResponse:
    """The add-line form for the chosen exercise: range in reps or seconds, its cues shown."""
    template = access_template(request.user, template_id)
    return _builder(request, template, fragment="add-line")


@require_POST
@coach_required
def line_add(request: HttpRequest, coach: Coach, template_id: int) -> HttpResponse:
    template = access_template(request.user, template_id)
    form = _add_form(request.user, request.POST)
    if not form.is_valid():
        return _builder(request, template, add_form=form, status=invalid_status(request))
    lines = [Line.from_row(line) for line in _lines(template)]
    try:
        template_update(template=template, lines=[*lines, form.to_line()])
    except ValidationError as exc:
        apply_errors(form, exc, fallback="exercise")
        return _builder(request, template, add_form=form, status=invalid_status(request))
    return _done(request, template)


@require_http_methods(["GET", "POST"])
@coach_required
def line_edit(request: HttpRequest, coach: Coach, template_id: int, position: int) -> HttpResponse:
    template = access_template(request.user, template_id)
    lines = _lines(template)
    if position >= len(lines):
        return redirect("coach-program", template_id=template.pk)
    if request.method == "GET":
        return _builder(request, template, edit_pos=position)
    form = LineForm(request.POST, exercises=exercises_for(request.user), prefix=f"line{position}")
    if not form.is_valid():
        return _builder(request, template, edit_pos=position, edit_form=form, status=invalid_status(request))
    new_lines = [Line.from_row(line) for line in lines]
    new_lines[position] = form.to_line()
    try:
        template_update(template=template, lines=new_lines)
    except ValidationError as exc:
        apply_errors(form, exc, fallback="exercise")
        return _builder(request, template, edit_pos=position, edit_form=form, status=invalid_status(request))
    return _done(request, template)


UNDO_KEY = "builder-removed-line"


def _removed_line(request: HttpRequest, template: ProgramTemplate) -> dict[str, Any] | None:
    """The line last removed from this template in this session, to offer its undo."""
    removed = request.session.get(UNDO_KEY)
    return removed if removed and removed.get("template") == template.pk else None


@require_POST
@coach_required
def line_remove(request: HttpRequest, coach: Coach, template_id: int, position: int) -> HttpResponse:
    """Remove a line; the builder then offers "Removed Deadlift · Undo" (kept in the session)."""
    template = access_template(request.user, template_id)
    rows = _lines(template)
    if position >= len(rows):
        return _done(request, template)
    removed = rows.pop(position)
    template_update(template=template, lines=[Line.from_row(line) for line in rows])
    undo = {
        "template": template.pk,
        "position": position,
        "name": removed.exercise.name,
        # Kept as the form's text, so the undo goes through the same checks as adding a line.
        "line": {name: "" if value is None else str(value) for name, value in line_initial(removed).items()},
    }
    request.session[UNDO_KEY] = undo
    if is_htmx(request):
        return _builder(request, template, undo=undo)
    return redirect(f"{reverse('coach-program', args=[template.pk])}?removed=1#builder")


@require_POST
@coach_required
def line_restore(request: HttpRequest, coach: Coach, template_id: int) -> HttpResponse:
    """Undo the last removal: the line goes back where it was, checked like a line being added."""
    template = access_template(request.user, template_id)
    removed = _removed_line(request, template)
    if removed is None:
        return _done(request, template)
    del request.session[UNDO_KEY]
    prefix = "restore"
    data = {f"{prefix}-{name}": value for name, value in removed["line"].items()}
    form = LineForm(data, exercises=exercises_for(request.user), prefix=prefix)
    rows = [Line.from_row(line) for line in _lines(template)]
    error = ""
    if form.is_valid():
        rows.insert(min(removed["position"], len(rows)), form.to_line())
        try:
            template_update(template=template, lines=rows)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    elif "exercise" in form.errors:
        error = "its exercise is no longer in your library."
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if error:
        message = f"{removed['name']} could not be put back: {error}"
        if is_htmx(request):
            return _builder(request, template, undo_error=message)
        messages.error(request, message)
    return _done(request, template)


@require_POST
@coach_required
def line_move(request: HttpRequest, coach: Coach, template_id: int, position: int) -> HttpResponse:
    template = access_template(request.user, template_id)
    lines = [Line.from_row(line) for line in _lines(template)]
    target = position - 1 if request.POST.get("direction") == "up" else position + 1
    if 0 <= position < len(lines) and 0 <= target < len(lines):
        lines[position], lines[target] = lines[target], lines[position]
        template_update(template=template, lines=lines)
    return _done(request, template)
