from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from coaching.models import ReviewItem, WeeklyReview
from coaching.selectors import version_in_force
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from programs.lines import Line
from tests import factories

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def coach_web(client: Any, coach: Any) -> Any:
    """Django's test client signed in as ``coach``."""
    client.force_login(coach.user)
    return client


def make_review(assignment: Any, week_start: dt.date, *, flags: list[str] | None = None) -> WeeklyReview:
    """A pending review proposing +5 kg on every line (rows made directly, as generation would)."""
    version = version_in_force(assignment, week_start)
    review = WeeklyReview.objects.create(
        assignment=assignment,
        week_start=week_start,
        metrics={
            "adherence_pct": 66.7,
            "adherence_band": "fair",
            "sessions_logged": 2,
            "sessions_prescribed": 3,
            "exercises": {"romanian-deadlift": {"sets": 6, "volume_load_kg": 1224.7, "best_e1rm_kg": 81.6}},
        },
    )
    for position, line in enumerate(version.lines.select_related("exercise").order_by("position")):
        current = Line.from_row(line).to_json()
        proposed = {**current, "load": current["load"] + 5}
        ReviewItem.objects.create(
            review=review,
            position=position,
            exercise=line.exercise,
            action=ReviewItem.Action.PROGRESS,
            flags=list(flags or []) if position == 0 else [],
            rule=ReviewItem.Rule.PROGRESS,
            current=current,
            proposed=proposed,
            rationale=f"Both of the last two sessions qualified: {current['load']} → {proposed['load']} kg.",
        )
    return review


def log_session(user: Any, assignment: Any, when: dt.datetime, **set_kwargs: Any) -> None:
    set_kwargs.setdefault("reps", 10)
    set_kwargs.setdefault("load", Decimal("60"))
    item = SessionInput(
        id=uuid.uuid4(),
        assignment_id=assignment.pk,
        performed_at=when,
        client_modified_at=min(when, timezone.now()),
        sets=tuple(SetInput(exercise="romanian-deadlift", **set_kwargs) for _ in range(3)),
    )
    [result] = sessions_apply(user=user, items=[item])
    assert result.status == "created", result.errors


def active_assignment(client: Any) -> Any:
    return client.assignments.get(is_active=True)


def many_clients(coach: Any, n: int) -> list[Any]:
    return [factories.ClientFactory(coach=coach, with_assignment=True) for _ in range(n)]
