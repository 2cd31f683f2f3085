"""Generating weekly reviews: once per assignment and week, in batches, safe to run twice.

A batch has three parts. ``batch_reads`` (the selector) reads its rows in a constant number of
queries: assignments, prescription versions and lines, the library once, the sessions and sets
of the look-back window, and when each exercise was last done before it. ``batch_inputs`` turns
those rows into the engine's values without touching the database. ``reviews_write`` claims the
reviews and writes their proposals with bulk inserts in one transaction: the unique (assignment,
week) constraint plus ``ON CONFLICT DO NOTHING ... RETURNING`` claims the work, so a concurrent or
repeated run inserts nothing twice, and a review never exists without its proposals.

``review_outcome`` runs the same three steps for one review that exists already: late data
(``coaching.reviews.recompute``) recomputes a pending review with it and writes the items with
``item_rows`` and ``items_insert``, as ``reviews_write`` does.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, CharField, Exists, OuterRef, Q, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from coaching.models import (
    Assignment,
    AssignmentDay,
    Coach,
    CoachFault,
    LoggedSession,
    LoggedSet,
    PrescriptionLine,
    ReviewItem,
    ReviewNotice,
    WeeklyReview,
)
from coaching.selectors import version_ids_in_force
from coaching.services.bulk import concrete_fields, insert_rows, use_sqlite_variable_limit
from coaching.teams.services import cosign_requests_for
from coaching.webhooks.services import Event, events_record_many
from coaching.weeks import (
    UTC_ZONE,
    coach_zone,
    first_week,
    last_finished_week,
    last_finished_week_in,
    monday_of,
    review_due,
)
from programs.days import default_name
from programs.lines import Line as LineValue
from programs.models import Exercise
from programs.progression import (
    AssignmentSettings,
    Checkin,
    CoachTag,
    ExerciseFacts,
    Prescription,
    Proposal,
    ReviewInput,
    SessionLog,
    Unit,
    prescription_order,
    propose_prescription,
    week_metrics,
)
from programs.progression import LoggedSet as EngineSet

# The sets a review reads: the reviewed week and the three calendar weeks before it, which the
# e1RM comparison needs. Older history only matters as "when was the exercise last done": one
# aggregate query answers that with the real date, passed as ``ReviewInput.last_done_before``.
# That is enough for every rule: a session older than the window lies more than 14 days before
# the week, so when it is the previous one the break rule fires (with the gap measured from its
# real date) before any rule that would look at its sets.
WINDOW_WEEKS = 3
# A new review's columns (the others are nullable, None until it is decided or recomputed).
REVIEW_COLUMNS = (
    "assignment", "week_start", "status", "metrics", "created_at", "recomputed_cause", "replaced_item_ids",
)  # fmt: skip
ITEM_COLUMNS = (
    "review", "position", "exercise", "action", "flags", "rule", "current", "proposed", "rationale", "decision",
    "day", "day_name",
)  # fmt: skip
# On SQLite a batch's window sessions are passed to the sets' read as a list of ids up to this
# many (well under the parameters a statement binds), else as a subquery. PostgreSQL binds them as
# one array, whatever their number.
MAX_LISTED_SESSIONS = 20_000
# How far back the hourly task catches up on weeks missed while the workers were down.
CATCH_UP_WEEKS = 8


@dataclass
class GenerationSummary:
    created: int = 0
    skipped: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    queries_batches: int = 0

    def add(self, other: GenerationSummary) -> None:
        self.created += other.created
        self.skipped += other.skipped
        self.actions.update(other.actions)
        self.queries_batches += other.queries_batches


def week_over(week_start: dt.date, *, now: dt.datetime | None = None) -> bool:
    """Is the week starting ``week_start`` over for every coach with an active assignment, each
    in their own time zone (in UTC when there is none)? Before that its reviews lack data."""
    now = now or timezone.now()
    coaches = Coach.objects.filter(clients__assignments__is_active=True).distinct()
    zones = {coach_zone(coach) for coach in coaches} or {UTC_ZONE}
    return all(week_start <= last_finished_week_in(zone, now) for zone in zones)


# --- converting rows to the engine's values ----------------------------------------------

# One library row: pk, slug, name, implement, measure, laterality, easier slug, harder slug, owner
# (the coach's user id; None for the shared library).
LIBRARY_COLUMNS = (
    "pk",
    "slug",
    "name",
    "implement",
    "measure",
    "laterality",
    "easier__slug",
    "harder__slug",
    "owner_id",
)


def _facts(rows: Iterable[tuple[Any, ...]]) -> dict[Any, dict[str, ExerciseFacts]]:
    """Library per owner (None = shared): slug -> facts."""
    by_owner: dict[Any, dict[str, ExerciseFacts]] = defaultdict(dict)
    for _pk, slug, name, implement, measure, laterality, easier, harder, owner_id in rows:
        by_owner[owner_id][slug] = ExerciseFacts(
            slug=slug, name=name, implement=implement, measure=measure, laterality=laterality,
            easier=easier, harder=harder,
        )  # fmt: skip
    return by_owner


# --- one batch: read, convert, run the engine, write -------------------------------------


def _eligible(assignments: Iterable[Assignment], week_start: dt.date) -> list[Assignment]:
    return [a for a in assignments if first_week(a.start_date) <= week_start]


@dataclass(frozen=True, slots=True)
class LineExercise:
    """What a review needs of a line's exercise (``programs.lines.ExerciseLike``)."""

    slug: str
    implement: str
    measure: str


@dataclass(frozen=True, slots=True)
class LineRow:
    """A prescription line as a review reads it: its columns, never a model instance (building one
    per line cost more than the read). The attributes ``programs.lines.Line.from_row`` reads.
    ``done_before``: when the client last did the exercise before the look-back window, as text
    (``_instant``)."""

    exercise_id: int
    exercise: LineExercise
    sets: int
    reps_low: int | None
    reps_high: int | None
    seconds_low: int | None
    seconds_high: int | None
    load_kg: Decimal
    unit: str
    tempo: str
    target_rpe: Decimal | None
    rest_seconds: int | None
    day: int
    position: int
    pre_deload: dict[str, Any] | None = None
    done_before: str | None = None

    @property
    def range_low(self) -> int:
        return self.reps_low if self.reps_low is not None else (self.seconds_low or 0)

    @property
    def range_high(self) -> int:
        return self.reps_high if self.reps_high is not None else (self.seconds_high or 0)


# The lines' columns read, in ``LineRow``'s order after the version's id.
LINE_COLUMNS = (
    "version_id", "exercise_id", "exercise__slug", "exercise__implement", "exercise__measure", "sets", "reps_low",
    "reps_high", "seconds_low", "seconds_high", "load_kg", "unit", "tempo", "target_rpe", "rest_seconds", "day",
    "position", "pre_deload", "done_before",
)  # fmt: skip


@dataclass(frozen=True)
class BatchReads:
    """Everything one batch reads, as rows: converting them needs no database.

    ``lines``: per assignment, the lines of the version in force at the week's end (with their
    exercise); an assignment without one is missing. ``sessions``: (id as text, client id,
    performed at) of the look-back window. ``set_rows``: (session id as text, set id as text (None
    when the window has no coach tags), exercise id, side, reps, seconds, load in kg as text, RPE
    as text, tempo kept, faults as JSON, pain, unit), by session and position. ``earlier``:
    (client id, exercise id, last performed) before the window. ``coach_tags``: (session id as
    text, set id as text, fault, role, tagged at) of the window's sessions: a coach's tags count
    as faults (docs/domain.md "Conversation and form").
    """

    week_start: dt.date
    assignments: list[Assignment]
    lines: dict[int, list[LineRow]]
    library: list[tuple[Any, ...]]
    sessions: list[tuple[Any, ...]]  # (id, client id, performed at, day, *CHECKIN_COLUMNS)
    set_rows: list[tuple[Any, ...]]
    earlier: list[tuple[int, int, dt.datetime]]
    skipped: int = 0
    # assignment id -> its days as (number, name), in their order.
    days: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    coach_tags: list[tuple[Any, ...]] = field(default_factory=list)


# A session's check-in columns, read with its row (no query more per assignment).
CHECKIN_COLUMNS = ("checkin_sleep", "checkin_soreness", "checkin_stress", "checkin_low_back", "checkin_cut_taken")


def _checkin(columns: Sequence[Any]) -> Checkin | None:
    """The engine's check-in from a session row's ``CHECKIN_COLUMNS`` (none answered: None)."""
    if not columns:
        return None
    sleep, soreness, stress, low_back, cut_taken = columns
    if sleep is None and soreness is None and stress is None and not low_back:
        return None
    return Checkin(sleep, soreness, stress, low_back or None, bool(cut_taken))


def batch_reads(*, week_start: dt.date, assignment_ids: Sequence[int], reviewed: bool = False) -> BatchReads:
    """Read what the reviews of ``week_start`` for these assignments need, in a constant number of
    queries: the assignments without a review yet (with ``reviewed``, those with one too: a
    recompute), the versions in force with their lines, the library once, the sessions and sets of
    the window, and when each exercise was last done before it."""
    week_end = week_start + dt.timedelta(days=6)
    candidates = Assignment.objects.filter(pk__in=list(assignment_ids), is_active=True)
    if not reviewed:
        candidates = candidates.exclude(reviews__week_start=week_start)
    assignments = _eligible(candidates.select_related("client__coach"), week_start)
    skipped = len(set(assignment_ids)) - len(assignments)
    if not assignments:
        return BatchReads(week_start, [], {}, [], [], [], [], skipped)
    coach_users = {a.client.coach.user_id for a in assignments}
    window_lo, window_hi = _window(week_start)
    # Before the window only "when was the exercise last done" matters (a break of 28+ days):
    # read with each line, the client's latest earlier session with a set of the line's exercise
    # (by slug, in the batch's library): session_client_time_idx walked down from the window.
    done_before = (
        LoggedSession.objects.filter(
            Exists(
                LoggedSet.objects.filter(
                    Q(exercise__owner__isnull=True) | Q(exercise__owner_id__in=coach_users),
                    session_id=OuterRef("pk"),
                    # Always true; it makes SQLite probe the (session, position) index rather
                    # than scan every set of the exercise (PostgreSQL picks it either way).
                    position__gte=0,
                    exercise__slug=OuterRef(OuterRef("exercise__slug")),
                )
            ),
            client_id=OuterRef("version__assignment__client_id"),
            deleted_at__isnull=True,
            performed_at__lt=window_lo,
        )
        .order_by("-performed_at")
        # As text: only its date matters, parsed by ``_instant`` (the driver's loader costs more).
        .annotate(performed_text=Cast("performed_at", CharField()))
        .values("performed_text")[:1]
    )
    # The versions in force by id (one query), then their lines' columns (one more): no version
    # row, no model instance.
    version_of = version_ids_in_force([a.pk for a in assignments], week_end)
    line_rows = (
        PrescriptionLine.objects.filter(version_id__in=list(version_of.values()))
        .annotate(done_before=Subquery(done_before))
        .order_by("version_id", "position")
        .values_list(*LINE_COLUMNS)
    )
    library = list(
        Exercise.objects.filter(Q(owner__isnull=True) | Q(owner_id__in=coach_users)).values_list(*LIBRARY_COLUMNS)
    )
    client_ids = {a.client_id for a in assignments}
    in_window = {
        "client_id__in": client_ids,
        "deleted_at__isnull": True,
        "performed_at__gte": window_lo,
        "performed_at__lt": window_hi,
    }
    # Ids compared as text: skips building a UUID per row, which dominated the batch's time.
    sessions = list(
        LoggedSession.objects.filter(**in_window)
        .annotate(sid=Cast("id", CharField()))
        .annotate(performed_text=Cast("performed_at", CharField()))
        .values_list("sid", "client_id", "performed_text", "day", *CHECKIN_COLUMNS)
    )
    sessions = [(sid, client_id, _instant(at), *rest) for sid, client_id, at, *rest in sessions]
    # The window's sets by the ids just read: PostgreSQL then probes the sets' session index for
    # them, where a subquery let it hash-join a scan of the whole sets table (every coach's). A
    # very long list (beyond what a statement can bind) falls back to the subquery: same rows.
    # On PostgreSQL the ids go as one array parameter (``= ANY(%s::uuid[])``): binding thousands
    # of list parameters cost more than the query itself.
    window_ids = [row[0] for row in sessions]
    window: Any
    if connection.vendor == "postgresql":
        column = f"{connection.ops.quote_name(LoggedSet._meta.db_table)}.{connection.ops.quote_name('session_id')}"
        window = RawSQL(f"{column} = ANY(%s::uuid[])", (window_ids,), output_field=BooleanField())
    elif len(sessions) <= MAX_LISTED_SESSIONS:
        window = Q(session__in=window_ids)
    else:
        window = Q(session__in=LoggedSession.objects.filter(**in_window))
    # The coaches' tags on the window's sets: one query for the batch, never one per assignment.
    coach_tags = list(
        CoachFault.objects.filter(session__in=LoggedSession.objects.filter(**in_window))
        .annotate(
            sid=Cast("session_id", CharField()),
            uid_text=Cast("set_uid", CharField()),
            at_text=Cast("at", CharField()),
        )
        .order_by("at", "id")
        .values_list("sid", "uid_text", "fault", "role", "at_text")
    )
    coach_tags = [(*row, _instant(at)) for *row, at in coach_tags]
    # The batch's biggest read: numbers and JSON arrive as text and the rows are read with the
    # driver's plain cursor, since Django's per-row converters cost more than the rest of the
    # batch. The SQL is still the ORM's (scoped by the same filters).
    sets_query = (
        LoggedSet.objects.filter(window)
        .annotate(
            sid=Cast("session_id", CharField()),
            # A set's id only matters to match a coach's tag: without tags, none is read.
            uid_text=Cast("uid", CharField()) if coach_tags else Value(None, output_field=CharField()),
            load_text=Cast("load_kg", CharField()),
            rpe_text=Cast("rpe", CharField()),
            fault_text=Cast("faults", TextField()),
        )
        .order_by("session_id", "position")
        .values_list(
            "sid",
            "uid_text",
            "exercise_id",
            "side",
            "reps",
            "seconds",
            "load_text",
            "rpe_text",
            "tempo_kept",
            "fault_text",
            "pain",
            "unit",
        )  # fmt: skip
    )
    set_rows: list[tuple[Any, ...]] = []
    if sessions:  # no session in the window: no sets (and an empty id list compiles to no SQL)
        sql, params = sets_query.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            set_rows = cursor.fetchall()
    # Every assignment with a version in force has its list, even an empty one.
    lines: dict[int, list[LineRow]] = {pk: [] for pk in version_of}
    assignment_of = {version_id: pk for pk, version_id in version_of.items()}
    exercises: dict[int, LineExercise] = {}
    for version_id, exercise_id, slug, implement, measure, *columns in line_rows:
        exercise = exercises.get(exercise_id)
        if exercise is None:
            exercise = exercises[exercise_id] = LineExercise(slug, implement, measure)
        lines[assignment_of[version_id]].append(LineRow(exercise_id, exercise, *columns))
    client_of = {a.pk: a.client_id for a in assignments}
    earlier = [
        (client_of[pk], line.exercise_id, _instant(line.done_before))
        for pk, version_lines in lines.items()
        for line in version_lines
        if line.done_before is not None
    ]
    days: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for assignment_id, number, name in AssignmentDay.objects.filter(
        assignment_id__in=[a.pk for a in assignments]
    ).values_list("assignment_id", "number", "name"):
        days[assignment_id].append((number, name))
    return BatchReads(
        week_start, assignments, lines, library, sessions, set_rows, earlier, skipped, dict(days), coach_tags
    )


def _instant(text: str) -> dt.datetime:
    """A timestamp read as text, aware: PostgreSQL writes it in ISO (the DateStyle the driver needs
    anyway) with its offset, SQLite as stored, naive UTC. ``fromisoformat`` builds it several times
    faster than the driver's loader, which dominated reading the window's sessions."""
    at = dt.datetime.fromisoformat(text)
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)


def _uid_key(value: Any) -> str:
    """A set id read as text, one spelling whatever the database (SQLite stores it as bare hex)."""
    return str(value).replace("-", "").lower()


def _coach_tags(reads: BatchReads) -> dict[tuple[str, str], tuple[CoachTag, ...]]:
    """(session id, set id) → the engine's coach tags, dated in the client's coach's time zone."""
    if not reads.coach_tags:
        return {}
    zones = {a.client_id: coach_zone(a.client.coach) for a in reads.assignments}
    client_of: dict[str, int] = {row[0]: row[1] for row in reads.sessions}
    found: dict[tuple[str, str], list[CoachTag]] = defaultdict(list)
    for sid, uid, fault, role, at in reads.coach_tags:
        client_id = client_of.get(sid)
        zone = zones.get(client_id) if client_id is not None else None
        if zone is None:
            continue
        found[(sid, _uid_key(uid))].append(CoachTag(fault=fault, role=role, on=at.astimezone(zone).date()))
    return {key: tuple(value) for key, value in found.items()}


def _window(week_start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The look-back window's bounds in UTC, wide enough for any time zone; sessions are placed
    in local weeks when converted."""
    week_end = week_start + dt.timedelta(days=6)
    window_lo = dt.datetime.combine(week_start - dt.timedelta(weeks=WINDOW_WEEKS, days=1), dt.time(), tzinfo=dt.UTC)
    window_hi = dt.datetime.combine(week_end + dt.timedelta(days=2), dt.time(), tzinfo=dt.UTC)
    return window_lo, window_hi


@dataclass(frozen=True)
class AssignmentInputs:
    """The engine's inputs for one assignment's review: one ``ReviewInput`` per line (with the
    line it came from), and the week's sessions for ``week_metrics``."""

    assignment: Assignment
    library: dict[str, ExerciseFacts]
    proposals_in: list[tuple[ReviewInput, LineRow]]
    sessions: tuple[SessionLog, ...]
    week_from: dt.date | None
    # day number -> the day's name, for the items.
    day_names: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class BatchInputs:
    reviews: list[AssignmentInputs]
    # (owner user id or None, slug) -> exercise pk: where a proposal's exercise is stored.
    exercise_ids: dict[tuple[Any, str], int]


def batch_inputs(reads: BatchReads) -> BatchInputs:
    """The rows of a batch as the engine's values. Pure: no database, unit-testable."""
    week_start = reads.week_start
    week_end = week_start + dt.timedelta(days=6)
    libraries = _facts(reads.library)
    slug_of = {row[0]: row[1] for row in reads.library}
    exercise_ids = {(row[8], row[1]): row[0] for row in reads.library}
    sets_by_session: dict[str, list[EngineSet]] = defaultdict(list)
    # Engine sets are immutable, so equal rows share one instance (most sets repeat their
    # session's reps and load): fewer objects to build and parse.
    interned: dict[tuple[Any, ...], EngineSet] = {}
    tags = _coach_tags(reads)
    for sid, uid, *row in reads.set_rows:
        set_tags = tags.get((sid, _uid_key(uid)), ()) if tags else ()
        key = (*row, set_tags)
        engine_set = interned.get(key)
        if engine_set is None:
            exercise_id, side, reps, seconds, load_kg, rpe, tempo_kept, faults, pain, unit = row
            engine_set = interned[key] = EngineSet(
                exercise=slug_of.get(exercise_id, ""),
                side=side,
                reps=reps,
                seconds=seconds,
                load_kg=Decimal(load_kg),
                rpe=None if rpe is None else Decimal(rpe),
                tempo_kept=None if tempo_kept is None else bool(tempo_kept),
                faults=() if faults in (None, "[]") else tuple(json.loads(faults)),
                pain=pain,
                unit=unit,
                coach_faults=set_tags,
            )
        sets_by_session[sid].append(engine_set)
    sessions_by_client: dict[int, list[tuple[str, dt.datetime, int | None, Checkin | None]]] = defaultdict(list)
    for sid, client_id, performed_at, day, *checkin in reads.sessions:
        sessions_by_client[client_id].append((sid, performed_at, day, _checkin(checkin)))
    earlier: dict[int, dict[str, dt.datetime]] = defaultdict(dict)
    for client_id, exercise_id, last in reads.earlier:
        slug = slug_of.get(exercise_id, "")
        known = earlier[client_id].get(slug)
        earlier[client_id][slug] = last if known is None else max(known, last)

    reviews = []
    for assignment in reads.assignments:
        lines = reads.lines.get(assignment.pk)
        if lines is None:
            continue
        coach = assignment.client.coach
        zone = coach_zone(coach)
        library = {**libraries.get(None, {}), **libraries.get(coach.user_id, {})}
        sessions = tuple(
            SessionLog(
                id=sid,
                performed_on=local_day,
                sets=tuple(sets_by_session.get(sid, ())),
                performed_at=performed_at,
                day=day,
                checkin=checkin,
            )
            for sid, performed_at, day, checkin in sessions_by_client.get(assignment.client_id, ())
            if (local_day := performed_at.astimezone(zone).date()) <= week_end
        )
        last_done = earlier.get(assignment.client_id, {})
        settings_ = AssignmentSettings(
            unit=cast(Unit, assignment.unit),
            load_increment_pct=assignment.load_increment_pct,
            deload_every_weeks=assignment.deload_every_weeks,
            first_monday=assignment.first_monday,
        )
        # In the first week only sessions from the start date on are the week's (local dates).
        week_from = assignment.start_date if assignment.start_date > week_start else None
        week_days = reads.days.get(assignment.pk) or [(1, default_name(0))]
        rank = {number: position for position, (number, _) in enumerate(week_days)}
        lines = sorted(lines, key=lambda row: (rank.get(row.day, len(rank)), row.position))
        engine_lines = tuple(LineValue.from_row(line).to_engine() for line in lines)
        prescription = Prescription(
            lines=engine_lines,
            days=tuple(number for number, _ in week_days),
            sessions_per_week=assignment.sessions_per_week,
        )
        proposals_in = []
        for line, engine_line in zip(lines, engine_lines, strict=True):
            before = last_done.get(line.exercise.slug)
            inp = ReviewInput(
                line=engine_line,
                prescription=prescription,
                settings=settings_,
                library=library,
                week_start=week_start,
                sessions=sessions,
                deload_in_force=(
                    LineValue.engine_from_json(line.pre_deload, assignment.unit) if line.pre_deload else None
                ),
                week_from=week_from,
                last_done_before=None if before is None else before.astimezone(zone).date(),
            )
            proposals_in.append((inp, line))
        reviews.append(AssignmentInputs(assignment, library, proposals_in, sessions, week_from, dict(week_days)))
    return BatchInputs(reviews, exercise_ids)


@dataclass(frozen=True)
class ReviewOutcome:
    """One assignment's review as the engine judged it: the week's metrics and one proposal per line."""

    assignment: Assignment
    metrics: dict[str, Any]
    proposals: list[tuple[Proposal, LineRow, dict[str, ExerciseFacts]]]
    day_names: dict[int, str] = field(default_factory=dict)


def _judge(inputs: AssignmentInputs, week_start: dt.date) -> ReviewOutcome:
    assignment = inputs.assignment
    metrics = week_metrics(
        week_start=week_start,
        sessions=inputs.sessions,
        sessions_prescribed=assignment.sessions_per_week,
        library=inputs.library,
        week_from=inputs.week_from,
    )
    # One engine call for all the lines: the week's sessions are split between them once.
    proposals: list[tuple[Proposal, LineRow, dict[str, ExerciseFacts]]] = []
    if inputs.proposals_in:
        first = inputs.proposals_in[0][0]
        prescription = first.prescription
        assert prescription is not None  # batch_inputs gives every input the prescription of its lines
        inputs_at = [(i, inp) for i, (inp, _) in enumerate(inputs.proposals_in)]
        found = propose_prescription(
            prescription,
            settings=first.settings,
            library=first.library,
            week_start=first.week_start,
            sessions=first.sessions,
            week_from=first.week_from,
            deloads_in_force={i: inp.deload_in_force for i, inp in inputs_at if inp.deload_in_force is not None},
            last_done_before={i: inp.last_done_before for i, inp in inputs_at if inp.last_done_before is not None},
        )
        # The items keep the order of the lines (already the review's order: by day, then position).
        by_line = dict(zip(prescription_order(prescription), found, strict=True))
        proposals = [(by_line[i], line, inputs.library) for i, (_, line) in enumerate(inputs.proposals_in)]
    return ReviewOutcome(assignment, metrics, proposals, inputs.day_names)


def item_rows(
    review_id: int, outcome: ReviewOutcome, exercise_ids: dict[tuple[Any, str], int]
) -> list[tuple[Any, ...]]:
    """The review's items as rows of ``ITEM_COLUMNS``, in the outcome's order."""
    rows: list[tuple[Any, ...]] = []
    coach_user = outcome.assignment.client.coach.user_id
    for position, (proposal, line, library) in enumerate(outcome.proposals):
        rest = line.rest_seconds if proposal.proposed.exercise == line.exercise.slug else None
        exercise_id = exercise_ids.get((coach_user, proposal.exercise)) or exercise_ids.get(
            (None, proposal.exercise), line.exercise_id
        )
        rows.append(
            (
                review_id,
                position,
                exercise_id,
                proposal.action,
                json.dumps(list(proposal.flags)),
                proposal.rule,
                json.dumps(LineValue.from_engine(proposal.current, library, line.rest_seconds).to_json()),
                json.dumps(LineValue.from_engine(proposal.proposed, library, rest).to_json()),
                proposal.rationale,
                ReviewItem.Decision.PENDING.value,
                proposal.day,
                outcome.day_names.get(proposal.day, default_name(proposal.day - 1)),
            )
        )
    return rows


def items_insert(rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert items' rows (``item_rows``) with one statement per chunk."""
    use_sqlite_variable_limit()
    insert_rows(ReviewItem, concrete_fields(ReviewItem, ITEM_COLUMNS), list(rows), json=True)


def review_outcome(
    *, assignment_id: int, week_start: dt.date
) -> tuple[ReviewOutcome, dict[tuple[Any, str], int]] | None:
    """One assignment's review of ``week_start`` judged from what is known now, whether or not it
    exists (a recompute): the same reads, inputs and engine as a batch. None when the assignment is
    inactive or has no prescription in force."""
    reads = batch_reads(week_start=week_start, assignment_ids=[assignment_id], reviewed=True)
    if not reads.assignments:
        return None
    inputs = batch_inputs(reads)
    if not inputs.reviews:
        return None
    return _judge(inputs.reviews[0], week_start), inputs.exercise_ids


def reviews_claim(*, week_start: dt.date, outcomes: Sequence[ReviewOutcome]) -> list[tuple[int, int]]:
    """Insert the week's reviews of these outcomes (pending, with their metrics) in one statement,
    skipping those the unique (assignment, week) constraint finds already written; (review id,
    assignment id) of the ones this call inserted, which are this run's to fill."""
    if not outcomes:
        return []
    fields = concrete_fields(WeeklyReview, REVIEW_COLUMNS)
    by_name = {field.name: field for field in fields}
    # The batch's shared values, made database-ready once; the columns left out are nullable
    # and default to None (tests/coaching/test_review_generation_parts.py compares the rows with
    # the model's defaults).
    week = by_name["week_start"].get_db_prep_save(week_start, connection)
    now = by_name["created_at"].get_db_prep_save(timezone.now(), connection)
    pending = WeeklyReview.Status.PENDING.value
    rows = [(o.assignment.pk, week, pending, json.dumps(o.metrics), now, "", "[]") for o in outcomes]
    use_sqlite_variable_limit()
    if not connection.features.can_return_rows_from_bulk_insert:
        # SQLite before 3.35 returns no rows: ours are then the ones still without proposals (a
        # concurrent run's have theirs once it committed), one query more.
        insert_rows(WeeklyReview, fields, rows, json=True, ignore_conflicts=True)
        return list(
            WeeklyReview.objects.filter(
                week_start=week_start, assignment_id__in=[o.assignment.pk for o in outcomes], items__isnull=True
            ).values_list("pk", "assignment_id")
        )
    returned = insert_rows(
        WeeklyReview,
        fields,
        rows,
        json=True,
        ignore_conflicts=True,
        returning=concrete_fields(WeeklyReview, ("id", "assignment")),
    )
    return [(int(review_id), int(assignment_id)) for review_id, assignment_id in returned]


def reviews_write(
    *,
    week_start: dt.date,
    outcomes: Sequence[ReviewOutcome],
    exercise_ids: dict[tuple[Any, str], int],
    notify: bool = True,
) -> GenerationSummary:
    """Claim the week's reviews and write their proposals, in one transaction.

    The unique (assignment, week) constraint claims a review (``reviews_claim``): ours are the
    ones the insert returns (a concurrent or earlier run's are skipped); only those get proposals.
    """
    summary = GenerationSummary()
    by_assignment = {outcome.assignment.pk: outcome for outcome in outcomes}
    with transaction.atomic():
        mine = reviews_claim(week_start=week_start, outcomes=outcomes)
        rows: list[tuple[Any, ...]] = []
        for review_id, assignment_id in mine:
            outcome = by_assignment[assignment_id]
            rows += item_rows(review_id, outcome, exercise_ids)
            summary.actions.update(proposal.action for proposal, _, _ in outcome.proposals)
        items_insert(rows)
        summary.created = len(mine)
        summary.skipped = len(outcomes) - len(mine)
        # The webhooks' events, in this transaction: once per review this run claimed.
        events_record_many(
            events=[
                Event(
                    by_assignment[assignment_id].assignment.client.coach_id,
                    "review.ready",
                    {
                        "review_id": review_id,
                        "client_id": by_assignment[assignment_id].assignment.client_id,
                        "assignment_id": assignment_id,
                        "week_start": week_start.isoformat(),
                    },
                )
                for review_id, assignment_id in mine
            ]
        )
        if notify and mine:
            coaches = {by_assignment[assignment_id].assignment.client.coach for _, assignment_id in mine}
            transaction.on_commit(lambda: _notify(coaches, week_start))
        if notify and mine:
            # Reviewers whose co-sign a new review waits for are emailed (coaching/teams).
            cosign_requests_for(
                review_ids=[review_id for review_id, _ in mine],
                client_ids={by_assignment[assignment_id].assignment.client_id for _, assignment_id in mine},
            )
    return summary


def reviews_generate_batch(
    *, week_start: dt.date, assignment_ids: Sequence[int], notify: bool = True
) -> GenerationSummary:
    """Create the missing reviews of ``week_start`` for these assignments (one batch): read,
    convert, run the engine, write."""
    reads = batch_reads(week_start=week_start, assignment_ids=assignment_ids)
    summary = GenerationSummary(queries_batches=1, skipped=reads.skipped)
    if not reads.assignments:
        return summary
    inputs = batch_inputs(reads)
    summary.skipped += len(reads.assignments) - len(inputs.reviews)  # no prescription in force
    outcomes = [_judge(review, week_start) for review in inputs.reviews]
    summary.add(
        reviews_write(week_start=week_start, outcomes=outcomes, exercise_ids=inputs.exercise_ids, notify=notify)
    )
    return summary


def _notify(coaches: Iterable[Coach], week_start: dt.date) -> None:
    """One email per coach and week; the unique ReviewNotice row claims the send.

    Only for the coach's latest finished week: weeks caught up after an outage don't each mail.
    """
    now = timezone.now()
    for coach in coaches:
        if week_start < last_finished_week(coach, now):
            continue
        try:
            with transaction.atomic():
                ReviewNotice.objects.create(coach=coach, week_start=week_start)
        except IntegrityError:
            continue
        url = settings.SITE_URL.rstrip("/") + reverse("coach-reviews")
        send_mail(
            subject=f"Your weekly reviews for the week of {week_start:%d %b} are ready",
            message=(
                f"Hello {coach},\n\nThe progression proposals for the week of {week_start:%d %b %Y} are ready "
                f"for you to approve, edit or reject:\n{url}\n\nHinge Coach"
            ),
            from_email=None,
            recipient_list=[coach.user.email],
            fail_silently=True,
        )


# --- choosing weeks and fanning out --------------------------------------------------------


def _batches(ids: Sequence[int]) -> list[list[int]]:
    size = settings.REVIEW_BATCH_SIZE
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


def due_batches(
    *, now: dt.datetime | None = None, catch_up_weeks: int = CATCH_UP_WEEKS
) -> list[tuple[dt.date, list[int]]]:
    """(week, assignment ids) batches the hourly task must generate, oldest week first.

    Per coach: every finished week in the look-back that has no review yet, the latest one
    only once the coach's review time has passed. Batches never mix coaches.
    """
    now = now or timezone.now()
    work: dict[tuple[dt.date, int], list[int]] = defaultdict(list)
    coaches = {c.pk: c for c in Coach.objects.all()}
    existing = set(
        WeeklyReview.objects.filter(
            week_start__gte=monday_of(now.date()) - dt.timedelta(weeks=catch_up_weeks + 1)
        ).values_list("assignment_id", "week_start")
    )
    for assignment in Assignment.objects.filter(is_active=True).select_related("client").order_by("pk"):
        coach = coaches[assignment.client.coach_id]
        latest = last_finished_week(coach, now)
        if not review_due(coach, now):
            latest -= dt.timedelta(days=7)
        for back in range(catch_up_weeks - 1, -1, -1):
            week = latest - dt.timedelta(weeks=back)
            if week >= first_week(assignment.start_date) and (assignment.pk, week) not in existing:
                work[(week, coach.pk)].append(assignment.pk)
    return [(week, batch) for (week, _), ids in sorted(work.items()) for batch in _batches(ids)]


def all_missing_batches(*, now: dt.datetime | None = None) -> list[tuple[dt.date, list[int]]]:
    """Every finished week of every active assignment that has no review yet (the command's default)."""
    now = now or timezone.now()
    existing = set(WeeklyReview.objects.values_list("assignment_id", "week_start"))
    coaches = {c.pk: c for c in Coach.objects.all()}
    work: dict[tuple[dt.date, int], list[int]] = defaultdict(list)
    for assignment in Assignment.objects.filter(is_active=True).select_related("client").order_by("pk"):
        coach = coaches[assignment.client.coach_id]
        week, latest = first_week(assignment.start_date), last_finished_week(coach, now)
        while week <= latest:
            if (assignment.pk, week) not in existing:
                work[(week, coach.pk)].append(assignment.pk)
            week += dt.timedelta(days=7)
    return [(week, batch) for (week, _), ids in sorted(work.items()) for batch in _batches(ids)]


def week_batches(week_start: dt.date) -> list[tuple[dt.date, list[int]]]:
    """Every active assignment for one week, whatever the look-back."""
    ids = list(Assignment.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))
    return [(week_start, batch) for batch in _batches(ids)]


def reviews_generate(
    batches: Sequence[tuple[dt.date, Sequence[int]]],
    *,
    progress: Callable[[int, int], None] | None = None,
) -> GenerationSummary:
    """Run batches in this process (the command, tests, the benchmark)."""
    summary = GenerationSummary()
    for done, (week, ids) in enumerate(batches, start=1):
        summary.add(reviews_generate_batch(week_start=week, assignment_ids=ids))
        if progress:
            progress(done, len(batches))
    return summary


__all__ = [
    "GenerationSummary",
    "item_rows",
    "items_insert",
    "review_outcome",
    "all_missing_batches",
    "due_batches",
    "reviews_generate",
    "reviews_generate_batch",
    "week_batches",
    "week_over",
]
