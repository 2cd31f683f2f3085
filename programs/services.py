"""Writes to the library (coaches' own exercises) and to program templates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify

from programs.days import MAX_DAYS, ONE_DAY, WEEKDAY_NAMES, Day, days_errors, new_day, ordered, stored_days
from programs.faults import CHECKPOINTS, FAULTS
from programs.lines import Line
from programs.models import Exercise, ProgramDay, ProgramLine, ProgramTemplate


def _check_name(owner: Any, name: str, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise ValidationError({"name": ["Give the program a name."]})
    clash = ProgramTemplate.objects.filter(owner=owner, name__iexact=name)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ValidationError({"name": ["You already have a program with this name."]})
    return name


def template_days(template: ProgramTemplate) -> list[Day]:
    """The template's days in their order (one "Day A" for a template that has none stored)."""
    return stored_days(template.days.all())


def check_week(days: Sequence[Day], lines: Sequence[Line]) -> list[Line]:
    """``lines`` in the days' order when the days and lines make a valid week; else
    ``ValidationError`` keyed ``days`` / ``prescription`` (``programs.days.days_errors``)."""
    errors = days_errors(days, lines)
    if errors:
        raise ValidationError(errors)
    return ordered(days, lines)


def _write_days(template: ProgramTemplate, days: Sequence[Day]) -> None:
    template.days.all().delete()
    ProgramDay.objects.bulk_create([ProgramDay(template=template, **day.row_values(i)) for i, day in enumerate(days)])


def _write_lines(template: ProgramTemplate, lines: Sequence[Line]) -> None:
    template.lines.all().delete()
    ProgramLine.objects.bulk_create(
        [ProgramLine(template=template, position=i, **line.row_values()) for i, line in enumerate(lines)]
    )


@transaction.atomic
def template_create(
    *,
    owner: Any,
    name: str,
    lines: Sequence[Line] = (),
    notes: str = "",
    days: Sequence[Day] | None = None,
) -> ProgramTemplate:
    """A template of ``days`` (one "Day A" by default) and ``lines`` (on those days)."""
    days = list(ONE_DAY if days is None else days)  # [] is no week: the validator says so
    lines = check_week(days, lines)
    template = ProgramTemplate.objects.create(owner=owner, name=_check_name(owner, name), notes=notes)
    _write_days(template, days)
    _write_lines(template, lines)
    return template


@transaction.atomic
def template_update(
    *,
    template: ProgramTemplate,
    name: str | None = None,
    notes: str | None = None,
    lines: Sequence[Line] | None = None,
    days: Sequence[Day] | None = None,
) -> ProgramTemplate:
    """Change a template; ``lines`` (when given) replaces all its lines, ``days`` all its days.
    Lines without days given keep the template's days; days without lines keep its lines."""
    if name is not None:
        template.name = _check_name(template.owner, name, exclude_pk=template.pk)
    if notes is not None:
        template.notes = notes
    if lines is not None or days is not None:
        week_days = list(days) if days is not None else template_days(template)
        week_lines = (
            list(lines)
            if lines is not None
            else [Line.from_row(row) for row in template.lines.select_related("exercise").order_by("position")]
        )
        # Checked even without lines (a new template's days): no day number twice, pins once.
        week_lines = check_week(week_days, week_lines)
        if days is not None:
            _write_days(template, week_days)
        _write_lines(template, week_lines)
    template.save()
    return template


def _locked_rows(template: ProgramTemplate) -> list[ProgramLine]:
    """The template's lines in order, the template row locked: two edits at once do not interleave."""
    ProgramTemplate.objects.select_for_update().filter(pk=template.pk).first()
    return list(template.lines.select_related("exercise").order_by("position"))


def _locked_week(template: ProgramTemplate) -> tuple[list[Day], list[Line]]:
    """The template's days and lines (in day order), the template row locked (``_locked_rows``)."""
    rows = _locked_rows(template)
    days = template_days(template)
    return days, ordered(days, [Line.from_row(row) for row in rows])


def _write_week(
    template: ProgramTemplate,
    days: Sequence[Day],
    lines: Sequence[Line],
    *,
    days_changed: bool = True,
    lines_changed: bool = True,
) -> None:
    """Check the whole week with the one validator, then write it (nothing is written when refused);
    a line's edit leaves the day rows as they are, a day's name or pins the line rows."""
    lines = check_week(days, lines)
    if days_changed:
        _write_days(template, days)
    if lines_changed:
        _write_lines(template, lines)
    template.save(update_fields=["updated_at"])


def _day(days: Sequence[Day], number: int) -> Day:
    for day in days:
        if day.number == number:
            return day
    raise ValidationError({"days": ["That day is no longer in the program: reload the page."]})


def _on_day(lines: Sequence[Line], number: int) -> list[int]:
    """The indexes in ``lines`` of the lines of day ``number``, in order."""
    return [index for index, line in enumerate(lines) if line.day == number]


def _line_index(lines: Sequence[Line], day: int, position: int) -> int | None:
    """The index in ``lines`` of the line at ``position`` on ``day``; None when there is none."""
    indexes = _on_day(lines, day)
    return indexes[position] if 0 <= position < len(indexes) else None


def _new_day(days: Sequence[Day]) -> Day:
    day = new_day(days)
    if day is None:
        raise ValidationError({"days": [f"A program has at most {MAX_DAYS} days."]})
    return day


# --- a template's days ---------------------------------------------------------------------------


@transaction.atomic
def template_day_add(*, template: ProgramTemplate, line: Line) -> Day:
    """A new day at the end of the week with its first line (a day has at least one line): it takes
    the lowest free number and the next default name ("Day C")."""
    days, lines = _locked_week(template)
    day = _new_day(days)
    _write_week(template, [*days, day], [*lines, replace(line, day=day.number)])
    return day


@transaction.atomic
def template_day_update(
    *, template: ProgramTemplate, number: int, name: str | None = None, weekdays: Sequence[int] | None = None
) -> Day:
    """Rename day ``number`` and/or pin it to ``weekdays`` (0 = Monday). A weekday already pinned to
    another day is refused, naming that day (key ``weekdays``)."""
    days, lines = _locked_week(template)
    day = _day(days, number)
    if weekdays is not None:
        weekdays = sorted(set(weekdays))
        for weekday in weekdays:
            other = next((d for d in days if d.number != number and weekday in d.weekdays), None)
            if other is not None and 0 <= weekday <= 6:
                raise ValidationError(
                    {"weekdays": [f"{WEEKDAY_NAMES[weekday]} is already pinned to {other.name}: unpin it there first."]}
                )
    changed = Day(
        number,
        day.name if name is None else name.strip(),
        day.weekdays if weekdays is None else tuple(weekdays),
    )
    _write_week(template, [changed if d.number == number else d for d in days], lines, lines_changed=False)
    return changed


@transaction.atomic
def template_day_move(*, template: ProgramTemplate, number: int, direction: str) -> bool:
    """Day ``number`` swaps with its neighbour ("up" or "down"); its number stays. False when it cannot."""
    days, lines = _locked_week(template)
    index = days.index(_day(days, number))
    target = {"up": index - 1, "down": index + 1}.get(direction)
    if target is None or not 0 <= target < len(days):
        return False
    days[index], days[target] = days[target], days[index]
    _write_week(template, days, lines)
    return True


@transaction.atomic
def template_day_duplicate(*, template: ProgramTemplate, number: int) -> Day:
    """A copy of day ``number`` and its lines, right after it, with a new number and default name
    (and no pins: a weekday is pinned to one day at most)."""
    days, lines = _locked_week(template)
    source = _day(days, number)
    copy = _new_day(days)
    days.insert(days.index(source) + 1, copy)
    copies = [replace(lines[index], day=copy.number) for index in _on_day(lines, number)]
    _write_week(template, days, [*lines, *copies])
    return copy


@transaction.atomic
def template_day_delete(*, template: ProgramTemplate, number: int) -> Day:
    """Delete day ``number`` and its lines; refused for the program's only day."""
    days, lines = _locked_week(template)
    day = _day(days, number)
    if len(days) == 1:
        raise ValidationError({"days": [f"{day.name} is the program's only day: a program needs at least one day."]})
    _write_week(template, [d for d in days if d.number != number], [line for line in lines if line.day != number])
    return day


# --- a template's lines, each on its day -----------------------------------------------------------


@transaction.atomic
def template_line_add(*, template: ProgramTemplate, line: Line, position: int | None = None) -> ProgramTemplate:
    """A line at the end of its day (``line.day``), or at ``position`` within that day (an undone
    removal goes back where it was)."""
    days, lines = _locked_week(template)
    indexes = _on_day(lines, line.day)
    if indexes and position is not None and position < len(indexes):
        at = indexes[max(position, 0)]
    else:
        at = indexes[-1] + 1 if indexes else len(lines)
    lines.insert(at, line)
    _write_week(template, days, lines, days_changed=False)
    return template


@transaction.atomic
def template_line_replace(*, template: ProgramTemplate, position: int, line: Line, day: int = 1) -> bool:
    """The line at ``position`` on ``day`` becomes ``line`` (on the same day); False (nothing
    written) when there is none."""
    days, lines = _locked_week(template)
    index = _line_index(lines, day, position)
    if index is None:
        return False
    lines[index] = replace(line, day=day)
    _write_week(template, days, lines, days_changed=False)
    return True


@transaction.atomic
def template_line_remove(*, template: ProgramTemplate, position: int, day: int = 1) -> ProgramLine | None:
    """Removes the line at ``position`` on ``day`` and answers it (unsaved, for the builder's undo);
    None if none. The last line of a day is refused while the program has other days."""
    rows = _locked_rows(template)
    days = template_days(template)
    rows = ordered(days, rows)
    indexes = [index for index, row in enumerate(rows) if row.day == day]
    if not 0 <= position < len(indexes):
        return None
    removed = rows.pop(indexes[position])
    _write_week(template, days, [Line.from_row(row) for row in rows], days_changed=False)
    return removed


@transaction.atomic
def template_line_move(*, template: ProgramTemplate, position: int, direction: str, day: int = 1) -> bool:
    """The line at ``position`` on ``day`` swaps with its neighbour on that day ("up" or "down");
    False when it cannot move."""
    days, lines = _locked_week(template)
    indexes = _on_day(lines, day)
    target = {"up": position - 1, "down": position + 1}.get(direction)
    if target is None or not (0 <= position < len(indexes) and 0 <= target < len(indexes)):
        return False
    a, b = indexes[position], indexes[target]
    lines[a], lines[b] = lines[b], lines[a]
    _write_week(template, days, lines, days_changed=False)
    return True


@transaction.atomic
def template_line_to_day(*, template: ProgramTemplate, day: int, position: int, to_day: int) -> bool:
    """The line at ``position`` on ``day`` moves to the end of day ``to_day``. Refused when its
    exercise is already on that day (key ``day``), or when it is its day's last line; False when
    there is no such line or it is already there."""
    days, lines = _locked_week(template)
    index = _line_index(lines, day, position)
    target = _day(days, to_day)
    if index is None or to_day == day:
        return False
    line = lines[index]
    if any(other.day == to_day and other.exercise.pk == line.exercise.pk for other in lines):
        raise ValidationError(
            {"day": [f"{line.exercise.name} is already on {target.name}: an exercise is on a day once at most."]}
        )
    del lines[index]
    moved = replace(line, day=to_day)
    indexes = _on_day(lines, to_day)
    lines.insert(indexes[-1] + 1 if indexes else len(lines), moved)
    _write_week(template, days, lines, days_changed=False)
    return True


@transaction.atomic
def template_delete(*, template: ProgramTemplate) -> None:
    template.delete()


_CHOICES = {"implement": Exercise.Implement, "measure": Exercise.Measure, "laterality": Exercise.Laterality}


def _check_choices(**values: str) -> None:
    for field, value in values.items():
        if value not in _CHOICES[field].values:
            raise ValidationError({field: [f"Unknown {field} “{value}”."]})


@transaction.atomic
def exercise_update(
    *,
    exercise: Exercise,
    name: str,
    implement: str,
    laterality: str,
    easier: Exercise | None = None,
    harder: Exercise | None = None,
    cues: Sequence[str] = (),
    description: str = "",
) -> Exercise:
    """Change a coach's own exercise. The slug stays (the API and imports use it), and so does
    the measure: lines and logged sets already count it in reps or in seconds."""
    if exercise.owner_id is None:
        raise ValidationError({"name": ["Library exercises cannot be changed; add your own instead."]})
    if not name.strip():
        raise ValidationError({"name": ["Give the exercise a name."]})
    _check_choices(implement=implement, laterality=laterality)
    if exercise in (easier, harder):
        raise ValidationError({"easier": ["An exercise cannot be its own easier or harder variant."]})
    exercise.name, exercise.implement, exercise.laterality = name.strip(), implement, laterality
    exercise.easier, exercise.harder, exercise.description = easier, harder, description
    exercise.cues = list(cues) or list(CHECKPOINTS)
    exercise.save()
    return exercise


@transaction.atomic
def exercise_delete(*, exercise: Exercise) -> None:
    """Delete a coach's own exercise that nothing uses yet."""
    if exercise.owner_id is None:
        raise ValidationError({"exercise": ["Library exercises cannot be deleted."]})
    try:
        exercise.delete()
    except ProtectedError as exc:
        raise ValidationError(
            {"exercise": ["It is used in programs, prescriptions, logged sets or reviews, so it stays."]}
        ) from exc


@transaction.atomic
def exercise_create(
    *,
    owner: Any,
    name: str,
    implement: str,
    measure: str = Exercise.Measure.REPS,
    laterality: str = Exercise.Laterality.BILATERAL,
    easier: Exercise | None = None,
    harder: Exercise | None = None,
    cues: Sequence[str] = (),
    description: str = "",
    slug: str = "",
) -> Exercise:
    """A coach's own exercise, with the six checkpoints and the fault list by default."""
    slug = slugify(slug or name)[:80]
    if not slug:
        raise ValidationError({"name": ["Give the exercise a name."]})
    # A coach reads names, not slugs: say which exercise the name clashes with.
    if clash := Exercise.objects.filter(slug=slug, owner__isnull=True).first():
        raise ValidationError({"slug": [f"“{clash.name}” is a library exercise: choose another name."]})
    if clash := Exercise.objects.filter(slug=slug, owner=owner).first():
        raise ValidationError({"slug": [f"You already have an exercise called “{clash.name}”."]})
    _check_choices(implement=implement, measure=measure, laterality=laterality)
    return Exercise.objects.create(
        owner=owner,
        slug=slug,
        name=name.strip(),
        implement=implement,
        measure=measure,
        laterality=laterality,
        easier=easier,
        harder=harder,
        cues=list(cues) or list(CHECKPOINTS),
        faults=list(FAULTS),
        description=description,
    )
