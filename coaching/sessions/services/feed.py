"""The change feed: opaque cursors over the per-coach change sequence."""

from __future__ import annotations

import uuid
from typing import Any

from django.core import signing
from django.db.models import QuerySet

from coaching.access import client_for, coach_for
from coaching.models import LoggedSession, LoggedSet
from coaching.parsing import MAX_ID, parse_int
from coaching.sessions.faults.selectors import attach_coach_faults
from coaching.videos.models import SetVideo
from coaching.videos.selectors import video_url
from programs.models import Exercise

_CURSOR_SALT = "coaching.sessions.feed-cursor"


def encode_cursor(seq: int) -> str:
    """An opaque, signed cursor: only cursors this server issued decode."""
    return signing.Signer(salt=_CURSOR_SALT).sign(f"v1.{seq}")


def decode_cursor(cursor: str | None) -> int:
    """0 for no cursor; ``ValueError`` for one we never issued."""
    if not cursor:
        return 0
    try:
        text = signing.Signer(salt=_CURSOR_SALT).unsign(cursor)
    except signing.BadSignature as exc:
        raise ValueError("Not a cursor this server issued.") from exc
    prefix, _, number = text.partition(".")
    seq = parse_int(number, low=0, high=MAX_ID)
    if prefix != "v1" or seq is None:
        raise ValueError("Not a cursor this server issued.")
    return seq


def sessions_changed_since(*, user: Any, since: int, limit: int) -> tuple[list[LoggedSession], int, bool]:
    """Changes after ``since``, oldest first; returns (rows, next_seq, has_more).

    Sequence numbers are per coach and commit in order (see ``ChangeCounter``), so a
    cursor never skips a change that was still in flight when the page was read.
    """
    rows = list(feed_page_query(user=user, since=since, limit=limit))
    has_more = len(rows) > limit
    rows = rows[:limit]
    _attach_sets(rows)
    next_seq = rows[-1].change_seq if rows else since
    return rows, next_seq, has_more


def feed_page_query(*, user: Any, since: int, limit: int) -> QuerySet[LoggedSession]:
    """The page's sessions (one more than ``limit``, to tell whether there is more), oldest change first."""
    return _feed_of(user).filter(change_seq__gt=since).order_by("change_seq")[: limit + 1]


def _feed_of(user: Any) -> QuerySet[LoggedSession]:
    """The user's sessions as the feed reads them: a coach's by the coach on the row (index
    ``session_coach_seq_idx``, no join, no other coach's rows read), a client's by the client
    (``session_client_seq_idx``). Tombstones are rows like the others, in the same scan."""
    coach = coach_for(user)
    if coach is not None:
        return LoggedSession.objects.filter(coach_id=coach.pk)
    client = client_for(user)
    if client is not None:
        return LoggedSession.objects.filter(client_id=client.pk)
    return LoggedSession.objects.none()


def _attach_sets(sessions: list[LoggedSession]) -> None:
    """Each live session's ``shown_sets`` (what ``SessionOutSerializer`` renders): its sets in order,
    with their exercise, coach tags and video URL, in four queries for the page. Tombstones show
    no sets. Done by hand rather than by ``prefetch_related``, whose per-session querysets cost
    more than the page's 1,800 sets themselves."""
    live = {s.pk: s for s in sessions if s.deleted_at is None}
    by_session: dict[uuid.UUID, list[LoggedSet]] = {pk: [] for pk in live}
    sets = list(LoggedSet.objects.filter(session_id__in=list(live)).order_by("session_id", "position")) if live else []
    _attach_exercises(sets)
    attach_coach_faults(sets)
    videos = (
        set(SetVideo.objects.filter(session_id__in=list(live)).values_list("session_id", "set_uid")) if sets else set()
    )
    for s in sets:
        s.video_url = video_url(s.session_id, s.uid) if (s.session_id, s.uid) in videos else None  # type: ignore[attr-defined]
        by_session[s.session_id].append(s)
    for pk, session in live.items():
        session.shown_sets = by_session[pk]  # type: ignore[attr-defined]


def _attach_exercises(sets: list[LoggedSet]) -> None:
    """Each set's exercise, one instance per exercise of the page (one query): a page of 1,800 sets
    names a handful of exercises, and ``select_related`` would build (and decode) one per set."""
    if not sets:
        return
    field = LoggedSet._meta.get_field("exercise")
    exercises = {e.pk: e for e in Exercise.objects.filter(pk__in={s.exercise_id for s in sets})}
    for s in sets:
        field.set_cached_value(s, exercises[s.exercise_id])
