"""Assignments and their prescription versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from coaching.models import Assignment, Client, PrescriptionLine, PrescriptionVersion
from programs.models import Exercise, LineFields, ProgramTemplate, display_load
from programs.progression.text import json_num
from programs.services import TemplateLineInput, line_values


@dataclass(frozen=True)
class LineInput(TemplateLineInput):
    """A prescription line to write; ``pre_deload`` is the line a deload returns to."""

    pre_deload: dict[str, Any] | None = None


def line_as_dict(line: LineFields) -> dict[str, Any]:
    """A line in the API's shape: load in its unit, reps or seconds fields by measure."""
    data: dict[str, Any] = {"exercise": line.exercise.slug, "sets": line.sets}
    if line.exercise.measure == Exercise.Measure.SECONDS:
        data |= {"seconds_low": line.seconds_low, "seconds_high": line.seconds_high}
    else:
        data |= {"reps_low": line.reps_low, "reps_high": line.reps_high}
    data |= {
        "load": json_num(display_load(line.load_kg, line.unit)),
        "unit": line.unit,
        "tempo": line.tempo or None,
        "target_rpe": json_num(line.target_rpe) if line.target_rpe is not None else None,
    }
    if line.rest_seconds is not None:
        data["rest_seconds"] = line.rest_seconds
    return data


def prescription_version_write(
    *,
    assignment: Assignment,
    lines: Sequence[LineInput],
    effective_from: dt.date,
    source: str,
    changed_by: Any,
    reason: str = "",
    review: Any = None,
) -> PrescriptionVersion:
    if not lines:
        raise ValidationError({"prescription": ["A prescription needs at least one line."]})
    version = PrescriptionVersion.objects.create(
        assignment=assignment,
        effective_from=effective_from,
        source=source,
        changed_by=changed_by,
        reason=reason,
        review=review,
    )
    PrescriptionLine.objects.bulk_create(
        [
            PrescriptionLine(version=version, position=i, pre_deload=line.pre_deload, **line_values(line))
            for i, line in enumerate(lines)
        ]
    )
    return version


@transaction.atomic
def assignment_create(
    *,
    client: Client,
    start_date: dt.date,
    lines: Sequence[LineInput],
    changed_by: Any,
    program: ProgramTemplate | None = None,
    sessions_per_week: int = 3,
    unit: str = "kg",
    deload_every_weeks: int | None = None,
    load_increment_pct: Decimal = Decimal("5"),
) -> Assignment:
    """A client's own copy of a template; ends the client's previous active assignment."""
    Assignment.objects.filter(client=client, is_active=True).update(is_active=False)
    assignment = Assignment.objects.create(
        client=client,
        program=program,
        start_date=start_date,
        sessions_per_week=sessions_per_week,
        unit=unit,
        deload_every_weeks=deload_every_weeks,
        load_increment_pct=load_increment_pct,
    )
    prescription_version_write(
        assignment=assignment,
        lines=lines,
        effective_from=start_date,
        source=PrescriptionVersion.Source.ASSIGNED,
        changed_by=changed_by,
        reason=f"Assigned{f' from {program.name}' if program else ''}.",
    )
    return assignment


@transaction.atomic
def prescription_edit(
    *,
    assignment: Assignment,
    lines: Sequence[LineInput],
    effective_from: dt.date,
    changed_by: Any,
    reason: str = "",
) -> PrescriptionVersion:
    """The coach changes the prescription directly; recorded in its history."""
    return prescription_version_write(
        assignment=assignment,
        lines=lines,
        effective_from=effective_from,
        source=PrescriptionVersion.Source.COACH_EDIT,
        changed_by=changed_by,
        reason=reason or "Edited by the coach.",
    )


def template_lines(template: ProgramTemplate) -> list[LineInput]:
    return [
        LineInput(
            exercise=line.exercise,
            sets=line.sets,
            low=line.range_low,
            high=line.range_high,
            load=display_load(line.load_kg, line.unit),
            unit=line.unit,
            tempo=line.tempo,
            target_rpe=line.target_rpe,
            rest_seconds=line.rest_seconds,
        )
        for line in template.lines.select_related("exercise").order_by("position")
    ]
