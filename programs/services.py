"""Writes to the library (coaches' own exercises) and to program templates."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.text import slugify

from programs.faults import CHECKPOINTS, FAULTS
from programs.models import Exercise, ProgramLine, ProgramTemplate
from programs.progression.text import fmt_num
from programs.progression.units import KETTLEBELL_BELLS_KG, bell_kg, grid_kg

DEFAULT_REPS = (8, 12)
DEFAULT_SECONDS = (10, 20)


@dataclass(frozen=True)
class TemplateLineInput:
    exercise: Exercise
    sets: int = 3
    low: int | None = None
    high: int | None = None
    load: Decimal = Decimal("0")
    unit: str = "kg"
    tempo: str = ""
    target_rpe: Decimal | None = None
    rest_seconds: int | None = None

    def range(self) -> tuple[int, int]:
        default = DEFAULT_SECONDS if self.exercise.measure == Exercise.Measure.SECONDS else DEFAULT_REPS
        low = self.low if self.low is not None else default[0]
        high = self.high if self.high is not None else max(default[1], low)
        return low, high


def range_fields(exercise: Exercise, low: int, high: int) -> dict[str, int | None]:
    """reps_* or seconds_* by the exercise's measure; the other pair is empty."""
    if low > high:
        raise ValidationError({"reps_low": ["The bottom of the range is above its top."]})
    is_hold = exercise.measure == Exercise.Measure.SECONDS
    return {
        "reps_low": None if is_hold else low,
        "reps_high": None if is_hold else high,
        "seconds_low": low if is_hold else None,
        "seconds_high": high if is_hold else None,
    }


def line_load_kg(exercise: Exercise, load: Decimal, unit: str) -> Decimal:
    """A line's load in kg; a kettlebell bell is stored at its exact weight (53 lb → 24 kg)."""
    return grid_kg(Decimal(load), exercise.implement, unit)


KETTLEBELL_LOAD_ERROR = (
    f"Kettlebells come in {', '.join(fmt_num(kg) for kg in KETTLEBELL_BELLS_KG[:3])}, … "
    f"{fmt_num(KETTLEBELL_BELLS_KG[-1])} kg."
)


def kettlebell_load_error(exercise: Exercise, load: Decimal, unit: str) -> str | None:
    """The field error for a kettlebell line whose load is no bell (in kg, or in lb within 0.5 lb)."""
    if exercise.implement != Exercise.Implement.KETTLEBELL or unit not in ("kg", "lb"):
        return None
    return None if bell_kg(load, unit) is not None else KETTLEBELL_LOAD_ERROR


def line_values(line: TemplateLineInput) -> dict[str, Any]:
    """Model field values for a line (reps or seconds by the exercise's measure, load in kg)."""
    low, high = line.range()
    return {
        "exercise": line.exercise,
        "sets": line.sets,
        **range_fields(line.exercise, low, high),
        "load_kg": line_load_kg(line.exercise, line.load, line.unit),
        "unit": line.unit,
        "tempo": line.tempo or "",
        "target_rpe": line.target_rpe,
        "rest_seconds": line.rest_seconds,
    }


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


def _write_lines(template: ProgramTemplate, lines: Sequence[TemplateLineInput]) -> None:
    template.lines.all().delete()
    ProgramLine.objects.bulk_create(
        [ProgramLine(template=template, position=i, **line_values(line)) for i, line in enumerate(lines)]
    )


@transaction.atomic
def template_create(
    *, owner: Any, name: str, lines: Sequence[TemplateLineInput] = (), notes: str = ""
) -> ProgramTemplate:
    template = ProgramTemplate.objects.create(owner=owner, name=_check_name(owner, name), notes=notes)
    _write_lines(template, lines)
    return template


@transaction.atomic
def template_update(
    *,
    template: ProgramTemplate,
    name: str | None = None,
    notes: str | None = None,
    lines: Sequence[TemplateLineInput] | None = None,
) -> ProgramTemplate:
    """Change a template; ``lines`` (when given) replaces all its lines, in order."""
    if name is not None:
        template.name = _check_name(template.owner, name, exclude_pk=template.pk)
    if notes is not None:
        template.notes = notes
    template.save()
    if lines is not None:
        _write_lines(template, lines)
    return template


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
