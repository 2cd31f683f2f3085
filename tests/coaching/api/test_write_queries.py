"""What one session write costs, pinned: the queries of a phone's PUT and sync, signed in with a
token as a phone is (the token check is part of every write), and the token's own rules.

A write runs, in order: the token with its user and their coach or client row (one query:
``coaching.api.authentication``); the assignments with their client and coach; the exercises of
the coach's library by slug; then, in the transaction (two SAVEPOINT statements inside a test's
transaction), the client's row (lock), the stored sessions, the rows written, the pending reviews
to recompute, the coach's change counter (its new value, taken last), the sessions themselves and
the coach's webhook endpoints. A session
the write created has no coach tags and no videos to look up for its answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from coaching.models import LoggedSession
from programs.services import exercise_create
from tests.coaching.api.factories_api import token_client
from tests.coaching.api.test_sessions_api import BASE, session_body, url
from tests.coaching.teams.team_world import team_world
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SYNC = "/api/v1/sessions/sync/"
LATER = (BASE + dt.timedelta(hours=2)).isoformat()

# token, assignments, exercises, SAVEPOINT, counter lock, stored sessions, counter value, session
# insert, sets insert, webhook endpoints, pending reviews, RELEASE.
PUT_CREATED = 12
# ... as created, with the stored sets' ids, their delete and the session's update for the insert,
# the dropped sets' coach tags and videos; after the transaction the answer's coach tags and videos.
PUT_UPDATED = 18
# token, assignments, exercises, SAVEPOINT, counter lock, stored sessions, RELEASE; the answer's
# stored sets, their coach tags and videos.
PUT_UNCHANGED = PUT_STALE = 10
SYNC_CREATED = 12  # as PUT_CREATED: a sync answers statuses, not sets
SYNC_UNCHANGED = 7  # token, assignments, exercises, SAVEPOINT, counter lock, stored sessions, RELEASE
SYNC_UPDATED_AND_CREATED = 17  # one of each: the rows of both in the same statements


@pytest.fixture
def assignment(client_profile: Any) -> Any:
    return client_profile.assignments.get(is_active=True)


@pytest.fixture
def phone(client_profile: Any) -> APIClient:
    return token_client(client_profile.user)


def test_a_put_costs_its_pinned_queries_in_each_outcome(
    phone: APIClient, assignment: Any, django_assert_num_queries: Any
) -> None:
    body = session_body(assignment.pk)
    with django_assert_num_queries(PUT_CREATED):
        assert phone.put(url(body["id"]), body, format="json").status_code == 201
    edited = body | {"client_modified_at": LATER, "notes": "Edited."}
    with django_assert_num_queries(PUT_UPDATED):
        assert phone.put(url(body["id"]), edited, format="json").status_code == 200
    with django_assert_num_queries(PUT_UNCHANGED):
        assert phone.put(url(body["id"]), edited, format="json").status_code == 200
    with django_assert_num_queries(PUT_STALE):
        assert phone.put(url(body["id"]), body, format="json").status_code == 409
    assert LoggedSession.objects.get(pk=body["id"]).notes == "Edited."


def test_a_sync_costs_its_pinned_queries(phone: APIClient, assignment: Any, django_assert_num_queries: Any) -> None:
    first = session_body(assignment.pk)
    with django_assert_num_queries(SYNC_CREATED):
        results = phone.post(SYNC, {"sessions": [first]}, format="json").json()["results"]
    assert [r["status"] for r in results] == ["created"]
    with django_assert_num_queries(SYNC_UNCHANGED):
        results = phone.post(SYNC, {"sessions": [first]}, format="json").json()["results"]
    assert [r["status"] for r in results] == ["unchanged"]
    both = [first | {"client_modified_at": LATER}, session_body(assignment.pk)]
    with django_assert_num_queries(SYNC_UPDATED_AND_CREATED):
        results = phone.post(SYNC, {"sessions": both}, format="json").json()["results"]
    assert [r["status"] for r in results] == ["updated", "created"]


def test_the_created_answer_is_what_a_read_of_the_session_gives(phone: APIClient, assignment: Any) -> None:
    body = session_body(assignment.pk)
    created = phone.put(url(body["id"]), body, format="json")
    assert created.status_code == 201
    read = phone.get(url(body["id"])).json()
    assert created.json() == read
    assert {(s["video"], tuple(s["coach_faults"])) for s in read["sets"]} == {(None, ())}


def test_a_client_writes_with_their_coachs_and_teams_exercises_not_another_coachs(
    coach: Any, client_profile: Any, other_coach: Any, assignment: Any
) -> None:
    world = team_world(coach, client_profile, other_coach)
    own = exercise_create(owner=coach.user, name="Coach A pull", implement="bodyweight")
    teammate = exercise_create(owner=world.covering.user, name="Coach C pull", implement="bodyweight")
    stranger = exercise_create(owner=other_coach.user, name="Coach B pull", implement="bodyweight")
    phone = token_client(client_profile.user)
    body = session_body(assignment.pk)
    body["sets"] = [{"exercise": e.slug, "reps": 8, "load": 20, "unit": "kg"} for e in (own, teammate)]
    response = phone.put(url(body["id"]), body, format="json")
    assert response.status_code == 201, response.content
    assert [s["exercise"] for s in response.json()["sets"]] == [own.slug, teammate.slug]
    theirs = session_body(assignment.pk)
    theirs["sets"] = [{"exercise": stranger.slug, "reps": 8, "load": 20, "unit": "kg"}]
    assert phone.put(url(theirs["id"]), theirs, format="json").status_code == 400
    assert not LoggedSession.objects.filter(pk=theirs["id"]).exists()


def test_a_request_reads_only_its_own_token_and_sign_in_deletes_the_expired_ones(
    anon: APIClient, client_profile: Any
) -> None:
    user = client_profile.user
    _, old = AuthToken.objects.create(user=user)
    AuthToken.objects.filter(user=user).update(expiry=timezone.now() - dt.timedelta(days=1))
    phone = token_client(user)
    assert phone.get("/api/v1/sessions/").status_code == 200
    assert AuthToken.objects.filter(user=user).count() == 2  # the expired one waits for a sign-in
    stale = APIClient()
    stale.credentials(HTTP_AUTHORIZATION=f"Token {old}")
    assert stale.get("/api/v1/sessions/").status_code == 401  # presented: refused and deleted
    assert AuthToken.objects.filter(user=user).count() == 1
    expired, _ = AuthToken.objects.create(user=user)
    AuthToken.objects.filter(pk=expired.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    response = anon.post("/api/v1/auth/token/", {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 201, response.content
    live = AuthToken.objects.filter(user=user)
    assert live.count() == 2  # the phone's and the new one: the expired one went at sign-in
    assert all(t.expiry > timezone.now() for t in live)


@pytest.mark.parametrize(("used_ago", "renewed"), [(dt.timedelta(minutes=30), False), (dt.timedelta(hours=2), True)])
def test_a_used_token_is_renewed_at_most_once_an_hour(
    client_profile: Any, used_ago: dt.timedelta, renewed: bool
) -> None:
    phone = token_client(client_profile.user)
    token = AuthToken.objects.get(user=client_profile.user)
    earlier = token.expiry - used_ago
    AuthToken.objects.filter(pk=token.pk).update(expiry=earlier)
    assert phone.get("/api/v1/sessions/").status_code == 200
    after = AuthToken.objects.get(pk=token.pk).expiry
    assert (after > earlier) is renewed
    assert after == earlier or after > timezone.now() + dt.timedelta(days=29)
