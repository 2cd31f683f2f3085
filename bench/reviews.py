"""Benchmark: weekly review generation at a busy coach's size, on coaching/seed.py's history.

A roster of ``--clients`` clients (default 500), each with ``--weeks`` weeks of training (default
52: three sessions a week, nine sets each, check-ins and faults) and a prescription version a
week. Prints, measured in one run:

- reviews/s for the roster's last week (target >= 500 on one worker), and queries per batch;
- the pure engine's reviews/s on the same inputs, read beforehand (the compute limit), and the
  pipeline's rate as a share of it;
- per-review time in week 52 vs week 4, the first whose three-week look-back is full (target
  within 1.2x), and vs week 1 (whose look-back holds one week: less to judge, not less history);
- with ``--deep`` (on by default, ``--no-deep`` to skip): clients with 1 year vs 3 years of
  history, same week reviewed, per-review time ratio (target within 1.2x);

and a MET/SHORT verdict per target. Each timing is the median of ``--repeat`` runs (the week's
reviews are deleted between runs). Proposals are written as the hourly task writes them, without
the coach's email.

    .venv/bin/python bench/reviews.py --quick               # SQLite, under a minute
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hinge .venv/bin/python bench/reviews.py
    .venv/bin/python bench/reviews.py --clients 200 --weeks 26
    DATABASE_URL=... .venv/bin/python bench/reviews.py --keep     # seed once, reuse it next time

With ``--keep`` the database is ``<name>_bench_reviews`` on PostgreSQL (``var/bench_reviews.sqlite3``
on SQLite), reused when there; each roster is seeded only if missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from _setup import setup_django

START = dt.date(2025, 1, 6)  # a Monday
TARGET_RATE = 500.0
TARGET_RATIO = 1.2


def _analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _seed(prefix: str, clients: int, weeks: int, start: dt.date, *, keep: bool = False) -> list[int]:
    """The assignment ids of a coach's roster, seeded in one transaction (an interrupted seed leaves
    no coach behind); with ``keep``, the roster of an earlier run when there is one. The coach's
    email names the roster's size, history and start, so a kept roster is always the one asked for."""
    from django.db import transaction

    from coaching.models import Assignment, Coach
    from coaching.seed import coach_seed, roster_seed, versions_seed

    email = f"{prefix}-{clients}x{weeks}-{start:%Y%m%d}@example.com"
    kept = Coach.objects.filter(user__email=email).first() if keep else None
    if kept is not None:
        return list(Assignment.objects.filter(client__coach=kept).order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        coach = coach_seed(email)
        roster = roster_seed(coach, clients=clients, weeks=weeks, start=start, logins=False, prefix=prefix)
        versions_seed(roster.assignments, weeks=weeks, start=start)
    return [a.pk for a in roster.assignments]


class Counter:
    """SQL statements run while installed (Django's execute wrapper)."""

    def __init__(self) -> None:
        self.queries = 0

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.queries += 1
        return execute(sql, params, many, context)


def _generate(week: dt.date, ids: Sequence[int], counter: Counter | None = None) -> tuple[float, int, int]:
    """(seconds, reviews created, batches) for the week's reviews of these assignments."""
    from django.conf import settings
    from django.db import connection

    from coaching.reviews.generation import reviews_generate_batch

    size = settings.REVIEW_BATCH_SIZE
    batches = [list(ids[i : i + size]) for i in range(0, len(ids), size)]
    created = 0
    with connection.execute_wrapper(counter or Counter()):
        t0 = time.perf_counter()
        for batch in batches:
            created += reviews_generate_batch(week_start=week, assignment_ids=batch, notify=False).created
        elapsed = time.perf_counter() - t0
    return elapsed, created, len(batches)


def _clear(week: dt.date, ids: Sequence[int]) -> None:
    from coaching.models import WeeklyReview

    WeeklyReview.objects.filter(week_start=week, assignment_id__in=list(ids)).delete()


def _per_review(week: dt.date, ids: Sequence[int], repeat: int) -> tuple[float, int, int]:
    """Median seconds per review over ``repeat`` runs, queries and batches of the last run."""
    times = []
    counter = Counter()
    batches = 0
    for _ in range(repeat):
        _clear(week, ids)
        counter = Counter()
        elapsed, created, batches = _generate(week, ids, counter)
        assert created == len(ids), (created, len(ids))
        times.append(elapsed / created)
    return statistics.median(times), counter.queries, batches


def _engine_per_review(week: dt.date, ids: Sequence[int], repeat: int) -> float:
    """Median seconds per review of the engine alone, its inputs read and converted beforehand."""
    from django.conf import settings

    from coaching.reviews.generation import _judge, batch_inputs, batch_reads

    size = settings.REVIEW_BATCH_SIZE
    _clear(week, ids)
    inputs = [
        review
        for i in range(0, len(ids), size)
        for review in batch_inputs(batch_reads(week_start=week, assignment_ids=ids[i : i + size])).reviews
    ]
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for review in inputs:
            _judge(review, week)
        times.append((time.perf_counter() - t0) / len(inputs))
    return statistics.median(times)


def _timed(label: str, step: Callable[[], Any]) -> Any:
    t0 = time.perf_counter()
    result = step()
    print(f"  {label}: {time.perf_counter() - t0:.1f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=500, help="roster size (default 500)")
    parser.add_argument("--weeks", type=int, default=52, help="weeks of history per client (default 52)")
    parser.add_argument("--deep-clients", type=int, default=10, help="clients per history depth for --deep")
    parser.add_argument("--deep", action=argparse.BooleanOptionalAction, default=True, help="1 vs 3 years")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (median)")
    parser.add_argument("--quick", action="store_true", help="50 clients, 3 deep clients, 2 runs")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the seeded database (and rosters) of an earlier --keep run"
    )
    args = parser.parse_args()
    if args.quick:
        args.clients, args.deep_clients, args.repeat = min(args.clients, 50), min(args.deep_clients, 3), 2
    label = setup_django(suffix="bench_reviews" if args.keep else "bench", keep=args.keep)

    from django.conf import settings

    from coaching.reviews.generation import WINDOW_WEEKS

    print(f"database: {label}; batches of up to {settings.REVIEW_BATCH_SIZE}", flush=True)
    print("seeding:")
    roster = _timed(
        f"{args.clients} clients x {args.weeks} weeks (3 sessions x 9 sets a week, a version a week)",
        lambda: _seed("roster", args.clients, args.weeks, START, keep=args.keep),
    )
    last_week = START + dt.timedelta(weeks=args.weeks - 1)
    deep: dict[int, list[int]] = {}
    if args.deep:
        for years in (1, 3):
            weeks = 52 * years
            deep[years] = _timed(
                f"{args.deep_clients} clients x {years} year(s)",
                partial(
                    _seed,
                    f"deep{years}",
                    args.deep_clients,
                    weeks,
                    last_week - dt.timedelta(weeks=weeks - 1),
                    keep=args.keep,
                ),
            )
    _analyze()

    print("measuring:", flush=True)
    first, _, _ = _per_review(START, roster, args.repeat)
    # The first week whose three-week look-back is full: from then on only history grows.
    full_week = START + dt.timedelta(weeks=WINDOW_WEEKS)
    full, _, _ = _per_review(full_week, roster, args.repeat)
    last, queries, batches = _per_review(last_week, roster, args.repeat)
    engine = _engine_per_review(last_week, roster, args.repeat)
    rate, engine_rate = 1 / last, 1 / engine
    verdicts: list[tuple[str, bool]] = []

    def verdict(name: str, ok: bool) -> str:
        verdicts.append((name, ok))
        return "MET" if ok else "SHORT"

    print(f"pipeline, week {args.weeks}, {args.clients} clients: {rate:.0f} reviews/s (target >= {TARGET_RATE:.0f}): "
          f"{verdict('rate', rate >= TARGET_RATE)}")  # fmt: skip
    print(f"  queries: {queries} in {batches} batches = {queries / batches:.1f} per batch")
    print(f"pure engine on the same inputs: {engine_rate:.0f} reviews/s; "
          f"pipeline/engine = {rate / engine_rate:.2f} (the compute limit's share reached)")  # fmt: skip
    print(f"per review, week 1 (its look-back holds only week 1): {1000 * first:.2f} ms = x{last / first:.2f} "
          f"from week 1 to week {args.weeks}")  # fmt: skip
    ratio = last / full
    print(f"per review, week {args.weeks} vs week {WINDOW_WEEKS + 1} (the first with a full look-back): "
          f"{1000 * last:.2f} vs {1000 * full:.2f} ms = x{ratio:.2f} (target within x{TARGET_RATIO}): "
          f"{verdict('weeks', ratio <= TARGET_RATIO)}")  # fmt: skip
    if args.deep:
        one, _, _ = _per_review(last_week, deep[1], max(args.repeat, 3))
        three, _, _ = _per_review(last_week, deep[3], max(args.repeat, 3))
        ratio = three / one
        print(f"per review, 3 years vs 1 year ({args.deep_clients} clients each): {1000 * three:.2f} vs "
              f"{1000 * one:.2f} ms = x{ratio:.2f} (target within x{TARGET_RATIO}): "
              f"{verdict('depth', ratio <= TARGET_RATIO)}")  # fmt: skip
    short = [name for name, ok in verdicts if not ok]
    print(f"verdict: {'all targets MET' if not short else 'SHORT on ' + ', '.join(short)}")


if __name__ == "__main__":
    main()
