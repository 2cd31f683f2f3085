"""One demo coach, six clients and eight weeks of sessions that make every rule fire.

Three clients run weekly plans of several training days (docs/domain.md "Training days"), each
from a program template of the coach's, so the builder, the calendar, the phone and the reviews
show days: Jonas a three-day rotation (Day A, B, C, unpinned), Aiko a two-day week pinned to
Monday and Thursday, Maya a heavy and a light deadlift day. The other three keep one day, as
every program without days does. Each session follows the day due on its date (``day_due``, as
the phone's Today offers it) and carries that day; a few sessions are missed or moved.

Every demo client has joined; one of them, Maya, signs in (``DEMO_CLIENT_EMAIL`` with the demo
password) so a newcomer can open the phone app. The others' accounts have no usable password.

Idempotent: clients are found by email, templates by name, the assignment's start date anchors
every date, and session ids are derived from (client, week, session), so a second run changes
nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import uuid
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.clients.services import client_create, client_login_create, coach_create
from coaching.models import Assignment, Client, Coach, CoachFault, LoggedSession, WeeklyReview
from coaching.reviews.decisions import review_approve
from coaching.reviews.generation import reviews_generate_batch
from coaching.reviews.recompute import recompute_requests_due, reviews_recompute
from coaching.selectors import version_in_force
from coaching.services.prescriptions import assignment_create, assignment_days, program_week
from coaching.sessions.faults.services import coach_faults_replace
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.teams.models import Role, TeamMembership
from coaching.teams.services import client_share, team_create
from coaching.threads.models import SessionComment
from coaching.threads.services import comment_add
from coaching.videos.models import SetVideo
from coaching.videos.probe import pattern_video
from coaching.videos.services import poster_make, video_put
from coaching.weeks import monday_of
from programs.days import Day, day_due, default_name
from programs.lines import Line
from programs.models import Exercise, ProgramTemplate, display_load
from programs.progression.types import Checkin
from programs.services import template_create

DEMO_EMAIL = "coach@demo.hinge"
DEMO_PASSWORD = "hinge-demo-2026"
DEMO_SECOND_COACH_EMAIL = "coach2@demo.hinge"
DEMO_REVIEWER_EMAIL = "physio@demo.hinge"
# The client who reported back pain last week (``pain_last_week``), shared with the physio.
BACK_PAIN_EMAIL = "jonas@demo.hinge"
# Maya keeps the email she always had, so a database made by an older demo_data is completed, not doubled.
DEMO_CLIENT_EMAIL = "maya@demo.hinge"
WEEKS = 8
NAMESPACE = uuid.UUID("5b0c6c2e-9c1e-4f0e-8d61-4f3e2a7d9a10")
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
# The weekdays a client trains on, unless the client's ``training`` says otherwise for a week.
EVERY_OTHER_DAY = (MON, WED, FRI)

# Set maker: (week 0..7, session 0..2, line) -> list of SetInput
SetMaker = Callable[[int, int, dict[str, Any]], list[SetInput]]


def _reps_climbing(week: int, line: dict[str, Any]) -> int:
    """Double progression: at one load the reps climb a step a week to the top of the range,
    from its bottom on a new exercise; once the load goes up the client starts again two steps
    below the top (a start at the bottom would drop the e1RM enough to call for a deload)."""
    low, high = line["range"]
    step = max(1, (high - low) // 4)
    start = low if line["first_block"] else max(low, high - 2 * step)
    return min(high, start + step * line["weeks_at_load"])


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
    # Half a point under the line's target RPE (a light day's is lower), 7.5 where it has none.
    target = line.get("target_rpe")
    rpe = min(Decimal("7.5"), target - Decimal("0.5")) if target else Decimal("7.5")
    return _sets(line, _reps_climbing(week, line), rpe=rpe)


def pain_last_week(week: int, session: int, line: dict[str, Any]) -> list[SetInput]:
    sets = steady(week, session, line)
    # The deadlift is on one day of the rotation: one session of the last week has it.
    if week == WEEKS - 1 and line["slug"] == "deadlift":
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
        # The weaker side a few reps short, not under the range's bottom (that would be "too hard").
        low = line["range"][0]
        sets = [
            SetInput(**{**s.__dict__, "reps": max(low, (s.reps or 0) - 4)}) if s.side == "left" else s for s in sets
        ]
    return sets


def too_hard(week: int, session: int, line: dict[str, Any]) -> list[SetInput]:
    low, _ = line["range"]
    reps = low - 2 if week >= WEEKS - 2 else low
    return _sets(line, reps, rpe=Decimal("9.5"))


# A client either has ``lines`` (one day, "Day A") or ``days`` from the ``program`` template of
# that name: each day {"name", "weekdays"?, "lines"}. ``trains_on``: the weekdays of a usual week;
# ``training``: the weekdays of the weeks that differ (a missed or moved session; () skips a week).
CLIENTS: list[dict[str, Any]] = [
    {
        "name": "Maya Okafor",
        "email": DEMO_CLIENT_EMAIL,
        "password": DEMO_PASSWORD,
        "unit": "lb",
        "maker": asymmetric,
        "program": "Heavy and light deadlift",
        # Two unpinned days, three sessions a week: heavy, light, heavy, then light, heavy, light.
        "sessions_per_week": 3,
        "days": [
            {
                "name": "Heavy deadlift",
                "lines": [
                    {"slug": "deadlift", "sets": 3, "range": (5, 8), "load": 185, "target_rpe": 8},
                    {"slug": "single-leg-rdl", "sets": 3, "range": (8, 12), "load": 25, "per_side": True},
                ],
            },
            {
                "name": "Light deadlift",
                "lines": [
                    {"slug": "deadlift", "sets": 3, "range": (8, 10), "load": 135, "target_rpe": 7},
                    {"slug": "rdl-isometric-hold", "sets": 2, "range": (10, 20), "load": 45, "hold": True},
                ],
            },
        ],
    },
    {
        "name": "Jonas Berg",
        "email": "jonas@demo.hinge",
        "unit": "kg",
        "maker": pain_last_week,
        "program": "Three-day rotation",
        "days": [
            {
                "name": "Day A",
                "lines": [
                    {"slug": "deadlift", "sets": 3, "range": (5, 8), "load": 100},
                    {"slug": "hip-thrust", "sets": 3, "range": (8, 12), "load": 80},
                ],
            },
            {
                "name": "Day B",
                "lines": [
                    {"slug": "kettlebell-swing", "sets": 3, "range": (12, 15), "load": 24},
                    {"slug": "good-morning", "sets": 3, "range": (8, 12), "load": 40},
                ],
            },
            {
                "name": "Day C",
                "lines": [
                    {"slug": "romanian-deadlift", "sets": 3, "range": (8, 10), "load": 70},
                    {"slug": "single-leg-rdl", "sets": 3, "range": (8, 12), "load": 12, "per_side": True},
                ],
            },
        ],
        # Wednesday of week 3 missed (the rotation picks up where it stopped), Friday of week 5 on Saturday.
        "training": {3: (MON, FRI), 5: (MON, WED, SAT)},
    },
    {
        "name": "Aiko Tanaka",
        "email": "aiko@demo.hinge",
        "unit": "kg",
        "maker": faulty,
        "program": "Monday and Thursday",
        "days": [
            {
                "name": "Day A",
                "weekdays": (MON,),
                "lines": [
                    {"slug": "dowel-hip-hinge", "sets": 2, "range": (10, 12), "load": 0},
                    {"slug": "kettlebell-deadlift", "sets": 3, "range": (8, 12), "load": 16},
                ],
            },
            {
                "name": "Day B",
                "weekdays": (THU,),
                "lines": [
                    {"slug": "glute-bridge", "sets": 3, "range": (10, 15), "load": 0},
                    {"slug": "kettlebell-swing", "sets": 3, "range": (10, 15), "load": 12},
                ],
            },
        ],
        "trains_on": (MON, THU),
        # Thursday moved to Friday in week 3, Monday to Tuesday in week 5, last week's Thursday missed.
        "training": {3: (MON, FRI), 5: (TUE, THU), WEEKS - 1: (MON,)},
    },
    {
        "name": "Luis Romero",
        "email": "luis@demo.hinge",
        "unit": "lb",
        "maker": steady,
        "training": {5: (), 6: ()},
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


# docs/domain.md "Readiness check-in": the clients answer it from four weeks ago; Jonas, whose
# back hurt last week, comes in low (readiness 2.0 and a painful low back) and keeps the plan.
CHECKIN_WEEKS = 4


def demo_checkin(spec: dict[str, Any], week: int, session: int) -> Checkin | None:
    if week < WEEKS - CHECKIN_WEEKS:
        return None
    if spec["email"] == "jonas@demo.hinge" and week == WEEKS - 1 and session == 0:
        return Checkin(sleep=2, soreness=4, stress=4, low_back="painful", cut_taken=False)
    rng = random.Random(f"{spec['email']}/{week}/{session}/checkin")
    return Checkin(sleep=rng.choice([4, 5]), soreness=rng.choice([1, 2]), stress=rng.choice([2, 3]), low_back="fine")


# docs/domain.md "Conversation and form": the week before last, the coach approves the first
# load increase with a note to the client (shown beside the change on Today and History).
APPROVAL_NOTE = "The extra load is earned: keep the last rep as clean as the first."


def approval_notes(review: WeeklyReview, week: int) -> list[dict[str, Any]] | None:
    if week != WEEKS - 2:
        return None
    items: list[dict[str, Any]] = [{"id": item.pk} for item in review.items.order_by("position")]
    progress = [item for item in review.items.order_by("position") if item.action == "progress"]
    if not progress:
        return None
    for item in items:
        if item["id"] == progress[0].pk:
            item["note"] = APPROVAL_NOTE
    return items


# Threads on the latest sessions, written once: Maya asks and her coach answers; Jonas's
# message about his back waits unread on the coach's dashboard.
THREADS = {
    DEMO_CLIENT_EMAIL: [
        ("client", "The last set of RDLs felt heavy on the left side. Is that the weaker side showing?"),
        ("coach", "Yes, that is the asymmetry the single-leg work is for. Keep the left side first."),
    ],
    "jonas@demo.hinge": [
        ("client", "My lower back was tight again this morning, so I kept the loads as planned."),
    ],
}


def conversation(coach: Coach, clients: list[Client]) -> None:
    for client in clients:
        messages = THREADS.get(client.email)
        latest = client.sessions.filter(deleted_at__isnull=True).order_by("-performed_at").first()
        if not messages or latest is None or SessionComment.objects.filter(session__client=client).exists():
            continue
        # A couple of hours after the session, never in the future (a session logged just now).
        now = timezone.now()
        when = max(latest.performed_at, min(latest.performed_at + dt.timedelta(hours=2), now - dt.timedelta(hours=6)))
        step = min(dt.timedelta(hours=2), (now - when) / (len(messages) + 1))
        for author, body in messages:
            when += step
            comment_add(session=latest, author=client.user if author == "client" else coach.user, body=body, now=when)


def form_video(clients: list[Client]) -> bool:
    """A short test-pattern video (made by ffmpeg) on the demo client's latest first set, with its
    poster; nothing without ffmpeg, or when the client has a video already."""
    client = next((c for c in clients if c.email == DEMO_CLIENT_EMAIL), None)
    latest = (
        None if client is None else client.sessions.filter(deleted_at__isnull=True).order_by("-performed_at").first()
    )
    first_set = None if latest is None else latest.sets.order_by("position").first()
    if latest is None or first_set is None or SetVideo.objects.filter(session__client=client).exists():
        return False
    with tempfile.TemporaryDirectory(prefix="hinge-demo-video-") as folder:
        path = Path(folder) / "pattern.webm"
        if not pattern_video(path):
            return False
        with path.open("rb") as body:
            video = video_put(session=latest, set_uid=first_set.uid, body=body)
    poster_make(video.pk)
    return True


def plan_days(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The client's days as the spec writes them: its ``days``, or one "Day A" of its ``lines``."""
    return spec.get("days") or [{"name": default_name(0), "lines": spec["lines"]}]


def trains_on(spec: dict[str, Any], week: int) -> tuple[int, ...]:
    """The weekdays the client trained in ``week``."""
    return spec.get("training", {}).get(week, spec.get("trains_on", EVERY_OTHER_DAY))


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
        roster: list[tuple[Client, Assignment, dict[str, Any], list[Day]]] = []
        for spec in CLIENTS:
            client = self._client(coach, spec)
            assignment = Assignment.objects.filter(client=client, is_active=True).first()
            if assignment is None:
                assignment = self._assignment(coach, client, spec, library, default_start)
            # The stored days, not the spec's: a database of an older demo_data keeps its one day.
            roster.append((client, assignment, spec, assignment_days(assignment)))
        # Week by week, as it would have happened: the client trains the day due in the
        # prescription in force, the review is generated, and the coach approves it, except the
        # latest week's.
        written = 0
        last_day: dict[int, int | None] = {}
        blocks: dict[int, dict[tuple[int, str], tuple[Decimal, int]]] = {}
        for week in range(WEEKS):
            late: list[tuple[Client, SessionInput]] = []
            for client, assignment, spec, days in roster:
                # The latest week's last session of the demo client syncs late, after its review:
                # the pending review is recomputed and says so (DOMAIN.md "Late data").
                hold = week == WEEKS - 1 and spec["email"] == DEMO_CLIENT_EMAIL
                count, last_day[client.pk], held = self._week_sessions(
                    client, assignment, spec, days, week, last_day.get(client.pk), blocks.setdefault(client.pk, {}),
                    hold_last=hold,
                )  # fmt: skip
                written += count
                late += [(client, item) for item in held]
            monday = roster[0][1].start_date + dt.timedelta(weeks=week)
            reviews_generate_batch(week_start=monday, assignment_ids=[a.pk for _, a, _, _ in roster], notify=False)
            if week == WEEKS - 1:
                # The coach has watched the demo client's sessions and tags a fault before the late
                # one syncs: the pending review's recompute (by the late session) counts it too.
                self._coach_tag(coach)
            for client, item in late:
                written += self._apply(client, [item])
                # The worker's task, run here: the command returns with the review recomputed.
                reviews_recompute(recompute_requests_due(fresh=True))
            if week < WEEKS - 1:
                for review in WeeklyReview.objects.filter(
                    week_start=monday, assignment__client__coach=coach, status=WeeklyReview.Status.PENDING
                ):
                    review_approve(review=review, user=coach.user, items=approval_notes(review, week))
        conversation(coach, [client for client, _, _, _ in roster])
        form_video([client for client, _, _, _ in roster])
        self._team(coach)
        if not options["quiet"]:
            self.stdout.write(
                f"Demo coach: {DEMO_EMAIL} / {DEMO_PASSWORD} — {len(CLIENTS)} clients, "
                f"{written} sessions written or updated.\n"
                f"Demo client (the phone app, /today/): {DEMO_CLIENT_EMAIL} / {DEMO_PASSWORD}\n"
                f"Demo reviewer (physiotherapist, /team/cosigns/): {DEMO_REVIEWER_EMAIL} / {DEMO_PASSWORD}"
            )

    @staticmethod
    def _coach_tag(coach: Coach) -> None:
        """A fault the coach tagged on the demo client's latest session before the late one (its first
        set): shown on the client page, the review page and the phone's History. Once: running again
        changes nothing."""
        if CoachFault.objects.filter(session__client__user__email=DEMO_CLIENT_EMAIL, by=coach.user).exists():
            return
        latest = (
            LoggedSession.objects.filter(client__user__email=DEMO_CLIENT_EMAIL, client__coach=coach, deleted_at=None)
            .order_by("-performed_at")
            .first()
        )
        first = latest.sets.order_by("position").first() if latest is not None else None
        if latest is not None and first is not None:
            coach_faults_replace(
                session=latest, logged_set=first, user=coach.user, role="coach", faults=["upper_back_rounding"]
            )

    @staticmethod
    def _team(coach: Coach) -> None:
        """The demo team: the demo coach owns it, with a second coach and a physiotherapist the
        client who reported back pain is shared with (their pending review awaits the co-sign)."""
        if TeamMembership.objects.filter(user=coach.user).exists():
            return
        team = team_create(user=coach.user, name="Demo Strength Gym")
        second = User.objects.filter(email=DEMO_SECOND_COACH_EMAIL).first()
        second_coach = (
            Coach.objects.get(user=second)
            if second is not None
            else coach_create(
                email=DEMO_SECOND_COACH_EMAIL, password=DEMO_PASSWORD, name="Robin Second", validate=False
            )
        )
        physio = User.objects.filter(email=DEMO_REVIEWER_EMAIL).first() or User.objects.create_user(
            email=DEMO_REVIEWER_EMAIL, password=DEMO_PASSWORD, name="Priya Physio"
        )
        now = timezone.now()
        TeamMembership.objects.create(team=team, user=second_coach.user, role=Role.COACH, joined=now)
        reviewer = TeamMembership.objects.create(team=team, user=physio, role=Role.REVIEWER, joined=now)
        back_pain = Client.objects.filter(coach=coach, email=BACK_PAIN_EMAIL).first()
        if back_pain is not None:
            client_share(client=back_pain, by=coach.user, member=reviewer)

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

    def _assignment(
        self,
        coach: Coach,
        client: Client,
        spec: dict[str, Any],
        library: dict[str, Exercise],
        start: dt.date,
    ) -> Assignment:
        """The client's assignment: from the spec's program template (made on the first run, so
        the builder has it too) with its days, or of the spec's one day of lines."""
        unit = spec["unit"]
        days = [
            Day(number=i + 1, name=day["name"], weekdays=tuple(day.get("weekdays", ())))
            for i, day in enumerate(plan_days(spec))
        ]
        lines = [
            self._line(library[ln["slug"]], ln, unit, day=i + 1)
            for i, day in enumerate(plan_days(spec))
            for ln in day["lines"]
        ]
        program = None
        if spec.get("program"):
            program = ProgramTemplate.objects.filter(owner=coach.user, name=spec["program"]).first()
            if program is None:
                program = template_create(owner=coach.user, name=spec["program"], lines=lines, days=days)
            days, lines = program_week(program, unit)
        return assignment_create(
            client=client,
            program=program,
            start_date=start,
            changed_by=coach.user,
            unit=unit,
            # None: the domain's default (a pinned weekday each, one per unpinned day).
            sessions_per_week=spec.get("sessions_per_week", None if spec.get("days") else 3),
            deload_every_weeks=spec.get("deload_every_weeks"),
            lines=lines,
            days=days,
        )

    @staticmethod
    def _line(exercise: Exercise, ln: dict[str, Any], unit: str, *, day: int = 1) -> Line:
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
            day=day,
        )

    def _week_sessions(
        self,
        client: Client,
        assignment: Assignment,
        spec: dict[str, Any],
        days: list[Day],
        week: int,
        last_day: int | None,
        blocks: dict[tuple[int, str], tuple[Decimal, int]],
        *,
        hold_last: bool = False,
    ) -> tuple[int, int | None, list[SessionInput]]:
        """The client's sessions of ``week``, each on the day due on its date after the one
        before (the phone's Today); how many were written, the day of the last one, and (with
        ``hold_last``) the last session, not written: the caller syncs it late.

        ``blocks``: for each line (day, exercise), its load and the week it was first trained at
        it, kept from week to week so the reps climb until an approved review raises the load."""
        rng = random.Random(f"{spec['email']}/{week}")
        maker: SetMaker = spec["maker"]
        monday = assignment.start_date + dt.timedelta(weeks=week)
        version = version_in_force(assignment, monday)
        assert version is not None  # every demo assignment starts with its prescription
        lines: list[dict[str, Any]] = [
            {
                "slug": line.exercise.slug,
                "day": line.day,
                "sets": line.sets,
                "range": (line.range_low, line.range_high),
                "load": display_load(line.load_kg, line.unit),
                "unit": line.unit,
                "per_side": line.exercise.is_per_side,
                "hold": line.exercise.measure == Exercise.Measure.SECONDS,
                "tempo": line.tempo,
                "target_rpe": line.target_rpe,
            }
            for line in version.lines.select_related("exercise").order_by("position")
        ]
        for ln in lines:
            key = (ln["day"], ln["slug"])
            known = blocks.get(key)
            if known is None or known[0] != ln["load"]:
                blocks[key] = (ln["load"], week)
            ln["first_block"] = known is None
            ln["weeks_at_load"] = week - blocks[key][1]
        weekdays = trains_on(spec, week)
        if not weekdays:
            return 0, last_day, []
        items: list[SessionInput] = []
        for session, weekday in enumerate(weekdays):
            date = monday + dt.timedelta(days=weekday)
            day = day_due(days, date, last_day, start=assignment.start_date).day.number
            last_day = day
            performed = dt.datetime.combine(
                date, dt.time(7 + rng.randint(0, 11), rng.choice([0, 15, 30])), tzinfo=dt.UTC
            )
            sets: list[SetInput] = []
            for ln in lines:
                if ln["day"] == day:
                    sets += maker(week, session, ln)
            items.append(
                SessionInput(
                    id=uuid.uuid5(NAMESPACE, f"{spec['email']}/{week}/{session}"),
                    assignment_id=assignment.pk,
                    performed_at=performed,
                    client_modified_at=performed + dt.timedelta(minutes=50),
                    notes="",
                    sets=tuple(sets),
                    day=day,
                    checkin=demo_checkin(spec, week, session),
                )
            )
        held = items[-1:] if hold_last else []
        return self._apply(client, items[: len(items) - len(held)]), last_day, held

    @staticmethod
    def _apply(client: Client, items: list[SessionInput]) -> int:
        """Sync the sessions as the phone would; how many were written."""
        results = sessions_apply(user=client.coach.user, items=items)
        bad = [r for r in results if r.status == "rejected"]
        if bad:
            raise RuntimeError(f"demo data rejected: {bad[0].errors}")
        return sum(r.status in {"created", "updated"} for r in results)
