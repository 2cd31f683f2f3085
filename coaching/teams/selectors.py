"""Reads of the team pages, each scoped through ``coaching.access`` and a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from coaching.access import cosigning_clients, membership_for, team_templates, team_user_ids
from coaching.models import Client, ReviewItem, WeeklyReview
from coaching.teams.models import ClientHistoryEntry, ClientShare, ReviewCosign, Role, TeamInvite, TeamMembership
from coaching.teams.services import COSIGN_FLAGS, cosigns_missing
from programs.models import Exercise, ProgramTemplate


@dataclass
class TeamPage:
    membership: TeamMembership | None
    members: list[TeamMembership] = field(default_factory=list)
    invites: list[TeamInvite] = field(default_factory=list)

    @property
    def is_owner(self) -> bool:
        return self.membership is not None and self.membership.role == Role.OWNER


def team_page(user: Any) -> TeamPage:
    membership = membership_for(user)
    if membership is None:
        return TeamPage(membership=None)
    members = list(TeamMembership.objects.filter(team_id=membership.team_id).select_related("user"))
    invites: list[TeamInvite] = []
    if membership.role == Role.OWNER:
        invites = list(
            TeamInvite.objects.filter(
                team_id=membership.team_id, accepted_at__isnull=True, expires_at__gt=timezone.now()
            ).order_by("-created_at")
        )
    return TeamPage(membership=membership, members=members, invites=invites)


def cosign_queue(user: Any) -> list[WeeklyReview]:
    """Pending reviews of the clients shared with the reviewer that have a ``pain`` or ``refer``
    proposal, oldest week first; ``signed`` tells whether the reviewer co-signed (three queries)."""
    reviews = list(
        WeeklyReview.objects.filter(assignment__client__in=cosigning_clients(user), status=WeeklyReview.Status.PENDING)
        .select_related("assignment__client__coach__user")
        .prefetch_related(
            Prefetch("items", queryset=ReviewItem.objects.select_related("exercise").order_by("position")),
            Prefetch("cosigns", queryset=ReviewCosign.objects.select_related("reviewer").order_by("at")),
        )
        .order_by("week_start", "assignment__client__name", "id")
    )
    queue = []
    for review in reviews:
        items = list(review.items.all())
        flagged = [item for item in items if COSIGN_FLAGS.intersection(item.flags or [])]
        if not flagged:
            continue
        review.flagged_proposals = flagged  # type: ignore[attr-defined]
        review.signed = next((c for c in review.cosigns.all() if c.reviewer_id == user.pk), None)  # type: ignore[attr-defined]
        queue.append(review)
    return queue


@dataclass
class ClientTeamPanel:
    """The client page's team box: who the client is shared with, whom they could be, the coaches
    they could be handed over to, and their history."""

    is_primary: bool
    shares: list[tuple[TeamMembership, ClientShare]] = field(default_factory=list)
    share_choices: list[TeamMembership] = field(default_factory=list)
    coaches: list[TeamMembership] = field(default_factory=list)
    history: list[ClientHistoryEntry] = field(default_factory=list)


def client_team_panel(user: Any, client: Client) -> ClientTeamPanel | None:
    """None when the user is in no team (the page shows nothing new)."""
    membership = membership_for(user)
    if membership is None:
        return None
    members = list(TeamMembership.objects.filter(team_id=membership.team_id).select_related("user"))
    by_user = {m.user_id: m for m in members}
    shares = [
        (by_user[share.member_id], share)
        for share in ClientShare.objects.filter(client=client, ended__isnull=True).order_by("created")
        if share.member_id in by_user
    ]
    shared_ids = {share.member_id for _, share in shares}
    others = [m for m in members if m.user_id != client.coach.user_id]
    return ClientTeamPanel(
        is_primary=client.coach.user_id == user.pk,
        shares=shares,
        share_choices=[m for m in others if m.user_id not in shared_ids],
        coaches=[m for m in others if m.role != Role.REVIEWER],
        history=list(ClientHistoryEntry.objects.filter(client=client).select_related("by").order_by("-at", "-id")[:20]),
    )


@dataclass
class TeamLibrary:
    templates: list[ProgramTemplate]
    exercises: list[Exercise]


def team_library(user: Any) -> TeamLibrary:
    """The programs and exercises the user's teammates made (each with its maker)."""
    templates = list(team_templates(user).select_related("owner").order_by("name", "id"))
    exercises = list(
        Exercise.objects.filter(owner_id__in=team_user_ids(user)).exclude(owner_id=user.pk).select_related("owner")
    )
    return TeamLibrary(templates=templates, exercises=sorted(exercises, key=lambda e: e.name))


@dataclass
class CosignState:
    cosigns: list[ReviewCosign]
    missing: list[str]


def review_cosign_state(review: WeeklyReview) -> CosignState:
    """Who co-signed the review and when, and who it still waits for (the review page)."""
    cosigns = list(ReviewCosign.objects.filter(review=review).select_related("reviewer").order_by("at"))
    return CosignState(cosigns=cosigns, missing=cosigns_missing(review))


def team_review_page(user: Any, review: WeeklyReview) -> dict[str, Any]:
    """What a team member's read of a review shows: its proposals by day, who co-signed, who it
    waits for, and whether this user may co-sign it (four queries)."""
    cosigns = list(review.cosigns.select_related("reviewer").order_by("at"))
    return {
        "review": review,
        "client": review.assignment.client,
        "proposals": list(review.items.select_related("exercise").order_by("day", "position")),
        "cosigns": cosigns,
        "signed": any(c.reviewer_id == user.pk for c in cosigns),
        "missing": cosigns_missing(review),
        "can_cosign": cosigning_clients(user).filter(pk=review.assignment.client_id).exists(),
    }
