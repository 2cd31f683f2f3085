from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from coaching.management.commands.demo_data import APPROVAL_NOTE, DEMO_CLIENT_EMAIL, DEMO_EMAIL, DEMO_PASSWORD
from coaching.models import (
    Assignment,
    AssignmentDay,
    Client,
    LoggedSession,
    LoggedSet,
    PrescriptionVersion,
    ReviewItem,
    WeeklyReview,
)
from coaching.threads.models import SessionComment
from coaching.threads.selectors import unread_total
from programs.models import ProgramDay, ProgramTemplate

pytestmark = pytest.mark.django_db


def test_create_coach_creates_a_coach_who_can_log_in() -> None:
    out = StringIO()
    call_command("create_coach", "--email", "New@Example.com", "--password", "a-long-pass-phrase-1", stdout=out)
    user = User.objects.get(email="new@example.com")
    assert user.check_password("a-long-pass-phrase-1")
    assert user.coach.time_zone == "UTC"
    assert "Created coach new@example.com" in out.getvalue()


def test_create_coach_rejects_a_duplicate_email_clearly() -> None:
    call_command("create_coach", "--email", "dup@example.com", "--password", "a-long-pass-phrase-1")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_coach", "--email", "DUP@example.com", "--password", "another-pass-phrase-2")
    assert User.objects.filter(email__iexact="dup@example.com").count() == 1


def test_create_coach_rejects_a_weak_password() -> None:
    with pytest.raises(CommandError, match="too short|too common"):
        call_command("create_coach", "--email", "weak@example.com", "--password", "abc")
    assert not User.objects.filter(email="weak@example.com").exists()


def _counts() -> tuple[int, ...]:
    return (
        User.objects.count(),
        Client.objects.count(),
        Assignment.objects.count(),
        PrescriptionVersion.objects.count(),
        LoggedSession.objects.count(),
        LoggedSet.objects.count(),
        *_snapshot(),
    )


def test_demo_data_builds_a_living_roster_and_is_idempotent() -> None:
    call_command("demo_data", "--quiet")
    first = _counts()
    call_command("demo_data", "--quiet")
    assert _counts() == first
    assert Client.objects.count() == 6
    assert Assignment.objects.filter(is_active=True).count() == 6
    sessions = LoggedSession.objects.all()
    weeks = {s.performed_at.date() - dt.timedelta(days=s.performed_at.weekday()) for s in sessions}
    assert len(weeks) == 8
    # The mix the rules need: a pain report, form faults, a single-leg asymmetry, a missed week.
    assert LoggedSet.objects.filter(pain__gte=3).exists()
    assert LoggedSet.objects.exclude(faults=[]).exists()
    assert LoggedSet.objects.filter(side="left").exists()
    luis_weeks = {
        s.performed_at.date() - dt.timedelta(days=s.performed_at.weekday())
        for s in sessions.filter(client__name="Luis Romero")
    }
    assert len(luis_weeks) == 6
    # Past weeks were reviewed and approved; the latest week's reviews wait for the coach.
    assert WeeklyReview.objects.filter(status="approved").count() == 6 * 7
    pending = WeeklyReview.objects.filter(status="pending")
    assert pending.count() == 6
    rules = set(ReviewItem.objects.filter(review__in=pending).values_list("rule", flat=True))
    assert {"safety", "data", "technique", "progress"} <= rules
    assert any(
        "asymmetry" in flags for flags in ReviewItem.objects.filter(review__in=pending).values_list("flags", flat=True)
    )


def test_demo_data_prints_the_login() -> None:
    out = StringIO()
    call_command("demo_data", stdout=out)
    assert "coach@demo.hinge / hinge-demo-2026" in out.getvalue()


def test_demo_client_signs_in_and_opens_today_and_the_others_have_joined(client: Any) -> None:
    call_command("demo_data", "--quiet")
    response = client.post("/accounts/login/", {"username": DEMO_CLIENT_EMAIL, "password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    demo = Client.objects.get(email=DEMO_CLIENT_EMAIL)
    assert demo.user is not None
    assert demo.user.email == DEMO_CLIENT_EMAIL
    assert demo.invite_token is None
    today = client.get(reverse("client-today"))
    assert today.status_code == 200
    first_line = demo.assignments.get(is_active=True).versions.order_by("-effective_from").first().lines.first()
    assert first_line.exercise.name in today.content.decode()
    # Every demo client has joined: none shows "Invited", none keeps an invite link.
    assert not Client.objects.filter(user__isnull=True).exists()
    assert not Client.objects.exclude(invite_token=None).exists()
    others = User.objects.filter(client_profile__isnull=False).exclude(email=DEMO_CLIENT_EMAIL)
    assert others.count() == 5
    assert not any(u.has_usable_password() for u in others)
    coach_web = client.__class__()
    coach_web.force_login(User.objects.get(email=DEMO_EMAIL))
    roster = coach_web.get(reverse("coach-clients")).content.decode()
    assert roster.count("✓ Joined") == 6
    assert ">Invited<" not in roster


def test_demo_data_runs_twice_with_logins_unchanged() -> None:
    call_command("demo_data", "--quiet")
    users = sorted(User.objects.values_list("pk", "email", "password"))
    clients = sorted(Client.objects.values_list("pk", "email", "user_id"))
    call_command("demo_data", "--quiet")
    assert sorted(User.objects.values_list("pk", "email", "password")) == users
    assert sorted(Client.objects.values_list("pk", "email", "user_id")) == clients


def test_demo_data_prints_the_client_login_too() -> None:
    out = StringIO()
    call_command("demo_data", stdout=out)
    assert f"{DEMO_CLIENT_EMAIL} / {DEMO_PASSWORD}" in out.getvalue()


def _this_monday(zone: str = "UTC") -> dt.date:
    import zoneinfo

    from django.utils import timezone

    today = timezone.now().astimezone(zoneinfo.ZoneInfo(zone)).date()
    return today - dt.timedelta(days=today.weekday())


def test_generate_reviews_refuses_a_week_that_is_not_over(client_profile: Client) -> None:
    week = _this_monday()
    for unfinished in (week, week + dt.timedelta(weeks=1)):
        with pytest.raises(CommandError, match="not over yet") as refused:
            call_command("generate_reviews", "--week", unfinished.isoformat(), stdout=StringIO())
        assert "--force" in str(refused.value)
        assert "Nothing was written" in str(refused.value)
    assert not WeeklyReview.objects.exists()


# The command line's run closes the database connections: a transaction of its own is needed.
@pytest.mark.django_db(transaction=True)
def test_generate_reviews_refusal_exits_non_zero_with_the_message(
    client_profile: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    from django.core.management import execute_from_command_line

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["manage.py", "generate_reviews", "--week", _this_monday().isoformat()])
    assert exited.value.code != 0
    assert "is not over yet" in capsys.readouterr().err
    assert not WeeklyReview.objects.exists()


def test_generate_reviews_waits_for_the_week_to_end_in_every_coachs_time_zone(client_profile: Client) -> None:
    from coaching.reviews.generation import week_over

    coach = client_profile.coach
    coach.time_zone = "America/Los_Angeles"
    coach.save()
    week = dt.date(2026, 11, 23)
    # Monday 30 Nov 03:00 UTC is still Sunday evening in Los Angeles.
    assert not week_over(week, now=dt.datetime(2026, 11, 30, 3, 0, tzinfo=dt.UTC))
    assert week_over(week, now=dt.datetime(2026, 11, 30, 8, 30, tzinfo=dt.UTC))


def test_generate_reviews_force_generates_a_week_that_is_not_over(client_profile: Client) -> None:
    out = StringIO()
    call_command("generate_reviews", "--week", _this_monday().isoformat(), "--force", stdout=out)
    assert "Reviews created: 1" in out.getvalue()
    assert WeeklyReview.objects.get().week_start == _this_monday()


def test_generate_reviews_force_needs_a_week(client_profile: Client) -> None:
    with pytest.raises(CommandError, match="--force goes with --week"):
        call_command("generate_reviews", "--force", stdout=StringIO())
    assert not WeeklyReview.objects.exists()


def test_generate_reviews_help_mentions_force() -> None:
    from coaching.management.commands.generate_reviews import Command

    parser = Command().create_parser("manage.py", "generate_reviews")
    text = parser.format_help()
    assert "--force" in text
    assert "not over" in " ".join(text.split())


# --- the demo's weekly plans (docs/domain.md "Training days") ------------------------------


def _days(assignment: Assignment) -> list[tuple[int, str, tuple[int, ...]]]:
    return [(d.number, d.name, d.weekdays) for d in assignment.days.all()]


def _active(name: str) -> Assignment:
    return Assignment.objects.get(client__name=name, is_active=True)


def _sessions(name: str) -> list[LoggedSession]:
    return list(LoggedSession.objects.filter(client__name=name).order_by("performed_at").prefetch_related("sets"))


def _snapshot() -> tuple[Any, ...]:
    return (
        sorted(LoggedSession.objects.values_list("id", "day", "performed_at", "body_hash")),
        sorted(AssignmentDay.objects.values_list("assignment_id", "number", "name", "weekday_mask")),
        sorted(ProgramDay.objects.values_list("template_id", "number", "name", "weekday_mask")),
        sorted(ProgramTemplate.objects.values_list("pk", "name")),
    )


def test_demo_clients_run_a_rotation_a_pinned_week_and_a_heavy_and_light_day_from_templates() -> None:
    call_command("demo_data", "--quiet")  # running it twice changes nothing: see _counts
    jonas, aiko, maya = _active("Jonas Berg"), _active("Aiko Tanaka"), _active("Maya Okafor")
    assert _days(jonas) == [(1, "Day A", ()), (2, "Day B", ()), (3, "Day C", ())]
    assert _days(aiko) == [(1, "Day A", (0,)), (2, "Day B", (3,))]  # Monday and Thursday
    assert _days(maya) == [(1, "Heavy deadlift", ()), (2, "Light deadlift", ())]
    assert (jonas.sessions_per_week, aiko.sessions_per_week, maya.sessions_per_week) == (3, 2, 3)
    for name in ("Luis Romero", "Priya Nair", "Sam Whitfield"):
        assert _days(_active(name)) == [(1, "Day A", ())]  # one day, as every program without days
    # Each plan is a template of the coach's, with the same days, so the builder shows them.
    for assignment in (jonas, aiko, maya):
        assert assignment.program is not None
        assert assignment.program.owner == User.objects.get(email=DEMO_EMAIL)
        template_days = [(d.number, d.name, d.weekdays) for d in assignment.program.days.all()]
        assert template_days == _days(assignment)
        template_lines = set(assignment.program.lines.values_list("day", flat=True))
        assert template_lines == {number for number, _, _ in template_days}
    # Maya deadlifts on both days, heavier on the heavy day, with another range.
    current = maya.versions.order_by("-effective_from", "-id").first()
    assert current is not None
    deadlifts = {ln.day: ln for ln in current.lines.filter(exercise__slug="deadlift")}
    assert set(deadlifts) == {1, 2}
    assert deadlifts[1].load_kg > deadlifts[2].load_kg
    assert (deadlifts[1].reps_low, deadlifts[1].reps_high) != (deadlifts[2].reps_low, deadlifts[2].reps_high)


def test_demo_sessions_follow_the_days_of_the_plan_with_missed_and_moved_days() -> None:
    from coaching.selectors import version_in_force
    from coaching.weeks import monday_of

    call_command("demo_data", "--quiet")
    for assignment in Assignment.objects.filter(is_active=True).prefetch_related("days"):
        numbers = {d.number for d in assignment.days.all()}
        for session in assignment.sessions.prefetch_related("sets__exercise"):
            assert session.day in numbers
            # The sets are the lines of the session's day in the prescription of that week.
            version = version_in_force(assignment, monday_of(session.performed_at.date()))
            assert version is not None
            day_exercises = set(version.lines.filter(day=session.day).values_list("exercise__slug", flat=True))
            assert {s.exercise.slug for s in session.sets.all()} == day_exercises

    # The rotation goes on where it stopped: A, B, C, A, ... however the weeks fall.
    jonas = _sessions("Jonas Berg")
    assert [s.day for s in jonas] == [n % 3 + 1 for n in range(len(jonas))]
    per_week: dict[dt.date, int] = {}
    for s in jonas:
        per_week[monday_of(s.performed_at.date())] = per_week.get(monday_of(s.performed_at.date()), 0) + 1
    assert sorted(per_week.values()) == [2] + [3] * 7  # one session missed
    assert any(s.performed_at.weekday() == 5 for s in jonas)  # one moved to a Saturday

    # The pinned week: Mondays are Day A, Thursdays Day B; a moved session does the next day in order.
    aiko = _sessions("Aiko Tanaka")
    assert all(s.day == 1 for s in aiko if s.performed_at.weekday() == 0)
    assert all(s.day == 2 for s in aiko if s.performed_at.weekday() == 3)
    moved = [n for n, s in enumerate(aiko) if s.performed_at.weekday() not in (0, 3)]
    assert len(moved) == 2
    assert all(aiko[n].day == aiko[n - 1].day % 2 + 1 for n in moved)
    last_week = max(monday_of(s.performed_at.date()) for s in aiko)
    assert [s.performed_at.weekday() for s in aiko if monday_of(s.performed_at.date()) == last_week] == [0]

    # Heavy, light, heavy: each deadlift set of a heavy day is heavier than those of the light day after it.
    maya = _sessions("Maya Okafor")
    assert [s.day for s in maya] == [n % 2 + 1 for n in range(24)]
    for heavy, light in zip(maya[::2], maya[1::2], strict=True):
        heavy_kg = {s.load_kg for s in heavy.sets.all() if s.exercise_id == light.sets.first().exercise_id}
        light_kg = {s.load_kg for s in light.sets.all() if s.exercise_id == light.sets.first().exercise_id}
        assert min(heavy_kg) > max(light_kg)
    for name in ("Luis Romero", "Priya Nair", "Sam Whitfield"):
        assert {s.day for s in _sessions(name)} == {1}


def test_demo_loads_progress_and_the_pending_reviews_go_by_day() -> None:
    call_command("demo_data", "--quiet")
    maya, jonas = _active("Maya Okafor"), _active("Jonas Berg")
    for assignment, day, slug in ((maya, 1, "deadlift"), (maya, 2, "deadlift"), (jonas, 1, "hip-thrust")):
        loads = [
            v.lines.get(day=day, exercise__slug=slug).load_kg
            for v in assignment.versions.order_by("effective_from", "id")
            if v.lines.filter(day=day, exercise__slug=slug).exists()
        ]
        assert loads == sorted(loads)
        assert loads[-1] > loads[0]
    pending = {
        r.assignment.client.name: list(
            r.items.order_by("day", "position").values_list("day", "day_name", "exercise__slug")
        )
        for r in WeeklyReview.objects.filter(status="pending").select_related("assignment__client")
    }
    assert [(day, name) for day, name, _ in pending["Jonas Berg"]] == [
        (1, "Day A"),
        (1, "Day A"),
        (2, "Day B"),
        (2, "Day B"),
        (3, "Day C"),
        (3, "Day C"),
    ]
    assert [(day, name) for day, name, slug in pending["Maya Okafor"] if slug == "deadlift"] == [
        (1, "Heavy deadlift"),
        (2, "Light deadlift"),
    ]
    # Aiko missed last Thursday: Day B's lines have no data; Day A's still judge her faults.
    aiko = ReviewItem.objects.filter(review__status="pending", review__assignment__client__name="Aiko Tanaka")
    assert set(aiko.filter(day=2).values_list("rule", flat=True)) == {"data"}
    assert aiko.filter(day=1, rule="technique").exists()


# --- the demo's conversation and check-ins (docs/domain.md "Readiness check-in", "Conversation and form")


def test_demo_shows_check_ins_with_one_low_threads_with_replies_and_an_approval_note() -> None:
    call_command("demo_data", "--quiet")
    checked_in = LoggedSession.objects.exclude(checkin_sleep=None)
    assert checked_in.count() > 10
    low = checked_in.filter(checkin_low_back="painful")
    assert [s.client.email for s in low] == ["jonas@demo.hinge"]
    # The low check-in is in the latest week: its pending review flags readiness.
    pending = WeeklyReview.objects.get(assignment__client__email="jonas@demo.hinge", status="pending")
    assert any("readiness" in item.flags for item in pending.items.all())

    maya = Client.objects.get(email=DEMO_CLIENT_EMAIL)
    thread = list(SessionComment.objects.filter(session__client=maya).order_by("created_at"))
    assert [c.author_id for c in thread] == [maya.user_id, maya.coach.user_id]
    assert all(c.created_at <= dt.datetime.now(dt.UTC) for c in thread)
    assert thread[0].session == maya.sessions.order_by("-performed_at").first()
    # Jonas's message waits for the coach; the coach has read Maya's thread (they replied).
    assert unread_total(maya.coach.user) == 1
    assert ReviewItem.objects.filter(note=APPROVAL_NOTE).count() == 1

    before = (SessionComment.objects.count(), ReviewItem.objects.filter(note=APPROVAL_NOTE).count())
    call_command("demo_data", "--quiet")
    assert (SessionComment.objects.count(), ReviewItem.objects.filter(note=APPROVAL_NOTE).count()) == before
