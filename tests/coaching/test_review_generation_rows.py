"""Review generation reads rows that stay flat in history depth: one client with 1 year and with
3 years of seeded history (sessions, sets and a prescription version a week) fetches about the same
rows and runs the same queries for the same week's review (issue 17)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from coaching.models import WeeklyReview
from coaching.reviews.generation import reviews_generate_batch
from coaching.seed import coach_seed, roster_seed, versions_seed
from tests.rows import Counted, count_rows

pytestmark = pytest.mark.django_db

LAST_WEEK = dt.date(2026, 1, 5)  # a Monday, the week reviewed


def _review(years: int, django_assert_max_num_queries: Any) -> tuple[Counted, int]:
    weeks = 52 * years
    start = LAST_WEEK - dt.timedelta(weeks=weeks - 1)
    roster = roster_seed(coach_seed(f"rows-{years}@example.com"), clients=1, weeks=weeks, start=start, logins=False)
    versions_seed(roster.assignments, weeks=weeks, start=start)
    (assignment,) = roster.assignments
    with django_assert_max_num_queries(20) as queries, count_rows() as counted:
        summary = reviews_generate_batch(week_start=LAST_WEEK, assignment_ids=[assignment.pk], notify=False)
    assert summary.created == 1
    assert WeeklyReview.objects.get(assignment=assignment).items.count() == 3
    return counted, len(queries.captured_queries)


def test_rows_and_queries_stay_flat_from_one_to_three_years_of_history(django_assert_max_num_queries: Any) -> None:
    one, queries_one = _review(1, django_assert_max_num_queries)
    three, queries_three = _review(3, django_assert_max_num_queries)
    assert queries_three == queries_one
    assert three.rows <= one.rows + 10, (one.rows, three.rows, three.top())


def test_a_window_too_long_to_list_reads_the_same_sets_by_subquery(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``MAX_LISTED_SESSIONS`` the window's sets are read by a subquery: the same inputs."""
    from coaching.reviews import generation

    roster = roster_seed(coach_seed(), clients=2, weeks=6, start=LAST_WEEK - dt.timedelta(weeks=5), logins=False)
    ids = [a.pk for a in roster.assignments]
    listed = generation.batch_reads(week_start=LAST_WEEK, assignment_ids=ids)
    monkeypatch.setattr(generation, "MAX_LISTED_SESSIONS", 0)
    queried = generation.batch_reads(week_start=LAST_WEEK, assignment_ids=ids)
    assert len(listed.set_rows) == 2 * 4 * 3 * 9
    assert queried.set_rows == listed.set_rows


def test_the_window_sets_bind_one_array_on_postgresql_not_a_parameter_per_session() -> None:
    """Binding thousands of listed ids cost more than the sets' read itself: PostgreSQL gets them as
    one ``uuid[]`` parameter, whatever the window; SQLite a list (or the subquery past the limit)."""
    from django.db import connection

    from coaching.reviews import generation

    roster = roster_seed(coach_seed(), clients=3, weeks=6, start=LAST_WEEK - dt.timedelta(weeks=5), logins=False)
    statements: list[tuple[str, Any]] = []

    def record(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        reads = generation.batch_reads(week_start=LAST_WEEK, assignment_ids=[a.pk for a in roster.assignments])
    sessions = len(reads.sessions)
    assert sessions == 3 * 4 * 3
    assert len(reads.set_rows) == sessions * 9
    [(sql, params)] = [(sql, params) for sql, params in statements if 'FROM "coaching_loggedset" WHERE' in sql]
    if connection.vendor == "postgresql":
        assert "ANY(" in sql
        [ids] = [p for p in params if isinstance(p, list)]
        assert sorted(ids) == sorted(row[0] for row in reads.sessions)
        assert len(params) < 5, params
    else:
        assert len(params) >= sessions
