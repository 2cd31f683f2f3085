"""The authorization matrix over the team roles, every route (API and pages), from the URL conf.

Coach A owns a team; A's client is shared with a covering coach C and a reviewer (physio); coach
D is a coach of the team with nothing shared; coach B owns another team. A *leak* is any 2xx whose
body carries A's client's data, or any request that changes A's data in the database, unless the
role may do it (``ALLOWED``). The five first personas' statuses are in
tests/coaching/api/test_authz_matrix.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from coaching.teams.models import TeamMembership
from coaching.teams.services import client_share, team_create
from coaching.threads.services import comment_add
from tests.coaching.api.factories_api import token_client
from tests.coaching.api.test_authz_matrix import ENDPOINTS, World
from tests.factories import CoachFactory

pytestmark = pytest.mark.django_db

TEAM_PERSONAS = ("covering", "team_coach", "reviewer", "other_team")

# What a team role may do to A's client's data (2xx with it, or a change to it).
ALLOWED: dict[str, set[tuple[str, str]]] = {
    "covering": {
        # A shared client's form videos are watched, and their sets tagged, by the members
        # (docs/domain.md "Conversation and form", "Teams"); uploads stay the client's.
        ("sessions/<str:session_id>/sets/<str:set_id>/video/", "GET"),
        ("sessions/<str:session_id>/sets/<str:set_id>/video/poster/", "GET"),
        ("sessions/<str:session_id>/sets/<str:set_id>/coach-faults/", "PUT"),
        ("reviews/", "GET"),
        ("reviews/<str:pk>/", "GET"),
        ("reviews/<str:pk>/approve/", "POST"),
        ("reviews/<str:pk>/reject/", "POST"),
        ("sessions/<str:session_id>/", "GET"),
        ("sessions/<str:session_id>/comments/", "GET"),
        ("sessions/<str:session_id>/comments/", "POST"),
        ("sessions/<str:session_id>/comments/read/", "POST"),
        ("team/", "GET"),
        # pages
        ("reviews/", "GET page"),
        ("reviews/<int:review_id>/", "GET page"),
        ("reviews/<int:review_id>/approve/", "POST page"),
        ("reviews/<int:review_id>/reject/", "POST page"),
        ("dashboard/", "GET page"),
        ("team/", "GET page"),
        ("team/reviews/<int:review_id>/", "GET page"),
        # Covering: the client's page, its threads and fault tags (the program stays the primary's).
        ("clients/<int:client_id>/", "GET page"),
        ("clients/<int:client_id>/sessions/<str:session_id>/thread/", "GET page"),
        ("clients/<int:client_id>/sessions/<str:session_id>/thread/", "POST page"),
        ("clients/<int:client_id>/sessions/<str:session_id>/sets/<str:set_id>/faults/", "GET page"),
        ("clients/<int:client_id>/sessions/<str:session_id>/sets/<str:set_id>/faults/", "POST page"),
    },
    "reviewer": {
        # A shared client's form videos are watched, and their sets tagged, by the members
        # (docs/domain.md "Conversation and form", "Teams"); uploads stay the client's.
        ("sessions/<str:session_id>/sets/<str:set_id>/video/", "GET"),
        ("sessions/<str:session_id>/sets/<str:set_id>/video/poster/", "GET"),
        ("sessions/<str:session_id>/sets/<str:set_id>/coach-faults/", "PUT"),
        ("reviews/", "GET"),
        ("reviews/<str:pk>/", "GET"),
        ("reviews/<str:pk>/cosign/", "POST"),
        ("sessions/<str:session_id>/", "GET"),
        ("sessions/<str:session_id>/comments/", "GET"),
        ("sessions/<str:session_id>/comments/", "POST"),
        ("sessions/<str:session_id>/comments/read/", "POST"),
        ("team/", "GET"),
        ("team/", "GET page"),
        ("team/cosigns/", "GET page"),
        ("team/reviews/<int:review_id>/", "GET page"),
        ("team/reviews/<int:review_id>/cosign/", "POST page"),
    },
    "team_coach": {("team/", "GET"), ("team/", "GET page")},
    "other_team": set(),
}


# The link is the credential, for anyone holding it (tests/coaching/api/test_authz_matrix.py).
CREDENTIAL_LINKS = {("invites/<str:token>/accept/", "POST"), ("invite/<str:token>/", "POST page")}


class TeamWorld(World):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        team = TeamMembership.objects.get(user=self.coach.user).team
        self.a_team = team.pk
        covering = CoachFactory(user__email="coach.covering@example.com")
        member = TeamMembership.objects.create(team=team, user=covering.user, role="coach", joined=timezone.now())
        client_share(client=self.client, by=self.coach.user, member=member)
        team_create(user=self.other_coach.user, name="Other gym")
        session = self.client.sessions.get()
        comment_add(session=session, author=self.client.user, body="Felt my back a little.")
        self.users = {
            "covering": covering.user,
            "team_coach": self.second_coach.user,
            "reviewer": self.reviewer.user,
            "other_team": self.other_coach.user,
        }
        for name, user in self.users.items():
            self.apis[name] = token_client(user)
            self.own_assignment[name] = self.assignment
        # (Not the email: a roster may name it, making a client of the caller's own.)
        self.markers = [self.client.name, str(self.session_id), "Felt my back a little."]


@pytest.fixture
def tw(coach: Any, other_coach: Any, client_profile: Any, other_client: Any) -> TeamWorld:
    world = TeamWorld(coach, other_coach, client_profile, other_client)
    world.other_coach = other_coach
    return world


# World.__init__ reads other_coach from its argument: keep it for TeamWorld.
_world_init = World.__init__


def _init(self: World, coach: Any, other_coach: Any, client_profile: Any, other_client: Any) -> None:
    self.other_coach = other_coach  # type: ignore[attr-defined]
    _world_init(self, coach, other_coach, client_profile, other_client)


World.__init__ = _init  # type: ignore[method-assign]


A_MODELS = [
    ("coaching", "Client"),
    ("coaching", "Assignment"),
    ("coaching", "PrescriptionVersion"),
    ("coaching", "LoggedSession"),
    ("coaching", "LoggedSet"),
    ("coaching", "WeeklyReview"),
    ("coaching", "ReviewItem"),
    ("coaching", "SessionComment"),
    ("coaching", "WebhookEndpoint"),
    ("coaching", "SessionImport"),
    ("coaching", "TeamMembership"),
    ("coaching", "ClientShare"),
    ("coaching", "ReviewCosign"),
    ("coaching", "TeamInvite"),
    ("coaching", "ThreadRead"),
    ("programs", "ProgramTemplate"),
]


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of the models that hold A's data (the test's world is small)."""
    return {name: list(apps.get_model(app, name).objects.order_by("pk").values()) for app, name in A_MODELS}


def _changed(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def _leaks(world: TeamWorld, persona: str, key: tuple[str, str], response: Any, before: dict[str, Any]) -> list[str]:
    if key in ALLOWED[persona] or key in CREDENTIAL_LINKS:
        return []
    found = []
    body = response.content.decode(errors="replace")
    if 200 <= response.status_code < 300:
        found += [f"body has {m!r}" for m in world.markers if m in body]
    changed = _changed(before, snapshot())
    # A write a role may make to its own things (a team of its own, its own program) is no leak of A's.
    found += [f"changed {name}" for name in changed if not _own_change(world, persona, name, before, snapshot())]
    return found


def _own_change(world: TeamWorld, persona: str, name: str, before: dict[str, Any], after: dict[str, Any]) -> bool:
    user = world.users[persona]
    user_id = user.pk
    coach_id = getattr(getattr(user, "coach", None), "pk", -1)
    team_id = getattr(TeamMembership.objects.filter(user=user).first(), "team_id", -1)
    old = {row["id"]: row for row in before[name]}
    new = {row["id"]: row for row in after[name]}
    touched = [new.get(pk) or old.get(pk) for pk in set(old) ^ set(new) | {pk for pk in old if old[pk] != new.get(pk)}]
    owners = ("owner_id", "user_id", "author_id", "member_id")

    def mine(row: dict[str, Any]) -> bool:
        return (
            any(row.get(field) == user_id for field in owners)
            or row.get("coach_id") == coach_id
            or row.get("team_id") == team_id
            and team_id != world.a_team
        )

    return all(mine(row) for row in touched if row is not None)


@pytest.mark.parametrize("persona", TEAM_PERSONAS)
def test_no_api_route_leaks_to_a_team_role(tw: TeamWorld, persona: str) -> None:
    leaks = []
    for route, method in ENDPOINTS:
        tw.apis[persona] = token_client(tw.users[persona])  # auth/logoutall/ revoked the last one
        before = snapshot()
        response = tw.request(persona, route, method)
        assert response.status_code < 500, (route, method, response.content[:300])
        problems = _leaks(tw, persona, (route, method), response, before)
        if problems:
            leaks.append((method, route, response.status_code, problems))
    assert not leaks, leaks


def _pages() -> Iterator[tuple[str, str]]:
    def walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern), entry.callback

    for route, _ in walk(get_resolver().url_patterns):
        if route.startswith(("api/", "admin/", "^", "accounts/")) or route in {"healthz", "sw.js"}:
            continue
        yield route, route


PAGES = sorted({route for route, _ in _pages()})


def _page_url(world: TeamWorld, route: str) -> str:
    template = world.program
    values = {
        "client_id": world.client.pk,
        "session_id": world.session_id,
        "set_id": world.client.sessions.get().sets.order_by("position").first().uid,
        "review_id": world.review.pk,
        "item_id": world.review.items.first().pk,
        "template_id": template.pk,
        "day": 1,
        "position": 0,
        "slug": "romanian-deadlift",
        "endpoint_id": world.webhook.pk,
        "delivery_id": world.delivery.pk,
        "import_id": world.session_import.pk,
        "member_id": world.reviewer.pk,
        "token": world.team_invite.token if route.startswith("team/") else world.invitee.invite_token,
    }
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)
    return "/" + path


@pytest.mark.parametrize("persona", TEAM_PERSONAS)
def test_no_page_leaks_to_a_team_role(client: Any, tw: TeamWorld, persona: str) -> None:
    client.force_login(tw.users[persona])
    leaks = []
    for route in PAGES:
        url = _page_url(tw, route)
        for method in ("GET", "POST"):
            before = snapshot()
            response = client.generic(method, url, "", content_type="application/x-www-form-urlencoded")
            assert response.status_code < 500, (method, route)
            problems = _leaks(tw, persona, (route, f"{method} page"), response, before)
            if problems:
                leaks.append((method, route, response.status_code, problems))
    assert not leaks, leaks


def test_the_covering_coach_and_reviewer_see_what_is_shared(tw: TeamWorld) -> None:
    for persona in ("covering", "reviewer"):
        api = tw.apis[persona]
        assert api.get(f"/api/v1/reviews/{tw.review.pk}/").status_code == 200
        assert api.get(f"/api/v1/sessions/{tw.session_id}/comments/").status_code == 200
        assert api.get(f"/api/v1/sessions/{tw.session_id}/").status_code == 200
        # Neither edits the client, the prescription or the session.
        assert api.get(f"/api/v1/clients/{tw.client.pk}/").status_code == 404
        assert api.generic("DELETE", f"/api/v1/sessions/{tw.session_id}/").status_code == 404
    for persona in ("team_coach", "other_team"):
        assert tw.apis[persona].get(f"/api/v1/reviews/{tw.review.pk}/").status_code == 404
        assert tw.apis[persona].get(f"/api/v1/sessions/{tw.session_id}/comments/").status_code == 404
