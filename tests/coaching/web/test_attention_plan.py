"""The dashboard's attention query probes the partial indexes named for it (set_pain_idx,
set_sided_idx, review_pending_assignment_idx) per client, rather than reading every recent set
(PostgreSQL; on SQLite the query is only run)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
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
        for setting in ("enable_seqscan", "enable_bitmapscan"):  # small tables, planned as big ones
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute(f"EXPLAIN {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    for index in ("set_pain_idx", "set_sided_idx", "review_pending_assignment_idx"):
        assert index in plan, (index, plan)
