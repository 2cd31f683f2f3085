"""The coach on the session row (issue 17): every write path sets it to the client's coach, so the
coach's change feed can read its own rows by ``(coach, change_seq)`` without a join."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import LoggedSession
from coaching.seed import roster_seed
from tests.coaching.api.test_sessions_api import api_for, session_body, url

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/sessions/sync/"


def _mismatched() -> list[tuple[Any, ...]]:
    """Sessions whose coach is not their client's coach (should be none)."""
    return list(
        LoggedSession.objects.exclude(coach_id=F("client__coach_id")).values_list("pk", "coach_id", "client__coach_id")
    )


def test_every_write_path_sets_the_clients_coach_on_the_session(
    coach: Any, client_profile: Any, other_coach: Any, other_client: Any
) -> None:
    assignment = client_profile.assignments.get(is_active=True)
    phone = api_for(client_profile.user)
    # The phone's PUT (created, then replaced).
    sid = uuid.uuid4()
    assert phone.put(url(sid), session_body(assignment.pk, sid=sid), format="json").status_code == 201
    later = timezone.now() - dt.timedelta(minutes=1)
    assert phone.put(url(sid), session_body(assignment.pk, sid=sid, modified=later), format="json").status_code == 200
    # The coach's sync of two new sessions, and a replay-with-changes of one.
    coach_api = api_for(coach.user)
    bodies = [session_body(assignment.pk) for _ in range(2)]
    response = coach_api.post(SYNC, {"sessions": bodies}, format="json")
    assert [r["status"] for r in response.json()["results"]] == ["created", "created"]
    edited = bodies[0] | {"client_modified_at": later.isoformat(), "notes": "edited"}
    assert coach_api.post(SYNC, {"sessions": [edited]}, format="json").json()["results"][0]["status"] == "updated"
    # A delete (a tombstone keeps its coach).
    assert phone.delete(url(sid)).status_code == 204
    # Another coach's client writes at the same time.
    other = other_client.assignments.get(is_active=True)
    response = api_for(other_client.user).post(SYNC, {"sessions": [session_body(other.pk)]}, format="json")
    assert response.status_code == 200
    # The bulk seed of the benchmarks and the scale tests.
    roster_seed(other_coach, clients=2, weeks=1, start=dt.date(2026, 11, 2), logins=False)

    assert LoggedSession.objects.filter(coach=coach).count() == 3
    assert LoggedSession.objects.filter(coach=other_coach).count() == 1 + 2 * 3
    assert _mismatched() == []


def test_a_session_without_a_coach_is_refused_by_the_database(client_profile: Any) -> None:
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        LoggedSession.objects.create(
            id=uuid.uuid4(),
            client=client_profile,
            assignment=client_profile.assignments.get(),
            performed_at=now,
            client_modified_at=now,
        )


def test_the_coach_feed_holds_the_coachs_sessions_only(
    coach: Any, client_profile: Any, other_coach: Any, other_client: Any
) -> None:
    mine = session_body(client_profile.assignments.get(is_active=True).pk)
    theirs = session_body(other_client.assignments.get(is_active=True).pk)
    assert api_for(client_profile.user).post(SYNC, {"sessions": [mine]}, format="json").status_code == 200
    assert api_for(other_client.user).post(SYNC, {"sessions": [theirs]}, format="json").status_code == 200

    def feed_ids(api: APIClient) -> list[str]:
        return [r["id"] for r in api.get("/api/v1/sessions/").json()["results"]]

    assert feed_ids(api_for(coach.user)) == [mine["id"]]
    assert feed_ids(api_for(other_coach.user)) == [theirs["id"]]


def test_the_admin_sets_the_clients_coach_on_a_session_it_saves(client_profile: Any, other_coach: Any) -> None:
    from django.contrib.admin.sites import site

    from coaching.admin import LoggedSessionAdmin

    now = timezone.now()
    session = LoggedSession(
        id=uuid.uuid4(),
        client=client_profile,
        coach=other_coach,  # wrong on purpose: the admin takes the client's
        assignment=client_profile.assignments.get(),
        performed_at=now,
        client_modified_at=now,
    )
    LoggedSessionAdmin(LoggedSession, site).save_model(None, session, None, False)
    assert LoggedSession.objects.get(pk=session.pk).coach_id == client_profile.coach_id
