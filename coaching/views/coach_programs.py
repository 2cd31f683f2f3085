"""Exercise library (list, detail, the coach's own exercises) and the program template builder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching.access import (
    access_exercise,
    access_own_exercise,
    access_template,
    exercise_ladder,
    exercises_for,
    other_exercises_for,
)
from coaching.forms import DayForm, ExerciseForm, LineForm, TemplateForm, apply_errors, day_choices, line_initial
from coaching.models import Coach
from coaching.parsing import MAX_ID, parse_int, query_text
from coaching.selectors import exercise_library, template_rows, templates_list
from coaching.views.coach_common import coach_required, invalid_status, is_htmx, render_page
from programs.days import WEEKDAY_SHORT, Day, new_day
from programs.faults import FAULTS
from programs.models import ProgramTemplate
from programs.services import (
    exercise_create,
    exercise_delete,
    exercise_update,
    template_create,
    template_day_add,
    template_day_delete,
    template_day_duplicate,
    template_day_move,
    template_day_update,
    template_days,
    template_delete,
    template_line_add,
    template_line_move,
    template_line_remove,
    template_line_replace,
    template_line_to_day,
    template_update,
)

# --- exercise library ---------------------------------------------------------------------------


@require_GET
@coach_required
def exercise_list(request: HttpRequest, coach: Coach) -> HttpResponse:
    library, own = exercise_library(request.user)
    context = {"library": library, "own": own}
    return render_page(request, "coaching/exercises.html", context)


@require_GET
@coach_required
def exercise_detail(request: HttpRequest, coach: Coach, slug: str) -> HttpResponse:
    exercise = access_exercise(request.user, slug)
    easier, harder = exercise_ladder(request.user, exercise)
    context = {
        "exercise": exercise,
        "easier": easier,
        "harder": harder,
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


@require_http_methods(["GET", "POST"])
@coach_required
def exercise_edit(request: HttpRequest, coach: Coach, slug: str) -> HttpResponse:
    exercise = access_own_exercise(request.user, slug)
    form = ExerciseForm(
        request.POST or None,
        initial=ExerciseForm.initial_for(exercise),
        exercises=other_exercises_for(request.user, exercise),
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
    exercise = access_own_exercise(request.user, slug)
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
    templates = templates_list(request.user)
    status = invalid_status(request) if request.method == "POST" else 200
    return render_page(
        request, "coaching/programs.html", {"templates": templates, "form": form}, fragment="new-form", status=status
    )


def _add_form(
    request_user: Any, data: QueryDict | None = None, *, days: Sequence[Day], query: QueryDict | None = None
) -> LineForm:
    """The form of a new line, on a day of the week or as a new day's first line. Unbound, it
    takes the exercise and the day from the page's query (``?new-day=2#add-line``)."""
    initial = {name: query[f"new-{name}"] for name in ("exercise", "day") if query and query.get(f"new-{name}")}
    form = LineForm(
        data,
        exercises=exercises_for(request_user),
        initial=initial,
        prefix="new",
        day_choices=day_choices(days, new=True),
    )
    if not data and form.chosen is not None:
        form.initial.setdefault("load", 0)
    return form


def _builder(
    request: HttpRequest,
    template: ProgramTemplate,
    *,
    add_form: LineForm | None = None,
    edit: tuple[int, int] | None = None,
    edit_form: LineForm | None = None,
    day_form: tuple[int, DayForm] | None = None,
    settings_form: TemplateForm | None = None,
    undo: dict[str, Any] | None = None,
    error: str = "",
    fragment: str | None = "lines",
    status: int = 200,
) -> HttpResponse:
    days = template_days(template)
    rows = template_rows(template)
    week = [
        {
            "day": day,
            "lines": [row for row in rows if row.day == day.number],
            "others": [other for other in days if other.number != day.number],
            "form": day_form[1]
            if day_form and day_form[0] == day.number
            else DayForm(initial=DayForm.initial_for(day), prefix=f"day{day.number}"),
            "open": bool(day_form and day_form[0] == day.number),
            "pins": ", ".join(WEEKDAY_SHORT[weekday] for weekday in day.weekdays),
            # Buttons name the day too once there are several ("Remove Deadlift from Day B").
            "on": f" on {day.name}" if len(days) > 1 else "",
        }
        for day in days
    ]
    if edit is not None:
        day_lines = next((item["lines"] for item in week if item["day"].number == edit[0]), [])
        if not 0 <= edit[1] < len(day_lines):
            edit, edit_form = None, None
        elif edit_form is None:
            edit_form = LineForm(
                initial=line_initial(day_lines[edit[1]]),
                exercises=exercises_for(request.user),
                prefix=f"line{edit[1]}",
            )
    context = {
        "template": template,
        "week": week,
        "days": days,
        "lines": rows,
        "add_form": add_form or _add_form(request.user, days=days, query=request.GET),
        "new_day": new_day(days),
        "edit": edit,
        "edit_form": edit_form,
        "settings_form": settings_form or TemplateForm(initial={"name": template.name, "notes": template.notes}),
        "undo": undo,
        "error": error,
    }
    return render_page(request, "coaching/program.html", context, fragment=fragment, status=status)


def _done(request: HttpRequest, template: ProgramTemplate) -> HttpResponse:
    """After a change: htmx gets the refreshed builder, a plain POST goes back to the page."""
    if is_htmx(request):
        return _builder(request, template)
    return redirect("coach-program", template_id=template.pk)


def _refused(request: HttpRequest, template: ProgramTemplate, exc: ValidationError | str) -> HttpResponse:
    """An action the week's rules refuse: its message in the builder (htmx) or on the page."""
    message = exc if isinstance(exc, str) else " ".join(exc.messages)
    if is_htmx(request):
        return _builder(request, template, error=message)
    messages.error(request, message)
    return redirect(f"{reverse('coach-program', args=[template.pk])}#builder")


@require_GET
@coach_required
def program_detail(request: HttpRequest, coach: Coach, template_id: int) -> HttpResponse:
    template = access_template(request.user, template_id)
    position = parse_int(request.GET.get("edit", ""), low=0, high=MAX_ID)
    day = parse_int(request.GET.get("day", ""), low=1, high=7) or 1
    # The undo is offered right after a removal (a plain POST lands here with ?removed=1), not later.
    undo = _removed_line(request, template) if "removed" in request.GET else None
    edit = (day, position) if position is not None else None
    return _builder(request, template, edit=edit, undo=undo, fragment=None)


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


# --- the template's days ---------------------------------------------------------------------------


def _day_change(request: HttpRequest, template_id: int, change: Callable[[ProgramTemplate], object]) -> HttpResponse:
    """Run one change of a day (move, duplicate, delete): the builder again, or the refusal's reason."""
    template = access_template(request.user, template_id)
    try:
        change(template)
    except ValidationError as exc:
        return _refused(request, template, exc)
    return _done(request, template)


@require_POST
@coach_required
def day_edit(request: HttpRequest, coach: Coach, template_id: int, day: int) -> HttpResponse:
    """Rename a day and pin it to weekdays; a weekday pinned to another day is this form's error."""
    template = access_template(request.user, template_id)
    form = DayForm(request.POST, prefix=f"day{day}")
    if form.is_valid():
        try:
            template_day_update(
                template=template, number=day, name=form.cleaned_data["name"], weekdays=form.cleaned_data["weekdays"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return _done(request, template)
    return _builder(request, template, day_form=(day, form), status=invalid_status(request))


@require_POST
@coach_required
def day_move(request: HttpRequest, coach: Coach, template_id: int, day: int) -> HttpResponse:
    direction = "up" if request.POST.get("direction") == "up" else "down"
    return _day_change(request, template_id, lambda t: template_day_move(template=t, number=day, direction=direction))


@require_POST
@coach_required
def day_duplicate(request: HttpRequest, coach: Coach, template_id: int, day: int) -> HttpResponse:
    return _day_change(request, template_id, lambda t: template_day_duplicate(template=t, number=day))


@require_POST
@coach_required
def day_delete(request: HttpRequest, coach: Coach, template_id: int, day: int) -> HttpResponse:
    """Delete a day and its lines; refused, with the reason, for the program's only day."""
    return _day_change(request, template_id, lambda t: template_day_delete(template=t, number=day))


# --- the lines of a day ------------------------------------------------------------------------------


@require_GET
@coach_required
def line_add_form(request: HttpRequest, coach: Coach, template_id: int) -> HttpResponse:
    """The add-line form for the chosen exercise: range in reps or seconds, its cues shown."""
    template = access_template(request.user, template_id)
    return _builder(request, template, fragment="add-line")


@require_POST
@coach_required
def line_add(request: HttpRequest, coach: Coach, template_id: int) -> HttpResponse:
    """A line at the end of the day chosen in the form, or the first line of a new day."""
    template = access_template(request.user, template_id)
    form = _add_form(request.user, request.POST, days=template_days(template))
    if form.is_valid():
        try:
            if form.new_day:
                template_day_add(template=template, line=form.to_line())
            else:
                template_line_add(template=template, line=form.to_line())
        except ValidationError as exc:
            apply_errors(form, exc, fallback="exercise")
        else:
            return _done(request, template)
    return _builder(request, template, add_form=form, status=invalid_status(request))


@require_http_methods(["GET", "POST"])
@coach_required
def line_edit(request: HttpRequest, coach: Coach, template_id: int, day: int, position: int) -> HttpResponse:
    template = access_template(request.user, template_id)
    if request.method == "GET":
        return _builder(request, template, edit=(day, position))
    form = LineForm(request.POST, exercises=exercises_for(request.user), prefix=f"line{position}")
    if form.is_valid():
        try:
            replaced = template_line_replace(template=template, day=day, position=position, line=form.to_line())
        except ValidationError as exc:
            apply_errors(form, exc, fallback="exercise")
        else:
            if not replaced:
                return _refused(request, template, "That line is no longer in the program: nothing was saved.")
            return _done(request, template)
    return _builder(request, template, edit=(day, position), edit_form=form, status=invalid_status(request))


UNDO_KEY = "builder-removed-line"


def _removed_line(request: HttpRequest, template: ProgramTemplate) -> dict[str, Any] | None:
    """The line last removed from this template in this session, to offer its undo."""
    removed = request.session.get(UNDO_KEY)
    return removed if removed and removed.get("template") == template.pk else None


@require_POST
@coach_required
def line_remove(request: HttpRequest, coach: Coach, template_id: int, day: int, position: int) -> HttpResponse:
    """Remove a line; the builder then offers "Removed Deadlift · Undo" (kept in the session)."""
    template = access_template(request.user, template_id)
    try:
        removed = template_line_remove(template=template, day=day, position=position)
    except ValidationError as exc:
        return _refused(request, template, exc)
    if removed is None:
        return _done(request, template)
    undo = {
        "template": template.pk,
        "day": day,
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
    """Undo the last removal: the line goes back to its day, where it was, checked like a line being added."""
    template = access_template(request.user, template_id)
    removed = _removed_line(request, template)
    if removed is None:
        return _done(request, template)
    del request.session[UNDO_KEY]
    prefix = "restore"
    data = {f"{prefix}-{name}": value for name, value in removed["line"].items()}
    form = LineForm(data, exercises=exercises_for(request.user), prefix=prefix)
    error = ""
    if form.is_valid():
        line = replace(form.to_line(), day=removed.get("day", 1))
        try:
            template_line_add(template=template, line=line, position=removed["position"])
        except ValidationError as exc:
            error = " ".join(exc.messages)
    elif "exercise" in form.errors:
        error = "its exercise is no longer in your library."
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if error:
        return _refused(request, template, f"{removed['name']} could not be put back: {error}")
    return _done(request, template)


@require_POST
@coach_required
def line_move(request: HttpRequest, coach: Coach, template_id: int, day: int, position: int) -> HttpResponse:
    """Up or down within its day."""
    template = access_template(request.user, template_id)
    direction = "up" if request.POST.get("direction") == "up" else "down"
    template_line_move(template=template, day=day, position=position, direction=direction)
    return _done(request, template)


@require_POST
@coach_required
def line_to_day(request: HttpRequest, coach: Coach, template_id: int, day: int, position: int) -> HttpResponse:
    """To the end of another day; refused, with the reason, when that day has its exercise already."""
    template = access_template(request.user, template_id)
    to_day = parse_int(request.POST.get("to_day", ""), low=1, high=7)
    if to_day is None:
        return _refused(request, template, "Choose the day to move the line to.")
    try:
        template_line_to_day(template=template, day=day, position=position, to_day=to_day)
    except ValidationError as exc:
        return _refused(request, template, exc)
    return _done(request, template)
