"""Every API endpoint × every persona, generated from the URL conf.

A new endpoint under ``api/v1/`` fails ``test_every_endpoint_has_an_expectation`` until it gets an
entry in ``EXPECTED``: nobody can forget to decide who may call it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from coaching.clients.services import client_create
from coaching.models import LoggedSet
from coaching.sessions.imports.services import import_dry_run
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.teams.models import TeamMembership
from coaching.teams.services import client_share, member_invite, team_create
from coaching.webhooks.models import WebhookDelivery
from coaching.webhooks.services import endpoint_create
from programs.models import ProgramTemplate
from tests.coaching.api.factories_api import make_review, token_client
from tests.factories import PASSWORD, CoachFactory
from tests.video_files import stored_video, video_bytes

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "coach_a", "coach_b", "client_a", "client_b")
API_PREFIX = "api/v1/"


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def api_endpoints() -> list[tuple[str, str]]:
    """(route under api/v1/, HTTP method) for every view method the URL conf exposes."""
    found: list[tuple[str, str]] = []
    for route, callback in _walk(get_resolver().url_patterns):
        if not route.startswith(API_PREFIX):
            continue
        view = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
        assert view is not None, f"{route} is not a class-based view"
        for method in view.http_method_names:
            if method not in {"options", "head"} and hasattr(view, method):
                found.append((route.removeprefix(API_PREFIX), method.upper()))
    return found


# Statuses for (anonymous, coach A, coach B, client of A, client of B). Objects in the URL and
# bodies belong to coach A's world (see ``World``). Another user's object is always 404.
EXPECTED: dict[tuple[str, str], tuple[int, int, int, int, int]] = {
    ("auth/token/", "POST"): (201, 201, 201, 201, 201),
    ("auth/logout/", "POST"): (401, 204, 204, 204, 204),
    ("auth/logoutall/", "POST"): (401, 204, 204, 204, 204),
    ("exercises/", "GET"): (401, 200, 200, 200, 200),
    ("exercises/", "POST"): (401, 201, 201, 404, 404),
    ("programs/", "GET"): (401, 200, 200, 404, 404),
    ("programs/", "POST"): (401, 201, 201, 404, 404),
    ("programs/<str:pk>/", "GET"): (401, 200, 404, 404, 404),
    ("programs/<str:pk>/", "PATCH"): (401, 200, 404, 404, 404),
    ("programs/<str:pk>/", "DELETE"): (401, 204, 404, 404, 404),
    ("clients/", "GET"): (401, 200, 200, 404, 404),
    ("clients/", "POST"): (401, 201, 201, 404, 404),
    ("clients/<str:pk>/", "GET"): (401, 200, 404, 404, 404),
    # A roster naming coach A's client's email: for coach B a new client of their own.
    ("clients/import/", "POST"): (401, 200, 200, 404, 404),
    # The invite link itself is the credential.
    ("invites/<str:token>/accept/", "POST"): (201, 201, 201, 201, 201),
    ("assignments/", "GET"): (401, 200, 200, 200, 200),
    # Coach B names coach A's client in the body: a field error, not a 404 on the URL.
    ("assignments/", "POST"): (401, 201, 400, 404, 404),
    ("assignments/<str:pk>/", "GET"): (401, 200, 404, 200, 404),
    ("me/assignment/", "GET"): (401, 404, 404, 200, 200),
    # The calendar feed's link (coaching/calendar_feed/api.py): a client's own, or their coach's.
    ("me/calendar/", "GET"): (401, 404, 404, 200, 200),
    ("me/calendar/reset/", "POST"): (401, 404, 404, 200, 200),
    ("clients/<str:pk>/calendar/", "GET"): (401, 200, 404, 404, 404),
    ("clients/<str:pk>/calendar/reset/", "POST"): (401, 200, 404, 404, 404),
    ("reviews/", "GET"): (401, 200, 200, 404, 404),
    ("reviews/<str:pk>/", "GET"): (401, 200, 404, 404, 404),
    ("reviews/<str:pk>/approve/", "POST"): (401, 200, 404, 404, 404),
    ("reviews/<str:pk>/reject/", "POST"): (401, 200, 404, 404, 404),
    # Logged sessions (coaching/sessions/api*.py): a client reaches only their own, a coach their clients'.
    ("sessions/", "GET"): (401, 200, 200, 200, 200),
    ("sessions/sync/", "POST"): (401, 200, 200, 200, 200),
    ("sessions/<str:session_id>/", "GET"): (401, 200, 404, 200, 404),
    ("sessions/<str:session_id>/", "PUT"): (401, 200, 404, 200, 404),
    ("sessions/<str:session_id>/", "DELETE"): (401, 204, 404, 204, 404),
    ("clients/<str:pk>/imports/", "POST"): (401, 201, 404, 404, 404),
    ("clients/<str:pk>/imports/<str:import_id>/", "GET"): (401, 200, 404, 404, 404),
    ("clients/<str:pk>/imports/<str:import_id>/commit/", "POST"): (401, 200, 404, 404, 404),
    # Threads (coaching/threads/api.py): the session's client and their coach only.
    ("sessions/<str:session_id>/comments/", "GET"): (401, 200, 404, 200, 404),
    ("sessions/<str:session_id>/comments/", "POST"): (401, 201, 404, 201, 404),
    ("sessions/<str:session_id>/comments/read/", "POST"): (401, 200, 404, 200, 404),
    # Coach fault tags (coaching/sessions/faults/api.py): the client's coach only; the client too is a 404.
    ("sessions/<str:session_id>/sets/<str:set_id>/coach-faults/", "PUT"): (401, 200, 404, 404, 404),
    # Form video (coaching/videos/api.py): the session's client and their coach only.
    ("sessions/<str:session_id>/sets/<str:set_id>/video/", "GET"): (401, 200, 404, 200, 404),
    ("sessions/<str:session_id>/sets/<str:set_id>/video/", "PUT"): (401, 200, 404, 200, 404),
    ("sessions/<str:session_id>/sets/<str:set_id>/video/", "DELETE"): (401, 204, 404, 204, 404),
    ("sessions/<str:session_id>/sets/<str:set_id>/video/poster/", "GET"): (401, 200, 404, 200, 404),
    ("clients/<str:client_id>/sessions.csv", "GET"): (401, 200, 404, 404, 404),
    ("clients/<str:client_id>/sessions.csv", "POST"): (401, 200, 404, 404, 404),
    # Web Push (coaching/push/api.py): a client's own phones only; unsubscribing never touches another's.
    ("push/subscriptions/", "POST"): (401, 404, 404, 201, 201),
    ("push/subscriptions/unsubscribe/", "POST"): (401, 404, 404, 204, 204),
    # Webhooks (coaching/webhooks/api.py): a coach's own endpoints only.
    ("webhooks/", "GET"): (401, 200, 200, 404, 404),
    ("webhooks/", "POST"): (401, 201, 201, 404, 404),
    ("webhooks/<str:pk>/", "GET"): (401, 200, 404, 404, 404),
    ("webhooks/<str:pk>/", "DELETE"): (401, 204, 404, 404, 404),
    ("webhooks/<str:pk>/rotate-secret/", "POST"): (401, 200, 404, 404, 404),
    ("webhooks/<str:pk>/enable/", "POST"): (401, 200, 404, 404, 404),
    ("webhooks/<str:pk>/deliveries/", "GET"): (401, 200, 404, 404, 404),
    ("webhooks/<str:pk>/deliveries/<str:delivery>/resend/", "POST"): (401, 202, 404, 404, 404),
    # Teams (coaching/teams/api.py): coach A owns a team; coach B is in none (creates one: 201).
    ("team/", "GET"): (401, 200, 404, 404, 404),
    ("team/", "POST"): (401, 400, 201, 404, 404),
    ("team/members/", "POST"): (401, 201, 404, 404, 404),
    ("team/members/<str:pk>/", "PATCH"): (401, 200, 404, 404, 404),
    ("team/members/<str:pk>/", "DELETE"): (401, 204, 404, 404, 404),
    # The link is the credential; signed in as someone else than the invited email: 400.
    ("team-invites/<str:token>/accept/", "POST"): (201, 400, 400, 400, 400),
    ("clients/<str:pk>/shares/", "POST"): (401, 201, 404, 404, 404),
    ("clients/<str:pk>/shares/<str:member>/", "DELETE"): (401, 204, 404, 404, 404),
    ("clients/<str:pk>/transfer/", "POST"): (401, 200, 404, 404, 404),
    # Coach A sees the review but is not its reviewer: 403.
    ("reviews/<str:pk>/cosign/", "POST"): (401, 403, 404, 404, 404),
}

ENDPOINTS = api_endpoints()
# A browser's PushSubscription.toJSON() (a P-256 public key and a 16-byte auth secret).
PUSH_SUBSCRIPTION = {
    "endpoint": "http://127.0.0.1:9/push/matrix",
    "keys": {
        "p256dh": "BNnfGrV5MhqDpx4Msjk4TWsLR_qyY0BevKSNjhGeOm-RdPFH58TY32IIY9hktS5eyebRLhQvoS96PZrwgV-K_-c",
        "auth": "AAECAwQFBgcICQoLDA0ODw",
    },
}
# A Hevy export whose one exercise is the library's (nothing to map).
HEVY = (
    "title,start_time,exercise_title,set_index,set_type,weight_kg,reps\n"
    'Legs,"3 Jan 2026, 07:00",Kettlebell Swing,0,normal,24,15\n'
)


def test_every_endpoint_has_an_expectation() -> None:
    missing = sorted(set(ENDPOINTS) - set(EXPECTED))
    assert not missing, f"Decide who may call these, in EXPECTED: {missing}"


def test_the_core_endpoints_are_all_routed() -> None:
    core = {key for key in EXPECTED if not key[0].startswith("sessions/") and "sessions.csv" not in key[0]}
    assert core <= set(ENDPOINTS)


def matrix_set_uid(session_id: uuid.UUID) -> uuid.UUID:
    """The id of the session's first set."""
    return LoggedSet.objects.filter(session_id=session_id).order_by("position").values_list("uid", flat=True)[0]


class World:
    """Coach A with a client (with login, assignment, a logged session, a pending review) and a
    program; coach B likewise with their own client. Each test gets a fresh one."""

    def __init__(self, coach: Any, other_coach: Any, client_profile: Any, other_client: Any) -> None:
        self.coach, self.client = coach, client_profile
        self.assignment = client_profile.assignments.get()
        theirs = other_client.assignments.get()
        # A session PUT names the writer's own assignment, so only the session id is someone else's.
        self.own_assignment = {
            "anonymous": self.assignment,
            "coach_a": self.assignment,
            "coach_b": theirs,
            "client_a": self.assignment,
            "client_b": theirs,
        }
        self.program = ProgramTemplate.objects.create(owner=coach.user, name="Matrix")
        self.review = make_review(self.assignment)
        self.invitee = client_create(coach=coach, name="Invited", email="invited@example.com")
        self.session_id = uuid.uuid4()
        self.performed_at = timezone.now() - dt.timedelta(days=1)
        self.webhook = endpoint_create(coach=coach, url="http://127.0.0.1:9/hooks", events=["session.synced"])
        sessions_apply(user=coach.user, items=[self._session(self.performed_at)])
        self.delivery = WebhookDelivery.objects.get(endpoint=self.webhook)
        self.set_id = matrix_set_uid(self.session_id)
        stored_video(self.session_id, self.set_id)
        self.session_import = import_dry_run(user=coach.user, client=client_profile, data=HEVY, format="hevy")
        # Coach A's team: a reviewer the client is shared with, a second coach, an open invite.
        team = team_create(user=coach.user, name="Matrix gym")
        now = timezone.now()
        physio = User.objects.create_user(email="physio.matrix@example.com", password=PASSWORD, name="Physio")
        self.reviewer = TeamMembership.objects.create(team=team, user=physio, role="reviewer", joined=now)
        second = CoachFactory(user__email="coach.second@example.com")
        self.second_coach = TeamMembership.objects.create(team=team, user=second.user, role="coach", joined=now)
        client_share(client=client_profile, by=coach.user, member=self.reviewer)
        self.team_invite = member_invite(team=team, by=coach.user, email="invited.member@example.com", role="coach")
        self.apis = {
            "anonymous": APIClient(),
            "coach_a": token_client(coach.user),
            "coach_b": token_client(other_coach.user),
            "client_a": token_client(client_profile.user),
            "client_b": token_client(other_client.user),
        }

    def _session(self, modified: dt.datetime) -> SessionInput:
        rdl = SetInput(exercise="romanian-deadlift", reps=10, load=60, unit="kg")
        return SessionInput(
            id=self.session_id,
            assignment_id=self.assignment.pk,
            performed_at=self.performed_at,
            client_modified_at=modified,
            sets=(rdl, rdl),
        )

    def url(self, route: str) -> str:
        values = {
            "programs/<str:pk>/": self.program.pk,
            "clients/<str:pk>/": self.client.pk,
            "assignments/<str:pk>/": self.assignment.pk,
            "reviews/<str:pk>/": self.review.pk,
            "webhooks/<str:pk>/": self.webhook.pk,
            "team/members/<str:pk>/": self.reviewer.pk,
        }
        path = route
        for prefix, value in values.items():
            if route.startswith(prefix.removesuffix("/")):
                path = path.replace("<str:pk>", str(value))
        invite = self.team_invite.token if route.startswith("team-invites/") else self.invitee.invite_token
        path = path.replace("<str:token>", str(invite))
        path = path.replace("<str:member>", str(self.reviewer.pk))
        path = path.replace("<str:session_id>", str(self.session_id))
        if "<str:set_id>" in path:
            first_set = LoggedSet.objects.filter(session_id=self.session_id).order_by("position").first()
            path = path.replace("<str:set_id>", str(first_set.uid if first_set else uuid.uuid4()))
        path = path.replace("<str:client_id>", str(self.client.pk))
        path = path.replace("<str:set_id>", str(self.set_id))
        path = path.replace("<str:delivery>", str(self.delivery.pk))
        path = path.replace("<str:import_id>", str(self.session_import.pk))
        assert "<" not in path, f"No value for a parameter of {route}: give World one"
        return f"/{API_PREFIX}{path}"

    def request(self, persona: str, route: str, method: str) -> Any:
        api, url = self.apis[persona], self.url(route)
        if route == "clients/import/":
            roster = f"name,email\nNew Client,new.client@example.com\nTheir Twin,{self.client.email}\n"
            return api.generic("POST", url, roster.encode(), content_type="text/csv")
        if route == "clients/<str:pk>/imports/":
            upload = SimpleUploadedFile("hevy.csv", HEVY.encode(), "text/csv")
            return api.post(url, {"file": upload, "format": "hevy"}, format="multipart")
        if route.endswith("/video/") and method == "PUT":
            return api.generic("PUT", url, video_bytes("webm", 1.0), content_type="video/webm")
        if route.endswith("sessions.csv") and method == "POST":
            export = self.apis["coach_a"].get(url).content
            return api.generic("POST", url, export, content_type="text/csv")
        body = self.body(route, method, persona)
        return api.generic(method, url, *([] if body is None else [body]), content_type="application/json")

    def body(self, route: str, method: str, persona: str) -> str | None:
        bodies: dict[tuple[str, str], Any] = {
            ("auth/token/", "POST"): {"email": self.coach.user.email, "password": PASSWORD},
            ("exercises/", "POST"): {"name": "Landmine RDL", "implement": "barbell"},
            ("programs/", "POST"): {"name": "New program"},
            ("programs/<str:pk>/", "PATCH"): {"name": "Renamed"},
            ("clients/", "POST"): {"name": "New client", "email": "new.client@example.com"},
            ("invites/<str:token>/accept/", "POST"): {"password": "hinge-and-brace-77"},
            ("team-invites/<str:token>/accept/", "POST"): {"name": "New Member", "password": "hinge-and-brace-77"},
            ("team/", "POST"): {"name": "A team"},
            ("team/members/", "POST"): {"email": "new.member@example.com", "role": "coach"},
            ("team/members/<str:pk>/", "PATCH"): {"role": "coach"},
            ("clients/<str:pk>/shares/", "POST"): {"member": self.reviewer.pk},
            ("clients/<str:pk>/transfer/", "POST"): {"coach": self.second_coach.pk},
            ("assignments/", "POST"): {
                "client": self.client.pk,
                "start_date": "2026-11-16",
                "prescription": [{"exercise": "deadlift", "load": 100}],
            },
            ("reviews/<str:pk>/approve/", "POST"): {},
            ("clients/<str:pk>/imports/<str:import_id>/commit/", "POST"): {"exercise_map": {}},
            ("sessions/sync/", "POST"): {"sessions": []},
            ("sessions/<str:session_id>/comments/", "POST"): {"body": "How did the last set feel?"},
            ("sessions/<str:session_id>/sets/<str:set_id>/coach-faults/", "PUT"): {"faults": ["knees_too_bent"]},
            ("webhooks/", "POST"): {"url": "https://hooks.example.com/hinge", "events": ["review.ready"]},
            ("push/subscriptions/", "POST"): PUSH_SUBSCRIPTION,
            ("push/subscriptions/unsubscribe/", "POST"): {"endpoint": PUSH_SUBSCRIPTION["endpoint"]},
            ("sessions/<str:session_id>/", "PUT"): {
                "id": str(self.session_id),
                "assignment": self.own_assignment[persona].pk,
                "performed_at": self.performed_at.isoformat(),
                "client_modified_at": timezone.now().isoformat(),
                "notes": "Replaced.",
                "sets": [{"exercise": "romanian-deadlift", "side": "both", "reps": 8, "load": 62.5, "unit": "kg"}],
            },
        }
        body = bodies.get((route, method))
        return None if body is None else json.dumps(body)


@pytest.fixture
def world(coach: Any, other_coach: Any, client_profile: Any, other_client: Any) -> World:
    return World(coach, other_coach, client_profile, other_client)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("route", "method"), ENDPOINTS, ids=[f"{m} {r}" for r, m in ENDPOINTS])
def test_authorization_matrix(world: World, route: str, method: str, persona: str) -> None:
    if (route, method) not in EXPECTED:
        pytest.fail(f"No expectation for {method} {route}: add it to EXPECTED")
    expected = EXPECTED[(route, method)][PERSONAS.index(persona)]
    response = world.request(persona, route, method)
    assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize("route", sorted({r for r, _ in ENDPOINTS}))
def test_a_method_the_endpoint_lacks_is_405(world: World, route: str) -> None:
    allowed = {m for r, m in ENDPOINTS if r == route}
    method = next(m for m in ("PUT", "PATCH", "DELETE", "POST", "GET") if m not in allowed)
    # Someone who may call the endpoint (for anyone else, 401 or 404 comes first).
    # (A 400 or 403 also passed the permission checks: a reviewer's co-sign, a link only a stranger uses.)
    persona = next(
        p
        for p in (*PERSONAS[1:], PERSONAS[0])
        if any(EXPECTED.get((route, m), (0,) * 5)[PERSONAS.index(p)] not in (0, 401, 404) for m in allowed)
    )
    response = world.apis[persona].generic(method, world.url(route), "{}", content_type="application/json")
    assert response.status_code == 405
