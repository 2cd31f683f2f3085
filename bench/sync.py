"""Benchmark: 500 sessions (4,500 sets) in one sync request vs the same sessions PUT one by one.

Requests go through the whole Django stack in this process (middleware, DRF, serializers,
service, database), without a network. Prints wall time and SQL queries of each way, and the
replay of the batch (all ``unchanged``). Targets: the batch >= 20x faster than one by one,
and < 300 ms on PostgreSQL.

    .venv/bin/python bench/sync.py                       # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hinge_sessions .venv/bin/python bench/sync.py
    .venv/bin/python bench/sync.py --sessions 100 --repeat 5
    ... bench/sync.py --clients 500 --no-single       # a coach of 500 clients (each with 4 weeks of history)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The benchmark sends more writes a minute than the production throttle allows.
os.environ.setdefault("THROTTLE_WRITES", "1000000/min")

from _setup import counting_queries, setup_django  # noqa: E402

SYNC = "/api/v1/sessions/sync/"
PERFORMED = dt.datetime(2026, 11, 17, 7, 42, tzinfo=dt.timezone(dt.timedelta(hours=1)))


NINE_SETS = [
    {"exercise": "romanian-deadlift", "side": "both", "reps": 10, "load": 135, "unit": "lb", "rpe": 7.5},
    {"exercise": "romanian-deadlift", "side": "both", "reps": 10, "load": 135, "unit": "lb", "rpe": 8},
    {"exercise": "romanian-deadlift", "side": "both", "reps": 9, "load": 135, "unit": "lb", "rpe": 8.5},
    {"exercise": "single-leg-rdl", "side": "left", "reps": 8, "load": 25, "unit": "lb", "faults": []},
    {"exercise": "single-leg-rdl", "side": "right", "reps": 8, "load": 25, "unit": "lb", "faults": ["knees_too_bent"]},
    {"exercise": "single-leg-rdl", "side": "left", "reps": 8, "load": 25, "unit": "lb", "pain": 1},
    {"exercise": "rdl-isometric-hold", "side": "both", "seconds": 15, "load": 45, "unit": "lb"},
    {"exercise": "rdl-isometric-hold", "side": "both", "seconds": 15, "load": 45, "unit": "lb", "pain": 1},
    {"exercise": "rdl-isometric-hold", "side": "both", "seconds": 12, "load": 45, "unit": "lb", "tempo_kept": True},
]


def session_body(assignment_id: int, n: int, sets: int = 9) -> dict[str, Any]:
    """A session of ``sets`` sets (nine: three of each of three lines, as the seed's history; three:
    the shape of api-examples/sync-request.json)."""
    chosen = NINE_SETS if sets == 9 else [NINE_SETS[(3 * i) % 9] for i in range(sets)]
    return {
        "id": str(uuid.uuid4()),
        "assignment": assignment_id,
        "performed_at": (PERFORMED - dt.timedelta(days=n % 60)).isoformat(),
        "client_modified_at": (PERFORMED + dt.timedelta(hours=1)).isoformat(),
        "notes": f"Session {n}: felt the hamstrings, back fine.",
        "sets": chosen,
    }


def timed(fn: Callable[[], None]) -> tuple[float, float, int]:
    """(wall seconds, this process's CPU seconds, queries). The database server's CPU is in
    the wall time only; on a busy machine the CPU time is the steadier figure."""
    with counting_queries() as count:
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    return elapsed, cpu, count[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--sets", type=int, default=9, help="sets per session (9, as the seed's; 3, the example's)")
    parser.add_argument(
        "--clients", type=int, default=1, help="the coach's roster (the others with --weeks of seeded history)"
    )
    parser.add_argument("--weeks", type=int, default=4, help="weeks of history of each other client")
    parser.add_argument("--no-single", action="store_true", help="skip the PUTs one by one")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each way; the median is printed")
    parser.add_argument("--profile", action="store_true", help="also profile one more batch and print the top")
    args = parser.parse_args()
    label = setup_django()

    from decimal import Decimal

    from django.db import connection
    from rest_framework.test import APIClient

    from coaching.clients.services import client_create, coach_create
    from coaching.models import ChangeCounter, LoggedSession, LoggedSet
    from coaching.seed import roster_seed
    from coaching.services.prescriptions import assignment_create
    from programs.lines import Line
    from programs.models import Exercise

    coach = coach_create(email="bench.sync@example.com", password="bench-password-2026", validate=False)
    client = client_create(coach=coach, name="Bench Client", email="bench.client@example.com")
    assignment = assignment_create(
        client=client,
        start_date=dt.date(2026, 9, 7),
        lines=[
            Line(
                exercise=Exercise.objects.get(slug="romanian-deadlift", owner__isnull=True),
                sets=3,
                low=8,
                high=10,
                load=Decimal("60"),
            )
        ],
        changed_by=coach.user,
    )
    if args.clients > 1:
        ChangeCounter.objects.get_or_create(coach=coach)
        roster_seed(coach, clients=args.clients - 1, weeks=args.weeks, start=dt.date(2026, 9, 7), logins=False)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    api = APIClient()
    api.force_authenticate(coach.user)
    sets = args.sets

    def post_batch(payload: str) -> Callable[[], None]:
        def run() -> None:
            response = api.post(SYNC, payload, content_type="application/json")
            assert response.status_code == 200, response.content[:500]

        return run

    def put_each(items: list[dict[str, Any]]) -> Callable[[], None]:
        def run() -> None:
            for item in items:
                response = api.put(f"/api/v1/sessions/{item['id']}/", json.dumps(item), content_type="application/json")
                assert response.status_code == 201, response.content[:500]

        return run

    # Warm up imports, URL resolution and the connection.
    post_batch(json.dumps({"sessions": [session_body(assignment.pk, 0, sets)]}))()

    n = args.sessions
    batch_runs, replay_runs, update_runs, single_runs = [], [], [], []
    newer = (PERFORMED + dt.timedelta(hours=2)).isoformat()
    for _ in range(args.repeat):
        items = [session_body(assignment.pk, i, sets) for i in range(n)]
        payload = json.dumps({"sessions": items})
        batch_runs.append(timed(post_batch(payload)))
        replay_runs.append(timed(post_batch(payload)))
        edited = [item | {"client_modified_at": newer, "notes": "edited"} for item in items]
        update_runs.append(timed(post_batch(json.dumps({"sessions": edited}))))
        if not args.no_single:
            single_runs.append(timed(put_each([session_body(assignment.pk, i, sets) for i in range(n)])))

    if args.profile:
        import cProfile
        import pstats

        payload = json.dumps({"sessions": [session_body(assignment.pk, i, sets) for i in range(n)]})
        profiler = cProfile.Profile()
        profiler.runcall(post_batch(payload))
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(70)
        LoggedSession.objects.filter(pk__in=[item["id"] for item in json.loads(payload)["sessions"]]).delete()
        if not args.no_single:
            # A phone's request: one session PUT (the load test's most common write).
            items = [session_body(assignment.pk, i, sets) for i in range(min(n, 200))]
            profiler = cProfile.Profile()
            profiler.runcall(put_each(items))
            print(f"--- {len(items)} PUTs one by one")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(60)
            LoggedSession.objects.filter(pk__in=[item["id"] for item in items]).delete()

    stored = LoggedSession.objects.filter(client=client).count()
    stored_sets = LoggedSet.objects.filter(session__client=client).count()
    expected = 1 + (1 if args.no_single else 2) * n * args.repeat
    assert stored == expected, (stored, expected)

    def show(name: str, runs: list[tuple[float, float, int]]) -> tuple[float, float]:
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        queries = statistics.median(r[2] for r in runs)
        each = ", ".join(f"{r[0] * 1000:.0f}" for r in runs)
        print(f"  {name:<40} {wall * 1000:8.1f} ms wall {cpu * 1000:8.1f} ms CPU {queries:5.0f} queries (wall: {each})")
        return wall, cpu

    load = os.getloadavg()[0]
    print(
        f"{label}: {n} sessions ({sets * n} sets), coach of {args.clients} clients, median of {args.repeat} runs;"
        f" load average {load:.1f}"
    )
    batch = show("one sync request (all created)", batch_runs)
    show("the same request replayed (unchanged)", replay_runs)
    show("a newer version of each (all updated)", update_runs)
    if single_runs:
        single = show(f"{n} PUTs one by one (all created)", single_runs)
        print(f"  batch speed-up: {single[0] / batch[0]:.1f}x wall, {single[1] / batch[1]:.1f}x CPU")
    print(f"  ({stored} sessions, {stored_sets} sets stored for the client)")


if __name__ == "__main__":
    main()
