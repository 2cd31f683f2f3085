"""Dashboard and review queue with shared clients; the team pages; query counts stay constant."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from coaching.teams.models import ClientHistoryEntry, ClientShare, Role, TeamMembership
from coaching.teams.services import client_share
from tests import factories
from tests.coaching.teams.team_world import TeamWorld
from tests.coaching.web.conftest import active_assignment, make_review

pytestmark = pytest.mark.django_db
WEEK = dt.date(2026, 11, 16)


def _share_more(tw: TeamWorld, n: int) -> None:
    member = TeamMembership.objects.get(user=tw.covering.user)
    for _ in range(n):
        extra = factories.ClientFactory(coach=tw.owner, with_assignment=True)
        make_review(active_assignment(extra), WEEK, flags=["pain"])
        client_share(client=extra, by=tw.owner.user, member=member)


def test_the_covering_coachs_dashboard_and_queue_mark_shared_clients(client: Any, tw: TeamWorld) -> None:
    make_review(active_assignment(tw.client), WEEK)
    client.force_login(tw.covering.user)
    dashboard = client.get(reverse("coach-dashboard")).content.decode()
    assert tw.client.name in dashboard
    assert '<span class="badge info">shared</span>' in dashboard
    queue = client.get(reverse("coach-reviews")).content.decode()
    assert tw.client.name in queue
    assert '<span class="badge info">shared</span>' in queue
    # The team coach nothing is shared with sees none of it.
    client.force_login(tw.team_coach.user)
    assert tw.client.name not in client.get(reverse("coach-reviews")).content.decode()


def test_the_owners_dashboard_shows_the_whole_team(client: Any, tw: TeamWorld) -> None:
    make_review(active_assignment(tw.c_client), WEEK)
    client.force_login(tw.owner.user)
    assert tw.c_client.name in client.get(reverse("coach-reviews")).content.decode()


@pytest.mark.parametrize("page", ["coach-dashboard", "coach-reviews"])
def test_query_counts_stay_constant_as_shared_clients_are_added(
    client: Any, tw: TeamWorld, page: str, django_assert_max_num_queries: Any
) -> None:
    client.force_login(tw.covering.user)
    _share_more(tw, 1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(page)).status_code == 200
    _share_more(tw, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse(page)).content.decode()
    assert body.count('<span class="badge info">shared</span>') >= 7


def test_the_reviewers_queue_query_count_is_constant(
    client: Any, tw: TeamWorld, django_assert_max_num_queries: Any
) -> None:
    member = TeamMembership.objects.get(user=tw.reviewer)
    client.force_login(tw.reviewer)

    def add(n: int) -> None:
        for _ in range(n):
            extra = factories.ClientFactory(coach=tw.owner, with_assignment=True)
            make_review(active_assignment(extra), WEEK, flags=["refer"])
            client_share(client=extra, by=tw.owner.user, member=member)

    add(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("team-cosigns"))
    add(6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get(reverse("team-cosigns")).content.decode()
    assert body.count("Read and co-sign") == 7


def test_team_page_invite_role_and_remove(client: Any, tw: TeamWorld, queued_team_mail: list[Any]) -> None:
    client.force_login(tw.owner.user)
    body = client.get(reverse("team")).content.decode()
    for who in ("Coach C", "Coach D", "Pat Physio"):
        assert who in body
    response = client.post(reverse("team-invite-create"), {"email": "new.coach@example.com", "role": "coach"})
    assert response.status_code == 200
    assert "/team/invite/" in response.content.decode()
    bad = client.post(reverse("team-invite-create"), {"email": "nope", "role": "coach"})
    assert bad.status_code == 400
    d = TeamMembership.objects.get(user=tw.team_coach.user)
    client.post(reverse("team-member-role", args=[d.pk]), {"role": "reviewer"})
    assert TeamMembership.objects.get(pk=d.pk).role == Role.REVIEWER
    client.post(reverse("team-member-remove", args=[d.pk]))
    assert not TeamMembership.objects.filter(pk=d.pk).exists()
    # A member cannot manage the team: 403, nothing changes.
    client.force_login(tw.covering.user)
    reviewer = TeamMembership.objects.get(user=tw.reviewer)
    assert client.post(reverse("team-member-remove", args=[reviewer.pk])).status_code == 403
    assert TeamMembership.objects.filter(pk=reviewer.pk).exists()


def test_a_coach_creates_a_team_on_the_page(client: Any, other_client: Any) -> None:
    coach = other_client.coach
    client.force_login(coach.user)
    assert "Create a team" in client.get(reverse("team")).content.decode()
    assert client.post(reverse("team"), {"name": ""}).status_code == 400
    response = client.post(reverse("team"), {"name": "Barbell Club"})
    assert response.status_code == 302
    assert TeamMembership.objects.get(user=coach.user).role == Role.OWNER


def test_invite_page_makes_a_login_and_signs_in(client: Any, tw: TeamWorld, queued_team_mail: list[Any]) -> None:
    from coaching.teams.services import member_invite

    invite = member_invite(team=tw.team, by=tw.owner.user, email="physio2@example.com", role="reviewer")
    url = reverse("team-invite", args=[invite.token])
    assert "Join Hinge Gym" in client.get(url).content.decode()
    assert client.post(url, {"name": "", "password": ""}).status_code == 400
    response = client.post(url, {"name": "Sam", "password": "hinge-and-brace-77"})
    assert response["Location"] == reverse("team-cosigns")
    assert TeamMembership.objects.get(user__email="physio2@example.com").role == "reviewer"
    assert client.get(url).status_code == 404  # spent


def test_client_page_shares_unshares_and_hands_over(client: Any, tw: TeamWorld) -> None:
    client.force_login(tw.owner.user)
    page = client.get(reverse("coach-client", args=[tw.client.pk])).content.decode()
    assert "Pat Physio" in page
    assert "Hand over to" in page
    d = TeamMembership.objects.get(user=tw.team_coach.user)
    client.post(reverse("coach-client-share", args=[tw.client.pk]), {"member": d.pk})
    assert ClientShare.objects.filter(client=tw.client, member=tw.team_coach.user, ended__isnull=True).exists()
    client.post(reverse("coach-client-unshare", args=[tw.client.pk, d.pk]))
    assert not ClientShare.objects.filter(client=tw.client, member=tw.team_coach.user, ended__isnull=True).exists()
    response = client.post(reverse("coach-client-transfer", args=[tw.client.pk]), {"coach": d.pk})
    assert response["Location"] == reverse("coach-clients")
    tw.client.refresh_from_db()
    assert tw.client.coach_id == tw.team_coach.pk
    kinds = list(ClientHistoryEntry.objects.filter(client=tw.client).values_list("kind", flat=True))
    assert kinds.count("transfer") == 1
    # The new coach's client page shows the hand-over in its history.
    client.force_login(tw.team_coach.user)
    assert (
        "Handed over from Coach A to Coach D"
        in client.get(reverse("coach-client", args=[tw.client.pk])).content.decode()
    )


def test_team_library_shows_who_made_a_template(client: Any, tw: TeamWorld) -> None:
    from programs.services import template_create

    template_create(owner=tw.covering.user, name="Coach C's hinge block")
    client.force_login(tw.owner.user)
    body = client.get(reverse("team-library")).content.decode()
    assert "Coach C&#x27;s hinge block" in body
    assert "by Coach C" in body
    client.force_login(tw.outsider.user)
    assert "hinge block" not in client.get(reverse("team-library")).content.decode()
