"""One demo coach, six clients and eight weeks of sessions that make every rule fire.

Every demo client has joined; one of them, Maya, signs in (``DEMO_CLIENT_EMAIL`` with the demo
password) so a newcomer can open the phone app. The others' accounts have no usable password.

Idempotent: clients are found by email, the assignment's start date anchors every date, and
session ids are derived from (client, week, session), so a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.clients.services import client_create, client_login_create, coach_create
from coaching.models import Assignment, Client, Coach, WeeklyReview
from coaching.reviews.decisions import review_approve
from coaching.reviews.generation import reviews_generate_batch
from coaching.selectors import version_in_force
from coaching.services.prescriptions import assignment_create
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.weeks import monday_of
from programs.lines import Line
from programs.models import Exercise, display_load

DEMO_EMAIL = "coach@demo.hinge"
DEMO_PASSWORD = "hinge-demo-2026"
# Maya keeps the email she always had, so a database made by an older demo_data is completed, not doubled.
DEMO_CLIENT_EMAIL = "maya@demo.hinge"
WEEKS = 8
NAMESPACE = uuid.UUID("5b0c6c2e-9c1e-4f0e-8d61-4f3e2a7d9a10")

# Set maker: (week 0..7, session 0..2, line) -> list of SetInput
SetMaker = Callable[[int, int, dict[str, Any]], list[SetInput]]


def _reps_climbing(week: int, line: dict[str, Any]) -> int:
    """Reps climb from the bottom of the range to its top over the eight weeks."""
    low, high = line["range"]
    return min(high, low + (high - low) * week // 5)


def _sets(line: dict[str, Any], reps: int, **extra: Any) -> list[SetInput]:
    slug = line["slug"]
    kw: dict[str, Any] = {"load": Decimal(str(line["load"])), "unit": line["unit"]}
    if line.get("tempo"):
        kw["tempo_kept"] = True
    kw |= extra
    amount = {"seconds": reps} if line.get("hold") else {"reps": reps}
    if line.get("per_side"):
        return [
            SetInput(exercise=slug, side=side, **amount, **kw)
            for _ in range(line["sets"])
            for side in ("left", "right")
        ]
    return [SetInput(exercise=slug, **amount, **kw) for _ in range(line["sets"])]


def steady(week: int, session: int, line: dict[str, Any]) -> list[SetInput]:
    return _sets(line, _reps_climbing(week, line), rpe=Decimal("7.5"))


def pain_last_week(week: int, session: int, line: dict[str, Any]) -> list[SetInput]:
    sets = steady(week, session, line)
    if week == WEEKS - 1 and session == 1 and line["slug"] == "deadlift":
        sets[-1] = SetInput(**{**sets[-1].__dict__, "pain": 4})
    return sets


def faulty(week: int, session: int, line: dict[str, Any]) -> list[SetInput]:
    sets = steady(week, session, line)
    if week >= WEEKS - 2 and line["slug"] == "kettlebell-deadlift":
        sets[0] = SetInput(**{**sets[0].__dict__, "faults": ("knees_too_bent",)})
    return sets


def asymmetric(week: int, session: int, line: dict[str, Any]) -> list[SetInput]:
    sets = steady(week, session, line)
    if line.get("per_side") and week >= WEEKS - 2:
        sets = [SetInput(**{**s.__dict__, "reps": max(1, (s.reps or 0) - 4)}) if s.side == "left" else s for s in sets]
    return sets


def too_hard(week: int, session: int, line: dict[str, Any]) -> list[SetInput]:
    low, _ = line["range"]
    reps = low - 2 if week >= WEEKS - 2 else low
    return _sets(line, reps, rpe=Decimal("9.5"))


CLIENTS: list[dict[str, Any]] = [
    {
        "name": "Maya Okafor",
        "email": DEMO_CLIENT_EMAIL,
        "password": DEMO_PASSWORD,
        "unit": "lb",
        "maker": asymmetric,
        "lines": [
            {"slug": "romanian-deadlift", "sets": 3, "range": (8, 10), "load": 135, "target_rpe": 8},
            {"slug": "single-leg-rdl", "sets": 3, "range": (8, 12), "load": 25, "per_side": True},
            {"slug": "rdl-isometric-hold", "sets": 2, "range": (10, 20), "load": 45, "hold": True},
        ],
    },
    {
        "name": "Jonas Berg",
        "email": "jonas@demo.hinge",
        "unit": "kg",
        "maker": pain_last_week,
        "lines": [
            {"slug": "deadlift", "sets": 3, "range": (5, 8), "load": 100},
            {"slug": "kettlebell-swing", "sets": 3, "range": (12, 15), "load": 24},
            {"slug": "hip-thrust", "sets": 3, "range": (8, 12), "load": 80},
        ],
    },
    {
        "name": "Aiko Tanaka",
        "email": "aiko@demo.hinge",
        "unit": "kg",
        "maker": faulty,
        "lines": [
            {"slug": "dowel-hip-hinge", "sets": 2, "range": (10, 12), "load": 0},
            {"slug": "kettlebell-deadlift", "sets": 3, "range": (8, 12), "load": 16},
            {"slug": "glute-bridge", "sets": 3, "range": (10, 15), "load": 0},
        ],
    },
    {
        "name": "Luis Romero",
        "email": "luis@demo.hinge",
        "unit": "lb",
        "maker": steady,
        "skip_weeks": {5, 6},
        "lines": [
            {"slug": "good-morning", "sets": 3, "range": (8, 12), "load": 65},
            {"slug": "tempo-rdl", "sets": 3, "range": (6, 8), "load": 95, "tempo": "3-2-1"},
        ],
    },
    {
        "name": "Priya Nair",
        "email": "priya@demo.hinge",
        "unit": "kg",
        "maker": asymmetric,
        "lines": [
            {"slug": "kickstand-rdl", "sets": 3, "range": (8, 12), "load": 12, "per_side": True},
            {"slug": "hip-thrust", "sets": 3, "range": (8, 12), "load": 60},
        ],
    },
    {
        "name": "Sam Whitfield",
        "email": "sam@demo.hinge",
        "unit": "kg",
        "maker": too_hard,
        "deload_every_weeks": 4,
        "lines": [
            {"slug": "romanian-deadlift", "sets": 3, "range": (8, 12), "load": 70, "target_rpe": 8},
            {"slug": "kettlebell-swing", "sets": 3, "range": (10, 15), "load": 20},
        ],
    },
]


class Command(BaseCommand):
    help = "Load a demo coach with six clients, eight weeks of sessions and their reviews (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=DEMO_EMAIL).first()
        if user is None:
            coach = coach_create(email=DEMO_EMAIL, password=DEMO_PASSWORD, name="Dana Demo", validate=False)
        else:
            coach = Coach.objects.get(user=user)
        library = {e.slug: e for e in Exercise.objects.filter(owner__isnull=True)}
        today = timezone.localdate()
        default_start = monday_of(today) - dt.timedelta(weeks=WEEKS)
        roster: list[tuple[Client, Assignment, dict[str, Any]]] = []
        for spec in CLIENTS:
            client = self._client(coach, spec)
            assignment = Assignment.objects.filter(client=client, is_active=True).first()
            if assignment is None:
                assignment = assignment_create(
                    client=client,
                    start_date=default_start,
                    changed_by=coach.user,
                    unit=spec["unit"],
                    sessions_per_week=3,
                    deload_every_weeks=spec.get("deload_every_weeks"),
                    lines=[self._line(library[ln["slug"]], ln, spec["unit"]) for ln in spec["lines"]],
                )
            roster.append((client, assignment, spec))
        # Week by week, as it would have happened: the client trains the prescription in force,
        # the review is generated, and the coach approves it, except the latest week's.
        written = 0
        for week in range(WEEKS):
            for client, assignment, spec in roster:
                written += self._week_sessions(client, assignment, spec, week)
            monday = roster[0][1].start_date + dt.timedelta(weeks=week)
            reviews_generate_batch(week_start=monday, assignment_ids=[a.pk for _, a, _ in roster], notify=False)
            if week < WEEKS - 1:
                for review in WeeklyReview.objects.filter(
                    week_start=monday, assignment__client__coach=coach, status=WeeklyReview.Status.PENDING
                ):
                    review_approve(review=review, user=coach.user)
        if not options["quiet"]:
            self.stdout.write(
                f"Demo coach: {DEMO_EMAIL} / {DEMO_PASSWORD} — {len(CLIENTS)} clients, "
                f"{written} sessions written or updated.\n"
                f"Demo client (the phone app, /today/): {DEMO_CLIENT_EMAIL} / {DEMO_PASSWORD}"
            )

    @staticmethod
    def _client(coach: Coach, spec: dict[str, Any]) -> Client:
        """The demo client, created on the first run; every one has joined (a login)."""
        client = Client.objects.filter(coach=coach, email=spec["email"]).first()
        if client is None:
            client = client_create(coach=coach, name=spec["name"], email=spec["email"])
        if client.user_id is None:
            try:
                client = client_login_create(client=client, password=spec.get("password"))
            except ValidationError as exc:
                raise CommandError(f"Demo client {spec['email']}: {' '.join(exc.messages)}") from exc
        return client

    @staticmethod
    def _line(exercise: Exercise, ln: dict[str, Any], unit: str) -> Line:
        return Line(
            exercise=exercise,
            sets=ln["sets"],
            low=ln["range"][0],
            high=ln["range"][1],
            load=Decimal(str(ln["load"])),
            unit=unit,
            tempo=ln.get("tempo", ""),
            target_rpe=Decimal(str(ln["target_rpe"])) if ln.get("target_rpe") else None,
            rest_seconds=120,
        )

    def _week_sessions(self, client: Client, assignment: Assignment, spec: dict[str, Any], week: int) -> int:
        if week in spec.get("skip_weeks", set()):
            return 0
        rng = random.Random(f"{spec['email']}/{week}")
        maker: SetMaker = spec["maker"]
        monday = assignment.start_date + dt.timedelta(weeks=week)
        version = version_in_force(assignment, monday)
        lines = [
            {
                "slug": line.exercise.slug,
                "sets": line.sets,
                "range": (line.range_low, line.range_high),
                "load": display_load(line.load_kg, line.unit),
                "unit": line.unit,
                "per_side": line.exercise.is_per_side,
                "hold": line.exercise.measure == Exercise.Measure.SECONDS,
                "tempo": line.tempo,
            }
            for line in version.lines.select_related("exercise").order_by("position")
        ]
        items: list[SessionInput] = []
        for session in range(3):
            day = monday + dt.timedelta(days=session * 2)
            performed = dt.datetime.combine(
                day, dt.time(7 + rng.randint(0, 11), rng.choice([0, 15, 30])), tzinfo=dt.UTC
            )
            sets: list[SetInput] = []
            for ln in lines:
                sets += maker(week, session, ln)
            items.append(
                SessionInput(
                    id=uuid.uuid5(NAMESPACE, f"{spec['email']}/{week}/{session}"),
                    assignment_id=assignment.pk,
                    performed_at=performed,
                    client_modified_at=performed + dt.timedelta(minutes=50),
                    notes="",
                    sets=tuple(sets),
                )
            )
        results = sessions_apply(user=client.coach.user, items=items)
        bad = [r for r in results if r.status == "rejected"]
        if bad:
            raise RuntimeError(f"demo data rejected: {bad[0].errors}")
        return sum(r.status in {"created", "updated"} for r in results)
