"""Assignments and their prescription versions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from coaching.models import Assignment, AssignmentDay, Client, PrescriptionLine, PrescriptionVersion
from coaching.push.services import prescription_pushed_later
from programs.days import ONE_DAY, WEEKDAY_NAMES, Day, default_sessions_per_week, ordered, stored_days
from programs.lines import Line
from programs.models import ProgramTemplate
from programs.services import check_week, template_days


def prescription_version_write(
    *,
    assignment: Assignment,
    lines: Sequence[Line],
    effective_from: dt.date,
    source: str,
    changed_by: Any,
    reason: str = "",
    review: Any = None,
) -> PrescriptionVersion:
    if not lines:
        raise ValidationError({"prescription": ["A prescription needs at least one line."]})
    lines = check_week(assignment_days(assignment), lines)
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
            PrescriptionLine(version=version, position=i, pre_deload=line.pre_deload, **line.row_values())
            for i, line in enumerate(lines)
        ]
    )
    prescription_pushed_later(version=version)
    return version


@transaction.atomic
def assignment_create(
    *,
    client: Client,
    start_date: dt.date,
    lines: Sequence[Line],
    changed_by: Any,
    program: ProgramTemplate | None = None,
    sessions_per_week: int | None = None,
    unit: str = "kg",
    deload_every_weeks: int | None = None,
    load_increment_pct: Decimal = Decimal("5"),
    days: Sequence[Day] | None = None,
) -> Assignment:
    """A client's own copy of a template, with its ``days`` (one "Day A" by default);
    ``sessions_per_week`` defaults as docs/domain.md says (pinned weekdays plus one per unpinned
    day). Ends the client's previous active assignment."""
    days = list(ONE_DAY if days is None else days)  # [] is no week: the validator says so
    if not lines:
        raise ValidationError({"prescription": ["A prescription needs at least one line."]})
    check_week(days, lines)
    if sessions_per_week is None:
        sessions_per_week = default_sessions_per_week(days)
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
    assignment_days_write(assignment=assignment, days=days)
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
    lines: Sequence[Line],
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


def _check_pins(days: Sequence[Day]) -> None:
    """A weekday pinned to two days is refused naming both (the validator says only that it is)."""
    pinned: dict[int, Day] = {}
    for day in days:
        for weekday in day.weekdays:
            other = pinned.setdefault(weekday, day)
            if other is not day and 0 <= weekday <= 6:
                raise ValidationError(
                    {"days": [f"{WEEKDAY_NAMES[weekday]} is pinned to {other.name} and to {day.name}: pin it to one."]}
                )


@transaction.atomic
def prescription_week_edit(
    *,
    assignment: Assignment,
    days: Sequence[Day],
    lines: Sequence[Line],
    effective_from: dt.date,
    changed_by: Any,
    reason: str = "",
) -> PrescriptionVersion | None:
    """The coach edits the assignment's week: its days (names, pins, order; added or deleted) and
    the lines on them. Days are the assignment's: renaming or pinning alone changes no line and
    writes no version (None). Adding or deleting a day goes with a new version (its lines), whose
    reason says which days came and went; so does any change of a line, as before days."""
    Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    before = assignment_days(assignment)
    days = list(days)
    _check_pins(days)
    if not lines:
        raise ValidationError({"prescription": ["A prescription needs at least one line."]})
    lines = check_week(days, lines)
    numbers, old_numbers = {day.number for day in days}, {day.number for day in before}
    added = [day for day in days if day.number not in old_numbers]
    deleted = [day for day in before if day.number not in numbers]
    latest = assignment.versions.order_by("-effective_from", "-id").first()
    current = (
        ordered(before, [Line.from_row(row) for row in latest.lines.select_related("exercise").order_by("position")])
        if latest
        else []
    )
    if days != before:
        assignment_days_write(assignment=assignment, days=days)
    if not added and not deleted and days != before and _same_lines(lines, current):
        return None
    changes = [f"Added {day.name}." for day in added] + [f"Deleted {day.name}." for day in deleted]
    reason = " ".join([reason.strip() or ("" if changes else "Edited by the coach."), *changes]).strip()
    return prescription_version_write(
        assignment=assignment,
        lines=lines,
        effective_from=effective_from,
        source=PrescriptionVersion.Source.COACH_EDIT,
        changed_by=changed_by,
        reason=reason,
    )


def _same_lines(lines: Sequence[Line], current: Sequence[Line]) -> bool:
    """The same lines, on the same days, in the same order (what a version would store)."""
    try:
        return [line.row_values() for line in lines] == [line.row_values() for line in current]
    except ValidationError:  # a stored line the rules now refuse: it changes by being rewritten
        return False


def template_lines(template: ProgramTemplate, unit: str | None = None) -> list[Line]:
    """The template's lines to prescribe; in ``unit`` when given (a template may be written in the
    other unit than the assignment's), each load converted from its stored kg."""
    rows = template.lines.select_related("exercise").order_by("position")
    return ordered(template_days(template), [Line.from_row(line, unit) for line in rows])


def assignment_days(assignment: Assignment) -> list[Day]:
    """The assignment's days in their order (one "Day A" when none is stored)."""
    return stored_days(assignment.days.all())


def assignment_days_write(*, assignment: Assignment, days: Sequence[Day]) -> list[Day]:
    """Replace the assignment's days (their names, order and pins); lines are the versions'."""
    assignment.days.all().delete()
    AssignmentDay.objects.bulk_create(
        [AssignmentDay(assignment=assignment, **day.row_values(i)) for i, day in enumerate(days)]
    )
    return list(days)


def program_week(template: ProgramTemplate, unit: str | None = None) -> tuple[list[Day], list[Line]]:
    """A template's days and lines to copy to an assignment (``template_lines``)."""
    return template_days(template), template_lines(template, unit)
