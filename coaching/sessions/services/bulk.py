"""Bulk statements for batches: a constant number of queries whatever the batch's size."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from typing import Any

from django.db import connection

from coaching.models import LoggedSession, LoggedSet
from coaching.services.bulk import concrete_fields, copy_rows, insert_rows, unnest_array
from coaching.sessions.services.inputs import SessionInput
from programs.models import Exercise, to_kg


def _build_sets(
    session_id: uuid.UUID, item: SessionInput, exercises: dict[str, Exercise], uids: list[uuid.UUID]
) -> list[LoggedSet]:
    """The sets as (unsaved) model instances: what a single session's representation shows."""
    return [
        LoggedSet(
            session_id=session_id,
            uid=uid,
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
        for index, (s, uid) in enumerate(zip(item.sets, uids, strict=True))
    ]


SET_COLUMNS = (
    "session",
    "uid",
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


def _set_rows(
    session_id: uuid.UUID, item: SessionInput, exercises: dict[str, Exercise], uids: list[uuid.UUID]
) -> list[tuple[Any, ...]]:
    """The sets as database rows in ``SET_COLUMNS`` order (values not yet adapted)."""
    return [
        (
            session_id,
            uid,
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
        for index, (s, uid) in enumerate(zip(item.sets, uids, strict=True))
    ]


def _insert_sets(rows: list[tuple[Any, ...]]) -> None:
    """A batch's sets in one statement, without a model instance per set.

    ``bulk_create`` spent most of a 1,500-set batch preparing values field by field; here
    each column is adapted once by its type, the way Django would: UUIDs as hex where the
    database has no UUID type, JSON through the backend's adapter. PostgreSQL takes them by
    ``COPY`` (``copy_rows``), the others by a multi-row ``VALUES``.
    """
    faults_at = SET_COLUMNS.index("faults")
    fields = concrete_fields(LoggedSet, SET_COLUMNS)
    adapt_json = connection.ops.adapt_json_value
    if connection.vendor == "postgresql":
        copy_rows(
            LoggedSet,
            fields,
            [(*row[:faults_at], adapt_json(row[faults_at], None), *row[faults_at + 1 :]) for row in rows],
        )
        return
    native_uuid = connection.features.has_native_uuid_field
    prepared = [
        (
            row[0] if native_uuid else row[0].hex,
            row[1] if native_uuid else row[1].hex,
            *row[2:faults_at],
            adapt_json(row[faults_at], None),
            *row[faults_at + 1 :],
        )
        for row in rows
    ]
    insert_rows(LoggedSet, fields, prepared)


def _insert_sessions(sessions: list[LoggedSession], now: dt.datetime) -> None:
    """New sessions in one statement (PostgreSQL: ``COPY``); values adapted by each field, as the ORM would."""
    fields = list(LoggedSession._meta.concrete_fields)
    for session in sessions:
        session.created_at = session.updated_at = now
    rows = [[f.get_db_prep_save(getattr(s, f.attname), connection) for f in fields] for s in sessions]
    if connection.vendor == "postgresql":
        copy_rows(LoggedSession, fields, rows)
    else:
        insert_rows(LoggedSession, fields, rows)
    for session in sessions:
        session._state.adding, session._state.db = False, connection.alias


SESSION_UPDATE_FIELDS = (
    "assignment",
    "client",
    "coach",
    "performed_at",
    "performed_at_offset",
    "client_modified_at",
    "notes",
    "day",
    "checkin_sleep",
    "checkin_soreness",
    "checkin_stress",
    "checkin_low_back",
    "checkin_cut_taken",
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
    fields = concrete_fields(LoggedSession, ["id", *SESSION_UPDATE_FIELDS])
    rows = [[f.get_db_prep_save(getattr(s, f.attname), connection) for f in fields] for s in sessions]
    qn = connection.ops.quote_name
    table, pk = qn(meta.db_table), qn(meta.pk.column)
    assign = ", ".join(f"{qn(f.column)} = v.{qn(f.column)}" for f in fields[1:])
    # Only the model's table and column names go into the SQL text; values are parameters.
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            arrays = ", ".join(unnest_array(f) for f in fields)
            names = ", ".join(qn(f.column) for f in fields)
            cursor.execute(
                f"UPDATE {table} SET {assign} FROM UNNEST({arrays}) AS v({names}) WHERE {table}.{pk} = v.{pk}",
                [list(column) for column in zip(*rows, strict=True)],
            )
            return
        columns = ", ".join(f"column{i} AS {qn(f.column)}" for i, f in enumerate(fields, start=1))
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        per_statement = max(1, (connection.features.max_query_params or 999) // len(fields))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            values = ", ".join([one] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {assign} FROM (SELECT {columns} FROM (VALUES {values})) AS v "
                f"WHERE {table}.{pk} = v.{pk}",
                [value for row in chunk for value in row],
            )
