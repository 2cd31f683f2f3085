"""The database refuses rows that break an invariant, whatever code writes them."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from coaching.models import Client, LoggedSession, LoggedSet, PrescriptionLine, WeeklyReview
from tests.factories import exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(client_profile: Client) -> LoggedSession:
    now = timezone.now()
    return LoggedSession.objects.create(
        id=uuid.uuid4(),
        client=client_profile,
        coach_id=client_profile.coach_id,
        assignment=client_profile.assignments.get(),
        performed_at=now,
        client_modified_at=now,
    )


def _set(session: LoggedSession, **overrides: Any) -> LoggedSet:
    values: dict[str, Any] = {
        "session": session,
        "position": 0,
        "exercise": exercise("deadlift"),
        "reps": 5,
        "load_kg": Decimal("100"),
    }
    values.update(overrides)
    return LoggedSet(**values)


def _rejected(obj: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def test_valid_set_is_stored(session: LoggedSession) -> None:
    _set(session, rpe=Decimal("7.5"), pain=2).save()
    assert session.sets.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"reps": -1},
        {"reps": 10_000},
        {"reps": None, "seconds": None},
        {"reps": 5, "seconds": 10},
        {"rpe": Decimal("11")},
        {"rpe": Decimal("7.3")},
        {"rpe": Decimal("0.5")},
        {"pain": 12},
        {"load_kg": Decimal("-5")},
        {"load_kg": Decimal("5000")},
        {"side": "up"},
        {"unit": "st"},
    ],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()),
)
def test_bad_set_is_rejected(session: LoggedSession, overrides: dict[str, Any]) -> None:
    _rejected(_set(session, **overrides))


def test_two_sets_cannot_share_a_position(session: LoggedSession) -> None:
    _set(session).save()
    _rejected(_set(session))


@pytest.mark.parametrize(
    "overrides",
    [
        {"reps_low": 12, "reps_high": 8},
        {"reps_low": None, "reps_high": None},
        {"sets": 0},
        {"target_rpe": Decimal("11")},
        {"seconds_low": 10, "seconds_high": 20},
    ],
)
def test_bad_prescription_line_is_rejected(client_profile: Client, overrides: dict[str, Any]) -> None:
    version = client_profile.assignments.get().versions.get()
    values: dict[str, Any] = {
        "version": version,
        "position": 99,
        "exercise": exercise("deadlift"),
        "sets": 3,
        "reps_low": 8,
        "reps_high": 12,
        "load_kg": Decimal("100"),
    }
    values.update(overrides)
    _rejected(PrescriptionLine(**values))


def test_duplicate_review_for_the_same_week_is_rejected(client_profile: Client) -> None:
    assignment = client_profile.assignments.get()
    WeeklyReview.objects.create(assignment=assignment, week_start=dt.date(2026, 11, 16))
    _rejected(WeeklyReview(assignment=assignment, week_start=dt.date(2026, 11, 16)))


def test_decided_review_needs_a_decision_time(client_profile: Client) -> None:
    assignment = client_profile.assignments.get()
    _rejected(WeeklyReview(assignment=assignment, week_start=dt.date(2026, 11, 16), status="approved"))


def test_client_can_have_only_one_active_assignment(client_profile: Client) -> None:
    from coaching.models import Assignment

    _rejected(Assignment(client=client_profile, start_date=dt.date(2026, 11, 2)))


def test_coach_cannot_have_two_clients_with_one_email(client_profile: Client) -> None:
    _rejected(Client(coach=client_profile.coach, name="Twin", email=client_profile.email.upper()))
