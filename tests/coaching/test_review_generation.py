"""Weekly reviews: generated once per assignment and week, from the prescription in force."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from coaching.models import Client, PrescriptionVersion, ReviewItem, ReviewNotice, WeeklyReview
from coaching.reviews.decisions import ReviewAlreadyDecided, ReviewInputError, review_approve, review_reject
from coaching.reviews.generation import (
    due_batches,
    review_due,
    reviews_generate,
    reviews_generate_batch,
    week_batches,
)
from coaching.selectors import version_in_force
from coaching.services.prescriptions import assignment_create
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from programs.lines import Line
from tests.factories import ClientFactory, exercise

pytestmark = pytest.mark.django_db

WEEK = dt.date(2026, 11, 16)  # a Monday; the factory's assignment starts 2026-10-05


def log(client: Client, day: dt.date, sets: list[SetInput]) -> None:
    performed = dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)
    item = SessionInput(
        id=uuid.uuid4(),
        assignment_id=client.assignments.get().pk,
        performed_at=performed,
        client_modified_at=performed,
        sets=tuple(sets),
    )
    [result] = sessions_apply(user=client.coach.user, items=[item])
    assert result.status == "created", result.errors


def rdl(reps: int, load: str = "60", **extra: Any) -> list[SetInput]:
    return [SetInput(exercise="romanian-deadlift", reps=reps, load=Decimal(load), **extra) for _ in range(3)]


def good_week(client: Client) -> None:
    log(client, WEEK, rdl(10))
    log(client, WEEK + dt.timedelta(days=2), rdl(10))


def test_review_has_one_item_per_line_with_rule_and_rationale(client_profile: Client) -> None:
    good_week(client_profile)
    summary = reviews_generate(week_batches(WEEK))
    assert summary.created == 1
    review = WeeklyReview.objects.get()
    items = list(review.items.order_by("position"))
    assert [i.exercise.slug for i in items] == ["romanian-deadlift", "single-leg-rdl", "rdl-isometric-hold"]
    rdl_item = items[0]
    assert (rdl_item.action, rdl_item.rule) == ("progress", "progress")
    assert rdl_item.current["load"] == 60
    assert rdl_item.proposed["load"] == 62.5
    assert "60 kg → 62.5 kg" in rdl_item.rationale
    assert items[1].flags == ["no_data"]
    assert review.metrics["sessions_logged"] == 2
    assert review.metrics["sessions_prescribed"] == 3
    assert review.metrics["adherence_pct"] == 66.7


def test_generating_twice_creates_nothing_new(client_profile: Client) -> None:
    good_week(client_profile)
    reviews_generate(week_batches(WEEK))
    again = reviews_generate(week_batches(WEEK))
    assert again.created == 0
    assert again.skipped == 1
    assert WeeklyReview.objects.count() == 1
    assert ReviewItem.objects.count() == 3


def test_a_batch_that_lost_the_race_inserts_no_items(client_profile: Client, monkeypatch: Any) -> None:
    """Two workers on one batch: the loser read "no review yet" before the winner committed.

    Its insert is ignored by the unique (assignment, week) constraint and it adds no items.
    """
    from coaching.models import Assignment
    from coaching.reviews import generation as review_generation

    good_week(client_profile)
    assignment_id = client_profile.assignments.get().pk
    first = reviews_generate_batch(week_start=WEEK, assignment_ids=[assignment_id])
    real = review_generation._eligible
    stale_read = Assignment.objects.filter(pk=assignment_id).select_related("client__coach")
    monkeypatch.setattr(review_generation, "_eligible", lambda _assignments, week: real(stale_read, week))
    second = reviews_generate_batch(week_start=WEEK, assignment_ids=[assignment_id])
    assert (first.created, second.created) == (1, 0)
    assert WeeklyReview.objects.count() == 1
    assert ReviewItem.objects.count() == 3


def test_batch_queries_do_not_grow_with_clients(coach: Any, django_assert_max_num_queries: Any) -> None:
    clients = [ClientFactory(coach=coach, with_assignment=True) for _ in range(12)]
    for client in clients:
        good_week(client)
    ids = [c.assignments.get().pk for c in clients]
    with django_assert_max_num_queries(13):  # 14, +1 the coach tags; -1 the claim returns its reviews (13 now)
        summary = reviews_generate_batch(week_start=WEEK, assignment_ids=ids, notify=False)
    assert summary.created == 12


def test_unfinished_and_pre_start_weeks_get_no_review(client_profile: Client) -> None:
    assert reviews_generate(week_batches(dt.date(2026, 9, 28))).created == 0


def test_hourly_task_catches_up_missed_weeks_and_waits_for_review_time(client_profile: Client) -> None:
    coach = client_profile.coach
    # Monday 30 Nov 05:00 UTC: before the 06:00 review time, so the week of 23 Nov is not due yet.
    early = dt.datetime(2026, 11, 30, 5, 0, tzinfo=dt.UTC)
    assert not review_due(coach, early)
    weeks = sorted({week for week, _ in due_batches(now=early)})
    assert weeks[-1] == dt.date(2026, 11, 16)
    assert weeks[0] == dt.date(2026, 10, 5)  # nothing before the assignment's first Monday
    assert len({week for week, _ in due_batches(now=early, catch_up_weeks=3)}) == 3  # the look-back
    late = dt.datetime(2026, 11, 30, 6, 30, tzinfo=dt.UTC)
    assert max(week for week, _ in due_batches(now=late)) == dt.date(2026, 11, 23)
    reviews_generate(due_batches(now=late))
    assert due_batches(now=late) == []


def test_review_time_follows_the_coachs_time_zone(client_profile: Client) -> None:
    coach = client_profile.coach
    coach.time_zone, coach.review_weekday, coach.review_time = "America/New_York", 1, dt.time(7, 0)
    coach.save()
    # Tuesday 1 Dec 11:30 UTC is 06:30 in New York: not yet 07:00.
    assert not review_due(coach, dt.datetime(2026, 12, 1, 11, 30, tzinfo=dt.UTC))
    assert review_due(coach, dt.datetime(2026, 12, 1, 12, 5, tzinfo=dt.UTC))


def test_coach_gets_one_email_for_the_latest_week(
    client_profile: Client, monkeypatch: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from coaching.reviews import generation as review_generation

    monkeypatch.setattr(review_generation, "last_finished_week", lambda coach, now: WEEK)
    good_week(client_profile)
    other = ClientFactory(coach=client_profile.coach, with_assignment=True)
    with django_capture_on_commit_callbacks(execute=True):
        reviews_generate_batch(week_start=WEEK, assignment_ids=[client_profile.assignments.get().pk])
    with django_capture_on_commit_callbacks(execute=True):
        reviews_generate_batch(week_start=WEEK, assignment_ids=[other.assignments.get().pk])
    with django_capture_on_commit_callbacks(execute=True):
        reviews_generate_batch(week_start=WEEK - dt.timedelta(days=7), assignment_ids=[other.assignments.get().pk])
    assert len(mail.outbox) == 1
    assert "ready" in mail.outbox[0].subject
    assert "/reviews/" in mail.outbox[0].body  # links to the queue
    assert ReviewNotice.objects.count() == 1


def test_command_summarises_and_rejects_bad_weeks(client_profile: Client) -> None:
    good_week(client_profile)
    out = StringIO()
    call_command("generate_reviews", "--week", "2026-11-16", stdout=out)
    assert "Reviews created: 1" in out.getvalue()
    assert "progress 1" in out.getvalue()
    out = StringIO()
    call_command("generate_reviews", "--week", "2026-11-16", stdout=out)
    assert "Reviews created: 0; skipped as existing: 1" in out.getvalue()
    with pytest.raises(CommandError, match="Monday"):
        call_command("generate_reviews", "--week", "2026-11-17")
    with pytest.raises(CommandError, match="date like"):
        call_command("generate_reviews", "--week", "16/11/2026")


def test_command_default_generates_every_missing_finished_week(client_profile: Client) -> None:
    call_command("generate_reviews", stdout=StringIO())
    weeks = set(WeeklyReview.objects.values_list("week_start", flat=True))
    assert dt.date(2026, 10, 5) in weeks
    assert WEEK in weeks
    count = WeeklyReview.objects.count()
    call_command("generate_reviews", stdout=StringIO())
    assert WeeklyReview.objects.count() == count


# --- deciding -----------------------------------------------------------------------------


@pytest.fixture
def review(client_profile: Client) -> WeeklyReview:
    good_week(client_profile)
    reviews_generate(week_batches(WEEK))
    return WeeklyReview.objects.get()


def test_approve_all_makes_the_proposals_the_next_weeks_prescription(review: WeeklyReview, coach: Any) -> None:
    review_approve(review=review, user=coach.user)
    review.refresh_from_db()
    assert review.status == "approved"
    assert review.decided_by == coach.user
    assert review.decided_at is not None
    assignment = review.assignment
    before = version_in_force(assignment, WEEK + dt.timedelta(days=6))
    after = version_in_force(assignment, WEEK + dt.timedelta(days=7))
    assert before.source == "assigned"
    assert after.source == PrescriptionVersion.Source.REVIEW
    assert after.review == review
    assert after.changed_by == coach.user
    assert after.effective_from == dt.date(2026, 11, 23)
    assert "progress (progress)" in after.reason
    rdl_line = after.lines.get(position=0)
    assert rdl_line.load_display == Decimal("62.5")


def test_approve_some_keeps_the_others_current(review: WeeklyReview, coach: Any) -> None:
    first = review.items.get(position=0)
    review_approve(review=review, user=coach.user, items=[{"id": first.pk}])
    version = version_in_force(review.assignment, WEEK + dt.timedelta(days=7))
    decisions = list(review.items.order_by("position").values_list("decision", flat=True))
    assert decisions == ["approved", "kept", "kept"]
    assert version.lines.get(position=0).load_display == Decimal("62.5")
    assert version.lines.count() == 3


def test_edit_before_approving_writes_the_edited_line(review: WeeklyReview, coach: Any) -> None:
    first = review.items.get(position=0)
    edited = {**first.proposed, "load": 61}
    review_approve(review=review, user=coach.user, items=[{"id": first.pk, "proposed": edited}])
    first.refresh_from_db()
    assert first.decision == "edited"
    assert first.approved_line["load"] == 61
    line = version_in_force(review.assignment, WEEK + dt.timedelta(days=7)).lines.get(position=0)
    assert line.load_display == Decimal("61")


def test_bad_edit_is_a_field_error_and_nothing_changes(review: WeeklyReview, coach: Any) -> None:
    first = review.items.get(position=0)
    with pytest.raises(ReviewInputError) as exc:
        review_approve(
            review=review, user=coach.user, items=[{"id": first.pk, "proposed": {**first.proposed, "sets": 0}}]
        )
    assert exc.value.errors == {
        "items": [{"id": first.pk, "proposed": {"sets": ["Sets must be a whole number from 1 to 20."]}}]
    }
    review.refresh_from_db()
    assert review.status == "pending"
    assert PrescriptionVersion.objects.filter(source="review").count() == 0


def test_deciding_a_decided_review_is_refused(review: WeeklyReview, coach: Any) -> None:
    review_reject(review=review, user=coach.user)
    with pytest.raises(ReviewAlreadyDecided):
        review_approve(review=review, user=coach.user)
    with pytest.raises(ReviewAlreadyDecided):
        review_reject(review=review, user=coach.user)
    assert PrescriptionVersion.objects.filter(source="review").count() == 0


def test_pending_review_does_not_block_next_weeks_generation(review: WeeklyReview) -> None:
    client = review.assignment.client
    next_week = WEEK + dt.timedelta(days=7)
    log(client, next_week, rdl(10))
    reviews_generate(week_batches(next_week))
    nxt = WeeklyReview.objects.get(week_start=next_week)
    # Still generated from the prescription actually in force (the pending one changed nothing).
    assert nxt.items.get(position=0).current["load"] == 60


def test_approved_deload_is_followed_by_back_from_deload(client_profile: Client, coach: Any) -> None:
    assignment = client_profile.assignments.get()
    assignment.deload_every_weeks = 4
    assignment.save()
    # first Monday 5 Oct: week 7 is 16 Nov, week 8 (23 Nov) is a deload week.
    good_week(client_profile)
    reviews_generate(week_batches(WEEK))
    review = WeeklyReview.objects.get(week_start=WEEK)
    item = review.items.get(position=0)
    assert item.action == "deload"
    assert item.proposed["sets"] == 2
    review_approve(review=review, user=coach.user)
    nxt = WEEK + dt.timedelta(days=7)
    log(client_profile, nxt, [SetInput(exercise="romanian-deadlift", reps=8, load=Decimal("52.5")) for _ in range(2)])
    reviews_generate(week_batches(nxt))
    back = WeeklyReview.objects.get(week_start=nxt).items.get(position=0)
    assert (back.action, back.rule) == ("hold", "deload")
    assert back.proposed["sets"] == 3
    assert back.proposed["load"] == 60
    assert "back from deload" in back.rationale


@pytest.mark.parametrize(("days_before", "cut_to", "band"), [(25, "52.5", "14–27"), (40, "47.5", "28")])
def test_a_break_reaching_before_the_read_window_uses_the_real_date(
    client_profile: Client, days_before: int, cut_to: str, band: str
) -> None:
    """Sets older than the look-back window are not read; the last date still is."""
    log(client_profile, WEEK - dt.timedelta(days=days_before), rdl(10))
    log(client_profile, WEEK, rdl(10))
    reviews_generate(week_batches(WEEK))
    item = WeeklyReview.objects.get(week_start=WEEK).items.get(position=0)
    assert (item.action, item.rule, item.flags) == ("regress", "data", ["return_from_break"])
    assert item.proposed["load"] == float(cut_to)
    before = WEEK - dt.timedelta(days=days_before)
    assert f"{days_before}-day break" in item.rationale
    assert f"{before.day} {before:%b}" in item.rationale
    assert band in item.rationale


# --- an assignment that starts mid-week (docs/domain.md, "Weekly review: metrics") ------------------

WEDNESDAY = WEEK + dt.timedelta(days=2)


def _mid_week_assignment(client: Client) -> Any:
    """A new assignment from Wednesday 18 Nov (it ends the factory's one from 5 Oct)."""
    from coaching.services.prescriptions import assignment_create
    from tests.factories import default_lines

    return assignment_create(
        client=client, start_date=WEDNESDAY, lines=default_lines(), changed_by=client.coach.user, sessions_per_week=3
    )


def _log_at(client: Client, assignment_id: int, performed: dt.datetime, sets: list[SetInput]) -> None:
    item = SessionInput(
        id=uuid.uuid4(),
        assignment_id=assignment_id,
        performed_at=performed,
        client_modified_at=performed,
        sets=tuple(sets),
    )
    [result] = sessions_apply(user=client.coach.user, items=[item])
    assert result.status == "created", result.errors


def _first_week_log(client: Client) -> Any:
    """Faulted sets on Tuesday evening in New York (already Wednesday in UTC) under the old
    assignment, then two clean qualifying sessions from the new one's start."""
    coach = client.coach
    coach.time_zone = "America/New_York"
    coach.save()
    old = client.assignments.get()
    new = _mid_week_assignment(client)
    tuesday_evening = dt.datetime(2026, 11, 18, 3, 0, tzinfo=dt.UTC)  # 22:00 on Tue 17 Nov in New York
    _log_at(client, old.pk, tuesday_evening, rdl(10, faults=("knees_too_bent",)))
    _log_at(client, new.pk, dt.datetime(2026, 11, 18, 15, 0, tzinfo=dt.UTC), rdl(10))
    _log_at(client, new.pk, dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC), rdl(10))
    return new


def test_a_mid_week_start_gets_its_first_week_reviewed_from_the_start_date(client_profile: Client) -> None:
    assignment = _first_week_log(client_profile)
    summary = reviews_generate(week_batches(WEEK))
    assert summary.created == 1
    review = WeeklyReview.objects.get(assignment=assignment, week_start=WEEK)
    # The Tuesday session is history: not one of the week's sessions, and adherence is not prorated.
    assert review.metrics["sessions_logged"] == 2
    assert review.metrics["sessions_prescribed"] == 3
    assert review.metrics["adherence_pct"] == 66.7
    assert review.metrics["exercises"]["romanian-deadlift"]["fault_share"] == 0.0
    item = review.items.get(position=0)
    # Its faults are not the week's sets (rule 3 would cut); the last two sessions are clean.
    assert (item.action, item.rule) == ("progress", "progress")


def test_the_hourly_catch_up_reviews_a_mid_week_starts_first_week(client_profile: Client) -> None:
    assignment = _first_week_log(client_profile)
    late = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)  # 07:00 in New York, after 06:00
    due = due_batches(now=late)
    assert (WEEK, [assignment.pk]) in due
    assert min(week for week, _ in due) == WEEK  # nothing before the week of the start
    reviews_generate(due)
    weeks = set(WeeklyReview.objects.filter(assignment=assignment).values_list("week_start", flat=True))
    assert weeks == {WEEK, WEEK + dt.timedelta(days=7)}
    first = WeeklyReview.objects.get(assignment=assignment, week_start=WEEK)
    assert first.metrics["sessions_logged"] == 2
    assert due_batches(now=late) == []


def test_the_command_default_reviews_a_mid_week_starts_first_week(client_profile: Client) -> None:
    assignment = _first_week_log(client_profile)
    call_command("generate_reviews", stdout=StringIO())
    weeks = set(WeeklyReview.objects.filter(assignment=assignment).values_list("week_start", flat=True))
    assert WEEK in weeks
    assert min(weeks) == WEEK


# --- the engine's inputs: bells in lb, entry units, time performed --------------------------


def kettlebell_client(coach: Any, load: str, unit: str = "lb") -> Client:
    client = ClientFactory(coach=coach)
    assignment_create(
        client=client,
        start_date=dt.date(2026, 10, 5),
        lines=[Line(exercise=exercise("kettlebell-deadlift"), sets=3, low=8, high=12, load=Decimal(load), unit=unit)],
        changed_by=coach.user,
        unit=unit,
    )
    return client


def kb(load: str, unit: str = "lb", reps: int = 12) -> list[SetInput]:
    return [SetInput(exercise="kettlebell-deadlift", reps=reps, load=Decimal(load), unit=unit) for _ in range(3)]


@pytest.mark.parametrize("prescribed", ["53", "52.91"])
def test_a_bell_in_lb_progresses_to_the_next_bell_stored_at_its_exact_weight(coach: Any, prescribed: str) -> None:
    client = kettlebell_client(coach, prescribed)
    log(client, WEEK - dt.timedelta(days=6), kb("53"))
    log(client, WEEK + dt.timedelta(days=1), kb("53"))
    reviews_generate(week_batches(WEEK))
    review = WeeklyReview.objects.get(assignment__client=client)
    item = review.items.get()
    assert (item.action, item.rule) == ("progress", "progress"), item.rationale
    assert item.current["load"] == 52.91  # the 24 kg bell, stored at 24 kg, returned as 52.91
    assert item.proposed["load"] == 61.73  # the 28 kg bell
    assert "53 lb → 62 lb" in item.rationale
    review_approve(review=review, user=coach.user)
    line = version_in_force(review.assignment, WEEK + dt.timedelta(days=7)).lines.get()
    assert line.load_kg == Decimal("28")
    assert line.load_display == Decimal("61.73")


def test_the_heaviest_bell_in_lb_holds(coach: Any) -> None:
    client = kettlebell_client(coach, "106")
    log(client, WEEK - dt.timedelta(days=6), kb("106"))
    log(client, WEEK + dt.timedelta(days=1), kb("106"))
    reviews_generate(week_batches(WEEK))
    item = WeeklyReview.objects.get(assignment__client=client).items.get()
    assert (item.action, item.rule) == ("hold", "progress"), item.rationale
    assert "heaviest bell" in item.rationale
    assert item.proposed["load"] == 105.82


@pytest.mark.parametrize(
    ("prescribed", "unit", "logged", "logged_unit", "action"),
    [
        # The entry unit reaches the engine: 52.5 lb is the 24 kg bell, though only 23.81 kg.
        pytest.param("24", "kg", "52.5", "lb", "progress", id="a-bell-typed-in-lb-counts-for-the-kg-bell"),
        # No tolerance beyond unit conversion.
        pytest.param("20", "kg", "19.8", "kg", "hold", id="0.2-kg-light-is-not-the-prescribed-load"),
    ],
)
def test_sets_count_at_the_prescribed_load_by_the_unit_they_were_typed_in(
    coach: Any, prescribed: str, unit: str, logged: str, logged_unit: str, action: str
) -> None:
    client = ClientFactory(coach=coach)
    slug = "kettlebell-deadlift" if prescribed == "24" else "romanian-deadlift"
    assignment_create(
        client=client,
        start_date=dt.date(2026, 10, 5),
        lines=[Line(exercise=exercise(slug), sets=3, low=8, high=12, load=Decimal(prescribed), unit=unit)],
        changed_by=coach.user,
        unit=unit,
    )
    sets = [SetInput(exercise=slug, reps=12, load=Decimal(logged), unit=logged_unit) for _ in range(3)]
    log(client, WEEK - dt.timedelta(days=6), sets)
    log(client, WEEK + dt.timedelta(days=1), sets)
    reviews_generate(week_batches(WEEK))
    item = WeeklyReview.objects.get(assignment__client=client).items.get()
    assert item.action == action, item.rationale


def log_at(client: Client, performed: dt.datetime, sets: list[SetInput], session_id: uuid.UUID) -> None:
    item = SessionInput(
        id=session_id,
        assignment_id=client.assignments.get().pk,
        performed_at=performed,
        client_modified_at=performed,
        sets=tuple(sets),
    )
    [result] = sessions_apply(user=client.coach.user, items=[item])
    assert result.status == "created", result.errors


def test_two_sessions_on_one_day_are_ordered_by_the_time_performed(client_profile: Client) -> None:
    """Monday 07:00 short of the top (8 reps), Monday 18:00 and Wednesday clean: the last two
    sessions are Monday 18:00 and Wednesday, which both qualify, whatever the sessions' ids."""
    monday = dt.datetime.combine(WEEK, dt.time(7), tzinfo=dt.UTC)
    log_at(client_profile, monday, rdl(8), uuid.UUID("ffffffff-ffff-4fff-bfff-ffffffffffff"))
    log_at(client_profile, monday.replace(hour=18), rdl(10), uuid.UUID("00000000-0000-4000-8000-000000000000"))
    log_at(client_profile, monday + dt.timedelta(days=2), rdl(10), uuid.uuid4())
    reviews_generate(week_batches(WEEK))
    item = WeeklyReview.objects.get().items.get(position=0)
    assert (item.action, item.rule) == ("progress", "progress"), item.rationale
    assert item.proposed["load"] == 62.5


def test_an_edited_kettlebell_line_must_carry_a_bell(review: WeeklyReview, coach: Any) -> None:
    first = review.items.get(position=0)
    bell = {"exercise": "kettlebell-deadlift", "sets": 3, "reps_low": 8, "reps_high": 12, "load": 13.5, "unit": "kg"}
    with pytest.raises(ReviewInputError) as exc:
        review_approve(review=review, user=coach.user, items=[{"id": first.pk, "proposed": bell}])
    assert exc.value.errors == {
        "items": [{"id": first.pk, "proposed": {"load": ["Kettlebells come in 8, 12, 16, … 48 kg."]}}]
    }
    review.refresh_from_db()
    assert review.status == "pending"
    review_approve(review=review, user=coach.user, items=[{"id": first.pk, "proposed": {**bell, "load": 16}}])
    assert version_in_force(review.assignment, WEEK + dt.timedelta(days=7)).lines.get(position=0).load_kg == 16


def test_without_returning_rows_the_claim_selects_its_reviews(
    client_profile: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database that returns no rows from an insert (SQLite before 3.35): the same reviews and
    items, once each, run twice."""
    from django.db import connection

    from coaching.models import Assignment
    from coaching.reviews import generation as review_generation

    monkeypatch.setattr(type(connection.features), "can_return_rows_from_bulk_insert", False)
    good_week(client_profile)
    first = reviews_generate(week_batches(WEEK))
    again = reviews_generate(week_batches(WEEK))
    assert (first.created, again.created, again.skipped) == (1, 0, 1)
    # A run that read "no review yet" before the first one committed claims nothing either.
    assignment_id = client_profile.assignments.get().pk
    real = review_generation._eligible
    stale_read = Assignment.objects.filter(pk=assignment_id).select_related("client__coach")
    monkeypatch.setattr(review_generation, "_eligible", lambda _assignments, week: real(stale_read, week))
    assert reviews_generate_batch(week_start=WEEK, assignment_ids=[assignment_id]).created == 0
    assert WeeklyReview.objects.count() == 1
    items = list(ReviewItem.objects.order_by("position"))
    assert len(items) == 3
    assert (items[0].action, items[0].rule) == ("progress", "progress")
    assert "60 kg → 62.5 kg" in items[0].rationale
