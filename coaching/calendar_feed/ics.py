"""The client's plan as an iCalendar file (RFC 5545), written with the ``icalendar`` library.

Choices (docs/api-decisions.md "The client's calendar feed"):
- One all-day event per planned date, not a recurring event: each date carries the lines in force
  on it, a pin moved by the coach moves only the dates after it, and phone calendars show plain
  all-day events the same everywhere (Apple, Google, Outlook) with no RRULE/EXDATE edge cases.
- All-day (``VALUE=DATE``) events: no time is planned, so a date is the whole truth; the dates are
  the coach's time zone's (docs/domain.md), which ``X-WR-TIMEZONE`` names for the apps that show it.
- UIDs made of the assignment, the day's number and the date: the same on every fetch, so a
  refresh replaces each event in place (a renamed day, a changed dose) and a removed pin's events
  disappear.
- ``TRANSP:TRANSPARENT``: a training day does not make the client "busy" for meeting invites.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import icalendar

from coaching.calendar_feed.plan import PlannedDate
from programs.days import Day
from programs.models import Exercise, shown_load

PRODID = "-//Hinge Coach//Training plan//EN"
UID_DOMAIN = "hinge-coach"
REFRESH = dt.timedelta(hours=1)
UNLOADED = {Exercise.Implement.BODYWEIGHT, Exercise.Implement.DOWEL}


def event_uid(assignment_id: int, day: int, on: dt.date) -> str:
    return f"plan-{assignment_id}-day{day}-{on:%Y%m%d}@{UID_DOMAIN}"


def next_up_uid(assignment_id: int) -> str:
    return f"plan-{assignment_id}-next-up@{UID_DOMAIN}"


def line_text(line: Any, unit: str) -> str:
    """ "Romanian deadlift: 3 × 8–10 reps, 60 kg" (a prescription line, as the description writes it)."""
    text = f"{line.exercise.name}: {line.sets} × {line.range_text}"
    if line.exercise.implement not in UNLOADED and line.load_kg > 0:
        text += f", {shown_load(line.load_kg, unit, line.exercise.implement)} {unit}"
    if line.exercise.is_per_side:
        text += " each side"
    return text


def event_title(day: Day, lines: Sequence[Any]) -> str:
    """ "Day A: Romanian deadlift, hip thrust": the day and its exercises, in order."""
    names = list(dict.fromkeys(line.exercise.name for line in lines))
    return f"{day.name}: {', '.join(_lower_after_first(names))}" if names else day.name


def _lower_after_first(names: list[str]) -> list[str]:
    # Exercise names are capitalised ("Hip thrust"); in a list after a colon only the first keeps it.
    return [name if i == 0 else name[:1].lower() + name[1:] for i, name in enumerate(names)]


def feed_calendar(
    *,
    assignment: Any | None,
    planned: Sequence[PlannedDate],
    next_up: tuple[dt.date, Day] | None,
    time_zone: str,
    today_url: str,
    stamp: dt.datetime,
) -> bytes:
    """The whole .ics: one VEVENT per planned date, and the rotation's hint when there is one."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", "Training plan")
    cal.add("x-wr-calname", "Training plan")
    cal.add("x-wr-caldesc", "Your coach's plan for the next 8 weeks, from Hinge Coach.")
    cal.add("x-wr-timezone", time_zone)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    if assignment is None:
        return cal.to_ical()
    unit = assignment.unit
    for item in planned:
        event = _all_day(event_uid(assignment.pk, item.day.number, item.on), item.on, stamp)
        event.add("summary", event_title(item.day, item.lines))
        event.add("description", "\n".join(line_text(line, unit) for line in item.lines))
        event.add("url", f"{today_url}?day={item.day.number}&date={item.on:%Y-%m-%d}")
        cal.add_component(event)
    if next_up is not None:
        on, day = next_up
        event = _all_day(next_up_uid(assignment.pk), on, stamp)
        event.add("summary", f"Training: next up {day.name}")
        event.add("description", "Your next training day; open Today to log it.")
        event.add("url", f"{today_url}?day={day.number}&date={on:%Y-%m-%d}")
        cal.add_component(event)
    return cal.to_ical()


def _all_day(uid: str, on: dt.date, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", on)
    event.add("dtend", on + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    return event
