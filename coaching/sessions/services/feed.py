"""The change feed: opaque cursors over the per-coach change sequence."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast

from coaching.access import client_for, coach_for
from coaching.models import CoachFault, LoggedSession, LoggedSet
from coaching.parsing import MAX_ID, parse_int
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


# The columns a page shows, read as tuples (no model instances: a page holds 1,800 sets).
SESSION_COLUMNS = (
    "id",
    "deleted_at",
    "client_modified_at",
    "change_seq",
    "assignment_id",
    "performed_at",
    "performed_at_offset",
    "notes",
    "day",
    "checkin_sleep",
    "checkin_soreness",
    "checkin_stress",
    "checkin_low_back",
    "checkin_cut_taken",
)
SET_COLUMNS = (
    *("session_id", "uid", "exercise_id", "side", "reps", "seconds"),
    *("load_kg", "unit", "rpe", "tempo_kept", "faults_json", "pain"),
)
TAG_COLUMNS = ("session_id", "set_uid", "fault", "by__name", "by__email", "role", "at")


@dataclass(frozen=True)
class FeedRows:
    """A page of the feed as the database gave it: tuples of the columns above.

    ``sessions``: ``SESSION_COLUMNS``, oldest change first; ``sets``: each live session's sets in
    order (``SET_COLUMNS``, the client's faults as their JSON text: a page repeats a few lists, decoded
    once each); ``slugs``: exercise id → slug; ``tags``: (session id, set uid) → its
    coach tags, oldest first (``TAG_COLUMNS``); ``videos``: (session id, set uid) → the video's URL.
    """

    sessions: list[tuple[Any, ...]]
    sets: dict[uuid.UUID, list[tuple[Any, ...]]]
    slugs: dict[int, str]
    tags: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[Any, ...]]]
    videos: dict[tuple[uuid.UUID, uuid.UUID], str]


def sessions_changed_since(*, user: Any, since: int, limit: int) -> tuple[FeedRows, int, bool]:
    """Changes after ``since``, oldest first; returns (rows, next_seq, has_more).

    Sequence numbers are per coach and commit in order (see ``ChangeCounter``), so a
    cursor never skips a change that was still in flight when the page was read.
    """
    sessions = list(feed_page_query(user=user, since=since, limit=limit).values_list(*SESSION_COLUMNS))
    has_more = len(sessions) > limit
    sessions = sessions[:limit]
    next_seq = sessions[-1][3] if sessions else since
    return _page_rows(sessions), next_seq, has_more


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


def _page_rows(sessions: list[tuple[Any, ...]]) -> FeedRows:
    """The page's sets, their exercises' slugs, coach tags and videos: four queries for the page,
    each reading only the page's rows. Tombstones show no sets."""
    live = [row[0] for row in sessions if row[1] is None]
    sets: dict[uuid.UUID, list[tuple[Any, ...]]] = {pk: [] for pk in live}
    if not live:
        return FeedRows(sessions, sets, {}, {}, {})
    in_order = (
        LoggedSet.objects.filter(session_id__in=live)
        .annotate(faults_json=Cast("faults", TextField()))
        .order_by("session_id", "position")
    )
    for row in in_order.values_list(*SET_COLUMNS):
        sets[row[0]].append(row)
    exercise_ids = {row[2] for rows in sets.values() for row in rows}
    slugs = dict(Exercise.objects.filter(pk__in=exercise_ids).values_list("pk", "slug")) if exercise_ids else {}
    tags: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[Any, ...]]] = defaultdict(list)
    videos: dict[tuple[uuid.UUID, uuid.UUID], str] = {}
    if exercise_ids:  # some set on the page
        for tag in CoachFault.objects.filter(session_id__in=live).order_by("at", "id").values_list(*TAG_COLUMNS):
            tags[(tag[0], tag[1])].append(tag)
        for key in SetVideo.objects.filter(session_id__in=live).values_list("session_id", "set_uid"):
            videos[key] = video_url(*key)
    return FeedRows(sessions, sets, slugs, dict(tags), videos)
