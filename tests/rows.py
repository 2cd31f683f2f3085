"""Rows the database returns, counted per block of code: the row-count half of the scale tests.

A query count stays flat when a page reads all of a coach's history in one query; the rows it
fetches do not. ``count_rows()`` counts every row fetched through Django's cursors (querysets,
aggregates, raw SQL) on every connection while the block runs::

    with count_rows() as counted:
        client.get("/dashboard/")
    assert counted.rows <= 60

The scale tests render the same page at two sizes (1 and 200 clients, 1 and 3 years of history)
and compare: a page whose rows grow with the roster or the history fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from unittest import mock

from django.db.backends.utils import CursorWrapper


@dataclass
class Counted:
    """What a ``count_rows()`` block fetched: rows in all, and per query (its SQL's first 120 characters)."""

    rows: int = 0
    per_query: dict[str, int] = field(default_factory=dict)

    def add(self, cursor: Any, n: int) -> None:
        self.rows += n
        sql = str(getattr(cursor, "_hinge_sql", ""))[:120]
        self.per_query[sql] = self.per_query.get(sql, 0) + n

    def top(self, n: int = 5) -> list[tuple[int, str]]:
        """The queries that fetched the most rows, for a failing assertion's message."""
        return sorted(((rows, sql) for sql, rows in self.per_query.items()), reverse=True)[:n]


@contextmanager
def count_rows() -> Iterator[Counted]:
    """Count the rows fetched by every Django cursor while the block runs."""
    counted = Counted()
    execute = CursorWrapper.execute

    def counting_execute(self: CursorWrapper, sql: str, params: Any = None) -> Any:
        self._hinge_sql = sql  # type: ignore[attr-defined]
        return execute(self, sql, params)

    def fetchone(self: CursorWrapper) -> Any:
        with self.db.wrap_database_errors:
            row = self.cursor.fetchone()
        if row is not None:
            counted.add(self, 1)
        return row

    def fetchmany(self: CursorWrapper, size: int | None = None) -> Any:
        with self.db.wrap_database_errors:
            rows = self.cursor.fetchmany(size) if size is not None else self.cursor.fetchmany()
        counted.add(self, len(rows))
        return rows

    def fetchall(self: CursorWrapper) -> Any:
        with self.db.wrap_database_errors:
            rows = self.cursor.fetchall()
        counted.add(self, len(rows))
        return rows

    with (
        mock.patch.object(CursorWrapper, "execute", counting_execute),
        mock.patch.object(CursorWrapper, "fetchone", fetchone, create=True),
        mock.patch.object(CursorWrapper, "fetchmany", fetchmany, create=True),
        mock.patch.object(CursorWrapper, "fetchall", fetchall, create=True),
    ):
        yield counted
