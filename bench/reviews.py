"""Benchmark: one week's reviews for 2,000 clients with 4 hinge exercises each.

Each client: 3 sessions a week for 8 weeks, 3 sets per exercise (576,000 sets in all). Prints
reviews per second and SQL queries per batch. Target: >= 500 reviews/s on one worker, queries
growing with the number of batches, not of clients.

    .venv/bin/python bench/reviews.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hinge .venv/bin/python bench/reviews.py
    .venv/bin/python bench/reviews.py --clients 200         # quicker
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time
import uuid
from decimal import Decimal

from _setup import setup_django

LINES = [("romanian-deadlift", 60), ("kettlebell-swing", 16), ("hip-thrust", 80), ("good-morning", 40)]


def build(n_clients: int, weeks: int, start: dt.date) -> list[int]:
    from django.db import transaction

    from accounts.models import User
    from coaching.models import Assignment, ChangeCounter, Client, Coach, LoggedSession, LoggedSet
    from coaching.services.prescriptions import prescription_version_write
    from programs.lines import Line
    from programs.models import Exercise, to_kg

    library = {e.slug: e for e in Exercise.objects.filter(owner__isnull=True)}
    rng = random.Random(7)
    with transaction.atomic():
        user = User.objects.create_user(email="bench@example.com", password="x")
        coach = Coach.objects.create(user=user)
        ChangeCounter.objects.create(coach=coach)
        clients = Client.objects.bulk_create(
            [Client(coach=coach, name=f"Client {i}", email=f"c{i}@example.com") for i in range(n_clients)]
        )
        assignments = Assignment.objects.bulk_create(
            [Assignment(client=c, start_date=start, sessions_per_week=3, unit="kg") for c in clients]
        )
        for a in assignments:
            prescription_version_write(
                assignment=a,
                lines=[
                    Line(exercise=library[slug], sets=3, low=8, high=12, load=Decimal(load)) for slug, load in LINES
                ],
                effective_from=start,
                source="assigned",
                changed_by=user,
            )
        seq = 0
        for week in range(weeks):
            sessions, sets = [], []
            for a in assignments:
                for day in (0, 2, 4):
                    seq += 1
                    performed = dt.datetime.combine(
                        start + dt.timedelta(weeks=week, days=day), dt.time(9), tzinfo=dt.UTC
                    )
                    s = LoggedSession(
                        id=uuid.uuid4(),
                        client_id=a.client_id,
                        coach_id=coach.pk,
                        assignment=a,
                        performed_at=performed,
                        client_modified_at=performed,
                        change_seq=seq,
                    )
                    sessions.append(s)
                    position = 0
                    for slug, load in LINES:
                        for _ in range(3):
                            sets.append(LoggedSet(
                                session=s, position=position, exercise=library[slug], side="both",
                                reps=min(12, 8 + week // 2 + rng.randint(0, 1)), load_kg=to_kg(Decimal(load), "kg"),
                                unit="kg", rpe=Decimal(rng.choice([7, 7.5, 8, 8.5])), faults=[],
                                pain=None,
                            ))  # fmt: skip
                            position += 1
            LoggedSession.objects.bulk_create(sessions, batch_size=2000)
            LoggedSet.objects.bulk_create(sets, batch_size=5000)
    return [a.pk for a in assignments]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--weeks", type=int, default=8)
    args = parser.parse_args()
    label = setup_django()

    from django.conf import settings
    from django.db import connection

    from coaching.reviews.generation import reviews_generate, week_batches

    start = dt.date(2026, 9, 21)  # a Monday
    t0 = time.perf_counter()
    build(args.clients, args.weeks, start)
    built = time.perf_counter() - t0
    week = start + dt.timedelta(weeks=args.weeks - 1)
    batches = week_batches(week)
    counted = [0]

    def count(execute, sql, params, many, context):  # noqa: ANN001 - Django's execute_wrapper signature
        counted[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        t0 = time.perf_counter()
        summary = reviews_generate(batches)
        elapsed = time.perf_counter() - t0
    queries = counted[0]
    print(f"database: {label}")
    sessions = args.clients * 3 * args.weeks
    print(f"setup: {args.clients} clients x {len(LINES)} exercises, 3 sessions/week x {args.weeks} weeks "
          f"({sessions} sessions, {sessions * len(LINES) * 3} sets) in {built:.1f} s")  # fmt: skip
    print(f"generated: {summary.created} reviews ({sum(summary.actions.values())} proposals: "
          f"{dict(summary.actions)}) in {elapsed:.2f} s")  # fmt: skip
    print(f"throughput: {summary.created / elapsed:.0f} reviews/s (target >= 500)")
    size = settings.REVIEW_BATCH_SIZE
    print(f"queries: {queries} in {len(batches)} batches of up to {size} = {queries / len(batches):.1f} per batch")


if __name__ == "__main__":
    main()
