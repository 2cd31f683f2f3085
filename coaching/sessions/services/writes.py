"""Writing logged sessions: batches, create-or-replace, soft delete.

A batch runs in one transaction, so no session is ever half-written. Writers of one client's
sessions are serialized on the client's row (``lock_clients``, taken first); they number the
sessions from the coach's ``ChangeCounter`` last (``number_sessions``), whose row lock makes
``change_seq`` commit in order, so writers of one coach's different clients wait for each other
only over their last few statements. Lock order: client rows, then counters, each by id.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from coaching.access import assignments_of, client_for, coach_for, exercise_map
from coaching.models import (
    Assignment,
    ChangeCounter,
    Client,
    Coach,
    CoachFault,
    LoggedSession,
    LoggedSet,
    RecomputeCause,
)
from coaching.reviews.recompute import request_recompute, request_recompute_many
from coaching.services.bulk import use_sqlite_variable_limit
from coaching.sessions.services.bulk import (
    _build_sets,
    _insert_sessions,
    _insert_sets,
    _set_rows,
    _update_sessions,
)
from coaching.sessions.services.inputs import (
    SessionInput,
    SessionResult,
    SessionStale,
    SetInput,
    _offset_minutes,
    _validate,
    body_hash,
)
from coaching.videos.services import videos_delete_for_sessions, videos_drop_missing
from coaching.webhooks.services import Event, events_record_many, iso
from coaching.weeks import local_date
from programs.models import Exercise, display_load
from programs.progression.types import Checkin

PAIN_REPORTED_FROM = 3  # a set with this pain or more fires ``pain.reported`` (docs/api.md)

# A set as the conflict check compares it: what the client logged, in the unit entered.
SetKey = tuple[Any, ...]


def _apply_fields(session: LoggedSession, item: SessionInput, assignment: Assignment, digest: str) -> None:
    session.assignment = assignment
    session.client_id = assignment.client_id
    session.coach_id = assignment.client.coach_id
    session.performed_at = item.performed_at
    session.performed_at_offset = _offset_minutes(item.performed_at)
    session.client_modified_at = item.client_modified_at
    session.notes = item.notes
    session.day = item.day
    checkin = item.checkin or Checkin()
    session.checkin_sleep = checkin.sleep
    session.checkin_soreness = checkin.soreness
    session.checkin_stress = checkin.stress
    session.checkin_low_back = checkin.low_back or ""
    session.checkin_cut_taken = checkin.cut_taken
    session.body_hash = digest
    session.deleted_at = None


def _lock_counters(coach_ids: Iterable[int]) -> dict[int, ChangeCounter]:
    """Lock the coaches' change counters (made on first use) until the transaction ends, in coach
    order (a client's transfer, which renumbers all of the client's sessions)."""
    ids = sorted(set(coach_ids))

    def locked() -> dict[int, ChangeCounter]:
        rows = ChangeCounter.objects.select_for_update().filter(coach_id__in=ids).order_by("coach_id")
        return {c.coach_id: c for c in rows}

    counters = locked()
    if len(counters) < len(ids):
        # First write of a coach: make the counter (a concurrent maker wins quietly), then lock.
        _make_counters([cid for cid in ids if cid not in counters])
        counters = locked()
    return counters


def _make_counters(coach_ids: Iterable[int]) -> None:
    ChangeCounter.objects.bulk_create([ChangeCounter(coach_id=cid) for cid in coach_ids], ignore_conflicts=True)


def _take_seqs(counters: dict[int, ChangeCounter], rows_by_coach: dict[int, list[LoggedSession]]) -> None:
    """Number the rows in order from each coach's locked counter and save the counters."""
    for cid, rows in rows_by_coach.items():
        counter = counters[cid]
        for session in rows:
            counter.value += 1
            session.change_seq = counter.value
    ChangeCounter.objects.bulk_update([counters[cid] for cid in rows_by_coach], ["value"])


def lock_clients(client_ids: Iterable[int]) -> dict[int, int]:
    """Lock the clients' rows until the transaction ends; client id -> its coach's id, as committed.

    Every writer of a client's sessions (its devices, its coaches' tags and deletes, a transfer)
    takes this lock first, so the stored rows it reads cannot change under it: one client's writes
    go one at a time while other clients' writes run beside them. ``FOR NO KEY UPDATE`` leaves
    the foreign keys that point at the client unblocked. (SQLite's writers are serialized anyway.)
    """
    ids = sorted(set(client_ids))
    rows = Client.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("pk")
    return dict(rows.values_list("pk", "coach_id"))


def number_sessions(rows_by_coach: dict[int, list[LoggedSession]]) -> None:
    """Give the rows their change numbers, in order, from each coach's counter: one statement a
    coach (first use makes the counter), coaches in order.

    The counter's row stays locked until the transaction ends, so the numbers become visible in
    the order they were handed out and the feed's cursors miss no change (``ChangeCounter``). Take
    them last, just before the rows that carry them are written: a coach's writers wait for each
    other only from here to their commit.
    """
    table = connection.ops.quote_name(ChangeCounter._meta.db_table)
    for cid in sorted(rows_by_coach):
        rows = rows_by_coach[cid]
        last = _advance(table, cid, len(rows))
        if last is None:
            _make_counters([cid])
            last = _advance(table, cid, len(rows))
        if last is None:
            raise ChangeCounter.DoesNotExist(f"No change counter for coach {cid}")
        for offset, session in enumerate(rows, start=last - len(rows) + 1):
            session.change_seq = offset


def _returns_from_update() -> bool:
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version_info >= (3, 35)
    return connection.vendor == "postgresql"


def _advance(table: str, coach_id: int, by: int) -> int | None:
    """Add ``by`` to the coach's counter (locking its row); the new value, None without a counter."""
    with connection.cursor() as cursor:
        if _returns_from_update():
            cursor.execute(f"UPDATE {table} SET value = value + %s WHERE coach_id = %s RETURNING value", [by, coach_id])
            row = cursor.fetchone()
            return None if row is None else int(row[0])
        cursor.execute(f"UPDATE {table} SET value = value + %s WHERE coach_id = %s", [by, coach_id])
        if not cursor.rowcount:
            return None
        cursor.execute(f"SELECT value FROM {table} WHERE coach_id = %s", [coach_id])
        return int(cursor.fetchone()[0])


def _visibility(user: Any) -> tuple[int | None, int | None]:
    """(coach id, client id) whose sessions ``user`` may see; both None for nobody."""
    coach = coach_for(user)
    if coach is not None:
        return coach.pk, None
    client = client_for(user)
    return None, client.pk if client is not None else None


def _library_coach(user: Any, assignments: dict[int, Assignment]) -> Coach | None:
    """Whose library the write's exercises come from (``access.library_coach``), from what is at
    hand: a coach's own row; a client's coach from the assignments just loaded with it. None when
    neither has it (``exercise_map`` then looks it up)."""
    coach = coach_for(user)
    if coach is not None:
        return coach
    client = client_for(user)
    if client is None:
        return None
    return next((a.client.coach for a in assignments.values() if a.client_id == client.pk), None)


def sessions_apply(
    *,
    user: Any,
    items: Sequence[SessionInput],
    now: dt.datetime | None = None,
    with_stored_sets: bool = False,
    tie_keeps_sets: bool = False,
) -> list[SessionResult]:
    """Create, replace or skip each session; one result per item, in order.

    Invalid items are rejected with their errors and never block the others. The valid
    ones are written in one transaction; a concurrent insert of the same id retries and
    then sees the other writer's row. A result's ``sets`` are filled only with
    ``with_stored_sets`` (for callers that show the sessions): the written sets, and the
    stored ones of unchanged, stale and conflict sessions (one more query).

    ``tie_keeps_sets`` (re-imports): an item with the stored ``client_modified_at`` that would
    remove or change some of the stored sets is not written but answered ``conflict``, with
    the reason; only a strictly later version may take sets away. Without it a tie applies,
    as docs/api.md says of sync.
    """
    now = now or timezone.now()
    if not items:
        return []
    attempts = 3
    for attempt in range(attempts):
        assignment_ids = {i.assignment_id for i in items}
        assignments = {
            a.pk: a for a in assignments_of(user).filter(pk__in=assignment_ids).select_related("client__coach")
        }
        slugs = {s.exercise for i in items for s in i.sets}
        exercises = exercise_map(user, slugs, coach=_library_coach(user, assignments))
        results: list[SessionResult] = []
        for item in items:
            errors = _validate(item, assignments, exercises, now)
            status = "rejected" if errors else "pending"
            results.append(SessionResult(id=item.id, status=status, errors=errors or None))
        try:
            with transaction.atomic():
                visible = _visibility(user)
                _write_batch(items, results, assignments, exercises, visible, now, with_stored_sets, tie_keeps_sets)
            break
        except (IntegrityError, ClientMoved):
            # Another writer inserted one of these ids between our read and write (another
            # client's write: one client's writers are serialized), or a client was handed to
            # another coach since its assignment was read: read and decide again.
            if attempt == attempts - 1:
                raise
    if with_stored_sets:
        _attach_stored_sets(results)
    return results


class ClientMoved(Exception):
    """A client's coach changed between reading its assignment and locking it (a transfer)."""


def _write_batch(
    items: Sequence[SessionInput],
    results: list[SessionResult],
    assignments: dict[int, Assignment],
    exercises: dict[str, Exercise],
    visible: tuple[int | None, int | None],
    now: dt.datetime,
    with_sets: bool,
    tie_keeps_sets: bool = False,
) -> None:
    todo = [(i, r) for i, r in zip(items, results, strict=True) if r.status == "pending"]
    if not todo:
        return
    use_sqlite_variable_limit()
    # Lock first: the client rows serialize each client's writers for the rest of the
    # transaction, so the rows read below cannot change under us.
    coaches = lock_clients(assignments[i.assignment_id].client_id for i, _ in todo)
    if any(coaches.get(a.client_id) != a.client.coach_id for a in (assignments[i.assignment_id] for i, _ in todo)):
        raise ClientMoved
    state: dict[uuid.UUID, LoggedSession] = {
        s.pk: s for s in LoggedSession.objects.filter(pk__in={i.id for i, _ in todo}).select_related("client")
    }
    stored_sets = _stored_set_keys(todo, state, assignments) if tie_keeps_sets else {}
    visible_coach, visible_client = visible
    created: dict[uuid.UUID, LoggedSession] = {}
    updated: dict[uuid.UUID, LoggedSession] = {}
    new_sets: dict[uuid.UUID, SessionInput] = {}
    per_coach: dict[int, list[LoggedSession]] = {}
    late = LateChanges()
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
        if (
            tie_keeps_sets
            and stored is not None
            and stored.deleted_at is None
            and item.client_modified_at == stored.client_modified_at
        ):
            before = (
                [_set_key(s, exercises) for s in new_sets[item.id].sets]
                if item.id in new_sets
                else stored_sets.get(item.id, [])
            )
            lost = _lost_count(before, [_set_key(s, exercises) for s in item.sets])
            if lost:
                result.status, result.session = "conflict", stored
                result.errors = {"client_modified_at": [_conflict_message(lost, len(before), item)]}
                continue
        if stored is None:
            stored = LoggedSession(id=item.id)
            created[item.id] = stored
            result.status = "created"
        else:
            if item.id not in created:
                updated[item.id] = stored
            result.status = "updated" if item.id not in created else "created"
        if stored.assignment_id is not None and stored.deleted_at is None:
            # An edit may move the session to another day: the reviews of the old one change too.
            late.add(stored.assignment_id, local_date(assignment.client.coach, stored.performed_at))
        _apply_fields(stored, item, assignment, digest)
        late.add(assignment.pk, local_date(assignment.client.coach, item.performed_at))
        stored.updated_at = now
        state[item.id] = stored
        stored.client = assignment.client
        new_sets[item.id] = item  # a later item of the same id replaces an earlier one
        per_coach.setdefault(assignment.client.coach_id, []).append(stored)
        result.session = stored
    if not per_coach:
        return
    uids = _set_uids(new_sets, updated)
    if updated:
        LoggedSet.objects.filter(session_id__in=list(updated)).delete()
    # The sets go in before their sessions (the foreign key is checked at the commit), so that the
    # coach's change counter is taken only for the last few statements.
    rows = [row for sid, item in new_sets.items() for row in _set_rows(sid, item, exercises, uids[sid])]
    _insert_sets(sorted(rows, key=_session_and_position))
    if updated:
        # A set the write dropped takes its coach tags with it (docs/domain.md "Conversation and form").
        kept = LoggedSet.objects.filter(session_id=OuterRef("session_id"), uid=OuterRef("set_uid"))
        CoachFault.objects.filter(session_id__in=list(updated)).exclude(Exists(kept)).delete()
        # A set the write dropped takes its form video with it (the files go after the commit).
        videos_drop_missing({sid: uids[sid] for sid in updated if sid in uids})
    # Late data: the pending reviews these sessions can affect are recomputed after the commit.
    request_recompute_many(changes=late.earliest, cause=RecomputeCause.SESSION)
    # A session written twice in one batch keeps the later number.
    number_sessions(per_coach)
    if updated:
        _update_sessions(list(updated.values()))
    # New ids in one order whatever the batch's: two writers of the same new id wait, not deadlock.
    _insert_sessions(sorted(created.values(), key=lambda session: session.pk), now)
    # The webhooks' events, in this transaction: once per written session (not for unchanged ones).
    events_record_many(events=_events(new_sets, state, created), now=now)
    if with_sets:
        for result in results:
            if result.status in {"created", "updated"} and result.id in new_sets:
                result.sets = _build_sets(result.id, new_sets[result.id], exercises, uids[result.id])
                if result.id in created:
                    # A session this write made has no coach tags and no form videos: nothing to look up.
                    for logged_set in result.sets:
                        logged_set.coach_tags = []  # type: ignore[attr-defined]
                        logged_set.video_url = None  # type: ignore[attr-defined]


def _session_and_position(row: tuple[Any, ...]) -> tuple[uuid.UUID, int]:
    return row[0], row[2]


def _set_uids(
    new_sets: dict[uuid.UUID, SessionInput], updated: dict[uuid.UUID, LoggedSession]
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """Each written set's id (docs/api.md "Logged sessions"): the one the body gives; else the
    stored set's at the same position (unless the body gives that id to another set); else a new
    uuid4. The stored ids are read in one query, only when a replaced session has a set without one."""
    need = [sid for sid in updated if sid in new_sets and any(s.id is None for s in new_sets[sid].sets)]
    stored: dict[uuid.UUID, dict[int, uuid.UUID]] = {}
    if need:
        rows = LoggedSet.objects.filter(session_id__in=need).values_list("session_id", "position", "uid")
        for session_id, position, uid in rows:
            stored.setdefault(session_id, {})[position] = uid
    uids: dict[uuid.UUID, list[uuid.UUID]] = {}
    for sid, item in new_sets.items():
        at = stored.get(sid, {})
        taken = {s.id for s in item.sets if s.id is not None}
        chosen: list[uuid.UUID] = []
        for index, s in enumerate(item.sets):
            if s.id is not None:
                chosen.append(s.id)
                continue
            kept = at.get(index)
            uid = kept if kept is not None and kept not in taken else uuid.uuid4()
            taken.add(uid)
            chosen.append(uid)
        uids[sid] = chosen
    return uids


class LateChanges:
    """Per assignment, the earliest day a batch's writes touched (the reviews to recompute)."""

    def __init__(self) -> None:
        self.earliest: dict[int, dt.date] = {}

    def add(self, assignment_id: int, day: dt.date) -> None:
        known = self.earliest.get(assignment_id)
        self.earliest[assignment_id] = day if known is None else min(known, day)


def session_event_data(session: LoggedSession, change: str) -> dict[str, Any]:
    return {
        "session_id": str(session.pk),
        "client_id": session.client_id,
        "assignment_id": session.assignment_id,
        "change": change,
        "performed_at": iso(session.performed_at),
        "client_modified_at": iso(session.client_modified_at),
        "change_seq": session.change_seq,
    }


def _events(
    new_sets: dict[uuid.UUID, SessionInput], state: dict[uuid.UUID, LoggedSession], created: dict[uuid.UUID, Any]
) -> list[Event]:
    """``session.synced`` for each written session; ``pain.reported`` for those with a painful set."""
    events: list[Event] = []
    for sid, item in new_sets.items():
        session = state[sid]
        coach_id = session.client.coach_id
        events.append(Event(coach_id, "session.synced", session_event_data(session, _change(sid, created))))
        pains = [(index, s) for index, s in enumerate(item.sets) if s.pain is not None and s.pain >= PAIN_REPORTED_FROM]
        painful = [{"position": index, "exercise": s.exercise, "side": s.side, "pain": s.pain} for index, s in pains]
        if pains:
            data = {
                "session_id": str(sid),
                "client_id": session.client_id,
                "assignment_id": session.assignment_id,
                "performed_at": iso(session.performed_at),
                "max_pain": max(s.pain or 0 for _, s in pains),
                "sets": painful,
            }
            events.append(Event(coach_id, "pain.reported", data))
    return events


def _change(sid: uuid.UUID, created: dict[uuid.UUID, Any]) -> str:
    return "created" if sid in created else "updated"


def _set_key(s: SetInput, exercises: dict[str, Exercise]) -> SetKey:
    return (
        exercises[s.exercise].pk,
        s.side,
        s.reps,
        s.seconds,
        Decimal(s.load).quantize(Decimal("0.01")),
        s.unit,
        None if s.rpe is None else Decimal(s.rpe),
        s.tempo_kept,
        tuple(sorted(set(s.faults))),
        s.pain,
    )


def _stored_set_key(s: LoggedSet) -> SetKey:
    return (
        s.exercise_id,
        s.side,
        s.reps,
        s.seconds,
        display_load(s.load_kg, s.unit),
        s.unit,
        None if s.rpe is None else Decimal(s.rpe),
        s.tempo_kept,
        tuple(sorted(set(s.faults))),
        s.pain,
    )


def _stored_set_keys(
    todo: Sequence[tuple[SessionInput, SessionResult]],
    state: dict[uuid.UUID, LoggedSession],
    assignments: dict[int, Assignment],
) -> dict[uuid.UUID, list[SetKey]]:
    """The stored sets of the sessions an item ties with (same time, another body): one query,
    only of sessions of the client the item is for (the user's, as its assignment is)."""
    tied = [
        i.id
        for i, _ in todo
        if (stored := state.get(i.id)) is not None
        and stored.client_id == assignments[i.assignment_id].client_id
        and stored.deleted_at is None
        and i.client_modified_at == stored.client_modified_at
        and body_hash(i) != stored.body_hash
    ]
    keys: dict[uuid.UUID, list[SetKey]] = {}
    if tied:
        for s in LoggedSet.objects.filter(session_id__in=tied).order_by("session_id", "position"):
            keys.setdefault(s.session_id, []).append(_stored_set_key(s))
    return keys


def _lost_count(before: list[SetKey], after: list[SetKey]) -> int:
    """How many of the sets ``before`` are not among ``after`` (same values, any position)."""
    return sum((Counter(before) - Counter(after)).values())


def _conflict_message(lost: int, stored: int, item: SessionInput) -> str:
    when = item.client_modified_at.astimezone(dt.UTC).isoformat()
    return (
        f"This would remove or change {lost} of the {stored} stored sets of this session, but its "
        f"client_modified_at ({when}) is the same as the stored one, not later: nothing was changed. "
        f"To replace the stored session, give its rows a later client_modified_at."
    )


def _attach_stored_sets(results: list[SessionResult]) -> None:
    ids = [r.id for r in results if r.status in {"unchanged", "stale", "conflict"} and r.session is not None]
    if not ids:
        return
    by_session: dict[uuid.UUID, list[LoggedSet]] = {}
    for s in LoggedSet.objects.filter(session_id__in=ids).select_related("exercise").order_by("position"):
        by_session.setdefault(s.session_id, []).append(s)
    for r in results:
        if r.status in {"unchanged", "stale", "conflict"} and r.session is not None:
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
    stale. A deletion older than the stored version raises ``SessionStale``. Deleting a
    tombstone again (without a time, or at its own time) changes nothing: a repeated DELETE
    answers as the first did, and the feed shows no new change.
    """
    now = timezone.now()
    deleted_at = deleted_at or now
    lock_clients([session.client_id])
    # Re-read under the lock: a write may have landed since the caller loaded the session.
    stored = LoggedSession.objects.select_related("client__coach", "assignment").get(pk=session.pk)
    coach_id = stored.client.coach_id
    was_live = stored.deleted_at is None
    if client_modified_at is not None and client_modified_at < stored.client_modified_at:
        raise SessionStale(stored)
    if not was_live and client_modified_at in (None, stored.client_modified_at):
        return stored
    if client_modified_at is None:
        client_modified_at = max(deleted_at, stored.client_modified_at)
    # The tombstone stays; its form videos (and their files, after the commit) do not.
    videos_delete_for_sessions([stored.pk])
    if was_live and stored.assignment_id is not None:
        request_recompute(
            assignment_id=stored.assignment_id,
            on_date=local_date(stored.client.coach, stored.performed_at),
            cause=RecomputeCause.SESSION,
        )
    number_sessions({coach_id: [stored]})
    stored.deleted_at = deleted_at
    stored.client_modified_at = client_modified_at
    stored.save(update_fields=["deleted_at", "client_modified_at", "change_seq", "updated_at"])
    if was_live:
        events_record_many(events=[Event(coach_id, "session.synced", session_event_data(stored, "deleted"))], now=now)
    return stored
