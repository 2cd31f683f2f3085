"""Reads for the calendar feed: the feed a token opens, and the plan it shows (a fixed number of
queries, however long the plan's history)."""

from __future__ import annotations

import datetime as dt

from coaching.calendar_feed.models import CalendarFeed
from coaching.calendar_feed.plan import PlannedDate, planned_dates
from coaching.calendar_feed.tokens import token_hash, well_formed
from coaching.models import Client
from coaching.selectors import active_assignment, assignment_day_due, versions_from
from coaching.services.prescriptions import assignment_days
from programs.days import Day


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed whose URL carries ``token``, with its client and coach (one query); None for an
    unknown, reset or malformed token, or a client the coach has made inactive."""
    if not well_formed(token):
        return None
    return (
        CalendarFeed.objects.select_related("client__coach")
        .filter(token_hash=token_hash(token), client__is_active=True)
        .first()
    )


def feed_plan(client: Client, today: dt.date) -> tuple[object | None, list[PlannedDate], tuple[dt.date, Day] | None]:
    """(the active assignment or None, its pinned dates from ``today`` for 8 weeks, the rotation's
    "next up" hint on today or None). Five queries: the assignment, its days, the versions from
    today on and their lines (never the older history), the latest session's day (only when some
    day is unpinned)."""
    assignment = active_assignment(client)
    if assignment is None:
        return None, [], None
    days = assignment_days(assignment)
    versions = versions_from(assignment, today)
    planned = planned_dates(days, versions, today=today, start=assignment.start_date)
    next_up = None
    pinned_today = any(today.weekday() in day.weekdays for day in days)
    if today >= assignment.start_date and not pinned_today and any(not day.weekdays for day in days):
        due = assignment_day_due(assignment, today)
        next_up = (today, due.day)
    return assignment, planned, next_up
