"""Reads for the client page's training days: the week grid of the prescription and the calendar
of the last weeks (planned vs logged, ``coaching.plan_calendar``) with its adherence heat-map.

A fixed number of queries whatever the number of clients, weeks or sessions: the days are read
once (``assignment_days``), the lines come with the version in force, the sessions in one query.
Weeks are Monday–Sunday in the coach's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count

from coaching.metrics import adherence_band, adherence_pct
from coaching.models import Assignment, Client, Coach, LoggedSession, PrescriptionLine, PrescriptionVersion
from coaching.plan_calendar import DONE, CalendarDate, CalendarWeek, LoggedRef, moved_from, plan_weeks
from coaching.weeks import local_date, local_today, monday_of, week_start
from programs.days import WEEKDAY_NAMES, WEEKDAY_SHORT, Day
from programs.models import shown_load
from programs.progression.text import fmt_num

CALENDAR_WEEKS = 12


# --- the week grid -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanLine:
    """A prescription line as the week grid writes it: "Romanian deadlift", "3 × 8–10 reps @ 60 kg"."""

    line: PrescriptionLine
    dose: str


@dataclass(frozen=True)
class DayPlan:
    day: Day
    order: int  # 1-based place in the week's order
    lines: tuple[PlanLine, ...]


@dataclass(frozen=True)
class WeekPlan:
    days: tuple[DayPlan, ...]  # in the week's order
    columns: tuple[tuple[str, tuple[DayPlan, ...]], ...]  # (weekday name, days pinned to it), Monday first
    rotation: tuple[DayPlan, ...]  # the unpinned days, in order

    @property
    def pinned(self) -> bool:
        return any(plan.day.weekdays for plan in self.days)


def _dose(line: PrescriptionLine, unit: str) -> str:
    per_side = " per side" if line.exercise.is_per_side else ""
    shown = shown_load(line.load_kg, unit, line.exercise.implement)
    load = f"@ {fmt_num(shown)} {unit}" if line.load_kg else "no load"
    return f"{line.sets} × {line.range_text}{per_side} {load}"


def week_plan(assignment: Assignment, version: PrescriptionVersion | None, days: Sequence[Day]) -> WeekPlan:
    """The prescription ``version`` as a week: each day with its lines (loads in the assignment's
    unit), on its weekdays or in the rotation. No query (the version's lines are prefetched)."""
    lines = list(version.lines.all()) if version is not None else []
    plans = tuple(
        DayPlan(
            day=day,
            order=index + 1,
            lines=tuple(PlanLine(line, _dose(line, assignment.unit)) for line in lines if line.day == day.number),
        )
        for index, day in enumerate(days)
    )
    columns = tuple(
        (WEEKDAY_NAMES[weekday], tuple(plan for plan in plans if weekday in plan.day.weekdays)) for weekday in range(7)
    )
    return WeekPlan(days=plans, columns=columns, rotation=tuple(plan for plan in plans if not plan.day.weekdays))


# --- the calendar --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionLink:
    session: LoggedRef
    label: str  # the day's name, or "Session" (dayless)
    moved_from: str  # "Mon" when it stood in for Monday's pinned day


@dataclass(frozen=True)
class CalendarCell:
    date: CalendarDate
    links: tuple[SessionLink, ...]  # the sessions logged that date, but those a "done" mark links to


@dataclass(frozen=True)
class CalendarRow:
    week: CalendarWeek
    cells: tuple[CalendarCell, ...]  # Monday to Sunday
    pct: float | None  # adherence; None for the week under way
    band: str  # good, fair, low; "current" for the week under way
    pct_text: str  # "66.7%", "so far"
    title: str  # the heat-map cell's words: "Week of 16 Nov: 2 of 3 sessions, 66.7% (fair)"


@dataclass(frozen=True)
class ClientCalendar:
    rows: tuple[CalendarRow, ...]  # oldest week first, this week last
    sessions_per_week: int
    mixed: bool = False  # pinned and unpinned days: the rotation is counted apart
    weekdays: tuple[str, ...] = WEEKDAY_SHORT

    @property
    def finished(self) -> tuple[CalendarRow, ...]:
        return tuple(row for row in self.rows if row.week.finished)


def _day_month(day: dt.date) -> str:
    return f"{day.day} {day:%b}"


def _link(week: CalendarWeek, ref: LoggedRef, names: dict[int, str]) -> SessionLink:
    mark = moved_from(week, ref)
    label = names[ref.day] if ref.day is not None else "Session"
    return SessionLink(ref, label, WEEKDAY_SHORT[mark.on.weekday()] if mark else "")


def client_calendar(
    coach: Coach,
    client: Client,
    assignment: Assignment,
    days: Sequence[Day],
    *,
    now: dt.datetime | None = None,
    page_size: int = 10,
) -> ClientCalendar:
    """The assignment's last weeks (at most ``CALENDAR_WEEKS``, none before its start): each planned
    day done, moved or missed, each logged session linked to its place in the client page's list of
    sessions (``page_size`` a page, newest first), and the week's adherence. One query."""
    today = local_today(coach, now)
    this_week = monday_of(today)
    first = max(monday_of(assignment.start_date), this_week - dt.timedelta(weeks=CALENDAR_WEEKS - 1))
    if first > this_week:
        return ClientCalendar(rows=(), sessions_per_week=assignment.sessions_per_week)
    mondays = [first + dt.timedelta(weeks=i) for i in range((this_week - first).days // 7 + 1)]
    # Every session newer than the first week, of any assignment: its index is its place in the list.
    rows = (
        LoggedSession.objects.filter(client=client, deleted_at__isnull=True, performed_at__gte=week_start(coach, first))
        .annotate(set_count=Count("sets"))
        .order_by("-performed_at")
        .values_list("id", "performed_at", "day", "assignment_id", "set_count")
    )
    names = {day.number: day.name for day in days}
    refs: list[LoggedRef] = []
    for index, (pk, performed_at, day, assignment_id, set_count) in enumerate(rows):
        page = index // page_size + 1
        own = assignment_id == assignment.pk and day in names
        refs.append(
            LoggedRef(
                id=pk,
                on=local_date(coach, performed_at),
                day=day if own else None,
                counted=set_count > 0,
                link=f"{'' if page == 1 else f'?page={page}'}#session-{pk}",
            )
        )
    weeks = plan_weeks(
        days, refs, mondays, sessions_per_week=assignment.sessions_per_week, today=today, start=assignment.start_date
    )
    out: list[CalendarRow] = []
    for week in weeks:
        done = {mark.session for mark in week.marks if mark.status == DONE}  # the mark links to these
        cells = tuple(
            CalendarCell(date, tuple(_link(week, ref, names) for ref in date.sessions if ref not in done))
            for date in week.dates
        )
        of = f"{week.logged} of {week.sessions_per_week} session{'s' if week.sessions_per_week != 1 else ''}"
        if week.finished:
            pct = adherence_pct(week.logged, week.sessions_per_week)
            band = adherence_band(pct)
            pct_text = f"{fmt_num(pct)}%"
            title = f"Week of {_day_month(week.monday)}: {of}, {fmt_num(pct)}% ({band})"
        else:
            pct, band = None, "current"
            pct_text = "so far"
            title = f"Week of {_day_month(week.monday)}: {of} so far"
        out.append(CalendarRow(week=week, cells=cells, pct=pct, band=band, pct_text=pct_text, title=title))
    mixed = any(day.weekdays for day in days) and any(not day.weekdays for day in days)
    return ClientCalendar(rows=tuple(out), sessions_per_week=assignment.sessions_per_week, mixed=mixed)
