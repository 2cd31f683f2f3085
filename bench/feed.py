"""Benchmark: a full walk of a busy coach's change feed, with other coaches' history interleaved.

Seeds the coach (``--clients`` clients, ``--weeks`` weeks of three sessions of nine sets) and
``--others`` other coaches of the same size, written a week at a time in turn so the coaches'
rows and sequence numbers (each coach's own counter) interleave, as they do in production. Then
walks the coach's feed from the start through the whole Django stack in this process (no network),
``--limit`` sessions a page, and prints the wall time, pages, median ms and queries per page, the
process's CPU time (the server's Python work and the client's parsing: on a shared machine the wall
time also holds the wait for a core), and the page query's plan on PostgreSQL (index, rows read,
rows removed) for a page in the middle.

``--compare`` also walks with the query the feed had before issue 17 (through the client's coach,
served by an index on ``change_seq`` alone, made for the run in a transaction rolled back after),
so both figures come from one run on the same data. Target: 78,500 sessions in under 10 s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hinge_feed .venv/bin/python bench/feed.py --compare
    ... bench/feed.py --clients 500 --weeks 52 --others 2 --other-clients 100   # the issue's size
    ... bench/feed.py --clients 500 --weeks 52 --others 2 --other-clients 100 --keep  # seed kept for next time

``--keep`` reuses the seeded database when it is there: ``<name>_feed_<sizes>`` on PostgreSQL, or
``var/feed_<sizes>.sqlite3``, one per size (the seed is one transaction: an interrupted one leaves
no coach behind to be taken as complete).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import logging
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _setup import counting_queries, setup_django  # noqa: E402

FEED = "/api/v1/sessions/"
START = dt.date(2025, 11, 3)  # a Monday
COACH_EMAIL = "feed-coach-{}@example.com"


def seed(clients: int, weeks: int, others: int, other_clients: int, *, keep: bool) -> Any:
    from django.db import transaction

    from coaching.models import Coach

    kept = Coach.objects.filter(user__email=COACH_EMAIL.format(0)).first()
    if keep and kept is not None:
        return kept
    with transaction.atomic():
        return _seed(clients, weeks, others, other_clients)


def _seed(clients: int, weeks: int, others: int, other_clients: int) -> Any:
    from coaching.seed import coach_seed, history_seed, roster_seed

    rosters = [
        roster_seed(
            coach_seed(COACH_EMAIL.format(n)),
            clients=other_clients if n else clients,
            weeks=0,
            start=START,
            logins=False,
        )
        for n in range(1 + others)
    ]
    for week in range(weeks):
        for roster in rosters:
            history_seed(roster.assignments, weeks=1, start=START + dt.timedelta(weeks=week))
    return rosters[0].coach


def walk(coach: Any, limit: int) -> tuple[float, list[float], list[int], int, float, float]:
    """(wall seconds, ms per page, queries per page, sessions seen, this process's CPU seconds: the
    server's Python work and the client's parsing, without the database's, and without the wait for
    a core on a shared machine, which the wall time includes; the client's parsing seconds, in
    the wall time too: with the collector on, as a client has it, so mostly its collections of
    the parsed pages)."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(coach.user)
    # Warm up this process (imports, URL resolution, the connection), as a running server is: one
    # session's page, so the walk's own rows are still read cold from the database.
    assert api.get(FEED, {"limit": 1}).status_code == 200
    since: str | None = None
    page_ms: list[float] = []
    queries: list[int] = []
    seen = 0
    parse_s = 0.0
    start = time.perf_counter()
    cpu = time.process_time()
    while True:
        params: dict[str, Any] = {"limit": limit} | ({"since": since} if since else {})
        with counting_queries() as count:
            t = time.perf_counter()
            response = api.get(FEED, params)
            page_ms.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.content[:300]
        t = time.perf_counter()
        page = response.json()
        parse_s += time.perf_counter() - t
        queries.append(count[0])
        seen += len(page["results"])
        since = page["next_cursor"]
        if not page["has_more"]:
            break
    return time.perf_counter() - start, page_ms, queries, seen, time.process_time() - cpu, parse_s


def explain(qs: Any) -> str:
    """One line per plan node: type, index, actual rows, rows removed by filters, shared buffers."""
    plan = json.loads(qs.explain(analyze=True, buffers=True, format="json"))[0]
    lines: list[str] = [f"execution {plan['Execution Time']:.2f} ms"]

    def visit(node: dict[str, Any], depth: int) -> None:
        removed = node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Join Filter", 0)
        index = f" using {node['Index Name']}" if "Index Name" in node else ""
        relation = f" on {node['Relation Name']}" if "Relation Name" in node else ""
        loops = node.get("Actual Loops", 1)
        lines.append(
            f"{'  ' * depth}{node['Node Type']}{relation}{index}: rows {node['Actual Rows'] * loops}"
            f" (loops {loops}), removed by filter {removed * loops}, buffers hit {node.get('Shared Hit Blocks', 0)}"
            f" read {node.get('Shared Read Blocks', 0)}"
        )
        for child in node.get("Plans", []):
            visit(child, depth + 1)

    visit(plan["Plan"], 0)
    return "\n      ".join(lines)


def report(name: str, result: tuple[float, list[float], list[int], int, float, float]) -> None:
    wall, page_ms, queries, seen, cpu, parse_s = result
    median = statistics.median(page_ms)
    print(
        f"  {name:<28} {wall:7.2f} s  {len(page_ms)} pages  {seen} sessions  page median {median:6.1f}"
        f" ms (first {page_ms[0]:.0f}, last full {page_ms[-2] if len(page_ms) > 1 else page_ms[0]:.0f},"
        f" all pages {sum(page_ms) / 1000:.2f} s, client parsing {parse_s:.2f} s, CPU {cpu:.2f} s)"
        f"  queries per page {min(queries)}–{max(queries)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--others", type=int, default=2, help="other coaches")
    parser.add_argument("--other-clients", type=int, help="clients of each other coach (default: --clients)")
    parser.add_argument("--limit", type=int, default=200, help="sessions a page (the app's default)")
    parser.add_argument("--compare", action="store_true", help="also walk with the query before issue 17")
    parser.add_argument("--keep", action="store_true", help="reuse the seeded database of this size when it is there")
    args = parser.parse_args()
    other_clients = args.other_clients or args.clients
    sizes = f"{args.clients}x{args.weeks}_{args.others}x{other_clients}"
    label = setup_django(suffix=f"feed_{sizes}" if args.keep else "bench", keep=args.keep)
    logging.disable(logging.INFO)  # the request log line of every page

    from django.db import connection, transaction

    from coaching.models import LoggedSession, LoggedSet
    from coaching.sessions.services import feed

    t = time.perf_counter()
    coach = seed(args.clients, args.weeks, args.others, other_clients, keep=args.keep)
    seeded = time.perf_counter() - t
    # What the seed left in this process is no server's heap: out of the collector's way, so its
    # full collections (which a page's many objects set off) cost what they cost in a server.
    gc.collect()
    gc.freeze()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    total = LoggedSession.objects.count()
    mine = LoggedSession.objects.filter(coach=coach).count()
    print(
        f"{label}: coach with {args.clients} clients × {args.weeks} weeks ({mine} sessions) among {total} sessions,"
        f" {LoggedSet.objects.count()} sets (seeded in {seeded:.0f} s); pages of {args.limit}"
    )
    middle = mine // 2
    after = walk(coach, args.limit)
    report("feed by (coach, change_seq)", after)
    if connection.vendor == "postgresql":
        qs = feed.feed_page_query(user=coach.user, since=middle, limit=args.limit)
        print(f"    plan of a middle page: {explain(qs)}")
    if args.compare:
        old_feed_of = feed._feed_of

        def before_17(user: Any) -> Any:
            return LoggedSession.objects.filter(client__coach=feed.coach_for(user))

        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("CREATE INDEX bench_session_seq_idx ON coaching_loggedsession (change_seq)")
                if connection.vendor == "postgresql":
                    cursor.execute("ANALYZE coaching_loggedsession")
            feed._feed_of = before_17  # type: ignore[assignment]
            try:
                before = walk(coach, args.limit)
                report("before: through the client", before)
                if connection.vendor == "postgresql":
                    qs = feed.feed_page_query(user=coach.user, since=middle, limit=args.limit)
                    print(f"    plan of a middle page: {explain(qs)}")
            finally:
                feed._feed_of = old_feed_of
                transaction.set_rollback(True)
        print(f"  walk speed-up: {before[0] / after[0]:.1f}x")


if __name__ == "__main__":
    main()
