"""Reads, already scoped and preloaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Prefetch

from coaching.models import Assignment, PrescriptionLine, PrescriptionVersion


def _versions(assignment_ids: Iterable[int]) -> list[PrescriptionVersion]:
    return list(
        PrescriptionVersion.objects.filter(assignment_id__in=list(assignment_ids))
        .order_by("assignment_id", "effective_from", "id")
        .prefetch_related(
            Prefetch("lines", queryset=PrescriptionLine.objects.select_related("exercise").order_by("position"))
        )
    )


def versions_in_force(assignment_ids: Iterable[int], on: dt.date) -> dict[int, PrescriptionVersion]:
    """For each assignment, the prescription version in force on ``on`` (two queries in all).

    The latest ``effective_from`` on or before the date wins; on a tie, the latest written.
    Before the first version's date, the first version applies.
    """
    chosen: dict[int, PrescriptionVersion] = {}
    for version in _versions(assignment_ids):
        current = chosen.get(version.assignment_id)
        if current is None or version.effective_from <= on:
            chosen[version.assignment_id] = version
    return chosen


def version_in_force(assignment: Assignment, on: dt.date) -> PrescriptionVersion | None:
    return versions_in_force([assignment.pk], on).get(assignment.pk)


def prescription_history(assignment: Assignment) -> list[PrescriptionVersion]:
    return _versions([assignment.pk])
