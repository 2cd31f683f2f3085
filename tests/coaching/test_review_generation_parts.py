"""The batch's three parts: ``batch_reads`` (the selector), ``batch_inputs`` (the pure conversion
to the engine's values) and ``reviews_write`` (claims reviews and writes their proposals)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching.models import Assignment, Client, Coach, CoachFault, LoggedSet, WeeklyReview
from coaching.reviews.generation import (
    REVIEW_COLUMNS,
    BatchReads,
    LineExercise,
    LineRow,
    batch_inputs,
    batch_reads,
    reviews_generate_batch,
)
from coaching.sessions.faults.services import coach_faults_replace
from programs.models import Exercise
from programs.progression import CoachTag
from tests.coaching.test_review_generation import WEEK, _log_at, good_week, log, rdl
from tests.factories import ClientFactory

RDL = (1, "romanian-deadlift", "Romanian deadlift", "barbell", "reps", "bilateral", None, None, None)
SWING = (2, "kettlebell-swing", "Kettlebell swing", "kettlebell", "reps", "bilateral", None, None, None)


def _reads(*, zone: str = "UTC", earlier: list[tuple[int, int, dt.datetime]] | None = None) -> BatchReads:
    """One assignment (unsaved rows: the conversion must not need the database) with one RDL line."""
    coach = Coach(pk=1, user_id=10, time_zone=zone)
    client = Client(pk=3, coach=coach, name="Ada")
    assignment = Assignment(
        pk=7, client=client, start_date=dt.date(2026, 10, 5), unit="kg", sessions_per_week=2,
        load_increment_pct=Decimal("5"),
    )  # fmt: skip
    line = LineRow(
        exercise_id=1, exercise=LineExercise("romanian-deadlift", "barbell", "reps"), sets=3, reps_low=8,
        reps_high=12, seconds_low=None, seconds_high=None, load_kg=Decimal("60"), unit="kg", tempo="",
        target_rpe=None, rest_seconds=None, day=1, position=0,
    )  # fmt: skip
    monday = dt.datetime(2026, 11, 17, 18, 0, tzinfo=dt.UTC)
    return BatchReads(
        week_start=WEEK,
        assignments=[assignment],
        lines={7: [line]},
        library=[RDL, SWING],
        sessions=[("s1", 3, monday, None)],
        set_rows=[("s1", f"u{i}", 1, "both", 12, None, "60", None, None, "[]", None, "kg") for i in range(3)],
        earlier=earlier or [],
    )


def test_conversion_needs_no_database() -> None:
    # No ``db`` fixture: any query would fail the test.
    (review,) = batch_inputs(_reads()).reviews
    ((inp, _line),) = review.proposals_in
    assert [s.id for s in inp.sessions] == ["s1"]
    assert len(inp.sessions[0].sets) == 3
    assert inp.sessions[0].sets[0].load_kg == Decimal("60")
    assert inp.line.exercise == "romanian-deadlift"
    assert inp.last_done_before is None


@pytest.mark.parametrize(
    ("zone", "last", "local_day"),
    [
        ("UTC", dt.datetime(2026, 10, 1, 23, 30, tzinfo=dt.UTC), dt.date(2026, 10, 1)),
        ("Pacific/Auckland", dt.datetime(2026, 10, 1, 23, 30, tzinfo=dt.UTC), dt.date(2026, 10, 2)),
        ("America/Los_Angeles", dt.datetime(2026, 10, 1, 3, 0, tzinfo=dt.UTC), dt.date(2026, 9, 30)),
    ],
)
def test_last_done_before_the_window_is_the_engine_field_in_local_time(
    zone: str, last: dt.datetime, local_day: dt.date
) -> None:
    (review,) = batch_inputs(_reads(zone=zone, earlier=[(3, 1, last)])).reviews
    ((inp, _line),) = review.proposals_in
    assert inp.last_done_before == local_day
    # No made-up session stands for it any more.
    assert [s.id for s in inp.sessions] == ["s1"]


def test_last_done_before_takes_the_latest_of_an_exercise() -> None:
    older = dt.datetime(2026, 9, 1, 12, 0, tzinfo=dt.UTC)
    newer = dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.UTC)
    other = dt.datetime(2026, 10, 20, 12, 0, tzinfo=dt.UTC)
    reads = _reads(earlier=[(3, 1, newer), (3, 1, older), (3, 2, other)])
    ((inp, _line),) = batch_inputs(reads).reviews[0].proposals_in
    assert inp.last_done_before == dt.date(2026, 10, 1)


def test_an_assignment_without_a_prescription_gets_no_inputs() -> None:
    reads = _reads()
    assert batch_inputs(BatchReads(**{**reads.__dict__, "lines": {}})).reviews == []


@pytest.mark.django_db
def test_the_library_is_read_once_per_batch(coach: Any) -> None:
    clients = [ClientFactory(coach=coach, with_assignment=True) for _ in range(3)]
    for client in clients:
        good_week(client)
    ids = [c.assignments.get().pk for c in clients]
    table = Exercise._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        summary = reviews_generate_batch(week_start=WEEK, assignment_ids=ids, notify=False)
    assert summary.created == 3
    library_reads = [q["sql"] for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]
    assert len(library_reads) == 1, library_reads


@pytest.mark.django_db
def test_a_break_before_the_window_regresses_through_the_engine_field(client_profile: Client) -> None:
    """A session five weeks back (before the three-week window) and one in the week: the break
    rule measures the gap from the earlier session's real date."""
    log(client_profile, dt.date(2026, 10, 12), rdl(12))
    log(client_profile, WEEK + dt.timedelta(days=1), rdl(12))
    assignment = client_profile.assignments.get()
    assert batch_reads(week_start=WEEK, assignment_ids=[assignment.pk]).earlier  # read as a date only
    reviews_generate_batch(week_start=WEEK, assignment_ids=[assignment.pk], notify=False)
    item = WeeklyReview.objects.get(assignment=assignment).items.get(exercise__slug="romanian-deadlift")
    assert (item.rule, item.action) == ("data", "regress")
    assert "return_from_break" in item.flags
    assert "36-day break (12 Oct → 17 Nov" in item.rationale


@pytest.mark.django_db
def test_a_batch_reads_and_writes_in_a_constant_number_of_queries(coach: Any) -> None:
    """Assignments, versions, lines, library, sessions, sets, coach tags, earlier dates; the claim, our
    reviews and the proposals' insert (inside one transaction): the same for 1 client or 12."""
    counts = []
    for n in (1, 12):
        clients = [ClientFactory(coach=coach, with_assignment=True) for _ in range(n)]
        for client in clients:
            good_week(client)
        ids = [c.assignments.get().pk for c in clients]
        with CaptureQueriesContext(connection) as queries:
            assert reviews_generate_batch(week_start=WEEK, assignment_ids=ids, notify=False).created == n
        counts.append(len(queries.captured_queries))
    # 14 before the library was read once; +1 days, +1 webhook endpoints, +1 coach tags; -1 the claim
    # returns its reviews (no select of them after the insert)
    assert counts[0] == counts[1] <= 13, counts


def test_no_made_up_session_stands_for_older_history() -> None:
    """Guard: history before the window reaches the engine as ``last_done_before`` only, never
    as a fake session (an id such as "earlier-<slug>" with a set of 0 reps)."""
    from pathlib import Path

    source = (Path(__file__).resolve().parents[2] / "coaching/reviews/generation.py").read_text()
    assert "earlier-" not in source
    assert "last_done_before=" in source


def test_coach_tags_reach_the_engine_dated_in_the_coachs_zone() -> None:
    reads = _reads(zone="Pacific/Auckland")
    late = dt.datetime(2026, 11, 18, 20, 0, tzinfo=dt.UTC)  # Thursday 19 Nov in Auckland
    tagged = BatchReads(**{**reads.__dict__, "coach_tags": [("s1", "u1", "core_lost", "coach", late)]})
    ((inp, _line),) = batch_inputs(tagged).reviews[0].proposals_in
    got = [s.coach_faults for s in inp.sessions[0].sets]
    assert got == [(), (CoachTag("core_lost", "coach", dt.date(2026, 11, 19)),), ()]
    assert [s.faults for s in inp.sessions[0].sets] == [(), (), ()]


@pytest.mark.django_db
def test_a_coachs_tags_change_the_review_and_are_read_once_per_batch(coach: Any) -> None:
    clients = [ClientFactory(coach=coach, with_assignment=True) for _ in range(3)]
    for client in clients:
        good_week(client)
    tagged = LoggedSet.objects.filter(session__client=clients[0], session__performed_at__date=WEEK).order_by("position")
    session = tagged[0].session
    for s in tagged[:2]:  # two of the week's six sets: a third
        coach_faults_replace(session=session, logged_set=s, user=coach.user, role="coach", faults=["bar_drift"])
    ids = [c.assignments.get().pk for c in clients]
    table = CoachFault._meta.db_table
    with CaptureQueriesContext(connection) as queries:
        reviews_generate_batch(week_start=WEEK, assignment_ids=ids, notify=False)
    assert len([q for q in queries.captured_queries if f'FROM "{table}"' in q["sql"]]) == 1
    items = {
        r.assignment.client_id: r.items.get(exercise__slug="romanian-deadlift")
        for r in WeeklyReview.objects.select_related("assignment")
    }
    assert (items[clients[0].pk].rule, items[clients[0].pk].action) == ("technique", "regress")
    assert "bar drift ×2, 2 faults tagged by your coach on " in items[clients[0].pk].rationale
    assert all(items[c.pk].rule == "progress" for c in clients[1:])


@pytest.mark.django_db
def test_a_claimed_review_holds_the_models_defaults_in_the_columns_it_does_not_write(
    client_profile: Client,
) -> None:
    """``reviews_claim`` writes only ``REVIEW_COLUMNS``: every other column is as a new
    ``WeeklyReview()`` has it, and the written ones are the week's, pending, with the metrics."""
    good_week(client_profile)
    assignment = client_profile.assignments.get()
    before = timezone.now()
    assert reviews_generate_batch(week_start=WEEK, assignment_ids=[assignment.pk], notify=False).created == 1
    review = WeeklyReview.objects.get(assignment=assignment)
    fresh = WeeklyReview()
    written = {"id", *REVIEW_COLUMNS}
    for model_field in WeeklyReview._meta.concrete_fields:
        if model_field.name not in written:
            assert getattr(review, model_field.attname) == getattr(fresh, model_field.attname), model_field.name
    assert (review.week_start, review.status, review.recomputed_cause, review.replaced_item_ids) == (
        WEEK, WeeklyReview.Status.PENDING, "", []
    )  # fmt: skip
    assert review.metrics["sessions_logged"] == 2
    assert before <= review.created_at <= timezone.now()


@pytest.mark.django_db
def test_timestamps_read_as_text_are_the_stored_instants(client_profile: Client) -> None:
    """The window's sessions, the coach's tags and the last time before the window are read as
    text and parsed (``_instant``): each is the stored instant, aware, to the microsecond."""
    assignment = client_profile.assignments.get()
    in_week = dt.datetime(2026, 11, 18, 3, 4, 5, 123456, tzinfo=dt.UTC)
    long_ago = dt.datetime(2026, 10, 12, 23, 59, 58, 7, tzinfo=dt.UTC)
    _log_at(client_profile, assignment.pk, in_week, rdl(10))
    _log_at(client_profile, assignment.pk, long_ago, rdl(10))
    session = client_profile.sessions.get(performed_at=in_week)
    logged = session.sets.order_by("position")[0]
    coach_faults_replace(
        session=session, logged_set=logged, user=client_profile.coach.user, role="coach", faults=["bar_drift"]
    )
    tagged_at = CoachFault.objects.get().at
    reads = batch_reads(week_start=WEEK, assignment_ids=[assignment.pk])
    [(_, client_id, performed_at, *_rest)] = reads.sessions
    assert (client_id, performed_at) == (client_profile.pk, in_week)
    assert performed_at.utcoffset() == dt.timedelta(0)
    assert {last for _, _, last in reads.earlier} == {long_ago}
    assert [tag[-1] for tag in reads.coach_tags] == [tagged_at]
