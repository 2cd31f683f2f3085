"""Writes to the library (coaches' own exercises) and to program templates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify

from programs.days import ONE_DAY, Day, days_errors, ordered
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
    rows = template.days.all()
    return [Day.from_row(row) for row in rows] or list(ONE_DAY)


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
        week_lines = check_week(week_days, week_lines) if week_lines else week_lines
        if days is not None:
            _write_days(template, week_days)
        _write_lines(template, week_lines)
    template.save()
    return template


def _locked_rows(template: ProgramTemplate) -> list[ProgramLine]:
    """The template's lines in order, the template row locked: two edits at once do not interleave."""
    ProgramTemplate.objects.select_for_update().filter(pk=template.pk).first()
    return list(template.lines.select_related("exercise").order_by("position"))


@transaction.atomic
def template_line_add(*, template: ProgramTemplate, line: Line, position: int | None = None) -> ProgramTemplate:
    """A line at the end, or at ``position`` (an undone removal goes back where it was)."""
    lines = [Line.from_row(row) for row in _locked_rows(template)]
    lines.insert(len(lines) if position is None else min(position, len(lines)), line)
    return template_update(template=template, lines=lines)


@transaction.atomic
def template_line_replace(*, template: ProgramTemplate, position: int, line: Line) -> bool:
    """The line at ``position`` becomes ``line``; False (nothing written) when there is none."""
    lines = [Line.from_row(row) for row in _locked_rows(template)]
    if not 0 <= position < len(lines):
        return False
    lines[position] = line
    template_update(template=template, lines=lines)
    return True


@transaction.atomic
def template_line_remove(*, template: ProgramTemplate, position: int) -> ProgramLine | None:
    """Removes the line at ``position`` and answers it (unsaved, for the builder's undo); None if none."""
    rows = _locked_rows(template)
    if not 0 <= position < len(rows):
        return None
    removed = rows.pop(position)
    template_update(template=template, lines=[Line.from_row(row) for row in rows])
    return removed


@transaction.atomic
def template_line_move(*, template: ProgramTemplate, position: int, direction: str) -> bool:
    """The line at ``position`` swaps with its neighbour ("up" or "down"); False when it cannot move."""
    lines = [Line.from_row(row) for row in _locked_rows(template)]
    target = {"up": position - 1, "down": position + 1}.get(direction)
    if target is None or not (0 <= position < len(lines) and 0 <= target < len(lines)):
        return False
    lines[position], lines[target] = lines[target], lines[position]
    template_update(template=template, lines=lines)
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
