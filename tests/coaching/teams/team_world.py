"""A team for the tests: coach A owns it, coach C covers A's client, coach D is a coach of the
team with nothing shared, R is a physiotherapist reviewer (no ``Coach`` row) A's client is shared
with; coach B owns another team. Built through the services, as the pages and API do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from accounts.models import User
from coaching.models import Client, Coach
from coaching.teams import services
from coaching.teams.models import Role, Team, TeamMembership
from tests import factories
from tests.factories import PASSWORD


@dataclass
class TeamWorld:
    team: Team
    owner: Coach
    client: Client
    covering: Coach
    team_coach: Coach
    reviewer: User
    outsider: Coach
    c_client: Client

    def member(self, user: Any) -> TeamMembership:
        return TeamMembership.objects.get(user=user)


def join(team: Team, user: Any, role: str) -> TeamMembership:
    return TeamMembership.objects.create(team=team, user=user, role=role, joined=timezone.now())


def make_reviewer(email: str = "physio@example.com", name: str = "Pat Physio") -> User:
    return User.objects.create_user(email=email, password=PASSWORD, name=name)


def team_world(coach: Coach, client_profile: Client, other_coach: Coach) -> TeamWorld:
    team = services.team_create(user=coach.user, name="Hinge Gym")
    covering = factories.CoachFactory(user__email="coach.c@example.com", user__name="Coach C")
    team_coach = factories.CoachFactory(user__email="coach.d@example.com", user__name="Coach D")
    reviewer = make_reviewer()
    join(team, covering.user, Role.COACH)
    join(team, team_coach.user, Role.COACH)
    reviewer_member = join(team, reviewer, Role.REVIEWER)
    services.client_share(client=client_profile, by=coach.user, member=TeamMembership.objects.get(user=covering.user))
    services.client_share(client=client_profile, by=coach.user, member=reviewer_member)
    services.team_create(user=other_coach.user, name="Other Gym")
    c_client = factories.ClientFactory(coach=covering, with_login=True, with_assignment=True, name="Cee Client")
    return TeamWorld(team, coach, client_profile, covering, team_coach, reviewer, other_coach, c_client)
