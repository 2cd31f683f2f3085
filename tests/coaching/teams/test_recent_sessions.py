"""The dashboard's recent sessions: the coach's own clients' and those they read through a team
(shared with them, or their team's as its owner), merged newest first; the own part served by
``session_coach_recent_idx`` however much other coaches log."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching.models import LoggedSession
from coaching.seed import coach_seed, roster_seed
from coaching.selectors_coach import RECENT_SESSIONS, dashboard_for
from coaching.weeks import monday_of
from tests.coaching.teams.team_world import TeamWorld
from tests.coaching.web.conftest import active_assignment, log_session

pytestmark = pytest.mark.django_db


def _recent(coach: Any) -> list[tuple[str, dt.datetime]]:
    return [(s.client.name, s.performed_at) for s in dashboard_for(coach).recent_sessions]


def test_own_and_shared_clients_sessions_merge_newest_first(tw: TeamWorld) -> None:
    start = timezone.now() - dt.timedelta(days=2)
    own, shared = active_assignment(tw.c_client), active_assignment(tw.client)
    logged = []
    for n in range(10):  # alternately the covering coach's own client and the client shared with them
        when = start + dt.timedelta(hours=n)
        assignment, user = (own, tw.covering.user) if n % 2 else (shared, tw.owner.user)
        log_session(user, assignment, when)
        logged.append((assignment.client.name, when))
    newest = sorted(logged, key=lambda x: x[1], reverse=True)[:RECENT_SESSIONS]

    assert _recent(tw.covering) == newest
    # The owner reads the whole team (their own client and the covering coach's); the team coach
    # nothing is shared with reads neither.
    assert _recent(tw.owner) == newest
    assert _recent(tw.team_coach) == []
    # A deleted session leaves the list.
    LoggedSession.objects.filter(client=tw.client).update(deleted_at=timezone.now())
    own_only = [x for x in sorted(logged, key=lambda x: x[1], reverse=True) if x[0] == tw.c_client.name]
    assert _recent(tw.covering) == own_only[:RECENT_SESSIONS]


def test_a_small_coachs_recent_sessions_use_the_coach_index_whatever_others_logged() -> None:
    start = monday_of(timezone.localdate()) - dt.timedelta(weeks=3)
    small = coach_seed("small-recent@example.com")
    roster_seed(small, clients=1, weeks=3, start=start, logins=False, prefix="solo")
    roster_seed(coach_seed("busy-recent@example.com"), clients=30, weeks=3, start=start, logins=False, prefix="busy")
    with CaptureQueriesContext(connection) as captured:
        board = dashboard_for(small)
    assert len(board.recent_sessions) == RECENT_SESSIONS
    assert {s.client.coach_id for s in board.recent_sessions} == {small.pk}
    [sql] = [q["sql"] for q in captured if 'ORDER BY "coaching_loggedsession"."performed_at" DESC' in q["sql"]]
    assert f'"coaching_loggedsession"."coach_id" = {small.pk}' in sql
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE coaching_loggedsession")
        # Small test tables: forbid the plans that read every row and sort, as a big table would.
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "session_coach_recent_idx" in plan, plan
