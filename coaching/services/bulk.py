"""Bulk statements shared by batch writers (session sync, review generation).

Django's ``bulk_create`` compiles every field of every row; for batches of hundreds of rows
that compilation costs more than the database's work, so these build one statement directly.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from django.db import connection, models


def insert_rows(
    model: type[models.Model], fields: list[models.Field], rows: list[Sequence[Any]], *, unnest: bool = True
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
            arrays = ", ".join(f"(%s)::{f.db_type(connection).split('(')[0]}[]" for f in fields)
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
