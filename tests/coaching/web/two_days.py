"""A client on a two-day pinned week (Heavy on Monday, Light on Thursday, a deadlift on both) and
sessions of either day, for the coach pages' tests of training days."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.utils import timezone

from coaching.models import Assignment, Client, ReviewItem, WeeklyReview
from coaching.selectors import version_in_force
from coaching.services.prescriptions import assignment_create
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.weeks import monday_of
from programs.days import Day
from programs.lines import Line
from tests import factories
from tests.factories import exercise

HEAVY = Day(1, "Heavy", (0,))  # Monday
LIGHT = Day(2, "Light", (3,))  # Thursday


def two_day_lines() -> list[Line]:
    return [
        Line(exercise=exercise("deadlift"), sets=3, low=3, high=5, load=Decimal("100"), unit="kg", day=1),
        Line(exercise=exercise("hip-thrust"), sets=3, low=8, high=12, load=Decimal("80"), unit="kg", day=1),
        Line(exercise=exercise("deadlift"), sets=3, low=8, high=10, load=Decimal("70"), unit="kg", day=2),
        Line(exercise=exercise("kettlebell-swing"), sets=4, low=10, high=15, load=Decimal("24"), unit="kg", day=2),
    ]


def two_day_client(coach: Any, *, start: dt.date | None = None, **kwargs: Any) -> Client:
    """A client of ``coach`` on the two-day week since ``start`` (default: half a year ago, a Monday)."""
    start = start or monday_of(timezone.localdate()) - dt.timedelta(weeks=26)
    client = factories.ClientFactory(coach=coach, with_login=True, **kwargs)
    assignment_create(
        client=client, start_date=start, lines=two_day_lines(), days=[HEAVY, LIGHT], changed_by=coach.user
    )
    return client


def log_day(client: Client, when: dt.datetime, day: int | None, *, load: str = "100", reps: int = 5) -> uuid.UUID:
    """A session of ``day`` (None: dayless) with three deadlift sets, logged by the coach."""
    assignment = Assignment.objects.get(client=client, is_active=True)
    item = SessionInput(
        id=uuid.uuid4(),
        assignment_id=assignment.pk,
        performed_at=when,
        client_modified_at=min(when, timezone.now()),
        sets=tuple(SetInput(exercise="deadlift", reps=reps, load=Decimal(load)) for _ in range(3)),
        day=day,
    )
    [result] = sessions_apply(user=client.coach.user, items=[item])
    assert result.status == "created", result.errors
    return item.id


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 30), tzinfo=dt.UTC)


def make_day_review(assignment: Assignment, week_start: dt.date) -> WeeklyReview:
    """A pending review of every line of the version in force, on its day (as generation writes
    it: ordered by day, then position): +5 kg on the first day's lines, +2.5 kg on the others'
    (a kettlebell keeps its bell)."""
    version = version_in_force(assignment, week_start)
    names = {row.number: row.name for row in assignment.days.all()}
    review = WeeklyReview.objects.create(
        assignment=assignment,
        week_start=week_start,
        metrics={"adherence_pct": 100.0, "adherence_band": "good", "sessions_logged": 2, "sessions_prescribed": 2},
    )
    for position, line in enumerate(version.lines.select_related("exercise").order_by("position")):
        current = Line.from_row(line).to_json()
        step = 0 if line.exercise.implement == "kettlebell" else 5 if line.day == 1 else 2.5  # a bell stays
        proposed = {**current, "load": current["load"] + step}
        ReviewItem.objects.create(
            review=review, position=position, day=line.day, day_name=names[line.day], exercise=line.exercise,
            action=ReviewItem.Action.PROGRESS, rule=ReviewItem.Rule.PROGRESS, flags=[],
            current=current, proposed=proposed, rationale=f"{current['load']} → {proposed['load']} kg.",
        )  # fmt: skip
    return review
