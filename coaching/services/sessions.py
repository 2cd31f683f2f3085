"""Writing logged sessions: create-or-replace, batch sync, soft delete, the change feed.

A batch runs in a constant number of queries whatever its size, and in one transaction, so
no session is ever half-written. Writers of one coach's sessions are serialized on that
coach's ``ChangeCounter`` row, which also makes ``change_seq`` commit in order.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from coaching.access import assignments_of, client_for, coach_for, exercises_for, sessions_of
from coaching.models import Assignment, ChangeCounter, LoggedSession, LoggedSet
from programs.faults import FAULTS
from programs.models import Exercise, to_kg

MAX_SETS_PER_SESSION = 200
MAX_LOAD_KG = Decimal("1000")
FUTURE_TOLERANCE = dt.timedelta(days=1)
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class SetInput:
    exercise: str
    side: str = "both"
    reps: int | None = None
    seconds: int | None = None
    load: Decimal = Decimal("0")
    unit: str = "kg"
    rpe: Decimal | None = None
    tempo_kept: bool | None = None
    faults: tuple[str, ...] = ()
    pain: int | None = None


@dataclass(frozen=True)
class SessionInput:
    id: uuid.UUID
    assignment_id: int
    performed_at: dt.datetime
    client_modified_at: dt.datetime
    notes: str = ""
    sets: tuple[SetInput, ...] = ()


@dataclass
class SessionResult:
    id: uuid.UUID | None
    status: str  # created | updated | unchanged | stale | rejected
    errors: dict[str, Any] | None = None
    session: LoggedSession | None = None
    sets: list[LoggedSet] = field(default_factory=list)
    # The id belongs to a session this user may not see: the PUT endpoint answers 404.
    not_found: bool = False


class SessionError(Exception):
    def __init__(self, errors: dict[str, Any]):
        super().__init__(errors)
        self.errors = errors


class SessionStale(Exception):
    """A change older than the stored version; ``session`` is the stored version."""

    def __init__(self, session: LoggedSession):
        super().__init__(f"Session {session.pk} has a newer version.")
        self.session = session


# --- validation (domain rules; shapes and types are the serializer's job) ---------------


def _validate(
    item: SessionInput,
    assignments: dict[int, Assignment],
    exercises: dict[str, Exercise],
    now: dt.datetime,
) -> dict[str, Any]:
    errors: dict[str, Any] = {}
    if item.assignment_id not in assignments:
        errors["assignment"] = ["No such assignment."]
    latest = now + FUTURE_TOLERANCE
    if item.performed_at > latest:
        errors["performed_at"] = ["This is in the future."]
    elif item.performed_at < EARLIEST:
        errors["performed_at"] = ["This is before the year 2000."]
    if item.client_modified_at > latest:
        errors["client_modified_at"] = ["This is in the future."]
    elif item.client_modified_at < EARLIEST:
        errors["client_modified_at"] = ["This is before the year 2000."]
    if len(item.sets) > MAX_SETS_PER_SESSION:
        errors["sets"] = [f"At most {MAX_SETS_PER_SESSION} sets per session."]
        return errors
    set_errors: list[dict[str, list[str]]] = []
    for s in item.sets:
        e: dict[str, list[str]] = {}
        exercise = exercises.get(s.exercise)
        if exercise is None:
            e["exercise"] = [f"Unknown exercise “{s.exercise}”."]
        else:
            if exercise.measure == Exercise.Measure.SECONDS:
                if s.seconds is None:
                    e["seconds"] = ["This exercise is a hold: give the seconds held."]
                if s.reps is not None:
                    e["reps"] = ["This exercise is a hold: give seconds, not reps."]
            else:
                if s.reps is None:
                    e["reps"] = ["Give the number of reps."]
                if s.seconds is not None:
                    e["seconds"] = ["This exercise is counted in reps, not seconds."]
            if exercise.is_per_side and s.side == LoggedSet.Side.BOTH:
                e["side"] = ["This exercise is done one side at a time: use left or right."]
            elif not exercise.is_per_side and s.side != LoggedSet.Side.BOTH:
                e["side"] = ["This exercise uses both sides: use both."]
            unknown = [f for f in s.faults if f not in FAULTS]
            if unknown:
                e["faults"] = [f"Unknown fault “{f}”." for f in unknown]
        if to_kg(s.load, s.unit) > MAX_LOAD_KG:
            e["load"] = ["That load is over 1000 kg: check the number and the unit."]
        set_errors.append(e)
    if any(set_errors):
        errors["sets"] = set_errors
    return errors


# --- canonical body (replay detection) -----------------------------------------------


def _offset_minutes(value: dt.datetime) -> int:
    offset = value.utcoffset() or dt.timedelta(0)
    return int(offset.total_seconds() // 60)


def _canon_set(s: SetInput) -> list[Any]:
    return [
        s.exercise,
        s.side,
        s.reps,
        s.seconds,
        str(Decimal(s.load).normalize()),
        s.unit,
        None if s.rpe is None else str(Decimal(s.rpe).normalize()),
        s.tempo_kept,
        sorted(set(s.faults)),
        s.pain,
    ]


def body_hash(item: SessionInput) -> str:
    body = [
        item.assignment_id,
        item.performed_at.astimezone(dt.UTC).isoformat(),
        _offset_minutes(item.performed_at),
        item.notes,
        [_canon_set(s) for s in item.sets],
    ]
    return hashlib.sha256(json.dumps(body, separators=(",", ":")).encode()).hexdigest()


# --- writing --------------------------------------------------------------------------


def _build_sets(session_id: uuid.UUID, item: SessionInput, exercises: dict[str, Exercise]) -> list[LoggedSet]:
    """The sets as (unsaved) model instances: what a single session's representation shows."""
    return [
        LoggedSet(
            session_id=session_id,
            position=index,
            exercise=exercises[s.exercise],
            side=s.side,
            reps=s.reps,
            seconds=s.seconds,
            load_kg=to_kg(s.load, s.unit),
            unit=s.unit,
            rpe=s.rpe,
            tempo_kept=s.tempo_kept,
            faults=sorted(set(s.faults)),
            pain=s.pain,
        )
        for index, s in enumerate(item.sets)
    ]


SET_COLUMNS = (
    "session",
    "position",
    "exercise",
    "side",
    "reps",
    "seconds",
    "load_kg",
    "unit",
    "rpe",
    "tempo_kept",
    "faults",
    "pain",
)


def _set_rows(session_id: uuid.UUID, item: SessionInput, exercises: dict[str, Exercise]) -> list[tuple[Any, ...]]:
    """The sets as database rows in ``SET_COLUMNS`` order (values not yet adapted)."""
    return [
        (
            session_id,
            index,
            exercises[s.exercise].pk,
            s.side,
            s.reps,
            s.seconds,
            to_kg(s.load, s.unit),
            s.unit,
            s.rpe,
            s.tempo_kept,
            sorted(set(s.faults)),
            s.pain,
        )
        for index, s in enumerate(item.sets)
    ]


def _insert_rows(model: type[models.Model], fields: list[models.Field], rows: list[Sequence[Any]]) -> None:
    """Insert rows of database-ready values (one per field) in one statement.

    PostgreSQL gets one typed array per column (``UNNEST``, as Django's own bulk insert
    does); other databases a multi-row ``VALUES`` in as few statements as their variable
    limit allows. Only the model's table and column names go into the SQL text.
    """
    if not rows:
        return
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            arrays = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in fields)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM UNNEST({arrays})",
                [list(column) for column in zip(*rows, strict=True)],
            )
            return
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_statement = max(1, connection.features.max_query_params // len(fields))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))}",
                [value for row in chunk for value in row],
            )


def _insert_sets(rows: list[tuple[Any, ...]]) -> None:
    """A batch's sets in one statement, without a model instance per set.

    ``bulk_create`` spent most of a 1,500-set batch preparing values field by field; here
    each column is adapted once by its type, the way Django would: UUIDs as hex where the
    database has no UUID type, JSON through the backend's adapter.
    """
    native_uuid = connection.features.has_native_uuid_field
    adapt_json = connection.ops.adapt_json_value
    faults_at = SET_COLUMNS.index("faults")
    prepared = [
        (
            row[0] if native_uuid else row[0].hex,
            *row[1:faults_at],
            adapt_json(row[faults_at], None),
            *row[faults_at + 1 :],
        )
        for row in rows
    ]
    _insert_rows(LoggedSet, [LoggedSet._meta.get_field(name) for name in SET_COLUMNS], prepared)


def _insert_sessions(sessions: list[LoggedSession], now: dt.datetime) -> None:
    """New sessions in one statement; values adapted by each field, as the ORM would."""
    fields = list(LoggedSession._meta.concrete_fields)
    for session in sessions:
        session.created_at = session.updated_at = now
    rows = [[f.get_db_prep_save(getattr(s, f.attname), connection) for f in fields] for s in sessions]
    _insert_rows(LoggedSession, fields, rows)
    for session in sessions:
        session._state.adding, session._state.db = False, connection.alias


def _apply_fields(session: LoggedSession, item: SessionInput, assignment: Assignment, digest: str) -> None:
    session.assignment = assignment
    session.client_id = assignment.client_id
    session.performed_at = item.performed_at
    session.performed_at_offset = _offset_minutes(item.performed_at)
    session.client_modified_at = item.client_modified_at
    session.notes = item.notes
    session.body_hash = digest
    session.deleted_at = None


def _lock_counters(coach_ids: Iterable[int]) -> dict[int, ChangeCounter]:
    """Lock the coaches' change counters (made on first use) until the transaction ends."""
    ids = sorted(set(coach_ids))

    def locked() -> dict[int, ChangeCounter]:
        rows = ChangeCounter.objects.select_for_update().filter(coach_id__in=ids).order_by("coach_id")
        return {c.coach_id: c for c in rows}

    counters = locked()
    if len(counters) < len(ids):
        # First write of a coach: make the counter (a concurrent maker wins quietly), then lock.
        ChangeCounter.objects.bulk_create(
            [ChangeCounter(coach_id=cid) for cid in ids if cid not in counters], ignore_conflicts=True
        )
        counters = locked()
    return counters


def _take_seqs(counters: dict[int, ChangeCounter], rows_by_coach: dict[int, list[LoggedSession]]) -> None:
    """Number the rows in order from each coach's counter and save the counters."""
    for cid, rows in rows_by_coach.items():
        counter = counters[cid]
        for session in rows:
            counter.value += 1
            session.change_seq = counter.value
    ChangeCounter.objects.bulk_update([counters[cid] for cid in rows_by_coach], ["value"])


SESSION_UPDATE_FIELDS = (
    "assignment",
    "client",
    "performed_at",
    "performed_at_offset",
    "client_modified_at",
    "notes",
    "body_hash",
    "deleted_at",
    "change_seq",
    "updated_at",
)


def _update_sessions(sessions: list[LoggedSession]) -> None:
    """Write the replaced sessions' fields in one ``UPDATE ... FROM`` the new values.

    ``bulk_update`` builds a ``CASE`` with a branch per row for every column: for 500
    sessions that cost about a second, growing with the square of the batch. Values are
    adapted by each field (``get_db_prep_save``), as the ORM would.
    """
    if not sessions:
        return
    vendor = connection.vendor
    if vendor not in {"postgresql", "sqlite"} or (vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 33)):
        LoggedSession.objects.bulk_update(sessions, list(SESSION_UPDATE_FIELDS), batch_size=500)
        return
    meta = LoggedSession._meta
    fields = [meta.pk, *(meta.get_field(name) for name in SESSION_UPDATE_FIELDS)]
    rows = [[f.get_db_prep_save(getattr(s, f.attname), connection) for f in fields] for s in sessions]
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    assign = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in fields[1:])
    # Only the model's table and column names go into the SQL text; values are parameters.
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            arrays = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in fields)
            names = ", ".join(qn(f.column) for f in fields)
            cursor.execute(
                f"UPDATE {table} SET {assign} FROM UNNEST({arrays}) AS v({names}) WHERE {table}.{pk} = v.{pk}",
                [list(column) for column in zip(*rows, strict=True)],
            )
            return
        columns = ", ".join(f"column{i} AS {qn(f.column)}" for i, f in enumerate(fields, start=1))
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_statement = max(1, connection.features.max_query_params // len(fields))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([one] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {assign} FROM (SELECT {columns} FROM (VALUES {values})) AS v "
                f"WHERE {table}.{pk} = v.{pk}",
                [value for row in chunk for value in row],
            )


def _use_sqlite_variable_limit() -> None:
    """Let bulk writes use SQLite's real variable limit, so a batch stays a few queries.

    Django 5.2 assumes the 999 of SQLite before 3.32 and splits a 1,500-set insert into 19;
    Django 6.0 reads the connection's limit instead, as this does (per connection).
    """
    if connection.vendor != "sqlite":
        return
    connection.ensure_connection()
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    if limit > connection.features.max_query_params:
        connection.features.max_query_params = limit


def _visibility(user: Any) -> tuple[int | None, int | None]:
    """(coach id, client id) whose sessions ``user`` may see; both None for nobody."""
    coach = coach_for(user)
    if coach is not None:
        return coach.pk, None
    client = client_for(user)
    return None, client.pk if client is not None else None


def sessions_apply(
    *,
    user: Any,
    items: Sequence[SessionInput],
    now: dt.datetime | None = None,
    with_stored_sets: bool = False,
) -> list[SessionResult]:
    """Create, replace or skip each session; one result per item, in order.

    Invalid items are rejected with their errors and never block the others. The valid
    ones are written in one transaction; a concurrent insert of the same id retries and
    then sees the other writer's row. A result's ``sets`` are filled only with
    ``with_stored_sets`` (for callers that show the sessions): the written sets, and the
    stored ones of unchanged and stale sessions (one more query).
    """
    now = now or timezone.now()
    if not items:
        return []
    assignment_ids = {i.assignment_id for i in items}
    assignments = {a.pk: a for a in assignments_of(user).filter(pk__in=assignment_ids).select_related("client")}
    slugs = {s.exercise for i in items for s in i.sets}
    exercises: dict[str, Exercise] = {}
    for ex in exercises_for(user).filter(slug__in=slugs):
        # A coach's own exercise of the same slug wins over the library's.
        if ex.slug not in exercises or ex.owner_id is not None:
            exercises[ex.slug] = ex
    visible = _visibility(user)
    results: list[SessionResult] = []
    for item in items:
        errors = _validate(item, assignments, exercises, now)
        status = "rejected" if errors else "pending"
        results.append(SessionResult(id=item.id, status=status, errors=errors or None))
    invalid = [r.status == "rejected" for r in results]
    attempts = 3
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                _write_batch(items, results, assignments, exercises, visible, now, with_stored_sets)
            break
        except IntegrityError:
            # Another writer inserted one of these ids between our read and write
            # (possible only across coaches: one coach's writers are serialized): re-read.
            for r, bad in zip(results, invalid, strict=True):
                if not bad:
                    r.status, r.errors, r.session, r.sets, r.not_found = "pending", None, None, [], False
            if attempt == attempts - 1:
                raise
    if with_stored_sets:
        _attach_stored_sets(results)
    return results


def _write_batch(
    items: Sequence[SessionInput],
    results: list[SessionResult],
    assignments: dict[int, Assignment],
    exercises: dict[str, Exercise],
    visible: tuple[int | None, int | None],
    now: dt.datetime,
    with_sets: bool,
) -> None:
    todo = [(i, r) for i, r in zip(items, results, strict=True) if r.status == "pending"]
    if not todo:
        return
    _use_sqlite_variable_limit()
    # Lock first: the counters serialize this coach's writers for the rest of the transaction,
    # so the rows read below cannot change under us.
    counters = _lock_counters(assignments[i.assignment_id].client.coach_id for i, _ in todo)
    state: dict[uuid.UUID, LoggedSession] = {
        s.pk: s for s in LoggedSession.objects.filter(pk__in={i.id for i, _ in todo}).select_related("client")
    }
    visible_coach, visible_client = visible
    created: dict[uuid.UUID, LoggedSession] = {}
    updated: dict[uuid.UUID, LoggedSession] = {}
    new_sets: dict[uuid.UUID, SessionInput] = {}
    per_coach: dict[int, list[LoggedSession]] = {}
    for item, result in todo:
        assignment = assignments[item.assignment_id]
        stored = state.get(item.id)
        if stored is not None and (
            stored.client.coach_id != visible_coach if visible_coach is not None else stored.client_id != visible_client
        ):
            # Someone else's session: say nothing about it beyond "not yours to write".
            result.status, result.not_found = "rejected", True
            result.errors = {"id": ["This id is already taken: make a new one."]}
            continue
        if stored is not None and stored.client_id != assignment.client_id:
            result.status = "rejected"
            result.errors = {"assignment": ["This session belongs to another client's assignment."]}
            continue
        digest = body_hash(item)
        if stored is not None and (
            item.client_modified_at < stored.client_modified_at
            # A deletion wins a tie: replaying the write it deleted must not bring it back.
            or (stored.deleted_at is not None and item.client_modified_at == stored.client_modified_at)
        ):
            result.status, result.session = "stale", stored
            continue
        if (
            stored is not None
            and stored.deleted_at is None
            and item.client_modified_at == stored.client_modified_at
            and digest == stored.body_hash
        ):
            result.status, result.session = "unchanged", stored
            continue
        if stored is None:
            stored = LoggedSession(id=item.id)
            created[item.id] = stored
            result.status = "created"
        else:
            if item.id not in created:
                updated[item.id] = stored
            result.status = "updated" if item.id not in created else "created"
        _apply_fields(stored, item, assignment, digest)
        stored.updated_at = now
        state[item.id] = stored
        stored.client = assignment.client
        new_sets[item.id] = item  # a later item of the same id replaces an earlier one
        per_coach.setdefault(assignment.client.coach_id, []).append(stored)
        result.session = stored
    if not per_coach:
        return
    # A session written twice in one batch keeps the later number.
    _take_seqs(counters, per_coach)
    if updated:
        LoggedSet.objects.filter(session_id__in=list(updated)).delete()
        _update_sessions(list(updated.values()))
    _insert_sessions(list(created.values()), now)
    _insert_sets([row for sid, item in new_sets.items() for row in _set_rows(sid, item, exercises)])
    if with_sets:
        for result in results:
            if result.status in {"created", "updated"} and result.id in new_sets:
                result.sets = _build_sets(result.id, new_sets[result.id], exercises)


def _attach_stored_sets(results: list[SessionResult]) -> None:
    ids = [r.id for r in results if r.status in {"unchanged", "stale"} and r.session is not None]
    if not ids:
        return
    by_session: dict[uuid.UUID, list[LoggedSet]] = {}
    for s in LoggedSet.objects.filter(session_id__in=ids).select_related("exercise").order_by("position"):
        by_session.setdefault(s.session_id, []).append(s)
    for r in results:
        if r.status in {"unchanged", "stale"} and r.session is not None:
            r.sets = by_session.get(r.id, [])  # type: ignore[arg-type]


def session_upsert(*, user: Any, item: SessionInput, now: dt.datetime | None = None) -> SessionResult:
    """``PUT /sessions/{uuid}/``: one item through the same path as a batch, with its sets."""
    return sessions_apply(user=user, items=[item], now=now, with_stored_sets=True)[0]


@transaction.atomic
def session_delete(
    *,
    session: LoggedSession,
    deleted_at: dt.datetime | None = None,
    client_modified_at: dt.datetime | None = None,
) -> LoggedSession:
    """Soft delete: the row stays as a tombstone other devices learn of through the feed.

    A deletion is a change with its own time (``client_modified_at``, the device's clock;
    by default the server's): a write newer than it restores the session, an older one is
    stale. A deletion older than the stored version raises ``SessionStale``.
    """
    now = timezone.now()
    deleted_at = deleted_at or now
    coach_id = session.client.coach_id
    counters = _lock_counters([coach_id])
    # Re-read under the lock: a write may have landed since the caller loaded the session.
    stored = LoggedSession.objects.select_related("client", "assignment").get(pk=session.pk)
    if client_modified_at is None:
        client_modified_at = max(deleted_at, stored.client_modified_at)
    elif client_modified_at < stored.client_modified_at:
        raise SessionStale(stored)
    _take_seqs(counters, {coach_id: [stored]})
    stored.deleted_at = deleted_at
    stored.client_modified_at = client_modified_at
    stored.save(update_fields=["deleted_at", "client_modified_at", "change_seq", "updated_at"])
    return stored


def session_delete_all_for_client(*, client_id: int) -> int:
    """Privacy: a coach removes a client's logged data for good (sessions and sets)."""
    count, _ = LoggedSession.objects.filter(client_id=client_id).delete()
    return count


# --- the change feed --------------------------------------------------------------------

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
    if prefix != "v1" or not number.isdigit():
        raise ValueError("Not a cursor this server issued.")
    return int(number)


def sessions_changed_since(*, user: Any, since: int, limit: int) -> tuple[list[LoggedSession], int, bool]:
    """Changes after ``since``, oldest first; returns (rows, next_seq, has_more).

    Sequence numbers are per coach and commit in order (see ``ChangeCounter``), so a
    cursor never skips a change that was still in flight when the page was read.
    """
    qs: QuerySet[LoggedSession] = (
        sessions_of(user)
        .filter(change_seq__gt=since)
        .order_by("change_seq")
        .prefetch_related(Prefetch("sets", queryset=LoggedSet.objects.select_related("exercise").order_by("position")))
    )
    rows = list(qs[: limit + 1])
    has_more = len(rows) > limit
    rows = rows[:limit]
    next_seq = rows[-1].change_seq if rows else since
    return rows, next_seq, has_more


__all__ = [
    "SessionError",
    "SessionInput",
    "SessionResult",
    "SessionStale",
    "SetInput",
    "body_hash",
    "decode_cursor",
    "encode_cursor",
    "session_delete",
    "session_upsert",
    "sessions_apply",
    "sessions_changed_since",
]
