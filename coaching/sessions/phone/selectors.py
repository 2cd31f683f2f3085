"""Reads for the phone's Today: the day of the latest session, and the sessions "last time" comes
from. Each is scoped to the assignment the caller loaded through ``coaching.access`` (the client's
own active assignment) and runs a fixed number of queries, however long the history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncMonth, TruncWeek

from coaching.models import Assignment, AssignmentDay, Client, LoggedSession, LoggedSet, PrescriptionLine
from coaching.sessions.faults.models import CoachFault
from coaching.sessions.faults.selectors import attach_coach_faults
from coaching.videos.selectors import VIDEOS_PREFETCH
from coaching.weeks import coach_zone, local_today, monday_of, week_start
from programs.models import Exercise
from programs.progression.metrics import DECIMAL_CONTEXT
from programs.progression.thresholds import EPLEY_DIVISOR, EPLEY_MAX_REPS

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


# --- History: by month, best sets and weekly e1RM, each read in SQL --------------------------

# History shows the latest month in full, and the month before too while that leaves fewer than
# this many sessions on the page; older months are a summary line each, opened on demand.
HISTORY_FULL_SESSIONS = 12
# The e1RM charts: the best of each week, over the last year.
CHART_WEEKS = 52


@dataclass(frozen=True)
class MonthSummary:
    month: dt.date  # its first day, in the coach's time zone
    sessions: int


def _live_sessions(client: Client) -> QuerySet[LoggedSession]:
    return LoggedSession.objects.filter(client=client, deleted_at__isnull=True)


def history_months(client: Client) -> list[MonthSummary]:
    """Each month the client logged in, newest first, with its number of sessions (one query, a
    row per month)."""
    zone = coach_zone(client.coach)
    rows = (
        _live_sessions(client)
        .annotate(month=TruncMonth("performed_at", tzinfo=zone))
        .values("month")
        .annotate(sessions=Count("id"))
        .order_by("-month")
    )
    return [MonthSummary(_as_date(row["month"], zone), row["sessions"]) for row in rows]


def _as_date(value: dt.date | dt.datetime, zone: dt.tzinfo) -> dt.date:
    return value.astimezone(zone).date() if isinstance(value, dt.datetime) else value


def month_bounds(client: Client, month: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The month starting ``month`` (a first day) as [start, end) in the coach's time zone."""
    zone = coach_zone(client.coach)
    after = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return dt.datetime.combine(month, dt.time.min, tzinfo=zone), dt.datetime.combine(after, dt.time.min, tzinfo=zone)


def full_months(months: Sequence[MonthSummary]) -> list[MonthSummary]:
    """The months History shows in full by default: the latest, and the one before while fewer
    than ``HISTORY_FULL_SESSIONS`` sessions are shown."""
    shown: list[MonthSummary] = []
    for summary in months[:2]:
        if shown and sum(s.sessions for s in shown) >= HISTORY_FULL_SESSIONS:
            break
        shown.append(summary)
    return shown


def month_sessions(client: Client, months: Iterable[dt.date]) -> list[LoggedSession]:
    """The client's sessions of these months, newest first, sets in order with their exercises
    and videos, coach tags attached (four queries)."""
    window = Q()
    for month in months:
        start, end = month_bounds(client, month)
        window |= Q(performed_at__gte=start, performed_at__lt=end)
    if not window:
        return []
    sets = Prefetch("sets", queryset=LoggedSet.objects.select_related("exercise").order_by("position"))
    sessions = list(
        _live_sessions(client).filter(window).order_by("-performed_at").prefetch_related(sets, VIDEOS_PREFETCH)
    )
    attach_coach_faults(s for session in sessions for s in session.sets.all())
    return sessions


def _fault_free() -> Q:
    """Sets without a fault the client ticked or a coach tagged (``programs.progression.metrics.has_fault``)."""
    tagged = CoachFault.objects.filter(session_id=OuterRef("session_id"), set_uid=OuterRef("uid")).exclude(fault="")
    return Q(faults=[]) & ~Exists(tagged)


def _epley_times_30() -> Case:
    """kg × (30 + reps) for a set that has an e1RM (loaded, 1–12 reps of a reps exercise), else
    NULL: the e1RM × 30, exact in SQL (divided in Python, as ``metrics.set_e1rm_kg`` divides last)."""
    return Case(
        When(
            exercise__measure=Exercise.Measure.REPS,
            reps__gte=1,
            reps__lte=EPLEY_MAX_REPS,
            load_kg__gt=0,
            then=ExpressionWrapper(F("load_kg") * (Value(EPLEY_DIVISOR) + F("reps")), output_field=DecimalField()),
        ),
        default=None,
        output_field=DecimalField(),
    )


def e1rm_from_sql(value: Any) -> Decimal:
    with localcontext(DECIMAL_CONTEXT):
        return Decimal(str(value)) / EPLEY_DIVISOR


def history_exercises(client: Client, assignment: Assignment | None) -> list[tuple[Exercise, bool]]:
    """The exercises the client logged (True) or the assignment prescribes (False), by name: a row
    each, however many sets (two queries)."""
    logged = set(
        LoggedSet.objects.filter(session__client=client, session__deleted_at__isnull=True)
        .values_list("exercise_id", flat=True)
        .distinct()
        .order_by()
    )
    prescribed = PrescriptionLine.objects.filter(version__assignment=assignment).values("exercise_id")
    rows = Exercise.objects.filter(Q(pk__in=logged) | Q(pk__in=prescribed)).order_by("name", "id")
    return [(exercise, exercise.pk in logged) for exercise in rows]


def best_sets(client: Client) -> dict[int, LoggedSet]:
    """Each exercise's best fault-free set (the best e1RM; for sets without one, the heaviest then
    the most reps or seconds; the first done on a tie), with its session: ranked in SQL on narrow
    rows, then the winners read, a row per exercise (two queries)."""
    amount = Coalesce("seconds", "reps", Value(0))
    no_e1rm_then = lambda field: Case(When(e1rm_x30__isnull=True, then=field), default=None)  # noqa: E731
    ranked = (
        LoggedSet.objects.filter(_fault_free(), session__client=client, session__deleted_at__isnull=True)
        .annotate(e1rm_x30=_epley_times_30())
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("exercise_id")],
                order_by=[
                    F("e1rm_x30").desc(nulls_last=True),
                    no_e1rm_then(F("load_kg")).desc(nulls_last=True),
                    no_e1rm_then(amount).desc(nulls_last=True),
                    F("session__performed_at").asc(),
                    F("position").asc(),
                ],
            )
        )
        .filter(rank=1)
        .values_list("id", flat=True)
    )
    winners = LoggedSet.objects.filter(id__in=list(ranked)).select_related("exercise", "session")
    return {s.exercise_id: s for s in winners}


def weekly_e1rm(client: Client, *, now: dt.datetime | None = None) -> dict[int, list[tuple[dt.date, Decimal]]]:
    """Per exercise, the best e1RM (kg) of each week of the last ``CHART_WEEKS`` with one, oldest
    first: a row per exercise and week, computed in SQL (one query)."""
    coach = client.coach
    zone = coach_zone(coach)
    first = monday_of(local_today(coach, now)) - dt.timedelta(weeks=CHART_WEEKS - 1)
    rows = (
        LoggedSet.objects.filter(
            _fault_free(),
            session__client=client,
            session__deleted_at__isnull=True,
            session__performed_at__gte=week_start(coach, first),
        )
        .annotate(e1rm_x30=_epley_times_30(), week=TruncWeek("session__performed_at", tzinfo=zone))
        .filter(e1rm_x30__isnull=False)
        .values("exercise_id", "week")
        .annotate(best=Max("e1rm_x30"))
        .order_by("exercise_id", "week")
    )
    points: dict[int, list[tuple[dt.date, Decimal]]] = {}
    for row in rows:
        points.setdefault(row["exercise_id"], []).append((_as_date(row["week"], zone), e1rm_from_sql(row["best"])))
    return points
