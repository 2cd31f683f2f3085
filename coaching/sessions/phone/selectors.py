"""Reads for the phone's Today: the day of the latest session, and the sessions "last time" comes
from. Each is scoped to the assignment the caller loaded through ``coaching.access`` (the client's
own active assignment) and runs a fixed number of queries, however long the history."""

from __future__ import annotations

from django.db.models import Prefetch

from coaching.models import Assignment, AssignmentDay, Client, LoggedSession, LoggedSet
from coaching.sessions.faults.selectors import attach_coach_faults
from coaching.videos.selectors import VIDEOS_PREFETCH

# Today reads "last time" from the assignment's latest sessions only, so the page stays as fast
# with a year of sessions as with a week; a line not done in these many sessions shows nothing.
LAST_TIME_SESSIONS = 40


def last_time_sessions(assignment: Assignment, limit: int = LAST_TIME_SESSIONS) -> list[LoggedSession]:
    """The assignment's latest ``limit`` sessions, newest first, sets in order with their
    exercises and coach tags (three queries)."""
    sets = Prefetch("sets", queryset=LoggedSet.objects.select_related("exercise").order_by("position"))
    sessions = list(
        LoggedSession.objects.filter(assignment=assignment, deleted_at__isnull=True)
        .order_by("-performed_at", "-client_modified_at")
        .prefetch_related(sets, VIDEOS_PREFETCH)[:limit]
    )
    attach_coach_faults(s for session in sessions for s in session.sets.all())
    return sessions


def day_names(client: Client) -> dict[int, dict[int, str]]:
    """For each of the client's assignments with more than one day, its days' names by number
    (one query): History labels a session with the day it followed."""
    names: dict[int, dict[int, str]] = {}
    for assignment_id, number, name in AssignmentDay.objects.filter(assignment__client=client).values_list(
        "assignment_id", "number", "name"
    ):
        names.setdefault(assignment_id, {})[number] = name
    return {assignment_id: days for assignment_id, days in names.items() if len(days) > 1}
