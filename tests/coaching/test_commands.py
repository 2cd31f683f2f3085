from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from accounts.models import User
from coaching.management.commands.demo_data import DEMO_CLIENT_EMAIL, DEMO_EMAIL, DEMO_PASSWORD
from coaching.models import (
    Assignment,
    Client,
    LoggedSession,
    LoggedSet,
    PrescriptionVersion,
    ReviewItem,
    WeeklyReview,
)

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
