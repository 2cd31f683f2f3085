"""Reads, already scoped and preloaded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from coaching.access import exercises_for, sessions_of, templates_of
from coaching.models import (
    Assignment,
    AssignmentDay,
    Client,
    LoggedSession,
    LoggedSet,
    PrescriptionLine,
    PrescriptionVersion,
)
from coaching.videos.selectors import VIDEOS_PREFETCH
from programs.days import ONE_DAY, Day, DayDue, day_due
from programs.models import Exercise, ProgramLine, ProgramTemplate


def _versions(assignment_ids: Iterable[int]) -> list[PrescriptionVersion]:
    return list(
        PrescriptionVersion.objects.filter(assignment_id__in=list(assignment_ids))
        .order_by("assignment_id", "effective_from", "id")
        .prefetch_related(
            Prefetch("lines", queryset=PrescriptionLine.objects.select_related("exercise").order_by("position"))
        )
    )


def _version_in_force(on: dt.date) -> Coalesce:
    """The id of the assignment's (``OuterRef("pk")``) version in force on ``on``: the latest
    ``effective_from`` on or before the date, the latest written on a tie; before the first
    version's date, the first version. Walks ``presc_version_effective_idx`` down from ``on``."""
    in_force = PrescriptionVersion.objects.filter(assignment_id=OuterRef("pk"))
    return Coalesce(
        Subquery(in_force.filter(effective_from__lte=on).order_by("-effective_from", "-id").values("pk")[:1]),
        Subquery(in_force.order_by("effective_from", "id").values("pk")[:1]),
    )


def version_ids_in_force(assignment_ids: Iterable[int], on: dt.date) -> dict[int, int]:
    """For each assignment, the id of its version in force on ``on`` (as ``versions_in_force``), in
    one query that reads no version row: for a caller that reads the lines itself. An assignment
    without a version is missing."""
    chosen = (
        Assignment.objects.filter(pk__in=list(assignment_ids))
        .annotate(version=_version_in_force(on))
        .filter(version__isnull=False)
        .order_by()
        .values_list("pk", "version")
    )
    return dict(chosen)


def versions_in_force(
    assignment_ids: Iterable[int], on: dt.date, *, lines: QuerySet[PrescriptionLine] | None = None
) -> dict[int, PrescriptionVersion]:
    """For each assignment, the prescription version in force on ``on`` (two queries in all).

    The latest ``effective_from`` on or before the date wins; on a tie, the latest written.
    Before the first version's date, the first version applies. Only the chosen versions and
    their lines are read, whatever the history: a correlated subquery per assignment walks
    ``presc_version_effective_idx`` down from ``on``. ``lines``: the lines' queryset to prefetch
    (ordered by position, with their exercise, when not given).
    """
    chosen = Assignment.objects.filter(pk__in=list(assignment_ids)).annotate(version=_version_in_force(on))
    if lines is None:
        lines = PrescriptionLine.objects.select_related("exercise").order_by("position")
    versions = (
        PrescriptionVersion.objects.filter(pk__in=chosen.values("version"))
        .order_by()  # a dict: no sort (the model's ordering would join the assignment for it)
        .prefetch_related(Prefetch("lines", queryset=lines))
    )
    return {version.assignment_id: version for version in versions}


def _with_lines(versions: QuerySet[PrescriptionVersion]) -> QuerySet[PrescriptionVersion]:
    return versions.prefetch_related(
        Prefetch("lines", queryset=PrescriptionLine.objects.select_related("exercise").order_by("position"))
    )


def version_in_force(assignment: Assignment, on: dt.date) -> PrescriptionVersion | None:
    """The assignment's version in force on ``on`` (as ``versions_in_force``), alone with its lines:
    two queries, whatever the number of versions (index presc_version_effective_idx)."""
    versions = PrescriptionVersion.objects.filter(assignment_id=assignment.pk)
    found = (
        _with_lines(versions.filter(effective_from__lte=on).order_by("-effective_from", "-id")).first()
        # Before the first version's date, the first version applies.
        or _with_lines(versions.order_by("effective_from", "id")).first()
    )
    return found


def versions_from(assignment: Assignment, on: dt.date) -> list[PrescriptionVersion]:
    """The versions that apply on ``on`` or later, oldest first, with their lines: the one in
    force on ``on`` (the first version, before its date) and every later-dated one. Two queries,
    whatever the history's length (index presc_version_effective_idx): for what a plan of the
    coming weeks shows (the calendar feed)."""
    versions = PrescriptionVersion.objects.filter(assignment_id=assignment.pk)
    in_force = versions.filter(effective_from__lte=on).order_by("-effective_from", "-id").values("pk")[:1]
    first = versions.order_by("effective_from", "id").values("pk")[:1]
    return list(
        _with_lines(
            versions.filter(Q(effective_from__gt=on) | Q(pk=Subquery(in_force)) | Q(pk=Subquery(first)))
        ).order_by("effective_from", "id")
    )


def prescription_history(assignment: Assignment) -> list[PrescriptionVersion]:
    return _versions([assignment.pk])


@dataclass
class RecentVersions:
    """The latest versions of an assignment, oldest first, with ``versions[0]`` the one before
    the first wanted (to compare it with), and how many versions there are, and approved reviews
    that changed one before them (the changes ``present.approved_changes`` lists)."""

    versions: list[PrescriptionVersion]
    total: int
    reviews: int


def recent_versions(
    assignment: Assignment, *, reviews: int | None = None, since: dt.date | None = None
) -> RecentVersions:
    """The versions from the ``reviews``-th latest approved review (all of them when None), or
    from the first in force on or after ``since``, on: each with its lines, and the one before.

    Four queries, however long the history (index presc_version_effective_idx)."""
    versions = PrescriptionVersion.objects.filter(assignment_id=assignment.pk)
    # The first version has none before it to compare with: it is no change, whatever its source.
    first = versions.order_by("effective_from", "id").values("id")[:1]
    counts = versions.aggregate(
        total=Count("id"),
        reviews=Count("id", filter=Q(source=PrescriptionVersion.Source.REVIEW) & ~Q(id=Subquery(first))),
    )
    start: tuple[dt.date, int] | None = None
    if since is not None:
        row = (
            versions.filter(effective_from__gte=since)
            .order_by("effective_from", "id")
            .values_list("effective_from", "id")[:1]
        )
        start = row[0] if row else None
    elif reviews is not None:
        row = (
            versions.filter(source=PrescriptionVersion.Source.REVIEW)
            .order_by("-effective_from", "-id")
            .values_list("effective_from", "id")[reviews - 1 : reviews]
        )
        start = row[0] if row else None
    if start is None and (since is not None or reviews == 0):
        return RecentVersions([], counts["total"], counts["reviews"])
    if start is None:
        chosen = list(_with_lines(versions.order_by("effective_from", "id")))
    else:
        after = Q(effective_from__gt=start[0]) | Q(effective_from=start[0], id__gte=start[1])
        before = versions.exclude(after).order_by("-effective_from", "-id").values("id")[:1]
        chosen = list(_with_lines(versions.filter(after | Q(id=Subquery(before))).order_by("effective_from", "id")))
    return RecentVersions(chosen, counts["total"], counts["reviews"])


def latest_versions(assignment: Assignment, count: int | None) -> tuple[list[PrescriptionVersion], int]:
    """The assignment's latest ``count`` versions (all when None), newest first, each with its
    lines and ``changed_by``; and how many there are. Three queries, whatever the history's length
    (index presc_version_effective_idx)."""
    versions = PrescriptionVersion.objects.filter(assignment_id=assignment.pk)
    newest = _with_lines(versions.select_related("changed_by").order_by("-effective_from", "-id"))
    shown = list(newest if count is None else newest[:count])
    total = len(shown) if count is None or len(shown) < count else versions.count()
    return shown, total


def upcoming_versions(assignment: Assignment, today: dt.date) -> list[PrescriptionVersion]:
    """The versions that apply from a date after ``today``, soonest first, with their lines."""
    return list(
        _with_lines(PrescriptionVersion.objects.filter(assignment_id=assignment.pk, effective_from__gt=today)).order_by(
            "effective_from", "id"
        )
    )


def active_assignment(client: Client) -> Assignment | None:
    """The client's active assignment, with its program and the coach (whose time zone dates it)."""
    return client.assignments.filter(is_active=True).select_related("program", "client__coach").first()


def latest_session_day_at(assignment: Assignment) -> tuple[int, dt.datetime] | None:
    """The day and time of the client's latest session of this assignment that has one of its
    days (one query); None when no session has one.

    Deleted sessions do not count; a session whose day the assignment no longer has is dayless
    (docs/domain.md "Training days")."""
    numbers = AssignmentDay.objects.filter(assignment_id=assignment.pk).values("number")
    row = (
        LoggedSession.objects.filter(
            assignment_id=assignment.pk,
            client_id=assignment.client_id,
            deleted_at__isnull=True,
            day__in=numbers,
        )
        .order_by("-performed_at", "-client_modified_at", "-id")
        .values_list("day", "performed_at")
        .first()
    )
    return (int(row[0]), row[1]) if row and row[0] is not None else None


def latest_session_day(assignment: Assignment) -> int | None:
    """The day of the client's latest session that has one of the assignment's days (one query)."""
    found = latest_session_day_at(assignment)
    return found[0] if found else None


def assignment_day_due(assignment: Assignment, on: dt.date) -> DayDue:
    """The day the client's Today opens on, on the client's local date ``on`` (docs/domain.md "The
    day due"): ``programs.days.day_due`` with the assignment's days and its latest session's day.

    Two queries (the days, unless prefetched; the latest session's day)."""
    days = [Day.from_row(row) for row in assignment.days.all()] or list(ONE_DAY)
    return day_due(days, on, latest_session_day(assignment), start=assignment.start_date)


def client_session_count(client: Client) -> int:
    """Every session stored for the client (what deleting the client removes)."""
    return client.sessions.count()


def _sets_in_order() -> Prefetch:
    return Prefetch("sets", queryset=LoggedSet.objects.select_related("exercise").order_by("position"))


def phone_sessions(user: Any) -> list[LoggedSession]:
    """All the client's sessions, newest first, sets in order (the History page)."""
    return list(
        sessions_of(user)
        .filter(deleted_at__isnull=True)
        .order_by("-performed_at")
        .prefetch_related(_sets_in_order(), VIDEOS_PREFETCH)
    )


# --- the exercise library and program templates ---------------------------------------------


def exercise_library(user: Any) -> tuple[list[Exercise], list[Exercise]]:
    """(the shared library, the coach's own exercises), each by name, ladder steps loaded."""
    exercises = exercises_for(user).select_related("easier", "harder").order_by("name")
    return [e for e in exercises if e.owner_id is None], [e for e in exercises if e.owner_id is not None]


def templates_list(user: Any) -> QuerySet[ProgramTemplate]:
    """The coach's program templates by name, each with ``line_count``."""
    return templates_of(user).annotate(line_count=Count("lines", distinct=True)).order_by("name")


def template_rows(template: ProgramTemplate) -> list[ProgramLine]:
    """The template's lines in order, exercises loaded."""
    return list(template.lines.select_related("exercise").order_by("position"))
