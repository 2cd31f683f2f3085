"""Reads of session threads, each scoped through ``coaching.access`` and a fixed number of queries
however many comments and sessions there are."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from coaching.access import sessions_of
from coaching.models import Client, Coach, LoggedSession, ReviewItem
from coaching.threads.models import SessionComment, ThreadRead


def _last_read(user: Any) -> Coalesce:
    """The user's read marker of the comment's session (0 when they never opened it)."""
    marker = ThreadRead.objects.filter(user_id=user.pk, session_id=OuterRef("session_id")).values("last_read_id")[:1]
    return Coalesce(Subquery(marker), Value(0), output_field=IntegerField())


def _unread(user: Any) -> QuerySet[SessionComment]:
    """Comments by others that the user has not been shown, in the sessions the user may see."""
    return (
        SessionComment.objects.filter(session__in=sessions_of(user).filter(deleted_at__isnull=True))
        .exclude(author_id=user.pk)
        .annotate(last_read=_last_read(user))
        .filter(id__gt=F("last_read"))
    )


def role_of(session: LoggedSession, user_id: int | None) -> str:
    return "client" if user_id is not None and user_id == session.client.user_id else "coach"


def thread_comments(session: LoggedSession, user: Any) -> QuerySet[SessionComment]:
    """The thread oldest first, each comment's author loaded and ``is_read`` for ``user`` (one query)."""
    return (
        session.comments.select_related("author")
        .annotate(last_read=_last_read(user))
        .annotate(is_read=Q(author_id=user.pk) | Q(id__lte=F("last_read")))
        .order_by("id")
    )


@dataclass(frozen=True)
class ThreadCount:
    comments: int = 0
    unread: int = 0


def thread_counts(user: Any, session_ids: Iterable[Any]) -> dict[Any, ThreadCount]:
    """For each of these sessions: how many comments its thread has and how many the user has not
    read (one query for the page's sessions)."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = (
        SessionComment.objects.filter(session_id__in=ids, session__in=sessions_of(user))
        .annotate(last_read=_last_read(user))
        .values("session_id")
        .annotate(
            comments=Count("id"),
            unread=Count("id", filter=~Q(author_id=user.pk) & Q(id__gt=F("last_read"))),
        )
    )
    return {row["session_id"]: ThreadCount(row["comments"], row["unread"]) for row in rows}


def unread_total(user: Any, client: Client | None = None) -> int:
    """Comments by others the user has not read, in all their threads (the phone's badge), or in
    one client's (the review page)."""
    unread = _unread(user)
    if client is not None:
        unread = unread.filter(session__client=client)
    return unread.count()


def first_unread_session(user: Any) -> Any:
    """The session of the oldest comment the user has not read, or None (the badge links to it)."""
    return _unread(user).order_by("id").values_list("session_id", flat=True).first()


@dataclass(frozen=True)
class ClientUnread:
    client_id: int
    name: str
    unread: int


def unread_by_client(coach: Coach) -> list[ClientUnread]:
    """The coach's clients with replies the coach has not read, by name (the dashboard; one query)."""
    rows = (
        _unread(coach.user)
        .values("session__client_id", "session__client__name")
        .annotate(n=Count("id"))
        .order_by("session__client__name", "session__client_id")
    )
    return [ClientUnread(row["session__client_id"], row["session__client__name"], row["n"]) for row in rows]


def latest_session(client: Client) -> LoggedSession | None:
    """The client's latest logged session (Today shows its thread)."""
    return (
        LoggedSession.objects.filter(client=client, deleted_at__isnull=True)
        .select_related("client", "client__coach")
        .order_by("-performed_at", "-client_modified_at")
        .first()
    )


def review_notes(review_ids: Iterable[int]) -> dict[int, dict[tuple[int, int], str]]:
    """Review id → (day, exercise id) → the coach's note with an approved proposal (one query)."""
    notes: dict[int, dict[tuple[int, int], str]] = {}
    ids = [pk for pk in review_ids if pk is not None]
    if not ids:
        return notes
    for review_id, day, exercise_id, note in (
        ReviewItem.objects.filter(review_id__in=ids)
        .exclude(note="")
        .values_list("review_id", "day", "exercise_id", "note")
    ):
        notes.setdefault(review_id, {})[(day, exercise_id)] = note
    return notes
