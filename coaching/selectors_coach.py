"""Reads for the coach's browser pages: dashboard, client list, client page (the review queue's are
in ``coaching.reviews.selectors``).

Every function takes the ``Coach`` (already resolved through ``coaching.access``) and runs a
fixed number of queries whatever the number of clients, sessions or reviews.

Weeks are Monday–Sunday in the coach's time zone (docs/domain.md "Weekly review: metrics").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from coaching.access import visible_clients
from coaching.metrics import adherence_pct, best_e1rm_kg, e1rm_kg, rounded, volume_load_kg, weaker_side_pct
from coaching.models import (
    Assignment,
    AssignmentDay,
    Client,
    Coach,
    LoggedSession,
    LoggedSet,
    ReviewItem,
    WeeklyReview,
)
from coaching.reviews.selectors import review_flags
from coaching.videos.selectors import VIDEOS_PREFETCH
from coaching.weeks import coach_zone, local_today, local_week_of, monday_of, week_start
from programs.faults import fault_label
from programs.models import Exercise
from programs.progression.text import fmt_num

ATTENTION_ADHERENCE_PCT = 50
ASYMMETRY_PCT = 90
CHART_WEEKS = 12


# --- set arithmetic ---------------------------------------------------------------------------


def set_amount(logged: LoggedSet) -> int:
    """Reps, or seconds for a hold (docs/domain.md: holds use seconds as reps)."""
    return logged.reps if logged.reps is not None else (logged.seconds or 0)


# --- dashboard ---------------------------------------------------------------------------------


@dataclass
class AttentionRow:
    client: Client
    reasons: list[tuple[str, str]] = field(default_factory=list)  # (kind, text)
    link: str = ""
    link_label: str = "Open client"

    @property
    def kinds(self) -> set[str]:
        return {kind for kind, _ in self.reasons}


@dataclass
class TrainingToday:
    """A client with a training day pinned to today's weekday, and their first session today."""

    client: Client
    day: AssignmentDay
    logged_at: dt.datetime | None  # None: nothing logged today yet
    logged_day: int | None  # the day that session followed (None: dayless)
    logged_time: str = ""  # "08:30", the coach's time

    @property
    def logged_other_day(self) -> bool:
        return self.logged_at is not None and self.logged_day != self.day.number


@dataclass
class Dashboard:
    today: dt.date
    this_week: dt.date
    last_week: dt.date
    pending_reviews: list[WeeklyReview]
    attention: list[AttentionRow]
    recent_sessions: Sequence[LoggedSession]
    clients_count: int
    training_today: list[TrainingToday] = field(default_factory=list)


def _active_clients(coach: Coach) -> list[Client]:
    """The coach's active clients and those shared with them (``client.coach_id`` tells them apart)."""
    return list(
        visible_clients(coach.user)
        .filter(is_active=True)
        .order_by("name", "id")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.filter(is_active=True), to_attr="active_assignments")
        )
    )


def _pending_reviews(coach: Coach) -> list[WeeklyReview]:
    return list(
        WeeklyReview.objects.filter(
            assignment__client__in=visible_clients(coach.user), status=WeeklyReview.Status.PENDING
        )
        .select_related("assignment__client")
        .prefetch_related(Prefetch("items", queryset=ReviewItem.objects.order_by("position")))
        .order_by("-week_start", "assignment__client__name", "id")
    )


def dashboard_for(coach: Coach, *, now: dt.datetime | None = None) -> Dashboard:
    today = local_today(coach, now)
    this_week = monday_of(today)
    last_week = this_week - dt.timedelta(days=7)
    clients = _active_clients(coach)
    reviews = _pending_reviews(coach)
    sets = list(
        LoggedSet.objects.filter(
            session__client__in=[client.pk for client in clients],
            session__deleted_at__isnull=True,
            session__performed_at__gte=week_start(coach, last_week),
        )
        .select_related("session", "exercise")
        .order_by("session__performed_at", "position")
    )
    recent = list(
        LoggedSession.objects.filter(client__in=visible_clients(coach.user), deleted_at__isnull=True)
        .select_related("client")
        .annotate(set_count=Count("sets"))
        .order_by("-performed_at")[:8]
    )
    sets_by_client: dict[int, list[LoggedSet]] = defaultdict(list)
    for s in sets:
        sets_by_client[s.session.client_id].append(s)
    reviews_by_client: dict[int, list[WeeklyReview]] = defaultdict(list)
    for review in reviews:
        reviews_by_client[review.assignment.client_id].append(review)

    attention: list[AttentionRow] = []
    for client in clients:
        active: list[Assignment] = client.active_assignments  # type: ignore[attr-defined]  # Prefetch(to_attr=)
        assignment = active[0] if active else None
        if assignment is None:
            continue
        row = _attention_for(coach, client, assignment, sets_by_client[client.pk], last_week, this_week)
        for review in reviews_by_client[client.pk]:
            if "refer" in review_flags(review):
                row.reasons.insert(0, ("refer", f"Review of {review.week_start:%d %b} says: see a clinician"))
                row.link = f"/reviews/{review.pk}/"
                row.link_label = "Open review"
        if row.reasons:
            attention.append(row)
    severity = {"refer": 0, "pain": 1, "adherence": 2, "asymmetry": 3, "no_data": 4}
    attention.sort(key=lambda r: (min(severity.get(k, 9) for k in r.kinds), r.client.name))
    return Dashboard(
        training_today=training_today(coach, today),
        today=today,
        this_week=this_week,
        last_week=last_week,
        pending_reviews=reviews,
        attention=attention,
        recent_sessions=recent,
        clients_count=len(clients),
    )


def training_today(coach: Coach, today: dt.date) -> list[TrainingToday]:
    """The coach's active clients whose active assignment pins a day to ``today``'s weekday (the
    coach's ``today``), each with their first session logged that date. One query: the pin is a
    bit test in SQL (``weekday_mask`` bit 0 = Monday), the session a subquery."""
    zone = coach_zone(coach)
    start = dt.datetime.combine(today, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    first_today = LoggedSession.objects.filter(
        client=OuterRef("assignment__client"), deleted_at__isnull=True, performed_at__gte=start, performed_at__lt=end
    ).order_by("performed_at")
    bit = 1 << today.weekday()
    days = (
        AssignmentDay.objects.filter(
            assignment__is_active=True, assignment__client__coach=coach, assignment__client__is_active=True
        )
        .annotate(today_bit=F("weekday_mask").bitand(bit))
        .filter(today_bit=bit)
        .annotate(
            logged_at=Subquery(first_today.values("performed_at")[:1]),
            logged_day=Subquery(first_today.values("day")[:1]),
        )
        .select_related("assignment__client")
        .order_by("assignment__client__name", "assignment__client_id", "position")
    )
    return [
        TrainingToday(
            client=day.assignment.client,
            day=day,
            logged_at=day.logged_at,
            logged_day=day.logged_day,
            logged_time=f"{timezone.localtime(day.logged_at, zone):%H:%M}" if day.logged_at else "",
        )
        for day in days
    ]


def _attention_for(
    coach: Coach,
    client: Client,
    assignment: Assignment,
    sets: Sequence[LoggedSet],
    last_week: dt.date,
    this_week: dt.date,
) -> AttentionRow:
    row = AttentionRow(client=client, link=f"/clients/{client.pk}/")
    by_week: dict[dt.date, list[LoggedSet]] = defaultdict(list)
    for s in sets:
        by_week[local_week_of(coach, s.session.performed_at)].append(s)
    last = by_week.get(last_week, [])
    if assignment.first_monday <= last_week:
        logged = len({s.session_id for s in last})
        pct = adherence_pct(logged, assignment.sessions_per_week)
        if pct < ATTENTION_ADHERENCE_PCT:
            row.reasons.append(
                ("adherence", f"Adherence {pct:g}% last week ({logged} of {assignment.sessions_per_week} sessions)")
            )
    painful = [s for s in sets if s.pain]
    if painful:
        worst = max(painful, key=lambda s: (s.pain, s.session.performed_at))
        day = timezone.localtime(worst.session.performed_at, coach_zone(coach))
        row.reasons.append(("pain", f"Pain {worst.pain}/10 on {worst.exercise.name} ({day:%a %d %b})"))
    per_side: dict[str, list[LoggedSet]] = defaultdict(list)
    for s in last:
        if s.exercise.is_per_side:
            per_side[s.exercise.name].append(s)
    for name, group in sorted(per_side.items()):
        weaker = weaker_side_pct(group)
        if weaker is not None and weaker < ASYMMETRY_PCT:
            row.reasons.append(("asymmetry", f"{name}: weaker side at {weaker:g}% of the stronger last week"))
    if assignment.start_date <= this_week + dt.timedelta(days=6) and not by_week.get(this_week):
        row.reasons.append(("no_data", "No session logged this week yet"))
    return row


# --- client list ---------------------------------------------------------------------------------

CLIENT_FILTERS = {
    "all": "All clients",
    "active": "On a program",
    "no_program": "No program",
    "invited": "Invite not accepted",
    "review": "Review waiting",
}


def clients_list(coach: Coach, *, query: str = "", status: str = "all") -> QuerySet[Client]:
    """A coach's clients with their active assignment, last session and pending reviews."""
    last_session = (
        LoggedSession.objects.filter(client=OuterRef("pk"), deleted_at__isnull=True)
        .order_by("-performed_at")
        .values("performed_at")[:1]
    )
    pending = (
        WeeklyReview.objects.filter(assignment__client=OuterRef("pk"), status=WeeklyReview.Status.PENDING)
        .values("assignment__client")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    qs = (
        Client.objects.filter(coach=coach)
        .annotate(last_session_at=Subquery(last_session), pending_reviews=Subquery(pending))
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(is_active=True).select_related("program"),
                to_attr="active_assignments",
            )
        )
        .order_by("name", "id")
    )
    query = query.strip()
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(email__icontains=query))
    if status == "active":
        qs = qs.filter(assignments__is_active=True)
    elif status == "no_program":
        qs = qs.exclude(assignments__is_active=True)
    elif status == "invited":
        qs = qs.filter(user__isnull=True)
    elif status == "review":
        qs = qs.filter(pending_reviews__gt=0)
    return qs


# --- client page ---------------------------------------------------------------------------------


@dataclass
class WeekPoint:
    week: dt.date
    value: float | None


@dataclass
class ExerciseSeries:
    exercise: Exercise
    e1rm: list[WeekPoint]
    volume: list[WeekPoint]


@dataclass
class TimelineEntry:
    when: dt.datetime
    session_id: Any
    exercise: str
    side: str
    pain: int | None
    faults: list[str]


@dataclass
class ClientProgress:
    weeks: list[dt.date]
    adherence: list[WeekPoint]
    series: list[ExerciseSeries]
    timeline: list[TimelineEntry]


def client_progress(coach: Coach, client: Client, assignment: Assignment | None, *, now: Any = None) -> ClientProgress:
    """Per week: best e1RM, volume load per exercise, adherence; and the pain and fault timeline.

    The weeks run from the week of the client's first session (at most the last 12, the current
    one included) to this week: no empty weeks before they started, and none at all for a client
    who has logged nothing yet. Two queries."""
    this_week = monday_of(local_today(coach, now))
    first_session = (
        LoggedSession.objects.filter(client=client, deleted_at__isnull=True)
        .order_by("performed_at")
        .values_list("performed_at", flat=True)
        .first()
    )
    if first_session is None:
        return ClientProgress(weeks=[], adherence=[], series=[], timeline=[])
    first = max(this_week - dt.timedelta(weeks=CHART_WEEKS - 1), local_week_of(coach, first_session))
    first = min(first, this_week)  # a session dated ahead of today still gives this week's charts
    weeks = [first + dt.timedelta(weeks=i) for i in range((this_week - first).days // 7 + 1)]
    sets = list(
        LoggedSet.objects.filter(
            session__client=client,
            session__deleted_at__isnull=True,
            session__performed_at__gte=week_start(coach, first),
        )
        .select_related("session", "exercise")
        .order_by("session__performed_at", "position")
    )
    sessions_by_week: dict[dt.date, set[Any]] = defaultdict(set)
    by_exercise: dict[int, dict[dt.date, list[LoggedSet]]] = defaultdict(lambda: defaultdict(list))
    exercises: dict[int, Exercise] = {}
    timeline: list[TimelineEntry] = []
    for s in sets:
        week = local_week_of(coach, s.session.performed_at)
        sessions_by_week[week].add(s.session_id)
        by_exercise[s.exercise_id][week].append(s)
        exercises[s.exercise_id] = s.exercise
        if s.pain or s.faults:
            timeline.append(
                TimelineEntry(
                    when=s.session.performed_at,
                    session_id=s.session_id,
                    exercise=s.exercise.name,
                    side=s.side,
                    pain=s.pain or None,
                    faults=[fault_label(f) for f in s.faults],
                )
            )
    adherence: list[WeekPoint] = []
    for week in weeks:
        started = assignment is not None and assignment.start_date <= week + dt.timedelta(days=6)
        if assignment is None or not started or week >= this_week:
            adherence.append(WeekPoint(week, None))
            continue
        adherence.append(WeekPoint(week, adherence_pct(len(sessions_by_week[week]), assignment.sessions_per_week)))
    series: list[ExerciseSeries] = []
    for ex_id, per_week in sorted(by_exercise.items(), key=lambda kv: exercises[kv[0]].name):
        e1rm: list[WeekPoint] = []
        volume: list[WeekPoint] = []
        for week in weeks:
            group = per_week.get(week, [])
            e1rm.append(WeekPoint(week, rounded(best_e1rm_kg(group), 1)))
            volume.append(WeekPoint(week, rounded(volume_load_kg(group), 1) if group else None))
        series.append(ExerciseSeries(exercise=exercises[ex_id], e1rm=e1rm, volume=volume))
    timeline.reverse()
    return ClientProgress(weeks=weeks, adherence=adherence, series=series, timeline=timeline[:40])


@dataclass
class ExerciseInSession:
    """One exercise of a logged session as one line: "3 × 8 @ 110 kg", its best set and its marks."""

    exercise: Exercise
    sets: list[LoggedSet]
    summary: str
    best: str  # the best set, when the sets differ ("" when they are all alike)
    e1rm: float | None  # the best estimated 1RM in kg (Epley, fault-free sets of 1–12 reps)
    faults: list[tuple[str, int]]  # (label, sets with that fault), most frequent first
    pain: int | None  # the highest pain reported on a set, when any


def _load_text(sets: Sequence[LoggedSet]) -> str:
    """ "@ 110 kg", "@ 100–110 kg", or "(bodyweight)" when no set carried a load."""
    if all(s.load_kg <= 0 for s in sets):
        return "(bodyweight)"
    low = min(sets, key=lambda s: s.load_kg)
    high = max(sets, key=lambda s: s.load_kg)
    low_text, high_text = fmt_num(low.load_display), fmt_num(high.load_display)
    if (low_text, low.unit) == (high_text, high.unit):
        return f"@ {high_text} {high.unit}"
    if low.unit == high.unit:
        return f"@ {low_text}–{high_text} {high.unit}"
    return f"@ {low_text} {low.unit}–{high_text} {high.unit}"


def _amounts_text(sets: Sequence[LoggedSet]) -> str:
    """ "3 × 8" when the sets are alike, else each set's reps ("8, 6, 5"); holds in seconds."""
    seconds = all(s.reps is None for s in sets)
    amounts = [set_amount(s) for s in sets]
    suffix = " s" if seconds else ""
    if len(set(amounts)) == 1:
        return f"{len(amounts)} × {amounts[0]}{suffix}"
    return ", ".join(str(a) for a in amounts) + suffix


def _set_text(logged: LoggedSet) -> str:
    """ "110 kg × 6", "20 s @ 45 lb", "12 reps", with the side of a per-side set."""
    amount = f"{logged.seconds} s" if logged.reps is None else f"{logged.reps}"
    load = f"{fmt_num(logged.load_display)} {logged.unit}"
    if logged.load_kg <= 0:
        text = amount if logged.reps is None else f"{amount} reps"
    elif logged.reps is None:
        text = f"{amount} @ {load}"
    else:
        text = f"{load} × {amount}"
    return f"{text} ({logged.side})" if logged.side != LoggedSet.Side.BOTH else text


def _exercise_line(exercise: Exercise, sets: list[LoggedSet]) -> ExerciseInSession:
    by_side: dict[str, list[LoggedSet]] = defaultdict(list)
    for s in sets:
        by_side[s.side].append(s)
    if set(by_side) == {"left", "right"} and _amounts_text(by_side["left"]) == _amounts_text(by_side["right"]):
        dose = f"{_amounts_text(by_side['left'])} per side"
    elif set(by_side) <= {"both"}:
        dose = _amounts_text(sets)
    else:
        dose = " · ".join(
            f"{side} {_amounts_text(by_side[side])}" if side != "both" else _amounts_text(by_side[side])
            for side in ("both", "left", "right")
            if by_side.get(side)
        )
    e1rms = [(v, s) for s in sets if (v := e1rm_kg(s)) is not None]
    if e1rms:
        best_value, best_set = max(e1rms, key=lambda pair: pair[0])
    else:
        best_value, best_set = None, max(sets, key=lambda s: (s.load_kg, set_amount(s)))
    alike = len({(set_amount(s), s.load_kg) for s in sets}) == 1
    fault_counts: dict[str, int] = defaultdict(int)
    for s in sets:
        for slug in dict.fromkeys(s.faults):
            fault_counts[fault_label(slug)] += 1
    pains = [s.pain for s in sets if s.pain]
    return ExerciseInSession(
        exercise=exercise,
        sets=sets,
        summary=f"{dose} {_load_text(sets)}",
        best="" if alike else _set_text(best_set),
        e1rm=rounded(best_value, 1),
        faults=sorted(fault_counts.items(), key=lambda kv: -kv[1]),
        pain=max(pains, default=None),
    )


def session_exercises(sets: Iterable[LoggedSet]) -> list[ExerciseInSession]:
    """A session's sets as one line per exercise, in the order the exercises were first logged."""
    grouped: dict[int, list[LoggedSet]] = {}
    exercises: dict[int, Exercise] = {}
    for s in sets:
        grouped.setdefault(s.exercise_id, []).append(s)
        exercises[s.exercise_id] = s.exercise
    return [_exercise_line(exercises[ex_id], group) for ex_id, group in grouped.items()]


def client_sessions(client: Client) -> QuerySet[LoggedSession]:
    return (
        LoggedSession.objects.filter(client=client, deleted_at__isnull=True)
        .prefetch_related(
            Prefetch("sets", queryset=LoggedSet.objects.select_related("exercise").order_by("position")),
            VIDEOS_PREFETCH,
        )
        .order_by("-performed_at")
    )
