"""Bulk statements shared by batch writers (session sync, review generation).

Django's ``bulk_create`` compiles every field of every row; for batches of hundreds of rows
that compilation costs more than the database's work, so these build one statement directly.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
from collections.abc import Iterable, Sequence
from json import dumps as json_dumps
from typing import Any

from django.db import NotSupportedError, connection, models


def concrete_fields(model: type[models.Model], names: Iterable[str]) -> list[models.Field[Any, Any]]:
    """The model's fields of these names, each one a column (``get_field`` may also answer a relation)."""
    fields: list[models.Field[Any, Any]] = []
    for name in names:
        found = model._meta.get_field(name)
        if not isinstance(found, models.Field) or not found.concrete:
            raise TypeError(f"{model.__name__}.{name} is not a column")
        fields.append(found)
    return fields


def unnest_array(field: models.Field[Any, Any]) -> str:
    """The typed array placeholder of a column for PostgreSQL's ``UNNEST`` (``varchar(64)`` → ``varchar[]``)."""
    db_type = field.db_type(connection)
    if db_type is None:
        raise TypeError(f"{field} has no column type")
    return f"(%s)::{db_type.split('(')[0]}[]"


def json_cast(field: models.Field[Any, Any]) -> str:
    """The type an element of a JSON rows parameter is cast to for a column (``insert_rows``'s
    ``json``): the column's type without its length (``varchar(64)`` → ``varchar``), the column
    checking it on insert; a JSON column's value arrives as its JSON text."""
    db_type = field.db_type(connection)
    if db_type is None:
        raise TypeError(f"{field} has no column type")
    return db_type.split("(")[0]


def _json_value(value: Any) -> str:
    """A database-ready value JSON cannot hold as itself (a date, a time, a decimal, a UUID), as
    the text PostgreSQL reads it back from."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def insert_rows(
    model: type[models.Model],
    fields: Sequence[models.Field[Any, Any]],
    rows: Sequence[Sequence[Any]],
    *,
    unnest: bool = True,
    json: bool = False,
    ignore_conflicts: bool = False,
    returning: Sequence[models.Field[Any, Any]] = (),
) -> list[tuple[Any, ...]]:
    """Insert rows of database-ready values (one per field) in one statement; the inserted rows'
    ``returning`` columns (as the database returns them; none asked, an empty list).

    PostgreSQL gets one typed array per column (``UNNEST``, as Django's own bulk insert does), or
    with ``json`` every row in one JSON parameter expanded by ``jsonb_array_elements`` (a JSON
    column's value is its JSON text); other databases (and PostgreSQL with neither) a multi-row
    ``VALUES`` in as few statements as their variable limit allows. ``ignore_conflicts``: a row
    that breaks a unique constraint is skipped (``ON CONFLICT DO NOTHING``), and left out of what
    ``returning`` answers. Only the model's table and column names go into the SQL text.
    """
    if not rows:
        return []
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(f.column) for f in fields)
    tail = " ON CONFLICT DO NOTHING" if ignore_conflicts else ""
    if returning:
        if not connection.features.can_return_rows_from_bulk_insert:
            raise NotSupportedError(f"{connection.vendor} returns no rows from an insert")
        tail += " RETURNING " + ", ".join(qn(f.column) for f in returning)
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and json:
            # One parameter whatever the rows: binding thousands of parameters (each one scanned
            # and escaped by the driver) cost more than the insert itself.
            values = ", ".join(f"(r.e ->> {i})::{json_cast(f)}" for i, f in enumerate(fields))
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {values} FROM jsonb_array_elements(%s::jsonb) AS r(e){tail}",
                [json_dumps(rows, default=_json_value)],
            )
            return [tuple(row) for row in cursor.fetchall()] if returning else []
        # unnest=False for text-heavy rows (JSON): psycopg escapes each array element with a
        # regular expression, slower there than a multi-row VALUES.
        if connection.vendor == "postgresql" and unnest:
            arrays = ", ".join(unnest_array(f) for f in fields)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM UNNEST({arrays}){tail}",
                [list(column) for column in zip(*rows, strict=True)],
            )
            return [tuple(row) for row in cursor.fetchall()] if returning else []
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        # PostgreSQL reports no limit; its protocol allows 65,535 parameters a statement.
        per_statement = max(1, (connection.features.max_query_params or 65535) // len(fields))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))}{tail}",
                [value for row in chunk for value in row],
            )
            if returning:
                found += [tuple(row) for row in cursor.fetchall()]
    return found


def copy_rows(
    model: type[models.Model], fields: Sequence[models.Field[Any, Any]], rows: Sequence[Sequence[Any]]
) -> None:
    """PostgreSQL: insert rows with ``COPY ... FROM STDIN``, the quickest way in: no SQL text to
    parse, no parameter to bind and no JSON to expand per value (for 4,500 sets about half the
    time and CPU of ``insert_rows``'s JSON parameter). Values as psycopg adapts them (a JSON
    column's wrapped, as ``connection.ops.adapt_json_value`` gives it). No ``ON CONFLICT``: a
    duplicate key is an ``IntegrityError``, as an ``INSERT``'s is.

    The statement goes through the connection's execute wrappers and, when queries are logged
    (tests, ``DEBUG``), into the log, as any other statement does: it is counted like one.
    """
    if connection.vendor != "postgresql":
        raise NotSupportedError("COPY is PostgreSQL's")
    if not rows:
        return
    qn = connection.ops.quote_name
    sql = f"COPY {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) FROM STDIN"
    with connection.cursor() as cursor:

        def run(sql: str, params: Any, many: bool, context: Any) -> None:
            connection.validate_no_broken_transaction()
            with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)

        debug = getattr(cursor, "debug_sql", None)  # Django's logging cursor (queries logged)
        with debug(sql) if debug is not None else contextlib.nullcontext():
            # Django's own path for a statement through the connection's execute wrappers
            # (``CursorWrapper._execute_with_wrappers``), with the COPY as the executor.
            cursor._execute_with_wrappers(sql, None, False, executor=run)


def use_sqlite_variable_limit() -> None:
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
