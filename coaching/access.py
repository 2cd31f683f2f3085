"""Every coach- or client-owned object is loaded through here, or the caller gets a 404."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from coaching.models import Assignment, Client, Coach, LoggedSession, LoggedSet, ReviewItem, WeeklyReview
from coaching.parsing import ascii_digits
from coaching.sessions.imports.models import SessionImport
from coaching.teams.models import ClientShare, Role, Team, TeamMembership
from coaching.webhooks.models import WebhookDelivery, WebhookEndpoint
from programs.models import Exercise, ProgramTemplate


def coach_for(user: Any) -> Coach | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.coach
    except Coach.DoesNotExist:
        return None


def client_for(user: Any) -> Client | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.client_profile
    except Client.DoesNotExist:
        return None


def require_coach(user: Any) -> Coach:
    coach = coach_for(user)
    if coach is None:
        raise Http404("Not found.")
    return coach


def require_client(user: Any) -> Client:
    client = client_for(user)
    if client is None:
        raise Http404("Not found.")
    return client


def membership_for(user: Any) -> TeamMembership | None:
    """The user's place in a team (owner, coach or reviewer), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return TeamMembership.objects.select_related("team").filter(user_id=user.pk).first()


def require_member(user: Any) -> TeamMembership:
    membership = membership_for(user)
    if membership is None:
        raise Http404("Not found.")
    return membership


def _team_clients_q(user: Any) -> Q:
    """Clients a coach or team member reads beyond a client's own: their own (as primary coach),
    those shared with them (an open share) and, for a team's owner, every client of its coaches.
    Subqueries only: one query whatever the number of shares."""
    owned_teams = Team.objects.filter(memberships__user_id=user.pk, memberships__role=Role.OWNER)
    shared = ClientShare.objects.filter(member_id=user.pk, ended__isnull=True).values("client_id")
    return Q(coach__user_id=user.pk) | Q(pk__in=shared) | Q(coach__user__team_membership__team__in=owned_teams)


def visible_clients(user: Any) -> QuerySet[Client]:
    """Every client the user may read: a coach's own, shared and (owner) team clients; a
    reviewer's shared ones; a client themself. Writes to a client stay ``access_client``'s."""
    if not getattr(user, "is_authenticated", False):
        return Client.objects.none()
    if coach_for(user) is None:
        client = client_for(user)
        if client is not None:
            return Client.objects.filter(pk=client.pk)
    return Client.objects.filter(_team_clients_q(user))


def deciding_clients(user: Any) -> QuerySet[Client]:
    """Clients whose reviews the user may decide: their own, those shared with them as a coach
    of the team, and (owner) the team's. A reviewer decides nothing."""
    if coach_for(user) is None:
        return Client.objects.none()
    owned_teams = Team.objects.filter(memberships__user_id=user.pk, memberships__role=Role.OWNER)
    covering = ClientShare.objects.filter(
        member_id=user.pk, ended__isnull=True, member__team_membership__role__in=[Role.OWNER, Role.COACH]
    ).values("client_id")
    return Client.objects.filter(
        Q(coach__user_id=user.pk) | Q(pk__in=covering) | Q(coach__user__team_membership__team__in=owned_teams)
    )


def cosigning_clients(user: Any) -> QuerySet[Client]:
    """Clients shared with the user as their team's reviewer: those whose reviews they co-sign."""
    shared = ClientShare.objects.filter(
        member_id=user.pk, ended__isnull=True, member__team_membership__role=Role.REVIEWER
    ).values("client_id")
    return Client.objects.filter(pk__in=shared)


def team_user_ids(user: Any) -> QuerySet[Any]:
    """The logins of the user's team's coaches (owner included): whose library the team shares."""
    return _team_user_ids(user.pk)


def _team_user_ids(user_id: int) -> QuerySet[Any]:
    """``team_user_ids`` of the login with this id (a subquery: no look-up of the user)."""
    return TeamMembership.objects.filter(team__memberships__user_id=user_id, role__in=[Role.OWNER, Role.COACH]).values(
        "user_id"
    )


def clients_of(user: Any) -> QuerySet[Client]:
    coach = coach_for(user)
    if coach is not None:
        return Client.objects.filter(coach=coach)
    client = client_for(user)
    if client is not None:
        return Client.objects.filter(pk=client.pk)
    return Client.objects.none()


def assignments_of(user: Any) -> QuerySet[Assignment]:
    return Assignment.objects.filter(client__in=clients_of(user))


def sessions_of(user: Any) -> QuerySet[LoggedSession]:
    coach = coach_for(user)
    if coach is not None:
        return LoggedSession.objects.filter(client__coach=coach)
    client = client_for(user)
    if client is not None:
        return LoggedSession.objects.filter(client=client)
    return LoggedSession.objects.none()


def readable_sessions(user: Any) -> QuerySet[LoggedSession]:
    """Sessions the user may read (and comment on): ``sessions_of`` plus shared and team clients'."""
    if coach_for(user) is None and client_for(user) is not None:
        return sessions_of(user)
    return LoggedSession.objects.filter(client__in=visible_clients(user))


def reviews_of(user: Any) -> QuerySet[WeeklyReview]:
    """Reviews the user may read: of their own, shared and (owner) team clients. Not a client's."""
    if not getattr(user, "is_authenticated", False) or (coach_for(user) is None and client_for(user) is not None):
        return WeeklyReview.objects.none()
    return WeeklyReview.objects.filter(assignment__client__in=visible_clients(user))


def decidable_reviews(user: Any) -> QuerySet[WeeklyReview]:
    return WeeklyReview.objects.filter(assignment__client__in=deciding_clients(user))


def library_coach(user: Any) -> Coach | None:
    """Whose library the user uses: their own as a coach, their coach's as a client (None: only
    the shared library)."""
    coach = coach_for(user)
    if coach is None:
        client = client_for(user)
        coach = client.coach if client is not None else None
    return coach


def exercises_for(user: Any, *, coach: Coach | None = None) -> QuerySet[Exercise]:
    """The shared library plus the requesting coach's own and their team's coaches' (a client
    sees their coach's). ``coach``: the user's ``library_coach`` when the caller has it at hand
    (a write has it from the assignments it loaded), so it is not looked up again."""
    coach = coach or library_coach(user)
    if coach is None:
        return Exercise.objects.filter(owner__isnull=True)
    # By the coach's login id, already on the coach row: neither the login nor a join is read.
    team = _team_user_ids(coach.user_id)
    return Exercise.objects.filter(Q(owner__isnull=True) | Q(owner_id=coach.user_id) | Q(owner_id__in=team))


def templates_of(user: Any) -> QuerySet[ProgramTemplate]:
    """The coach's own templates (to edit)."""
    if coach_for(user) is None:
        return ProgramTemplate.objects.none()
    return ProgramTemplate.objects.filter(owner=user)


def team_templates(user: Any) -> QuerySet[ProgramTemplate]:
    """Templates the coach's team's other coaches made (shared: read and assign, not edit)."""
    if coach_for(user) is None:
        return ProgramTemplate.objects.none()
    return ProgramTemplate.objects.filter(owner_id__in=team_user_ids(user)).exclude(owner_id=user.pk)


def usable_templates(user: Any) -> QuerySet[ProgramTemplate]:
    """The coach's own templates and their team's: the ones a program can be assigned from."""
    if coach_for(user) is None:
        return ProgramTemplate.objects.none()
    return ProgramTemplate.objects.filter(Q(owner_id=user.pk) | Q(owner_id__in=team_user_ids(user)))


def webhooks_of(user: Any) -> QuerySet[WebhookEndpoint]:
    coach = coach_for(user)
    if coach is None:
        return WebhookEndpoint.objects.none()
    return WebhookEndpoint.objects.filter(coach=coach)


def _get(queryset: QuerySet[Any], **lookup: Any) -> Any:
    # An id from a URL is a string; int() would also read "١" or "+1" as 1 (coaching/parsing.py).
    if isinstance(lookup.get("pk"), str) and not ascii_digits(lookup["pk"]):
        raise Http404("Not found.")
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found.") from exc


def access_client(user: Any, client_id: Any) -> Client:
    return _get(clients_of(user).filter(coach=require_coach(user)), pk=client_id)


def access_assignment(user: Any, assignment_id: Any) -> Assignment:
    return _get(assignments_of(user).select_related("client", "client__coach"), pk=assignment_id)


def access_session(
    user: Any, session_id: Any, *, include_deleted: bool = False, read_only: bool = False
) -> LoggedSession:
    """A session the user may change (``read_only``: may read, which takes in shared clients')."""
    try:
        session_uuid = uuid.UUID(str(session_id))
    except ValueError as exc:
        raise Http404("Not found.") from exc
    qs = readable_sessions(user) if read_only else sessions_of(user)
    if not include_deleted:
        qs = qs.filter(deleted_at__isnull=True)
    return _get(qs.select_related("client", "client__coach", "assignment"), pk=session_uuid)


def access_thread(user: Any, session_id: Any, *, client: Client | None = None) -> LoggedSession:
    """A logged session whose thread the user may read and reply to: the session's client, their
    coach, and the team members the client is shared with (and the team's owner); anyone else:
    404. ``client``, when the URL names one, must be the session's."""
    session = access_session(user, session_id, read_only=True)
    if client is not None and session.client_id != client.pk:
        raise Http404("Not found.")
    return session


def access_set_tagging(
    user: Any, session_id: Any, set_id: Any, *, client: Client | None = None
) -> tuple[LoggedSession, LoggedSet, str]:
    """A live session's set the user may tag faults on, and the role they tag as (docs/api.md
    "Conversation and form", docs/domain.md "Teams"): the client's coach, a coach the client is
    shared with and the team's owner as ``coach``; a reviewer the client is shared with as
    ``reviewer``. Anyone else (the client too), a deleted session, an id no set of the session
    has, or a session not of ``client`` (when the URL names one): 404."""
    if client_for(user) is not None:
        raise Http404("Not found.")
    session = access_session(user, session_id, read_only=True)
    if client is not None and session.client_id != client.pk:
        raise Http404("Not found.")
    try:
        set_uuid = uuid.UUID(str(set_id))
    except ValueError as exc:
        raise Http404("Not found.") from exc
    logged_set = _get(LoggedSet.objects.filter(session=session).select_related("exercise"), uid=set_uuid)
    membership = membership_for(user)
    role = Role.REVIEWER.value if membership is not None and membership.role == Role.REVIEWER else Role.COACH.value
    return session, logged_set, role


def access_set_video(
    user: Any, session_id: Any, set_id: Any, *, watch: bool = False
) -> tuple[LoggedSession, uuid.UUID]:
    """A logged set whose form video the user may upload or delete (the session's client and their
    coach), or, with ``watch``, watch: they and the team members the client is shared with (and the
    team's owner). Returns (its live session, its uid); anyone else, a deleted session, a malformed
    or unknown set id: 404."""
    from coaching.videos.selectors import session_has_set

    session = access_session(user, session_id, read_only=watch)
    try:
        set_uid = uuid.UUID(str(set_id))
    except ValueError as exc:
        raise Http404("Not found.") from exc
    if not session_has_set(session, set_uid):
        raise Http404("Not found.")
    return session, set_uid


def access_review(user: Any, review_id: Any) -> WeeklyReview:
    return _get(reviews_of(user).select_related("assignment", "assignment__client", "decided_by"), pk=review_id)


def access_review_to_decide(user: Any, review_id: Any) -> WeeklyReview:
    """A review the user may approve or reject: 404 when they may not see it, 403 when they see it
    (a reviewer, a team member it is shared with read-only) but may not decide it."""
    review = access_review(user, review_id)
    if not decidable_reviews(user).filter(pk=review.pk).exists():
        raise PermissionDenied("Only the client's coaches decide a review.")
    return review


def access_review_to_cosign(user: Any, review_id: Any) -> WeeklyReview:
    """A review the user co-signs as the reviewer its client is shared with: 404 when they may not
    see it, 403 when they see it but are not that client's reviewer."""
    review = access_review(user, review_id)
    if not cosigning_clients(user).filter(pk=review.assignment.client_id).exists():
        raise PermissionDenied("Only a reviewer the client is shared with co-signs.")
    return review


def access_proposal(user: Any, review_id: Any, proposal_id: Any) -> ReviewItem:
    """One proposal, only under its own review, only of the reviews the user decides (a proposal of
    a review they only read: 403)."""
    review = access_review_to_decide(user, review_id)
    return _get(ReviewItem.objects.filter(review=review), pk=proposal_id)


def access_webhook(user: Any, endpoint_id: Any) -> WebhookEndpoint:
    return _get(webhooks_of(user), pk=endpoint_id)


def access_delivery(user: Any, endpoint_id: Any, delivery_id: Any) -> WebhookDelivery:
    """One delivery, only under its own endpoint, only of the coach's endpoints."""
    endpoint = access_webhook(user, endpoint_id)
    return _get(WebhookDelivery.objects.filter(endpoint=endpoint).select_related("endpoint"), pk=delivery_id)


def access_template(user: Any, template_id: Any) -> ProgramTemplate:
    return _get(templates_of(user), pk=template_id)


def exercises_by_slug(exercises: Iterable[Exercise], mine: int | None = None) -> dict[str, Exercise]:
    """Slug → exercise, the coach's own exercise (owner ``mine``, when given) winning over a
    teammate's, and either over a library one of the same slug, whatever order they come in."""

    def rank(exercise: Exercise) -> int:
        if exercise.owner_id is None:
            return 0
        return 2 if mine is None or exercise.owner_id == mine else 1

    found: dict[str, Exercise] = {}
    for exercise in exercises:
        if exercise.slug not in found or rank(exercise) > rank(found[exercise.slug]):
            found[exercise.slug] = exercise
    return found


def exercise_map(user: Any, slugs: Iterable[str] | None = None, *, coach: Coach | None = None) -> dict[str, Exercise]:
    """Slug → exercise the user may use (only ``slugs`` when given); the coach's own wins.
    ``coach``: as ``exercises_for``'s."""
    coach = coach or library_coach(user)
    exercises = exercises_for(user, coach=coach)
    if slugs is not None:
        exercises = exercises.filter(slug__in=list(slugs))
    return exercises_by_slug(exercises, mine=coach.user_id if coach is not None else None)


def access_exercise(user: Any, slug: str) -> Exercise:
    """By slug: the coach's own exercise wins over a library one of the same slug."""
    exercise = exercise_map(user, [slug]).get(slug)
    if exercise is None:
        raise Http404("Not found.")
    return exercise


def access_own_exercise(user: Any, slug: str) -> Exercise:
    """An exercise the coach wrote (to edit or delete); a library one, or another's, is a 404."""
    exercise = access_exercise(user, slug)
    if exercise.owner_id != getattr(user, "pk", None):
        raise Http404("Not found.")
    return exercise


def other_exercises_for(user: Any, exercise: Exercise) -> QuerySet[Exercise]:
    """The exercises ``exercise``'s ladder may point at: the user's visible ones but itself."""
    return exercises_for(user).exclude(pk=exercise.pk)


def exercise_ladder(user: Any, exercise: Exercise) -> tuple[Exercise | None, Exercise | None]:
    """The easier and harder steps the user may see (another coach's exercise is not shown)."""
    ids = [pk for pk in (exercise.easier_id, exercise.harder_id) if pk is not None]
    steps: dict[int | None, Exercise] = {e.pk: e for e in exercises_for(user).filter(pk__in=ids)} if ids else {}
    return steps.get(exercise.easier_id), steps.get(exercise.harder_id)


def assignable_clients(user: Any) -> QuerySet[Client]:
    """The coach's active clients, the ones a program can be assigned to."""
    return clients_of(user).filter(coach=require_coach(user), is_active=True)


def assignable_templates(user: Any) -> QuerySet[ProgramTemplate]:
    """The coach's and their team's program templates with their lines, for the assign form."""
    return usable_templates(user).select_related("owner").prefetch_related("lines__exercise")


def find_template(user: Any, template_id: int | None) -> ProgramTemplate | None:
    """The coach's (or team's) template with this id, or None (a form's choice, not a URL: no 404)."""
    if template_id is None:
        return None
    return usable_templates(user).filter(pk=template_id).first()


def access_calendar_feed(token: str) -> Any:
    """The calendar feed whose secret URL carries ``token`` (no login: the token is the access),
    with its client and coach; 404 for an unknown, reset or malformed token or an inactive client."""
    from coaching.calendar_feed.selectors import feed_for_token

    found = feed_for_token(token)
    if found is None:
        raise Http404("Not found.")
    return found


def access_session_import(user: Any, client_id: Any, import_id: Any, *, with_payload: bool = True) -> SessionImport:
    """One of the coach's live (not expired) imports for that client of theirs; else 404.

    ``with_payload=False`` leaves the parsed rows (megabytes for a big file) unread until used:
    for the status polled while a task writes the import."""
    client = access_client(user, client_id)
    live = SessionImport.objects.filter(coach=require_coach(user), client=client, expires_at__gt=timezone.now())
    if not with_payload:
        live = live.defer("payload")
    return _get(live.select_related("client"), pk=import_id)


def access_visible_client(user: Any, client_id: Any) -> Client:
    """A client the user may read (their own, shared with them, or their team's as its owner);
    what they may then do to it is the service's check (403)."""
    if coach_for(user) is None and membership_for(user) is None:
        raise Http404("Not found.")
    return _get(visible_clients(user).select_related("coach__user"), pk=client_id)


def access_team_member(user: Any, member_id: Any) -> TeamMembership:
    """A membership of the user's own team (another team's, or none: 404)."""
    mine = require_member(user)
    return _get(TeamMembership.objects.filter(team_id=mine.team_id).select_related("team", "user"), pk=member_id)


def require_staff(user: Any) -> None:
    """A coach or a team member (a reviewer has no ``Coach``); anyone else: 404."""
    if coach_for(user) is None and membership_for(user) is None:
        raise Http404("Not found.")


def access_team_coach(user: Any, member_id: Any) -> Coach:
    """The ``Coach`` of a coach member of the user's team (a reviewer, another team's: 404)."""
    membership = access_team_member(user, member_id)
    return _get(Coach.objects.select_related("user"), user_id=membership.user_id)
