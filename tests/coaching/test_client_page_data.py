"""What the coach's client page reads: one summary line per exercise of a session, and the charts' weeks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from coaching.models import LoggedSession, LoggedSet
from coaching.selectors_coach import CHART_WEEKS, client_progress, monday_of, session_exercises
from programs.progression.units import LB_IN_KG
from tests.coaching.web.conftest import active_assignment, log_session
from tests.factories import exercise

pytestmark = pytest.mark.django_db


def _set(slug: str, position: int, **kw: Any) -> LoggedSet:
    kw.setdefault("unit", "kg")
    if "load" in kw:
        load = Decimal(kw.pop("load"))
        kw["load_kg"] = load * LB_IN_KG if kw["unit"] == "lb" else load
    return LoggedSet(exercise=exercise(slug), position=position, faults=kw.pop("faults", []), **kw)


def test_equal_sets_read_as_sets_times_reps_at_load() -> None:
    sets = [_set("deadlift", i, reps=8, load="110") for i in range(3)]
    [line] = session_exercises(sets)
    assert line.exercise.slug == "deadlift"
    assert line.summary == "3 × 8 @ 110 kg"
    assert line.best == ""  # every set the same: nothing to pick out
    assert line.e1rm == pytest.approx(139.3)
    assert (line.faults, line.pain) == ([], None)
    assert line.sets == sets


def test_exercises_keep_their_order_and_each_gets_its_own_sets() -> None:
    sets = [
        _set("romanian-deadlift", 0, reps=10, load="135", unit="lb"),
        _set("romanian-deadlift", 1, reps=10, load="135", unit="lb"),
        _set("rdl-isometric-hold", 2, seconds=20, load="45", unit="lb"),
        _set("rdl-isometric-hold", 3, seconds=15, load="45", unit="lb"),
        _set("glute-bridge", 4, reps=15),
    ]
    rdl, hold, bridge = session_exercises(sets)
    assert rdl.summary == "2 × 10 @ 135 lb"
    assert hold.summary == "20, 15 s @ 45 lb"
    assert hold.best == "20 s @ 45 lb"
    assert hold.e1rm is None  # holds are timed
    assert bridge.summary == "1 × 15 (bodyweight)"
    assert [len(x.sets) for x in (rdl, hold, bridge)] == [2, 2, 1]


def test_uneven_sets_show_the_reps_and_the_best_set() -> None:
    sets = [
        _set("deadlift", 0, reps=8, load="100"),
        _set("deadlift", 1, reps=6, load="110"),
        _set("deadlift", 2, reps=5, load="110"),
    ]
    [line] = session_exercises(sets)
    assert line.summary == "8, 6, 5 @ 100–110 kg"
    assert line.best == "110 kg × 6"
    assert line.e1rm == pytest.approx(132.0)


def test_faults_and_pain_are_marked_on_the_line() -> None:
    sets = [
        _set("deadlift", 0, reps=8, load="110", faults=["bar_drift"]),
        _set("deadlift", 1, reps=8, load="110", faults=["bar_drift", "core_lost"], pain=2),
        _set("deadlift", 2, reps=8, load="110", pain=4),
    ]
    [line] = session_exercises(sets)
    assert line.faults == [("Bar drifted away from the legs", 2), ("Core engagement lost", 1)]
    assert line.pain == 4
    # A faulted set gives no e1RM (docs/domain.md): only the clean one counts.
    assert line.e1rm == pytest.approx(139.3)


def test_per_side_sets_read_per_side_or_side_by_side_when_uneven() -> None:
    even = [_set("single-leg-rdl", i, reps=8, load="12", side=side) for i, side in enumerate(["left", "right"] * 3)]
    [line] = session_exercises(even)
    assert line.summary == "3 × 8 per side @ 12 kg"
    uneven = [
        _set("single-leg-rdl", i, reps=4 if side == "left" else 8, load="12", side=side)
        for i, side in enumerate(["left", "right"] * 3)
    ]
    [line] = session_exercises(uneven)
    assert line.summary == "left 3 × 4 · right 3 × 8 @ 12 kg"
    assert line.best == "12 kg × 8 (right)"


def test_no_sets_no_lines() -> None:
    assert session_exercises([]) == []


def _monday(weeks_ago: int) -> dt.date:
    return monday_of(timezone.localdate()) - dt.timedelta(weeks=weeks_ago)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(8, 30), tzinfo=dt.UTC)


def test_a_client_without_sessions_has_no_chart_weeks(coach: Any, client_profile: Any) -> None:
    progress = client_progress(coach, client_profile, active_assignment(client_profile))
    assert (progress.weeks, progress.adherence, progress.series) == ([], [], [])


def test_charts_start_at_the_week_of_the_first_session(coach: Any, client_profile: Any) -> None:
    assignment = active_assignment(client_profile)
    log_session(coach.user, assignment, _at(_monday(3)), reps=8)
    log_session(coach.user, assignment, _at(_monday(1)), reps=10)
    progress = client_progress(coach, client_profile, assignment)
    assert progress.weeks == [_monday(3), _monday(2), _monday(1), _monday(0)]
    [series] = progress.series
    assert [p.week for p in series.e1rm] == progress.weeks
    assert [p.value for p in series.volume] == [1440.0, None, 1800.0, None]
    assert [p.week for p in progress.adherence] == progress.weeks
    assert progress.adherence[0].value == pytest.approx(33.3)  # 1 of 3 sessions
    assert progress.adherence[-1].value is None  # this week is not over


def test_a_long_history_still_shows_the_last_twelve_weeks(coach: Any, client_profile: Any) -> None:
    assignment = active_assignment(client_profile)
    log_session(coach.user, assignment, _at(_monday(20)))
    log_session(coach.user, assignment, _at(_monday(2)))
    progress = client_progress(coach, client_profile, assignment)
    assert progress.weeks[0] == _monday(CHART_WEEKS - 1)
    assert progress.weeks[-1] == _monday(0)
    assert len(progress.weeks) == CHART_WEEKS


def test_a_deleted_first_session_does_not_start_the_charts(coach: Any, client_profile: Any) -> None:
    assignment = active_assignment(client_profile)
    log_session(coach.user, assignment, _at(_monday(6)))
    log_session(coach.user, assignment, _at(_monday(2)))
    LoggedSession.objects.filter(performed_at=_at(_monday(6))).update(deleted_at=timezone.now())
    assert client_progress(coach, client_profile, assignment).weeks[0] == _monday(2)
