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

from django.db import connection
from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce
from django.db.models.lookups import LessThan
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
from coaching.parsing import parse_id
from coaching.videos.selectors import VIDEOS_PREFETCH
from coaching.weeks import coach_zone, local_today, local_week_of, monday_of, week_start
from programs.faults import fault_label
from programs.models import Exercise
from programs.progression.text import fmt_num

ATTENTION_ADHERENCE_PCT = 50
ASYMMETRY_PCT = 90
CHART_WEEKS = 12
ATTENTION_PER_PAGE = 20  # clients needing attention per page of the dashboard's card
PENDING_SHOWN = 8  # reviews waiting shown on the dashboard (the queue has them all)
RECENT_SESSIONS = 8
TRAINING_TODAY_SHOWN = 20  # clients training today listed before "show all"


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
    pinned: int = 0  # how many days are pinned to today in all (the list may show the first few)

    @property
    def logged_other_day(self) -> bool:
        return self.logged_at is not None and self.logged_day != self.day.number


@dataclass
class AttentionPage:
    """One page of the clients needing attention (``?attention=N``), with what its links need."""

    assignments: list[FlaggedAssignment]
    number: int
    count: int
    per_page: int = 20

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.count else 0

    @property
    def end_index(self) -> int:
        return min(self.number * self.per_page, self.count)


@dataclass
class Dashboard:
    today: dt.date
    this_week: dt.date
    last_week: dt.date
    pending_reviews: list[WeeklyReview]  # the first PENDING_SHOWN, newest week first
    attention: list[AttentionRow]  # this page of ``attention_page``
    recent_sessions: Sequence[LoggedSession]
    clients_count: int
    training_today: list[TrainingToday] = field(default_factory=list)  # the first few, or all

    @property
    def training_today_count(self) -> int:
        return self.training_today[0].pinned if self.training_today else 0

    pending_count: int = 0
    attention_count: int = 0
    attention_page: AttentionPage | None = None


# Attention: the severity of a client's most serious reason (0 first), in SQL and for the page.
SEVERITY = {"refer": 0, "pain": 1, "adherence": 2, "asymmetry": 3, "no_data": 4}


def _pending_reviews(coach: Coach) -> tuple[list[Any], int]:
    """The number of reviews waiting, and the first few with the proposals their cards show."""
    pending = WeeklyReview.objects.filter(
        assignment__client__in=visible_clients(coach.user), status=WeeklyReview.Status.PENDING
    )
    flagged = ReviewItem.objects.annotate(flags_text=Cast("flags", TextField())).filter(
        Q(flags_text__contains='"refer"') | Q(flags_text__contains='"pain"')
    )
    proposals = ReviewItem.objects.filter(review=OuterRef("pk")).values("review").annotate(n=Count("pk")).values("n")
    first = list(
        pending.select_related("assignment__client")
        .defer("metrics", "replaced_item_ids")  # the card shows neither
        # The card's badges: the proposals flagged refer or pain only, with a count of all.
        .prefetch_related(Prefetch("items", queryset=flagged.order_by("position"), to_attr="flagged_items"))
        .annotate(
            waiting=Window(Count("pk")),  # all of them, counted in the same query
            proposals=Coalesce(Subquery(proposals[:1], output_field=IntegerField()), 0),
        )
        .order_by("-week_start", "assignment__client__name", "id")[:PENDING_SHOWN]
    )
    return first, (first[0].waiting if first else 0)


def _recent_sessions(coach: Coach) -> Sequence[LoggedSession]:
    """The latest sessions of the clients the coach reads, each with its set count (a subquery:
    counted for those rows only, after the limit).

    The coach's own clients' sessions come from ``session_coach_recent_idx`` (the session's coach,
    newest first), so a coach of ten clients never walks the newest sessions of every coach to find
    eight of theirs; the few others they read (shared with them, their team's as its owner) are
    looked up by client, and the two merged."""
    set_count = (
        LoggedSet.objects.filter(session=OuterRef("pk")).values("session").annotate(n=Count("pk")).values("n")[:1]
    )
    live = (
        LoggedSession.objects.filter(deleted_at__isnull=True)
        .select_related("client")
        .annotate(set_count=Coalesce(Subquery(set_count, output_field=IntegerField()), 0))
        .order_by("-performed_at", "-pk")
    )
    found = list(live.filter(coach=coach)[:RECENT_SESSIONS])
    others = list(visible_clients(coach.user).exclude(coach=coach).values_list("pk", flat=True))
    if others:
        found += live.filter(client_id__in=others).exclude(coach=coach)[:RECENT_SESSIONS]
        found.sort(key=lambda s: (s.performed_at, str(s.pk)), reverse=True)
    return found[:RECENT_SESSIONS]


def _weak_side(weaker: Any, stronger: Any) -> LessThan:
    """``weaker`` rounds (one decimal, half up) to under ASYMMETRY_PCT % of ``stronger``:
    weaker × 100 / stronger < ASYMMETRY_PCT − 0.05, in whole numbers."""
    return LessThan(
        ExpressionWrapper(weaker * Value(2000), output_field=DecimalField()),
        ExpressionWrapper(stronger * Value(ASYMMETRY_PCT * 20 - 1), output_field=DecimalField()),
    )


def _attention_assignments(coach: Coach, bounds: dict[str, Any]) -> QuerySet[Any, dict[str, Any]]:
    """The active assignments of the coach's active clients, each with its reasons for attention
    as subqueries per client (``_ATTENTION_SQL`` keeps the flagged ones, a page at a time)."""
    last_start, this_start, next_start = bounds["last_start"], bounds["this_start"], bounds["next_start"]
    sets = LoggedSet.objects.filter(session__client=OuterRef("client_id"), session__deleted_at__isnull=True)
    last_sessions = (
        LoggedSession.objects.filter(
            client=OuterRef("client_id"),
            deleted_at__isnull=True,
            performed_at__gte=last_start,
            performed_at__lt=this_start,
        )
        .filter(Exists(LoggedSet.objects.filter(session=OuterRef("pk"))))
        .values("client")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    value = Case(When(exercise__measure="seconds", then=F("seconds")), default=F("reps"))
    load = ExpressionWrapper(Coalesce(value, 0) * F("load_kg"), output_field=DecimalField())
    side_sums = {
        f"{prefix}_{side}": Coalesce(
            Sum(Case(When(side=side, then=expr), default=Value(0), output_field=out)), Value(0), output_field=out
        )
        for side in ("left", "right")
        for prefix, expr, out in (
            ("vol", load, DecimalField()),
            ("amount", Coalesce(value, 0), IntegerField()),
        )
    }
    lopsided = (
        sets.filter(session__performed_at__gte=last_start, session__performed_at__lt=this_start)
        .filter(exercise__laterality=Exercise.Laterality.PER_SIDE, side__in=["left", "right"])
        .values("exercise__name")
        .annotate(n_left=Count("pk", filter=Q(side="left")), n_right=Count("pk", filter=Q(side="right")), **side_sums)
        .filter(Q(n_left__gt=0) & Q(n_right__gt=0))
        .filter(
            (
                (Q(vol_left__gt=0) | Q(vol_right__gt=0))
                & (_weak_side(F("vol_left"), F("vol_right")) | _weak_side(F("vol_right"), F("vol_left")))
            )
            | (
                Q(vol_left__lte=0, vol_right__lte=0)
                & (_weak_side(F("amount_left"), F("amount_right")) | _weak_side(F("amount_right"), F("amount_left")))
            )
        )
    )
    # Each reason reads the client's sessions (or pending reviews) first, then their sets (or
    # proposals): were PostgreSQL to hash the subquery rather than run it per client, it reads the
    # recent sessions (session_recent_idx) or the pending reviews, never every set ever logged.
    refer = WeeklyReview.objects.filter(
        assignment__client=OuterRef("client_id"), status=WeeklyReview.Status.PENDING
    ).filter(Exists(_flagged_items("refer").filter(review=OuterRef("pk"))))
    session_sets = LoggedSet.objects.filter(session=OuterRef("pk"))

    def sessions_since(start: dt.datetime, end: dt.datetime | None = None) -> QuerySet[LoggedSession]:
        found = LoggedSession.objects.filter(client=OuterRef("client_id"), deleted_at__isnull=True)
        found = found.filter(performed_at__gte=start)
        return found.filter(performed_at__lt=end) if end is not None else found

    return (
        Assignment.objects.filter(
            is_active=True, client__in=visible_clients(coach.user).filter(is_active=True).values("pk")
        )
        .annotate(
            logged_last_week=Coalesce(Subquery(last_sessions, output_field=IntegerField()), 0),
            # Scalar subqueries, not EXISTS: PostgreSQL runs them per client and never swaps one
            # for a hashed scan of every client's sets (or proposals) ever logged.
            refer_any=Subquery(refer.values("pk")[:1]),
            pain_any=Subquery(
                sessions_since(last_start).filter(Exists(session_sets.filter(pain__gt=0))).values("pk")[:1]
            ),
            lopsided_any=Subquery(lopsided.values("exercise__name")[:1]),
            this_week_any=Subquery(
                sessions_since(this_start, next_start).filter(Exists(session_sets)).values("pk")[:1]
            ),
        )
        .values(
            "pk",
            "client_id",
            "start_date",
            "sessions_per_week",
            "logged_last_week",
            "refer_any",
            "pain_any",
            "lopsided_any",
            "this_week_any",
            client_name=F("client__name"),
            client_coach_id=F("client__coach_id"),
        )
        .order_by()
    )


# The reasons and the severity from one row of ``_attention_assignments`` (a derived table "t",
# each subquery run once per client): adherence_pct(logged, prescribed) < 50 rounded to one
# decimal is logged × 2000 < prescribed × 999.
_ATTENTION_SQL = f"""
SELECT t.*, COUNT(*) OVER () AS flagged FROM (
  SELECT r.pk, r.client_id, r.client_name, r.client_coach_id, r.start_date, r.sessions_per_week,
    r.logged_last_week,
    r.refer_any IS NOT NULL AS has_refer,
    r.pain_any IS NOT NULL AS has_pain,
    r.lopsided_any IS NOT NULL AS has_asymmetry,
    (r.start_date <= %s AND r.logged_last_week * 2000 < r.sessions_per_week * {ATTENTION_ADHERENCE_PCT * 20 - 1})
      AS low_adherence,
    (r.start_date <= %s AND r.this_week_any IS NULL) AS no_data
  FROM ({{inner}}) r
) t
WHERE t.has_refer OR t.has_pain OR t.low_adherence OR t.has_asymmetry OR t.no_data
ORDER BY CASE WHEN t.has_refer THEN {SEVERITY["refer"]} WHEN t.has_pain THEN {SEVERITY["pain"]}
  WHEN t.low_adherence THEN {SEVERITY["adherence"]} WHEN t.has_asymmetry THEN {SEVERITY["asymmetry"]}
  ELSE {SEVERITY["no_data"]} END, t.client_name, t.client_id
LIMIT %s OFFSET %s
"""


@dataclass
class FlaggedAssignment:
    """A row of the attention page: the active assignment, its client and the reasons it has."""

    pk: int
    client: Client
    start_date: dt.date
    sessions_per_week: int
    logged_last_week: int
    has_refer: bool
    has_pain: bool
    has_asymmetry: bool
    low_adherence: bool
    no_data: bool

    @property
    def client_id(self) -> int:
        return self.client.pk


def _attention_rows_sql(coach: Coach, bounds: dict[str, Any], limit: int, offset: int) -> tuple[list[Any], int]:
    """One page of ``_attention_assignments``' flagged rows, most serious first, and how many in all."""
    sql, params = _attention_assignments(coach, bounds).query.sql_with_params()
    # OFFSET 0 keeps PostgreSQL from folding the derived table into the outer query (which would
    # run each reason's subquery again for the filter and the sort); SQLite needs no fence.
    fence = " OFFSET 0" if connection.vendor == "postgresql" else ""
    last_week, this_week = bounds["last_week"], bounds["this_week"]
    with connection.cursor() as cursor:
        cursor.execute(
            _ATTENTION_SQL.format(inner=sql + fence),
            [last_week, this_week + dt.timedelta(days=6), *params, limit, offset],
        )
        names = [col[0] for col in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    flagged = [
        FlaggedAssignment(
            pk=row["pk"],
            client=Client(pk=row["client_id"], name=row["client_name"], coach_id=row["client_coach_id"]),
            start_date=row["start_date"],
            sessions_per_week=row["sessions_per_week"],
            logged_last_week=row["logged_last_week"],
            has_refer=bool(row["has_refer"]),
            has_pain=bool(row["has_pain"]),
            has_asymmetry=bool(row["has_asymmetry"]),
            low_adherence=bool(row["low_adherence"]),
            no_data=bool(row["no_data"]),
        )
        for row in rows
    ]
    return flagged, (rows[0]["flagged"] if rows else 0)


def _flagged_items(flag: str) -> QuerySet[ReviewItem]:
    """Proposals whose ``flags`` (a JSON list of slugs) hold ``flag``: the list's text holds the
    quoted slug (PostgreSQL and SQLite alike; a slug has no quote in it)."""
    return ReviewItem.objects.annotate(flags_text=Cast("flags", TextField())).filter(flags_text__contains=f'"{flag}"')


def dashboard_for(
    coach: Coach, *, now: dt.datetime | None = None, attention_page: Any = 1, all_today: bool = False
) -> Dashboard:
    today = local_today(coach, now)
    this_week = monday_of(today)
    last_week = this_week - dt.timedelta(days=7)
    bounds = {
        "last_week": last_week,
        "this_week": this_week,
        "last_start": week_start(coach, last_week),
        "this_start": week_start(coach, this_week),
        "next_start": week_start(coach, this_week + dt.timedelta(days=7)),
    }
    reviews, pending_count = _pending_reviews(coach)
    page = _attention_page(coach, bounds, attention_page)
    return Dashboard(
        training_today=training_today(coach, today, limit=None if all_today else TRAINING_TODAY_SHOWN),
        today=today,
        this_week=this_week,
        last_week=last_week,
        pending_reviews=reviews,
        pending_count=pending_count,
        attention=_attention_rows(coach, page.assignments, bounds),
        attention_count=page.count,
        attention_page=page,
        recent_sessions=_recent_sessions(coach),
        clients_count=visible_clients(coach.user).filter(is_active=True).count(),
    )


def _attention_rows(coach: Coach, assignments: list[FlaggedAssignment], bounds: dict[str, Any]) -> list[AttentionRow]:
    """One page of flagged clients with their reasons in words: the details (worst pain, the
    lopsided exercises, the reviews saying refer) read for these clients only."""
    client_ids = [a.client_id for a in assignments]
    worst = _worst_pain(coach, [a.client_id for a in assignments if a.has_pain], bounds["last_start"])
    lopsided = _lopsided(
        [a.client_id for a in assignments if a.has_asymmetry],
        bounds["last_start"],
        bounds["this_start"],
    )
    refer: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    if assignments:
        for pk, week, client_id in (
            WeeklyReview.objects.filter(
                assignment__client__in=client_ids,
                status=WeeklyReview.Status.PENDING,
            )
            .filter(Exists(_flagged_items("refer").filter(review=OuterRef("pk"))))
            .order_by("-week_start", "assignment__client__name", "id")
            .values_list("pk", "week_start", "assignment__client_id")
        ):
            refer[client_id].append((pk, week))
    rows: list[AttentionRow] = []
    for a in assignments:
        client = a.client
        row = AttentionRow(client=client, link=f"/clients/{client.pk}/")
        if a.low_adherence:
            logged = a.logged_last_week
            pct = adherence_pct(logged, a.sessions_per_week)
            row.reasons.append(
                ("adherence", f"Adherence {pct:g}% last week ({logged} of {a.sessions_per_week} sessions)")
            )
        if client.pk in worst:
            row.reasons.append(("pain", worst[client.pk]))
        for name, weaker in lopsided.get(client.pk, []):
            row.reasons.append(("asymmetry", f"{name}: weaker side at {weaker:g}% of the stronger last week"))
        if a.no_data:
            row.reasons.append(("no_data", "No session logged this week yet"))
        for pk, week in refer.get(client.pk, []):
            row.reasons.insert(0, ("refer", f"Review of {week:%d %b} says: see a clinician"))
            row.link = f"/reviews/{pk}/"
            row.link_label = "Open review"
        if row.reasons:
            rows.append(row)
    return rows


def _attention_page(coach: Coach, bounds: dict[str, Any], number: Any) -> AttentionPage:
    """The page ``number`` (1 for anything but a page number; the last when past it) of the
    flagged clients, counted in the same query."""
    parsed = min(parse_id(str(number or "1")) or 1, 10**6)  # no OFFSET past what SQL counts
    rows, count = _attention_rows_sql(coach, bounds, ATTENTION_PER_PAGE, (parsed - 1) * ATTENTION_PER_PAGE)
    if not rows and parsed > 1:  # past the last page: the last
        _, count = _attention_rows_sql(coach, bounds, 1, 0)
        parsed = max(1, -(-count // ATTENTION_PER_PAGE))
        rows, count = _attention_rows_sql(coach, bounds, ATTENTION_PER_PAGE, (parsed - 1) * ATTENTION_PER_PAGE)
    return AttentionPage(assignments=rows, number=parsed, count=count, per_page=ATTENTION_PER_PAGE)


def _worst_pain(coach: Coach, client_ids: list[int], since: dt.datetime) -> dict[int, str]:
    """Per client, the most painful set since ``since`` (the latest of equals) in words."""
    if not client_ids:
        return {}
    painful = LoggedSet.objects.filter(
        session__client=OuterRef("pk"), session__deleted_at__isnull=True, session__performed_at__gte=since, pain__gt=0
    ).order_by("-pain", "-session__performed_at", "position")
    zone = coach_zone(coach)
    out: dict[int, str] = {}
    for pk, pain, name, when in Client.objects.filter(pk__in=client_ids).values_list(
        "pk",
        Subquery(painful.values("pain")[:1]),
        Subquery(painful.values("exercise__name")[:1]),
        Subquery(painful.values("session__performed_at")[:1]),
    ):
        if pain:
            out[pk] = f"Pain {pain}/10 on {name} ({timezone.localtime(when, zone):%a %d %b})"
    return out


def _lopsided(client_ids: list[int], start: dt.datetime, end: dt.datetime) -> dict[int, list[tuple[str, float]]]:
    """Per client, the per-side exercises of last week whose weaker side is under ASYMMETRY_PCT %
    of the stronger (``weaker_side_pct``), by name; reads only these clients' per-side sets."""
    if not client_ids:
        return {}
    by_client: dict[int, dict[str, list[LoggedSet]]] = defaultdict(lambda: defaultdict(list))
    for s in (
        LoggedSet.objects.filter(
            session__client__in=client_ids,
            session__deleted_at__isnull=True,
            session__performed_at__gte=start,
            session__performed_at__lt=end,
            exercise__laterality=Exercise.Laterality.PER_SIDE,
        )
        .select_related("session", "exercise")
        .order_by("session__performed_at", "position")
    ):
        by_client[s.session.client_id][s.exercise.name].append(s)
    out: dict[int, list[tuple[str, float]]] = {}
    for client_id, groups in by_client.items():
        for name, group in sorted(groups.items()):
            weaker = weaker_side_pct(group)
            if weaker is not None and weaker < ASYMMETRY_PCT:
                out.setdefault(client_id, []).append((name, weaker))
    return out


def training_today(coach: Coach, today: dt.date, *, limit: int | None = None) -> list[TrainingToday]:
    """The coach's active clients whose active assignment pins a day to ``today``'s weekday (the
    coach's ``today``), each with their first session logged that date. One query: the pin is a
    bit test in SQL (``weekday_mask`` bit 0 = Monday), the session a subquery. With ``limit``, the
    first ``limit`` of them (``training_today_count`` says how many in all)."""
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
        .annotate(pinned=Window(Count("pk")))  # all of them, counted in the same query
        .order_by("assignment__client__name", "assignment__client_id", "position")
    )
    if limit is not None:
        days = days[:limit]
    return [
        TrainingToday(
            client=day.assignment.client,
            day=day,
            logged_at=day.logged_at,
            logged_day=day.logged_day,
            logged_time=f"{timezone.localtime(day.logged_at, zone):%H:%M}" if day.logged_at else "",
            pinned=day.pinned,
        )
        for day in days
    ]


# --- client list ---------------------------------------------------------------------------------

CLIENT_FILTERS = {
    "all": "All clients",
    "active": "On a program",
    "no_program": "No program",
    "invited": "Invite not accepted",
    "review": "Review waiting",
}


def clients_list(coach: Coach, *, query: str = "", status: str = "all") -> QuerySet[Client]:
    """A coach's clients with their active assignment, last session and pending reviews: one row
    per client, all in one query (the page reads one page of it)."""
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
    active = Assignment.objects.filter(client=OuterRef("pk"), is_active=True)  # one at most
    qs = (
        Client.objects.filter(coach=coach)
        .annotate(
            last_session_at=Subquery(last_session),
            pending_reviews=Subquery(pending),
            # The active assignment as the row shows it, in the same query (one row per client).
            active_id=Subquery(active.values("pk")[:1]),
            active_program=Subquery(active.values("program__name")[:1]),
            active_sessions_per_week=Subquery(active.values("sessions_per_week")[:1]),
            active_start=Subquery(active.values("start_date")[:1]),
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
