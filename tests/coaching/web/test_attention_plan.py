"""The dashboard's attention query can probe the partial indexes named for it (set_pain_idx,
set_sided_idx, review_pending_assignment_idx) per client, rather than reading every recent set
(PostgreSQL; on SQLite the query is only run).

On a test's few rows a partial index and a full one on the same column cost the planner the
same, and which it picks varies from one database's statistics to another's: so the plan is
read with the tables' other secondary indexes dropped (inside a savepoint, rolled back), where
a partial index is used exactly when the query's filter implies its predicate."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching.reviews.generation import reviews_generate, week_batches
from coaching.seed import coach_seed, roster_seed
from coaching.selectors_coach import dashboard_for
from coaching.weeks import monday_of

pytestmark = pytest.mark.django_db


def test_the_attention_query_probes_its_partial_indexes() -> None:
    start = monday_of(timezone.localdate()) - dt.timedelta(weeks=3)
    coach = coach_seed("attention-plan@example.com")
    roster_seed(coach, clients=20, weeks=3, start=start, logins=False, prefix="plan")
    reviews_generate(week_batches(start + dt.timedelta(weeks=1)))  # reviews waiting
    with CaptureQueriesContext(connection) as captured:
        board: Any = dashboard_for(coach)
    assert board.clients_count == 20
    [sql] = [q["sql"] for q in captured if "COUNT(*) OVER ()" in q["sql"]]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        plan = _plan_with_only(cursor, sql, PARTIAL)
    for index in PARTIAL:
        assert index in plan, (index, plan)


PARTIAL = ("set_pain_idx", "set_sided_idx", "review_pending_assignment_idx")


def _plan_with_only(cursor: Any, sql: str, kept: tuple[str, ...]) -> str:
    """EXPLAIN ``sql`` with every secondary index on the sets and reviews tables dropped but
    ``kept`` (primary keys stay), sequential and bitmap scans off; everything rolled back."""
    with transaction.atomic():
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: tables can be altered
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, i.indrelid::regclass::text, c.conname FROM pg_index i"
            " LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid"
            " WHERE i.indrelid IN ('coaching_loggedset'::regclass, 'coaching_weeklyreview'::regclass)"
            " AND NOT i.indisprimary"
        )
        for index, table, constraint in cursor.fetchall():
            if index in kept:
                continue
            if constraint:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{constraint}" CASCADE')
            else:
                cursor.execute(f'DROP INDEX "{index}" CASCADE')
        for setting in ("enable_seqscan", "enable_bitmapscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)  # the savepoint is rolled back: the indexes come back
    return plan
