"""The bulk history seed (coaching/seed.py) the benchmarks and the row-count tests build on."""

from __future__ import annotations

import datetime as dt

import pytest

from coaching.models import ChangeCounter, LoggedSession, LoggedSet
from coaching.seed import coach_seed, history_seed, roster_seed
from coaching.selectors import version_in_force

pytestmark = pytest.mark.django_db
START = dt.date(2025, 1, 6)  # a Monday


def test_a_roster_has_logins_assignments_and_weeks_of_sessions_on_the_coach_feed() -> None:
    coach = coach_seed()
    roster = roster_seed(coach, clients=3, weeks=2, start=START)
    assert [c.user.email for c in roster.clients] == [c.email for c in roster.clients]
    assert all(version_in_force(a, START) is not None for a in roster.assignments)
    sessions = LoggedSession.objects.filter(client__coach=coach)
    assert sessions.count() == 3 * 2 * 3
    assert LoggedSet.objects.filter(session__client__coach=coach).count() == 3 * 2 * 3 * 9
    seqs = sorted(sessions.values_list("change_seq", flat=True))
    assert seqs == list(range(1, 19))
    assert ChangeCounter.objects.get(coach=coach).value == 18
    assert {s.performed_at.weekday() for s in sessions} == {0, 2, 4}


def test_more_history_continues_the_sequence() -> None:
    coach = coach_seed()
    roster = roster_seed(coach, clients=1, weeks=1, start=START)
    written = history_seed(roster.assignments, weeks=1, start=START + dt.timedelta(weeks=1))
    assert written == 3
    assert ChangeCounter.objects.get(coach=coach).value == 6
    assert LoggedSession.objects.filter(client__coach=coach).count() == 6


def test_two_coaches_seeded_alike_get_their_own_session_ids() -> None:
    first = roster_seed(coach_seed("one@example.com"), clients=1, weeks=1, start=START)
    second = roster_seed(coach_seed("two@example.com"), clients=1, weeks=1, start=START)
    ids = set(LoggedSession.objects.values_list("id", flat=True))
    assert len(ids) == 6
    assert first.coach.pk != second.coach.pk


def test_a_history_until_now_stops_mid_week_and_keeps_the_sequence_whole() -> None:
    coach = coach_seed()
    until = dt.datetime.combine(START + dt.timedelta(weeks=1, days=2), dt.time(0), tzinfo=dt.UTC)  # 2nd Wednesday
    roster_seed(coach, clients=2, weeks=2, start=START, until=until)
    sessions = LoggedSession.objects.filter(client__coach=coach)
    assert sessions.count() == 2 * 4  # a full week and the second Monday each
    assert max(s.performed_at for s in sessions) < until
    assert sorted(sessions.values_list("change_seq", flat=True)) == list(range(1, 9))
    assert ChangeCounter.objects.get(coach=coach).value == 8
