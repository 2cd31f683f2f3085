"""The coach's change feed at scale (issue 17): a page reads only the coach's own rows, however
much other coaches have logged in the same range of sequence numbers, and a full walk costs the
same per page from the first to the last."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from coaching.models import Coach, LoggedSession
from coaching.seed import coach_seed, history_seed, roster_seed
from coaching.sessions.services.feed import feed_page_query
from tests.rows import count_rows

pytestmark = pytest.mark.django_db

START = dt.date(2026, 9, 7)  # a Monday
FEED = "/api/v1/sessions/"
INDEX = "session_coach_seq_idx"


def _api(coach: Coach) -> APIClient:
    api = APIClient()
    api.force_authenticate(coach.user)
    return api


def _interleaved_others(coaches: int, clients: int, weeks: int) -> None:
    """Other coaches' histories written a week at a time in turn, so their rows and sequence
    numbers (each coach's own counter) interleave with one another's."""
    rosters = [
        roster_seed(coach_seed(f"other-{n}@example.com"), clients=clients, weeks=0, start=START, logins=False)
        for n in range(coaches)
    ]
    for week in range(weeks):
        for roster in rosters:
            history_seed(roster.assignments, weeks=1, start=START + dt.timedelta(weeks=week))


def _page(api: APIClient, since: str | None, limit: int) -> dict[str, Any]:
    params = {"limit": limit} | ({"since": since} if since else {})
    response = api.get(FEED, params)
    assert response.status_code == 200, response.content
    return response.json()


def _plan(coach: Coach, since: int, limit: int) -> tuple[str, dict[str, Any]]:
    """The feed page query's plan, and on PostgreSQL the actual figures of its scan."""
    qs = feed_page_query(user=coach.user, since=since, limit=limit)
    if connection.vendor != "postgresql":
        return qs.explain(), {}
    with connection.cursor() as cursor:
        # The test tables are small: forbid the plans that would read every row and sort them,
        # so the plan shows which index serves the query's filter and order.
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
    text = qs.explain(analyze=True, format="json")
    plan = json.loads(text)[0]["Plan"]
    while plan.get("Node Type") == "Limit":
        plan = plan["Plans"][0]
    return text, plan


def test_a_feed_page_reads_only_the_coachs_rows_however_much_others_logged() -> None:
    mine = roster_seed(coach_seed(), clients=3, weeks=3, start=START, logins=False)  # 27 sessions
    api = _api(mine.coach)
    with count_rows() as small:
        page_small = _page(api, None, 10)
    _, plan_small = _plan(mine.coach, 0, 10)

    _interleaved_others(coaches=3, clients=4, weeks=4)  # 144 sessions of other coaches, seq 1..48 each
    history_seed(mine.assignments, weeks=1, start=START + dt.timedelta(weeks=3))
    with count_rows() as big:
        page_big = _page(api, None, 10)
    text, plan_big = _plan(mine.coach, 0, 10)

    assert [r["id"] for r in page_big["results"]] == [r["id"] for r in page_small["results"]]
    assert big.rows <= small.rows + 2, (small.rows, big.rows, big.top())
    # The page's query filters and orders by the index named for it, joining nothing.
    assert INDEX in text, text
    assert "coaching_client" not in str(feed_page_query(user=mine.coach.user, since=0, limit=10).query)
    if connection.vendor == "postgresql":
        # One row read per row returned (10 and the one that tells there is more): none of the
        # other coaches' rows in the same sequence range, before or after they were written.
        for plan in (plan_small, plan_big):
            assert plan["Index Name"] == INDEX, plan
            assert plan["Actual Rows"] == 11, plan
            assert plan.get("Rows Removed by Filter", 0) == 0, plan


def test_the_tombstones_are_read_through_the_same_index() -> None:
    mine = roster_seed(coach_seed(), clients=2, weeks=1, start=START, logins=False)
    _interleaved_others(coaches=2, clients=2, weeks=1)
    api = _api(mine.coach)
    first = LoggedSession.objects.filter(coach=mine.coach).order_by("change_seq").first()
    assert first is not None
    assert api.delete(f"/api/v1/sessions/{first.pk}/").status_code == 204
    cursor = _page(api, None, 500)["next_cursor"]
    text, plan = _plan(mine.coach, LoggedSession.objects.get(pk=first.pk).change_seq - 1, 5)
    assert INDEX in text, text
    rows = _page(api, None, 500)["results"]
    assert rows[-1]["id"] == str(first.pk)
    assert rows[-1]["deleted"] is True
    assert _page(api, cursor, 500)["results"] == []
    if connection.vendor == "postgresql":
        assert plan["Index Name"] == INDEX, plan
        assert plan["Actual Rows"] == 1, plan


def test_a_full_walk_costs_the_same_per_page_and_sees_every_change_once() -> None:
    mine = roster_seed(coach_seed(), clients=3, weeks=4, start=START, logins=False)  # 36 sessions
    _interleaved_others(coaches=2, clients=3, weeks=4)
    api = _api(mine.coach)
    seen: list[str] = []
    queries: list[int] = []
    rows: list[int] = []
    since: str | None = None
    while True:
        with CaptureQueriesContext(connection) as captured, count_rows() as counted:
            page = _page(api, since, 8)
        seen += [r["id"] for r in page["results"]]
        queries.append(len(captured))
        rows.append(counted.rows)
        since = page["next_cursor"]
        if not page["has_more"]:
            break
    expected = list(LoggedSession.objects.filter(coach=mine.coach).order_by("change_seq").values_list("pk", flat=True))
    assert seen == [str(pk) for pk in expected]
    assert len(queries) == 5  # 8, 8, 8, 8, 4
    assert len(set(queries)) == 1, queries
    # Full pages fetch the same rows (sessions and their nine sets each); the last fewer.
    assert len(set(rows[:-1])) == 1, rows
    assert rows[-1] < rows[0], rows
