"""Privacy: a coach deletes a client and every row logged for them."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest

from accounts.models import User
from coaching.models import Assignment, Client, LoggedSession, LoggedSet, PrescriptionVersion, WeeklyReview
from coaching.sessions.services import SessionInput, SetInput, sessions_apply

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(client_profile: Client) -> Client:
    performed = dt.datetime(2026, 11, 17, 8, tzinfo=dt.UTC)
    sessions_apply(
        user=client_profile.user,
        items=[
            SessionInput(
                id=uuid.uuid4(), assignment_id=client_profile.assignments.get().pk, performed_at=performed,
                client_modified_at=performed, notes="Back twinged",
                sets=(SetInput(exercise="romanian-deadlift", reps=8, load=Decimal(60), pain=3),),
            )
        ],
    )  # fmt: skip
    WeeklyReview.objects.create(assignment=client_profile.assignments.get(), week_start=dt.date(2026, 11, 16))
    return client_profile


def test_coach_deletes_a_client_with_all_their_data(client: Any, coach: Any, logged: Client) -> None:
    client.force_login(coach.user)
    page = client.get(f"/clients/{logged.pk}/delete/")
    assert page.status_code == 200
    assert "1 logged session" in page.content.decode()
    response = client.post(f"/clients/{logged.pk}/delete/", {"confirm_name": logged.name.upper()})
    assert response.status_code == 302
    assert not Client.objects.filter(pk=logged.pk).exists()
    assert not User.objects.filter(email=logged.email).exists()
    for model in (LoggedSession, LoggedSet, Assignment, PrescriptionVersion, WeeklyReview):
        assert model.objects.count() == 0, model


def test_deleting_needs_the_name_typed(client: Any, coach: Any, logged: Client) -> None:
    client.force_login(coach.user)
    response = client.post(f"/clients/{logged.pk}/delete/", {"confirm_name": "someone else"})
    assert response.status_code == 400
    assert "to confirm" in response.content.decode()
    assert LoggedSession.objects.count() == 1


def test_another_coach_cannot_delete_my_client(client: Any, other_coach: Any, logged: Client) -> None:
    client.force_login(other_coach.user)
    assert client.get(f"/clients/{logged.pk}/delete/").status_code == 404
    assert client.post(f"/clients/{logged.pk}/delete/", {"confirm_name": logged.name}).status_code == 404
    assert Client.objects.filter(pk=logged.pk).exists()


def test_a_client_cannot_reach_the_delete_page(client: Any, logged: Client) -> None:
    client.force_login(logged.user)
    assert client.get(f"/clients/{logged.pk}/delete/").status_code == 404
