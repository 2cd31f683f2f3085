"""The team API: create, invite (emailed by Celery), accept, roles, remove, share, hand over."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from coaching.models import Client, LoggedSession, PrescriptionVersion, WeeklyReview
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.teams.models import ClientHistoryEntry, ClientShare, TeamInvite, TeamMembership
from coaching.teams.tasks import send_team_invite
from coaching.threads.models import SessionComment
from coaching.threads.services import comment_add
from tests.coaching.api.factories_api import token_client
from tests.coaching.teams.team_world import TeamWorld
from tests.coaching.web.conftest import active_assignment, make_review

pytestmark = pytest.mark.django_db


def test_a_coach_creates_a_team_and_is_its_owner(coach: Any) -> None:
    api = token_client(coach.user)
    assert api.get("/api/v1/team/").status_code == 404
    response = api.post("/api/v1/team/", {"name": "Hinge Gym"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Hinge Gym"
    assert [(m["email"], m["role"]) for m in body["members"]] == [("coach.a@example.com", "owner")]
    assert set(body["members"][0]) == {"id", "name", "email", "role", "joined"}
    again = api.post("/api/v1/team/", {"name": "Second"}, format="json")
    assert again.status_code == 400
    assert "already in a team" in str(again.json()["name"])
    assert api.post("/api/v1/team/", {"name": ""}, format="json").status_code == 400


def test_invite_is_emailed_by_celery_and_accepted_with_a_new_login(
    coach: Any, queued_team_mail: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    owner = token_client(coach.user)
    owner.post("/api/v1/team/", {"name": "Hinge Gym"}, format="json")
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(
            "/api/v1/team/members/", {"email": "Physio@Example.com", "role": "reviewer"}, format="json"
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["email"] == "physio@example.com"
    invite = TeamInvite.objects.get()
    assert body["invite_url"].endswith(f"/team/invite/{invite.token}/")
    assert queued_team_mail == [("invite", (invite.pk,))]
    assert send_team_invite.apply(args=[invite.pk]).get() is True
    assert send_team_invite.apply(args=[invite.pk]).get() is False  # once
    assert mail.outbox[0].to == ["physio@example.com"]
    assert invite.token in mail.outbox[0].body
    accepted = APIClient().post(
        f"/api/v1/team-invites/{invite.token}/accept/", {"name": "Pat", "password": "hinge-and-brace-77"}, format="json"
    )
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["role"] == "reviewer"
    member = TeamMembership.objects.get(user__email="physio@example.com")
    assert not hasattr(member.user, "coach") or member.user.coach is None
    spent = APIClient().post(
        f"/api/v1/team-invites/{invite.token}/accept/", {"name": "X", "password": "p"}, format="json"
    )
    assert spent.status_code == 400


def test_an_existing_coach_joins_by_signing_in(coach: Any, other_coach: Any, queued_team_mail: list[Any]) -> None:
    owner = token_client(coach.user)
    owner.post("/api/v1/team/", {"name": "Hinge Gym"}, format="json")
    owner.post("/api/v1/team/members/", {"email": other_coach.user.email, "role": "coach"}, format="json")
    token = TeamInvite.objects.get().token
    anonymous = APIClient().post(
        f"/api/v1/team-invites/{token}/accept/", {"name": "B", "password": "hinge-and-brace-77"}, format="json"
    )
    assert anonymous.status_code == 400  # the account exists: sign in first
    response = token_client(other_coach.user).post(f"/api/v1/team-invites/{token}/accept/", {}, format="json")
    assert response.status_code == 201, response.content
    team = owner.get("/api/v1/team/").json()
    assert [m["role"] for m in team["members"]] == ["owner", "coach"]


def test_only_the_owner_manages_members(tw: TeamWorld) -> None:
    covering = token_client(tw.covering.user)
    reviewer_id = tw.member(tw.reviewer).pk
    assert (
        covering.post("/api/v1/team/members/", {"email": "x@example.com", "role": "coach"}, format="json").status_code
        == 403
    )
    assert covering.patch(f"/api/v1/team/members/{reviewer_id}/", {"role": "coach"}, format="json").status_code == 403
    assert covering.delete(f"/api/v1/team/members/{reviewer_id}/").status_code == 403
    outsider = token_client(tw.outsider.user)
    assert outsider.patch(f"/api/v1/team/members/{reviewer_id}/", {"role": "coach"}, format="json").status_code == 404
    assert outsider.delete(f"/api/v1/team/members/{reviewer_id}/").status_code == 404
    assert TeamMembership.objects.get(pk=reviewer_id).role == "reviewer"
    assert not TeamInvite.objects.exists()


def test_owner_changes_a_role(tw: TeamWorld) -> None:
    owner = token_client(tw.owner.user)
    member = tw.member(tw.team_coach.user)
    response = owner.patch(f"/api/v1/team/members/{member.pk}/", {"role": "reviewer"}, format="json")
    assert response.status_code == 200
    assert response.json()["role"] == "reviewer"
    assert owner.patch(f"/api/v1/team/members/{member.pk}/", {"role": "boss"}, format="json").status_code == 400
    own = tw.member(tw.owner.user)
    assert owner.patch(f"/api/v1/team/members/{own.pk}/", {"role": "coach"}, format="json").status_code == 400


def _rows(client: Client) -> dict[str, int]:
    return {
        "sessions": LoggedSession.objects.filter(client=client).count(),
        "reviews": WeeklyReview.objects.filter(assignment__client=client).count(),
        "versions": PrescriptionVersion.objects.filter(assignment__client=client).count(),
        "comments": SessionComment.objects.filter(session__client=client).count(),
    }


def _log(user: Any, client: Client) -> LoggedSession:
    import uuid

    from django.utils import timezone

    when = timezone.now() - dt.timedelta(days=1)
    rdl = SetInput(exercise="romanian-deadlift", reps=10, load=60, unit="kg")
    item = SessionInput(
        id=uuid.uuid4(),
        assignment_id=active_assignment(client).pk,
        performed_at=when,
        client_modified_at=when,
        sets=(rdl,),
    )
    sessions_apply(user=user, items=[item])
    return LoggedSession.objects.get(pk=item.id)


def test_removing_a_member_returns_their_clients_to_the_owner(tw: TeamWorld) -> None:
    session = _log(tw.c_client.user, tw.c_client)
    comment_add(session=session, author=tw.covering.user, body="Nice hinge.")
    make_review(active_assignment(tw.c_client), dt.date(2026, 11, 16))
    before = _rows(tw.c_client)
    member = tw.member(tw.covering.user)
    response = token_client(tw.owner.user).delete(f"/api/v1/team/members/{member.pk}/")
    assert response.status_code == 204
    tw.c_client.refresh_from_db()
    assert tw.c_client.coach_id == tw.owner.pk
    assert _rows(tw.c_client) == before
    assert not TeamMembership.objects.filter(user=tw.covering.user).exists()
    assert not ClientShare.objects.filter(member=tw.covering.user, ended__isnull=True).exists()
    assert ClientHistoryEntry.objects.filter(client=tw.c_client, kind="transfer").exists()
    # The removed coach no longer reads the client they covered.
    assert token_client(tw.covering.user).get(f"/api/v1/sessions/{session.pk}/comments/").status_code == 404


def test_the_hand_over_keeps_every_row_and_changes_who_sees_it(tw: TeamWorld) -> None:
    session = _log(tw.client.user, tw.client)
    comment_add(session=session, author=tw.owner.user, body="How was it?")
    review = make_review(active_assignment(tw.client), dt.date(2026, 11, 16))
    before = _rows(tw.client)
    target = tw.member(tw.team_coach.user)
    team_coach = token_client(tw.team_coach.user)
    assert team_coach.get(f"/api/v1/reviews/{review.pk}/").status_code == 404
    response = token_client(tw.owner.user).post(
        f"/api/v1/clients/{tw.client.pk}/transfer/", {"coach": target.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"id": tw.client.pk, "name": tw.client.name, "coach": target.pk}
    tw.client.refresh_from_db()
    assert tw.client.coach_id == tw.team_coach.pk
    assert _rows(tw.client) == before
    assert team_coach.get(f"/api/v1/reviews/{review.pk}/").status_code == 200
    assert team_coach.get(f"/api/v1/clients/{tw.client.pk}/").status_code == 200
    assert team_coach.get(f"/api/v1/sessions/{session.pk}/comments/").json()["count"] == 1
    history = ClientHistoryEntry.objects.get(client=tw.client, kind="transfer")
    assert "Coach A" in history.text
    assert "Coach D" in history.text
    # The owner still sees the team's client; a coach of another team never does.
    assert token_client(tw.owner.user).get(f"/api/v1/reviews/{review.pk}/").status_code == 200
    assert token_client(tw.outsider.user).get(f"/api/v1/reviews/{review.pk}/").status_code == 404


def test_hand_over_refusals(tw: TeamWorld) -> None:
    reviewer_member = tw.member(tw.reviewer)
    owner = token_client(tw.owner.user)
    assert (
        owner.post(
            f"/api/v1/clients/{tw.client.pk}/transfer/", {"coach": reviewer_member.pk}, format="json"
        ).status_code
        == 400
    )
    assert owner.post(f"/api/v1/clients/{tw.client.pk}/transfer/", {"coach": "x"}, format="json").status_code == 400
    target = tw.member(tw.team_coach.user).pk
    # The covering coach sees the client but does not hand them over.
    covering = token_client(tw.covering.user)
    assert (
        covering.post(f"/api/v1/clients/{tw.client.pk}/transfer/", {"coach": target}, format="json").status_code == 403
    )
    assert (
        token_client(tw.reviewer)
        .post(f"/api/v1/clients/{tw.client.pk}/transfer/", {"coach": target}, format="json")
        .status_code
        == 403
    )
    assert (
        token_client(tw.outsider.user)
        .post(f"/api/v1/clients/{tw.client.pk}/transfer/", {"coach": target}, format="json")
        .status_code
        == 404
    )
    tw.client.refresh_from_db()
    assert tw.client.coach_id == tw.owner.pk


def test_share_and_end_it(tw: TeamWorld) -> None:
    owner = token_client(tw.owner.user)
    member = tw.member(tw.team_coach.user)
    response = owner.post(f"/api/v1/clients/{tw.client.pk}/shares/", {"member": member.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["member"] == member.pk
    assert token_client(tw.team_coach.user).get("/api/v1/reviews/").status_code == 200
    assert owner.delete(f"/api/v1/clients/{tw.client.pk}/shares/{member.pk}/").status_code == 204
    assert owner.delete(f"/api/v1/clients/{tw.client.pk}/shares/{member.pk}/").status_code == 404
    assert ClientShare.objects.filter(client=tw.client, member=tw.team_coach.user).get().ended is not None
    outsider_member = TeamMembership.objects.get(user=tw.outsider.user)
    assert (
        owner.post(f"/api/v1/clients/{tw.client.pk}/shares/", {"member": outsider_member.pk}, format="json").status_code
        == 400
    )
    # Only the primary coach shares.
    covering = token_client(tw.covering.user)
    assert (
        covering.post(f"/api/v1/clients/{tw.client.pk}/shares/", {"member": member.pk}, format="json").status_code
        == 403
    )


def test_the_team_library_is_shared(tw: TeamWorld) -> None:
    from programs.services import exercise_create, template_create

    exercise_create(owner=tw.covering.user, name="Cable pull-through", implement="bodyweight")
    template_create(owner=tw.covering.user, name="Coach C's plan")
    slugs = [e["slug"] for e in token_client(tw.owner.user).get("/api/v1/exercises/?page_size=500").json()["results"]]
    assert "cable-pull-through" in slugs
    outsider = [
        e["slug"] for e in token_client(tw.outsider.user).get("/api/v1/exercises/?page_size=500").json()["results"]
    ]
    assert "cable-pull-through" not in outsider


def test_the_new_coach_learns_of_the_handed_over_sessions_through_the_change_feed(tw: TeamWorld) -> None:
    """A phone or app of the new coach holding a cursor from before the hand-over gets the client's
    sessions as changes after it (docs/api.md "the change feed"), tombstones included."""
    session = _log(tw.client.user, tw.client)
    gone = _log(tw.client.user, tw.client)
    token_client(tw.client.user).delete(f"/api/v1/sessions/{gone.pk}/")
    team_coach = token_client(tw.team_coach.user)
    cursor = team_coach.get("/api/v1/sessions/").json()["next_cursor"]
    assert team_coach.get("/api/v1/sessions/", {"since": cursor}).json()["results"] == []
    response = token_client(tw.owner.user).post(
        f"/api/v1/clients/{tw.client.pk}/transfer/", {"coach": tw.member(tw.team_coach.user).pk}, format="json"
    )
    assert response.status_code == 200, response.content
    results = team_coach.get("/api/v1/sessions/", {"since": cursor}).json()["results"]
    assert {r["id"] for r in results} == {str(session.pk), str(gone.pk)}
    assert [r["deleted"] for r in results if r["id"] == str(gone.pk)] == [True]
