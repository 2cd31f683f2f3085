"""Teams (imported by coaching.models): a gym's coaches and reviewers, the clients one shares with
another, hand-overs in a client's history, and a reviewer's co-sign of a review.

A member is a *login* (``User``), not a ``Coach``: an owner or a coach member has a ``Coach`` row
(their own clients), a reviewer (a physiotherapist) need not have one and then reaches only what
is shared with them (docs/api-decisions.md "Teams").
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    COACH = "coach", "Coach"
    REVIEWER = "reviewer", "Reviewer"


class Team(models.Model):
    name = models.CharField(max_length=150)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_teams")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    """One login in one team (a login is in at most one team)."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_membership")
    role = models.CharField(max_length=10, choices=Role.choices)
    joined = models.DateTimeField()

    class Meta:
        ordering = ["team", "joined", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="team_member_role_valid"),
            models.UniqueConstraint(fields=["team"], condition=Q(role="owner"), name="team_one_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.team_id} ({self.role})"


class TeamInvite(models.Model):
    """An emailed link to join a team with a role; spent when accepted."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="invites")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=Role.choices)
    token = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # The send task's claim: each invite is mailed once.
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(role__in=["coach", "reviewer"]), name="team_invite_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.team_id} ({self.role})"


class ClientShare(models.Model):
    """A client shared by their primary coach with a member (a covering coach or a reviewer),
    from ``created`` until ``ended`` (kept after it ends: the client's history)."""

    client = models.ForeignKey("coaching.Client", on_delete=models.CASCADE, related_name="shares")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="shares")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_shares")
    created = models.DateTimeField()
    ended = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "member"], condition=Q(ended__isnull=True), name="client_share_one_open"
            ),
        ]
        indexes = [models.Index(fields=["member", "ended"], name="client_share_member_idx")]

    def __str__(self) -> str:
        return f"{self.client_id} shared with {self.member_id}"


class ClientHistoryEntry(models.Model):
    """A line in a client's history: a hand-over, a share started or ended, a member removed."""

    class Kind(models.TextChoices):
        TRANSFER = "transfer", "Handed over"
        SHARE = "share", "Shared"
        UNSHARE = "unshare", "Share ended"

    client = models.ForeignKey("coaching.Client", on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["client", "at", "id"]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.text}"


class ReviewCosign(models.Model):
    """A reviewer's co-sign of a review's ``pain``/``refer`` proposals."""

    review = models.ForeignKey("coaching.WeeklyReview", on_delete=models.CASCADE, related_name="cosigns")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cosigns")
    at = models.DateTimeField()
    # What the reviewer wrote with their co-sign (shown on the review).
    note = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "reviewer"], name="review_cosign_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} co-signed {self.review_id}"
