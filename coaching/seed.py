"""Bulk history for the benchmarks and the scale tests: a coach's roster, each client with weeks of training.

``roster_seed`` makes the clients (with logins when asked), their assignments through the real
service (so prescriptions are real), and ``history_seed`` writes their logged sessions in bulk:
three sessions a week (Monday, Wednesday, Friday at 07:00 UTC), nine sets each (three sets of
three hinge lines), reps climbing through the range, RPE, now and then a fault ticked and a
readiness check-in. Sequence numbers come from the coach's change counter, as a sync's would, so
the sessions feed reads them like any other. Deterministic for a given ``seed``.

Used by ``bench/scale.py``, ``bench/reviews.py`` and the row-count tests (``tests/rows.py``).
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F

from accounts.models import User
from coaching.models import Assignment, ChangeCounter, Client, Coach, LoggedSession, LoggedSet
from coaching.services.prescriptions import assignment_create
from programs.lines import Line
from programs.models import Exercise, to_kg

# (exercise slug, sets, rep range, starting load in kg)
SEED_LINES: tuple[tuple[str, int, int, int, str], ...] = (
    ("romanian-deadlift", 3, 8, 12, "60"),
    ("kettlebell-swing", 3, 10, 15, "16"),
    ("hip-thrust", 3, 8, 12, "80"),
)
TRAINING_WEEKDAYS = (0, 2, 4)
SEED_PASSWORD = "hinge-seed-2026"
BATCH = 5000


@dataclass
class Roster:
    coach: Coach
    clients: list[Client]
    assignments: list[Assignment]


def seed_lines() -> list[Line]:
    library = {e.slug: e for e in Exercise.objects.filter(owner__isnull=True, slug__in=[s[0] for s in SEED_LINES])}
    return [
        Line(exercise=library[slug], sets=sets, low=low, high=high, load=Decimal(load))
        for slug, sets, low, high, load in SEED_LINES
    ]


def coach_seed(email: str = "scale-coach@example.com") -> Coach:
    user = User.objects.create_user(email=email, password=SEED_PASSWORD, name="Scale Coach")
    coach = Coach.objects.create(user=user)
    ChangeCounter.objects.create(coach=coach)
    return coach


@transaction.atomic
def roster_seed(
    coach: Coach,
    *,
    clients: int,
    weeks: int,
    start: dt.date,
    logins: bool = True,
    prefix: str = "client",
    seed: int = 7,
    until: dt.datetime | None = None,
) -> Roster:
    """``clients`` new clients of ``coach``, each assigned the seed lines from ``start`` (a Monday)
    and with ``weeks`` weeks of logged training from then on (none after ``until`` when given)."""
    password = make_password(SEED_PASSWORD)
    tag = f"{prefix}-{coach.pk}"
    made = Client.objects.bulk_create(
        [Client(coach=coach, name=f"{prefix.title()} {i:04d}", email=f"{tag}-{i}@example.com") for i in range(clients)]
    )
    if logins:
        users = User.objects.bulk_create(
            [User(email=c.email, name=c.name, password=password) for c in made], batch_size=BATCH
        )
        for c, u in zip(made, users, strict=True):
            c.user = u
        Client.objects.bulk_update(made, ["user"], batch_size=BATCH)
    lines = seed_lines()
    assignments = [
        assignment_create(client=c, start_date=start, lines=lines, changed_by=coach.user, sessions_per_week=3)
        for c in made
    ]
    history_seed(assignments, weeks=weeks, start=start, seed=seed, until=until)
    return Roster(coach=coach, clients=made, assignments=assignments)


@transaction.atomic
def history_seed(
    assignments: Sequence[Assignment],
    *,
    weeks: int,
    start: dt.date,
    seed: int = 7,
    until: dt.datetime | None = None,
) -> int:
    """Bulk-write ``weeks`` weeks of sessions (from ``start``) for each assignment; returns the
    number of sessions written. All assignments must belong to one coach. With ``until``, sessions
    that would be performed after it are left out (a history that ends now, mid-week)."""
    if not assignments:
        return 0
    coach_id = assignments[0].client.coach_id
    lines = seed_lines()
    library_faults = {line.exercise.pk: list(line.exercise.faults) for line in lines}
    counter = ChangeCounter.objects.select_for_update().get(coach_id=coach_id)
    rng = random.Random(f"{seed}-{coach_id}-{counter.value}")  # new ids per coach and per call
    seq = counter.value
    sessions: list[LoggedSession] = []
    sets: list[LoggedSet] = []
    for a in assignments:
        offset = rng.randint(0, 180)  # a client trains at their own minute of the morning
        for week in range(weeks):
            for weekday in TRAINING_WEEKDAYS:
                performed = dt.datetime.combine(
                    start + dt.timedelta(weeks=week, days=weekday), dt.time(7), tzinfo=dt.UTC
                ) + dt.timedelta(minutes=offset)
                if until is not None and performed > until:
                    continue
                seq += 1
                checked_in = rng.random() < 0.3
                session = LoggedSession(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    client_id=a.client_id,
                    coach_id=coach_id,
                    assignment=a,
                    performed_at=performed,
                    client_modified_at=performed,
                    day=1,
                    change_seq=seq,
                    checkin_sleep=rng.randint(2, 5) if checked_in else None,
                    checkin_soreness=rng.randint(1, 4) if checked_in else None,
                    checkin_stress=rng.randint(1, 4) if checked_in else None,
                    checkin_low_back="fine" if checked_in else "",
                )
                sessions.append(session)
                position = 0
                for line in lines:
                    low, high = line.low, line.high
                    for _ in range(line.sets):
                        faults = library_faults[line.exercise.pk]
                        ticked = [rng.choice(faults)] if faults and rng.random() < 0.05 else []
                        sets.append(
                            LoggedSet(
                                session=session,
                                uid=uuid.UUID(int=rng.getrandbits(128), version=4),
                                position=position,
                                exercise=line.exercise,
                                reps=min(high, low + (week % 6) + rng.randint(0, 1)),
                                load_kg=to_kg(line.load + Decimal(2 * (week // 6)), "kg"),
                                unit="kg",
                                rpe=Decimal(rng.choice(["7", "7.5", "8", "8.5"])),
                                faults=ticked,
                            )
                        )
                        position += 1
            if len(sets) >= BATCH:
                _flush(sessions, sets)
    _flush(sessions, sets)
    written = seq - counter.value
    ChangeCounter.objects.filter(pk=counter.pk).update(value=F("value") + written)
    return written


def _flush(sessions: list[LoggedSession], sets: list[LoggedSet]) -> None:
    LoggedSession.objects.bulk_create(sessions, batch_size=BATCH)
    LoggedSet.objects.bulk_create(sets, batch_size=BATCH)
    sessions.clear()
    sets.clear()


@transaction.atomic
def versions_seed(assignments: Sequence[Assignment], *, weeks: int, start: dt.date, every: int = 1) -> int:
    """A prescription history: a new version of the seed lines every ``every`` weeks from ``start``
    (a Monday) for ``weeks`` weeks, loads climbing as ``history_seed``'s sets do, written through
    the real service (kettlebells stay on their bell). Returns the number of versions written."""
    from coaching.services.prescriptions import prescription_version_write

    lines = seed_lines()
    written = 0
    for a in assignments:
        changed_by = a.client.coach.user
        for week in range(every, weeks, every):
            bumped = [
                line if line.exercise.implement == "kettlebell" else replace(line, load=line.load + 2 * (week // 6))
                for line in lines
            ]
            prescription_version_write(
                assignment=a,
                lines=bumped,
                effective_from=start + dt.timedelta(weeks=week),
                source="coach_edit",
                changed_by=changed_by,
                reason="seeded",
            )
            written += 1
    return written
