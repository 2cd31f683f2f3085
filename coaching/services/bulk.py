"""Bulk statements shared by batch writers (session sync, review generation).

Django's ``bulk_create`` compiles every field of every row; for batches of hundreds of rows
that compilation costs more than the database's work, so these build one statement directly.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


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


def insert_rows(
    model: type[models.Model],
    fields: Sequence[models.Field[Any, Any]],
    rows: Sequence[Sequence[Any]],
    *,
    unnest: bool = True,
) -> None:
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
        # unnest=False for text-heavy rows (JSON): psycopg escapes each array element with a
        # regular expression, slower there than a multi-row VALUES.
        if connection.vendor == "postgresql" and unnest:
            arrays = ", ".join(unnest_array(f) for f in fields)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT * FROM UNNEST({arrays})",
                [list(column) for column in zip(*rows, strict=True)],
            )
            return
        one = "(" + ", ".join(["%s"] * len(fields)) + ")"
        # PostgreSQL reports no limit; its protocol allows 65,535 parameters a statement.
        per_statement = max(1, (connection.features.max_query_params or 65535) // len(fields))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([one] * len(chunk))}",
                [value for row in chunk for value in row],
            )


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
