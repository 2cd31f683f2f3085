"""Teams: creating one, inviting and removing members, sharing and handing over clients, and a
reviewer's co-sign. Every caller has loaded the rows through ``coaching.access``; these functions
check the *role* (who may do this to a row they can see) and raise ``PermissionDenied`` (403)."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Iterable
from typing import Any

import kombu.exceptions
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from coaching.models import Client, Coach, LoggedSession, WeeklyReview
from coaching.teams.models import ClientHistoryEntry, ClientShare, ReviewCosign, Role, Team, TeamInvite, TeamMembership

INVITE_TTL = dt.timedelta(days=14)
# Proposals with these flags wait for the co-sign of the reviewer the client is shared with.
COSIGN_FLAGS = frozenset({"pain", "refer"})
logger = logging.getLogger(__name__)


class CosignMissing(Exception):
    """Approving a review whose ``pain``/``refer`` proposals still wait for a reviewer (409)."""

    def __init__(self, reviewers: list[str]):
        self.reviewers = reviewers
        names = ", ".join(reviewers)
        super().__init__(f"Waiting for the co-sign of {names}: proposals flagged pain or refer need it first.")


def _name(user: Any) -> str:
    return str(user.name or user.email)


def _owner_of(team: Team, user: Any) -> None:
    if team.owner_id != user.pk:
        raise PermissionDenied("Only the team's owner does this.")


@transaction.atomic
def team_create(*, user: Any, name: str) -> Team:
    """A new team with the coach as its owner (a login is in one team at most)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": ["Give the team a name."]})
    if TeamMembership.objects.filter(user_id=user.pk).exists():
        raise ValidationError({"name": ["You are already in a team."]})
    team = Team.objects.create(name=name, owner=user)
    TeamMembership.objects.create(team=team, user=user, role=Role.OWNER, joined=timezone.now())
    return team


def invite_url(invite: TeamInvite, site_url: str | None = None) -> str:
    return f"{(site_url or settings.SITE_URL).rstrip('/')}{reverse('team-invite', args=[invite.token])}"


@transaction.atomic
def member_invite(*, team: Team, by: Any, email: str, role: str) -> TeamInvite:
    """An invite link for ``email`` to join with ``role``, emailed by a Celery worker after commit."""
    _owner_of(team, by)
    email = User.objects.normalize_email(email).strip().lower()
    if role not in (Role.COACH, Role.REVIEWER):
        raise ValidationError({"role": ["Choose coach or reviewer."]})
    if TeamMembership.objects.filter(team=team, user__email__iexact=email).exists():
        raise ValidationError({"email": [f"{email} is already in the team."]})
    invite = TeamInvite.objects.create(
        team=team, email=email, role=role, token=secrets.token_urlsafe(32), expires_at=timezone.now() + INVITE_TTL
    )
    invite_id = invite.pk

    def enqueue() -> None:
        from coaching.teams.tasks import send_team_invite

        try:
            send_team_invite.delay(invite_id)
        except kombu.exceptions.OperationalError:
            logger.exception("Team invite %s not queued: the broker is unreachable", invite_id)

    transaction.on_commit(enqueue)
    return invite


def invite_send(*, invite_id: int) -> bool:
    """Email the invite once (the conditional update of ``sent_at`` claims it); True when sent."""
    now = timezone.now()
    invite = TeamInvite.objects.select_related("team__owner").filter(pk=invite_id).first()
    if invite is None or invite.accepted_at is not None or invite.expires_at < now:
        return False
    if not TeamInvite.objects.filter(pk=invite_id, sent_at__isnull=True).update(sent_at=now):
        return False
    owner = _name(invite.team.owner)
    body = (
        f"Hello,\n\n{owner} invites you to the team {invite.team.name} on Hinge Coach, as {invite.role}.\n\n"
        f"Join here (the link works for 14 days):\n{invite_url(invite)}\n"
    )
    try:
        send_mail(f"{owner} invites you to {invite.team.name}", body, None, [invite.email])
    except BaseException:
        TeamInvite.objects.filter(pk=invite_id, sent_at=now).update(sent_at=None)
        raise
    return True


def invite_for_token(token: str) -> TeamInvite | None:
    invite = TeamInvite.objects.select_related("team").filter(token=token).first()
    if invite is None or invite.accepted_at is not None or invite.expires_at < timezone.now():
        return None
    return invite


@transaction.atomic
def invite_accept(*, token: str, user: Any = None, name: str = "", password: str = "") -> TeamMembership:
    """Join the invite's team: as the signed-in ``user`` (their email must be the invite's), or
    with a new login made from ``name`` and ``password``. The link is spent."""
    invite = invite_for_token(token)
    if invite is None:
        raise ValidationError({"token": ["This invite link is invalid, used or expired. Ask for a new one."]})
    invite = TeamInvite.objects.select_for_update().get(pk=invite.pk)
    if invite.accepted_at is not None:
        raise ValidationError({"token": ["This invite link has already been used."]})
    if user is not None and getattr(user, "is_authenticated", False):
        if user.email.lower() != invite.email:
            raise ValidationError({"token": [f"This invite is for {invite.email}: sign in as that account."]})
    else:
        if User.objects.filter(email__iexact=invite.email).exists():
            raise ValidationError({"email": ["An account with this email already exists. Sign in, then accept."]})
        user = User(email=invite.email, name=name.strip())
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
        user.save()
    if TeamMembership.objects.filter(user_id=user.pk).exists():
        raise ValidationError({"token": ["You are already in a team."]})
    if invite.role == Role.COACH and not Coach.objects.filter(user_id=user.pk).exists():
        from coaching.clients.services import coach_make

        coach_make(user=user)
    invite.accepted_at = timezone.now()
    invite.save(update_fields=["accepted_at"])
    return TeamMembership.objects.create(team=invite.team, user=user, role=invite.role, joined=invite.accepted_at)


@transaction.atomic
def member_update(*, membership: TeamMembership, by: Any, role: str) -> TeamMembership:
    """Change a member's role (coach ↔ reviewer); the owner stays the owner."""
    _owner_of(membership.team, by)
    if membership.role == Role.OWNER:
        raise ValidationError({"role": ["The owner stays the owner."]})
    if role not in (Role.COACH, Role.REVIEWER):
        raise ValidationError({"role": ["Choose coach or reviewer."]})
    if role == Role.COACH and not Coach.objects.filter(user_id=membership.user_id).exists():
        from coaching.clients.services import coach_make

        coach_make(user=membership.user)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def member_remove(*, membership: TeamMembership, by: Any) -> None:
    """Remove a member: their clients go back to the owner (history and all), the shares with them
    and of their clients end. No client, session, review or thread is deleted."""
    team = membership.team
    _owner_of(team, by)
    if membership.role == Role.OWNER:
        raise ValidationError({"member": ["The owner cannot be removed."]})
    owner_coach = Coach.objects.get(user_id=team.owner_id)
    for client in Client.objects.filter(coach__user_id=membership.user_id).select_for_update():
        client_transfer(client=client, by=by, to=owner_coach, why="member removed")
    now = timezone.now()
    ended = ClientShare.objects.filter(team=team, member_id=membership.user_id, ended__isnull=True)
    for share in ended.select_related("client"):
        _history(share.client, ClientHistoryEntry.Kind.UNSHARE, by, f"Share with {_name(membership.user)} ended")
    ended.update(ended=now)
    membership.delete()


def _history(client: Client, kind: str, by: Any, text: str) -> ClientHistoryEntry:
    return ClientHistoryEntry.objects.create(client=client, kind=kind, at=timezone.now(), by=by, text=text[:300])


def _require_primary(client: Client, by: Any, *, owner_too: bool = False) -> TeamMembership:
    """The caller's membership when they are ``client``'s primary coach (or, ``owner_too``, the
    owner of its coach's team); else 403 (they see the client but may not do this)."""
    mine = TeamMembership.objects.select_related("team").filter(user_id=by.pk).first()
    if mine is None:
        raise ValidationError({"member": ["Create or join a team first."]})
    if client.coach.user_id == by.pk:
        return mine
    same_team = TeamMembership.objects.filter(team_id=mine.team_id, user_id=client.coach.user_id).exists()
    if owner_too and mine.role == Role.OWNER and same_team:
        return mine
    raise PermissionDenied("Only the client's primary coach does this.")


@transaction.atomic
def client_share(*, client: Client, by: Any, member: TeamMembership) -> ClientShare:
    mine = _require_primary(client, by)
    if member.team_id != mine.team_id:
        raise ValidationError({"member": ["No such member in your team."]})
    if member.user_id == client.coach.user_id:
        raise ValidationError({"member": ["That is the client's own coach."]})
    share = ClientShare.objects.filter(client=client, member_id=member.user_id, ended__isnull=True).first()
    if share is not None:
        return share
    share = ClientShare.objects.create(client=client, team=mine.team, member=member.user, created=timezone.now())
    _history(client, ClientHistoryEntry.Kind.SHARE, by, f"Shared with {_name(member.user)} ({member.role})")
    return share


@transaction.atomic
def client_unshare(*, client: Client, by: Any, member: TeamMembership) -> int:
    _require_primary(client, by)
    open_shares = ClientShare.objects.filter(client=client, member_id=member.user_id, ended__isnull=True)
    count = open_shares.update(ended=timezone.now())
    if count:
        _history(client, ClientHistoryEntry.Kind.UNSHARE, by, f"Share with {_name(member.user)} ended")
    return count


@transaction.atomic
def client_transfer(*, client: Client, by: Any, to: Coach, why: str = "") -> Client:
    """Hand the client over to another coach of the team: every row stays (sessions, reviews,
    prescriptions, threads hang off the client), only the primary coach changes; recorded."""
    mine = _require_primary(client, by, owner_too=True)
    member = TeamMembership.objects.filter(team_id=mine.team_id, user_id=to.user_id).first()
    if member is None or member.role == Role.REVIEWER:
        raise ValidationError({"coach": ["Choose a coach of your team."]})
    if to.pk == client.coach_id:
        raise ValidationError({"coach": ["That coach is already the client's coach."]})
    from coaching.sessions.services.writes import _lock_counters, _take_seqs, lock_clients  # writes load teams' access

    before = client.coach
    # The client's row first, as every writer of its sessions locks it: a session write of this
    # client waits (and, having read the old coach, reads again). Then both coaches' change
    # counters: the new coach's change feed gets every session (tombstones too) as changes after
    # its cursors.
    if lock_clients([client.pk]).get(client.pk) != before.pk:
        raise ValidationError({"coach": ["The client was just handed to another coach: reload and try again."]})
    counters = _lock_counters([before.pk, to.pk])
    client.coach = to
    client.save(update_fields=["coach"])
    moved = list(LoggedSession.objects.filter(client=client).order_by("change_seq", "pk"))
    # The client's own devices hold cursors of the old coach's sequence: the new numbers start past
    # them (the new coach's cursors skip the gap), so the client's feed misses no later change.
    counters[to.pk].value = max(counters[to.pk].value, counters[before.pk].value)
    _take_seqs(counters, {to.pk: moved})
    for session in moved:
        session.coach = to
    LoggedSession.objects.bulk_update(moved, ["coach", "change_seq"], batch_size=500)
    # The new coach no longer needs a share of their own client.
    ClientShare.objects.filter(client=client, member_id=to.user_id, ended__isnull=True).update(ended=timezone.now())
    text = f"Handed over from {_name(before.user)} to {_name(to.user)}" + (f" ({why})" if why else "")
    _history(client, ClientHistoryEntry.Kind.TRANSFER, by, text)
    return client


def needs_cosign(flags: Iterable[str]) -> bool:
    return bool(COSIGN_FLAGS.intersection(flags))


def cosign_reviewers(review: WeeklyReview) -> list[Any]:
    """The reviewers ``review``'s client is shared with (each must co-sign flagged proposals)."""
    shares = ClientShare.objects.filter(
        client_id=review.assignment.client_id, ended__isnull=True, member__team_membership__role=Role.REVIEWER
    ).select_related("member")
    return [share.member for share in shares]


def cosigns_missing(review: WeeklyReview, flagged: bool | None = None) -> list[str]:
    """Names of the reviewers who still have to co-sign before ``review`` is approved (none when
    no proposal is flagged ``pain`` or ``refer``, or ``flagged`` is False)."""
    if flagged is None:
        flagged = any(needs_cosign(item.flags or []) for item in review.items.all())
    if not flagged:
        return []
    signed = set(ReviewCosign.objects.filter(review=review).values_list("reviewer_id", flat=True))
    return [_name(user) for user in cosign_reviewers(review) if user.pk not in signed]


@transaction.atomic
def review_cosign(*, review: WeeklyReview, reviewer: Any, note: str = "") -> ReviewCosign:
    """The reviewer co-signs the review (again: the first co-sign stays)."""
    note = note.strip()
    if len(note) > 500:
        raise ValidationError({"note": ["Keep a note to 500 characters."]})
    if review.status != WeeklyReview.Status.PENDING:
        from coaching.reviews.decisions import ReviewAlreadyDecided

        raise ReviewAlreadyDecided(f"This review was already {review.status}.")
    cosign, _ = ReviewCosign.objects.get_or_create(
        review=review, reviewer=reviewer, defaults={"at": timezone.now(), "note": note}
    )
    return cosign


def cosign_requests_for(*, review_ids: list[int], client_ids: set[int]) -> None:
    """New reviews: when any of their clients is shared with a reviewer (one query), have a worker
    email those whose co-sign a flagged proposal waits for."""
    shared = ClientShare.objects.filter(
        client_id__in=client_ids, ended__isnull=True, member__team_membership__role=Role.REVIEWER
    )
    if shared.exists():
        cosign_requests_email_later(review_ids)


def cosign_requests_email_later(review_ids: list[int]) -> None:
    """After commit: a worker emails each reviewer whose co-sign these reviews wait for."""

    def enqueue() -> None:
        from coaching.teams.tasks import send_cosign_requests

        try:
            send_cosign_requests.delay(review_ids)
        except kombu.exceptions.OperationalError:
            logger.exception("Co-sign emails for reviews %s not queued: the broker is unreachable", review_ids)

    transaction.on_commit(enqueue)


def cosign_requests_send(*, review_ids: list[int]) -> int:
    """Email each reviewer once per review waiting for their co-sign; how many were sent."""
    sent = 0
    reviews = WeeklyReview.objects.filter(pk__in=review_ids, status=WeeklyReview.Status.PENDING)
    for review in reviews.select_related("assignment__client").prefetch_related("items"):
        if not any(needs_cosign(item.flags or []) for item in review.items.all()):
            continue
        url = settings.SITE_URL.rstrip("/") + reverse("team-cosigns")
        for reviewer in cosign_reviewers(review):
            client = review.assignment.client.name
            send_mail(
                f"{client}'s review of the week of {review.week_start:%d %b} waits for your co-sign",
                f"Hello {_name(reviewer)},\n\nA proposal for {client} is flagged pain or refer and needs your "
                f"co-sign before it can be approved:\n{url}\n\nHinge Coach",
                None,
                [reviewer.email],
                fail_silently=True,
            )
            sent += 1
    return sent
