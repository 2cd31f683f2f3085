"""The coach's weeks: the one home of time zones and Mondays.

Weeks are Monday–Sunday in the coach's time zone (docs/domain.md "Weekly review: metrics"); a coach
whose zone is unknown is on UTC. Everything that asks "which week is this?", "when does that
week begin?" or "what day was this session for the coach?" asks this module.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Protocol

from django.utils import timezone

UTC_ZONE = zoneinfo.ZoneInfo("UTC")
WEEK = dt.timedelta(days=7)


class _HasZone(Protocol):
    time_zone: str


class _ReviewTime(_HasZone, Protocol):
    review_weekday: int
    review_time: dt.time


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def is_time_zone(name: str) -> bool:
    """Whether ``name`` is a time zone this server knows ("Europe/Paris", "UTC")."""
    return _zone(name) is not None


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The zone called ``name``; UTC when there is no such zone."""
    return _zone(name) or UTC_ZONE


def coach_zone(coach: _HasZone) -> zoneinfo.ZoneInfo:
    """The coach's time zone (UTC when the stored name is not a zone)."""
    return zone_named(coach.time_zone)


def local_date(coach: _HasZone, moment: dt.datetime) -> dt.date:
    """The day ``moment`` (an aware datetime, such as a session's ``performed_at``) is for the coach."""
    return moment.astimezone(coach_zone(coach)).date()


def local_today(coach: _HasZone, now: dt.datetime | None = None) -> dt.date:
    """Today in the coach's time zone."""
    return local_date(coach, now or timezone.now())


def monday_of(day: dt.date) -> dt.date:
    """The Monday of ``day``'s Monday–Sunday week."""
    return day - dt.timedelta(days=day.weekday())


def first_monday_on_or_after(day: dt.date) -> dt.date:
    """``day`` itself when it is a Monday, else the next Monday."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def local_week_of(coach: _HasZone, moment: dt.datetime) -> dt.date:
    """The Monday of the coach's week that ``moment`` falls in."""
    return monday_of(local_date(coach, moment))


def week_start(coach: _HasZone, monday: dt.date) -> dt.datetime:
    """The instant the coach's local week starting ``monday`` begins (aware)."""
    return dt.datetime.combine(monday, dt.time.min, tzinfo=coach_zone(coach))


def week_bounds(coach: _HasZone, monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The coach's week starting ``monday`` as [start, end): aware datetimes, end exclusive."""
    return week_start(coach, monday), week_start(coach, monday + WEEK)


def first_week(start_date: dt.date) -> dt.date:
    """The Monday of an assignment's first reviewed week: the week containing its start date,
    also when it starts mid-week (docs/domain.md, "Weekly review: metrics")."""
    return monday_of(start_date)


def last_finished_week_in(zone: dt.tzinfo, now: dt.datetime) -> dt.date:
    """The Monday of the latest week that is over in ``zone``."""
    return monday_of(now.astimezone(zone).date()) - WEEK


def last_finished_week(coach: _HasZone, now: dt.datetime) -> dt.date:
    """The Monday of the latest week that is over in the coach's time zone."""
    return last_finished_week_in(coach_zone(coach), now)


def review_due(coach: _ReviewTime, now: dt.datetime) -> bool:
    """Has this week's review time (default Monday 06:00 local) passed?"""
    local = now.astimezone(coach_zone(coach))
    due = dt.datetime.combine(
        monday_of(local.date()) + dt.timedelta(days=coach.review_weekday), coach.review_time, tzinfo=local.tzinfo
    )
    return local >= due
