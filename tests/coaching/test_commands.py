from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
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
