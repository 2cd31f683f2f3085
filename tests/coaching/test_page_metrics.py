"""The coach's dashboard and client page, the charts and the phone show the engine's numbers
(programs/progression/metrics.py): Decimal, rounded half-up, whatever page shows them.

The loads are chosen where a float or a second rounding would drift: 20.25 kg × 8 has an e1RM of
exactly 25.65 kg (25.7, not 25.6), 3 × 7 × 20.25 kg a volume of exactly 425.25 kg (425.3), and a
weaker side at 65 of 80 kg·reps is exactly 81.25% (81.3%)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from coaching import charts
from coaching.models import LoggedSet
from coaching.selectors_coach import client_progress, dashboard_for, session_exercises
from coaching.sessions.phone import present as client_present
from coaching.sessions.phone import selectors as phone
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.weeks import monday_of
from programs.progression import ExerciseFacts, SessionLog, week_metrics
from programs.progression import LoggedSet as EngineSet
from programs.progression.metrics import adherence_band, rounded, weaker_side_pct
from tests.factories import exercise

pytestmark = pytest.mark.django_db

RDL = ExerciseFacts(
    slug="romanian-deadlift", name="Romanian deadlift", implement="barbell", measure="reps", laterality="bilateral"
)
SL_RDL = ExerciseFacts(
    slug="single-leg-rdl", name="Single-leg RDL", implement="dumbbell", measure="reps", laterality="per_side"
)


def _log(user: Any, assignment: Any, when: dt.datetime, sets: list[SetInput]) -> None:
    item = SessionInput(
        id=uuid.uuid4(), assignment_id=assignment.pk, performed_at=when, client_modified_at=when, sets=tuple(sets)
    )
    [result] = sessions_apply(user=user, items=[item])
    assert result.status == "created", result.errors


def _last_week(day: int = 1) -> dt.datetime:
    monday = monday_of(timezone.localdate()) - dt.timedelta(weeks=1)
    return dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(9, 0), tzinfo=dt.UTC)


def _engine_week(sets: list[EngineSet], week: dt.date, prescribed: int) -> dict[str, Any]:
    session = SessionLog(id="s", performed_on=week + dt.timedelta(days=1), sets=tuple(sets))
    return week_metrics(
        week_start=week,
        sessions=[session],
        sessions_prescribed=prescribed,
        library={RDL.slug: RDL, SL_RDL.slug: SL_RDL},
    )


def test_the_client_pages_session_e1rm_is_the_engines() -> None:
    sets = [LoggedSet(exercise=exercise("deadlift"), position=0, reps=8, load_kg=Decimal("20.25"), faults=[])]
    [line] = session_exercises(sets)
    engine = _engine_week(
        [EngineSet(exercise="romanian-deadlift", side="both", reps=8, load_kg=Decimal("20.25"))],
        dt.date(2026, 11, 30),
        1,
    )
    assert engine["exercises"]["romanian-deadlift"]["best_e1rm_kg"] == 25.7
    assert line.e1rm == 25.7


def test_the_client_pages_weekly_volume_e1rm_and_adherence_are_the_engines(coach: Any, client_profile: Any) -> None:
    assignment = client_profile.assignments.get(is_active=True)
    _log(
        coach.user,
        assignment,
        _last_week(),
        [SetInput(exercise="romanian-deadlift", reps=7, load=Decimal("20.25")) for _ in range(3)],
    )
    week = monday_of(timezone.localdate()) - dt.timedelta(weeks=1)
    engine = _engine_week(
        [EngineSet(exercise="romanian-deadlift", side="both", reps=7, load_kg=Decimal("20.25"))] * 3,
        week,
        assignment.sessions_per_week,
    )
    progress = client_progress(coach, client_profile, assignment)
    [series] = progress.series
    point = progress.weeks.index(week)
    assert engine["exercises"]["romanian-deadlift"]["volume_load_kg"] == 425.3
    assert series.volume[point].value == 425.3
    assert series.e1rm[point].value == engine["exercises"]["romanian-deadlift"]["best_e1rm_kg"]
    assert progress.adherence[point].value == engine["adherence_pct"]


def test_the_dashboards_weaker_side_is_the_engines(coach: Any, client_profile: Any) -> None:
    assignment = client_profile.assignments.get(is_active=True)
    sides = [("left", "13"), ("right", "16")]
    _log(
        coach.user,
        assignment,
        _last_week(),
        [SetInput(exercise="single-leg-rdl", side=side, reps=5, load=Decimal(load)) for side, load in sides],
    )
    engine = weaker_side_pct(
        [EngineSet(exercise="single-leg-rdl", side=side, reps=5, load_kg=Decimal(load)) for side, load in sides],
        "reps",
    )
    assert engine == 81.3
    [row] = dashboard_for(coach).attention
    name = exercise("single-leg-rdl").name
    assert ("asymmetry", f"{name}: weaker side at 81.3% of the stronger last week") in row.reasons


def test_the_phones_best_e1rm_is_the_engines(coach: Any, client_profile: Any) -> None:
    assignment = client_profile.assignments.get(is_active=True)
    _log(
        client_profile.user,
        assignment,
        _last_week(1),
        [SetInput(exercise="romanian-deadlift", reps=8, load=Decimal("20.25"))],
    )
    _log(
        client_profile.user,
        assignment,
        _last_week(3) + dt.timedelta(weeks=1),  # this week: the chart's latest week
        [SetInput(exercise="romanian-deadlift", reps=8, load=Decimal("20"))],
    )
    [history] = client_present.exercise_bests(
        phone.history_exercises(client_profile, None),
        phone.best_sets(client_profile),
        phone.weekly_e1rm(client_profile),
        "kg",
    )
    assert history.best == "8 reps at 20.25 kg (e1RM 25.7 kg)"
    assert history.latest == rounded(Decimal("20") * 38 / 30)


def test_the_charts_band_is_the_engines() -> None:
    assert charts.adherence_band is adherence_band
