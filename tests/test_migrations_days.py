"""The training-days migrations (programs 0003-0004, coaching 0006-0007) on rows made before
them: every template and every assignment gets exactly one day, number 1, "Day A"; lines are on
day 1, sessions dayless, review items on day 1 ("Day A"). So every prescription, session and
review of before reads as it did (docs/domain.md "Training days": one day is what no days means).

Transactional: the schema goes back and forth, and the test puts the latest state back even when
it fails.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE_DAYS = [("programs", "0002_seed_library"), ("coaching", "0005_review_item_referral")]
WHEN = dt.datetime(2026, 11, 17, 7, 42, tzinfo=dt.UTC)


def _migrate(targets: list[tuple[str, str]]) -> Any:
    """Migrate to ``targets``; the historical apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # the applied set changed: read it again
    return executor.loader.project_state(targets).apps


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def before_days() -> Iterator[Any]:
    latest = _latest()
    try:
        yield _migrate(BEFORE_DAYS)
    finally:
        _migrate(latest)


def _rows_before_days(apps: Any) -> dict[str, Any]:
    """A coach with two templates (one without lines) and a client with two assignments, one
    with two prescription versions, sessions with sets and a review with items."""
    User = apps.get_model("accounts", "User")
    Exercise = apps.get_model("programs", "Exercise")
    deadlift = Exercise.objects.get(slug="romanian-deadlift")
    swing = Exercise.objects.get(slug="kettlebell-swing")
    user = User.objects.create(email="coach-before-days@example.com", name="Coach")
    coach = apps.get_model("coaching", "Coach").objects.create(user=user)
    client = apps.get_model("coaching", "Client").objects.create(coach=coach, name="Noor", email="noor@example.com")
    Template = apps.get_model("programs", "ProgramTemplate")
    template = Template.objects.create(owner=user, name="Hinge basics")
    empty_template = Template.objects.create(owner=user, name="Draft")
    line = {"sets": 3, "reps_low": 8, "reps_high": 12, "load_kg": Decimal("60"), "unit": "kg"}
    ProgramLine = apps.get_model("programs", "ProgramLine")
    ProgramLine.objects.create(template=template, position=0, exercise=deadlift, **line)
    ProgramLine.objects.create(template=template, position=1, exercise=swing, **line)
    Assignment = apps.get_model("coaching", "Assignment")
    Version = apps.get_model("coaching", "PrescriptionVersion")
    PrescriptionLine = apps.get_model("coaching", "PrescriptionLine")
    assignments = []
    for n, start in enumerate((dt.date(2026, 10, 1), dt.date(2026, 11, 2))):
        assignment = Assignment.objects.create(
            client=client, program=template, start_date=start, is_active=n == 1, sessions_per_week=3
        )
        for v, effective in enumerate((start, start + dt.timedelta(days=14))):
            version = Version.objects.create(assignment=assignment, effective_from=effective, source="assigned")
            for position, exercise in enumerate((deadlift, swing)):
                PrescriptionLine.objects.create(
                    version=version, position=position, exercise=exercise, **line | {"load_kg": Decimal(60 + 5 * v)}
                )
        assignments.append(assignment)
    Session = apps.get_model("coaching", "LoggedSession")
    LoggedSet = apps.get_model("coaching", "LoggedSet")
    sessions = []
    for n in range(3):
        session = Session.objects.create(
            id=uuid.uuid4(),
            client=client,
            assignment=assignments[1],
            performed_at=WHEN + dt.timedelta(days=2 * n),
            client_modified_at=WHEN + dt.timedelta(days=2 * n, hours=1),
        )
        for position in range(2):
            LoggedSet.objects.create(
                session=session, position=position, exercise=deadlift, reps=10, load_kg=Decimal("60"), unit="kg"
            )
        sessions.append(session.pk)
    review = apps.get_model("coaching", "WeeklyReview").objects.create(
        assignment=assignments[1], week_start=dt.date(2026, 11, 16)
    )
    ReviewItem = apps.get_model("coaching", "ReviewItem")
    for position, exercise in enumerate((deadlift, swing)):
        current = {"exercise": exercise.slug, "sets": 3, "reps_low": 8, "reps_high": 12, "load": 60, "unit": "kg"}
        ReviewItem.objects.create(
            review=review,
            position=position,
            exercise=exercise,
            action="hold",
            rule="hold",
            current=current,
            proposed=current,
            rationale="Hold: not all sets reached the top of the range.",
        )
    return {
        "templates": {template.pk, empty_template.pk},
        "assignments": {a.pk for a in assignments},
        "sessions": set(sessions),
        "review": review.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_rows_made_before_days_have_one_day_a_and_read_as_before(before_days: Any) -> None:
    made = _rows_before_days(before_days)
    apps = _migrate(_latest())

    ProgramDay = apps.get_model("programs", "ProgramDay")
    for template in made["templates"]:
        days = list(ProgramDay.objects.filter(template_id=template).values_list("number", "name", "weekday_mask"))
        assert days == [(1, "Day A", 0)]
    ProgramLine = apps.get_model("programs", "ProgramLine")
    assert set(ProgramLine.objects.filter(template_id__in=made["templates"]).values_list("day", flat=True)) == {1}
    assert ProgramLine.objects.filter(template_id__in=made["templates"]).count() == 2

    AssignmentDay = apps.get_model("coaching", "AssignmentDay")
    for assignment in made["assignments"]:
        days = list(
            AssignmentDay.objects.filter(assignment_id=assignment).values_list("number", "name", "weekday_mask")
        )
        assert days == [(1, "Day A", 0)]
    PrescriptionLine = apps.get_model("coaching", "PrescriptionLine")
    lines = PrescriptionLine.objects.filter(version__assignment_id__in=made["assignments"])
    assert lines.count() == 8
    assert set(lines.values_list("day", flat=True)) == {1}

    Session = apps.get_model("coaching", "LoggedSession")
    assert set(Session.objects.filter(pk__in=made["sessions"]).values_list("day", flat=True)) == {None}
    assert apps.get_model("coaching", "LoggedSet").objects.filter(session_id__in=made["sessions"]).count() == 6

    ReviewItem = apps.get_model("coaching", "ReviewItem")
    items = ReviewItem.objects.filter(review_id=made["review"]).order_by("position")
    assert list(items.values_list("day", "day_name")) == [(1, "Day A"), (1, "Day A")]
