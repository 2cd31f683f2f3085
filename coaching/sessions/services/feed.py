"""The change feed: opaque cursors over the per-coach change sequence."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import BooleanField, F, Func, QuerySet, TextField
from django.db.models.functions import Cast

from coaching.access import client_for, coach_for
from coaching.models import CoachFault, LoggedSession, LoggedSet
from coaching.parsing import MAX_ID, parse_int
from coaching.videos.models import SetVideo
from coaching.videos.selectors import video_url

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


class UUIDText(Func):
    """A UUID column as its canonical text (``str(uuid)``: lowercase, dashed), made by the database:
    a feed page prints 2,000 ids and uses them as keys, and text needs no ``uuid.UUID`` per row,
    no ``str()`` and no hashing of UUID objects. PostgreSQL casts; SQLite (which stores the 32 hex
    digits, lowercase) inserts the dashes."""

    arity = 1
    output_field = TextField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql})::text", list(params)

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        parts = [f"substr({sql}, {start}, {length})" for start, length in ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))]
        return "(" + " || '-' || ".join(parts) + ")", list(params) * len(parts)


class UUIDIn(Func):
    """``column IN ids`` for a UUID column and ids as canonical text, sent as one parameter (an
    array literal on PostgreSQL, a JSON array on SQLite) instead of one per id: no per-id
    preparation in Django or quoting in the driver, and one statement whatever the page holds."""

    arity = 1
    output_field = BooleanField()

    def __init__(self, column: str, ids: list[str]) -> None:
        super().__init__(F(column))
        self.ids = ids

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} = ANY(%s::uuid[])", [*params, "{" + ",".join(self.ids) + "}"]

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} IN (SELECT replace(value, '-', '') FROM json_each(%s))", [*params, json.dumps(self.ids)]


class IsoUTC(Func):
    """A timestamp column as ``value.astimezone(UTC).isoformat()`` gives it
    (``2026-11-17T06:42:00+00:00``, ``.ffffff`` only when there are microseconds), made by the
    database: no datetime per row to parse, convert and format again. SQLite stores ``str()`` of
    the UTC time (``YYYY-MM-DD HH:MM:SS[.ffffff]``), which only needs its ``T`` and offset."""

    arity = 1
    output_field = TextField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        (at,) = _columns(compiler, self)
        return f"({_pg_iso(f'(({at}) AT TIME ZONE {_UTC!r})')} || '+00:00')", []

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        (at,) = _columns(compiler, self)
        return f"(replace({at}, ' ', 'T') || '+00:00')", []


class IsoAtOffset(Func):
    """A timestamp column at the UTC offset in minutes of another, as ``value.astimezone(
    timezone(timedelta(minutes=offset))).isoformat()`` gives it (``2026-11-17T07:42:00-05:30``),
    made by the database."""

    arity = 2
    output_field = TextField()

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        at, off = _columns(compiler, self)
        local = f"((({at}) AT TIME ZONE {_UTC!r}) + ({off}) * interval '1 minute')"
        zone = f"to_char(abs({off}) / 60, 'FM00') || ':' || to_char(mod(abs({off}), 60), 'FM00')"
        return f"({_pg_iso(local)} || {_sign(off)} || {zone})", []

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, list[Any]]:
        at, off = _columns(compiler, self)
        # The whole seconds shifted (strftime would round 59.999999 up), then the stored fraction.
        # %% is a literal % in Django's SQL (the driver's placeholders are %s).
        local = f"strftime('%%Y-%%m-%%dT%%H:%%M:%%S', substr({at}, 1, 19), ({off}) || ' minutes') || substr({at}, 20)"
        zone = f"printf('%%02d:%%02d', abs({off}) / 60, abs({off}) %% 60)"
        return f"({local} || {_sign(off)} || {zone})", []


_UTC = "UTC"


def _columns(compiler: Any, func: Func) -> list[str]:
    """The SQL of a function's arguments, which must be columns (their SQL is repeated)."""
    compiled = [compiler.compile(e) for e in func.source_expressions]
    if any(params for _, params in compiled):
        raise ValueError(f"{type(func).__name__} takes columns")
    return [sql for sql, _ in compiled]


def _pg_iso(local: str) -> str:
    """PostgreSQL: a timestamp without zone as ``isoformat()`` prints it, without the offset."""
    return (
        f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS')"
        f" || CASE WHEN date_trunc('second', {local}) = {local} THEN '' ELSE to_char({local}, '.US') END"
    )


def _sign(offset: str) -> str:
    return f"CASE WHEN {offset} < 0 THEN '-' ELSE '+' END"


# The columns a page shows, read as tuples (no model instances: a page holds 1,800 sets), ids and
# the session's times as the text the API prints.
SESSION_COLUMNS = (
    UUIDText("id"),
    "deleted_at",
    IsoUTC("client_modified_at"),
    "change_seq",
    "assignment_id",
    IsoAtOffset("performed_at", "performed_at_offset"),
    "notes",
    "day",
    "checkin_sleep",
    "checkin_soreness",
    "checkin_stress",
    "checkin_low_back",
    "checkin_cut_taken",
)
SET_COLUMNS = (
    *(UUIDText("session_id"), UUIDText("uid"), "exercise__slug", "side", "reps", "seconds"),
    # The numbers as text: a page keys its caches by them (a Decimal's hash is computed each time).
    *(Cast("load_kg", TextField()), "unit", Cast("rpe", TextField()), "tempo_kept", "faults_json", "pain"),
)
TAG_COLUMNS = (UUIDText("session_id"), UUIDText("set_uid"), "fault", "by__name", "by__email", "role", "at")


@dataclass(frozen=True)
class FeedRows:
    """A page of the feed as the database gave it: tuples of the columns above.

    ``sessions``: ``SESSION_COLUMNS``, oldest change first; ``sets``: each live session's sets in
    order (``SET_COLUMNS``: the exercise's slug, load and RPE as text, the client's faults as their
    JSON text: a page repeats a few lists, decoded once each); ``tags``: (session id, set uid) → its coach tags,
    oldest first (``TAG_COLUMNS``); ``videos``: (session id, set uid) → the video's URL. Ids are
    text (``UUIDText``).
    """

    sessions: list[tuple[Any, ...]]
    sets: dict[str, list[tuple[Any, ...]]]
    tags: dict[tuple[str, str], list[tuple[Any, ...]]]
    videos: dict[tuple[str, str], str]


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
    """The page's sets (with their exercises' slugs), coach tags and videos: three queries for the
    page, each reading only the page's rows (by the sessions' ids, one parameter). Tombstones show
    no sets."""
    live = [row[0] for row in sessions if row[1] is None]
    sets: dict[str, list[tuple[Any, ...]]] = {pk: [] for pk in live}
    if not live:
        return FeedRows(sessions, sets, {}, {})
    in_order = (
        LoggedSet.objects.filter(UUIDIn("session_id", live))
        .annotate(faults_json=Cast("faults", TextField()))
        .order_by("session_id", "position")
    )
    for row in in_order.values_list(*SET_COLUMNS):
        sets[row[0]].append(row)
    tags: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    if not any(sets.values()):  # no set on the page: nothing tagged, no video
        return FeedRows(sessions, sets, {}, {})
    for tag in CoachFault.objects.filter(UUIDIn("session_id", live)).order_by("at", "id").values_list(*TAG_COLUMNS):
        tags[(tag[0], tag[1])].append(tag)
    videos = {
        (sid, uid): video_url(sid, uid)
        for sid, uid in SetVideo.objects.filter(UUIDIn("session_id", live)).values_list(
            UUIDText("session_id"), UUIDText("set_uid")
        )
    }
    return FeedRows(sessions, sets, dict(tags), videos)
