"""Migration 0023: the sessions' single-column client and assignment indexes, which composite
indexes lead with, are dropped, and nothing else (the sets' own session index stays); they come back
when it is reversed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from tests.test_migrations_days import _latest, _migrate

BEFORE = [("coaching", "0022_attention_indexes")]
DROPPED = {
    ("coaching_loggedsession", "coaching_loggedsession_client_id_cf4381d3"): "client_id",
    ("coaching_loggedsession", "coaching_loggedsession_assignment_id_13ccad14"): "assignment_id",
}
# What still serves a read by each of those columns, leading with it.
COVERING = {
    ("coaching_loggedsession", "session_client_seq_idx"): "client_id",
    ("coaching_loggedsession", "session_client_time_idx"): "client_id",
    ("coaching_loggedsession", "session_assignment_time_idx"): "assignment_id",
}


def _indexes() -> dict[tuple[str, str], list[str]]:
    """(table, index or unique constraint) -> its columns, as the database has them now."""
    found: dict[tuple[str, str], list[str]] = {}
    with connection.cursor() as cursor:
        for table in ("coaching_loggedset", "coaching_loggedsession"):
            for name, info in connection.introspection.get_constraints(cursor, table).items():
                if info["index"] or info["unique"]:
                    found[(table, name)] = list(info["columns"])
    return found


@pytest.fixture
def before_drop() -> Iterator[Any]:
    latest = _latest()
    try:
        yield _migrate(BEFORE)
    finally:
        _migrate(latest)


@pytest.mark.django_db(transaction=True)
def test_0023_drops_only_the_covered_indexes_and_its_reverse_restores_them(before_drop: Any) -> None:
    before = _indexes()
    assert {key: before.get(key) for key in DROPPED} == {key: [column] for key, column in DROPPED.items()}

    _migrate(_latest())

    after = _indexes()
    assert set(before) - set(after) == set(DROPPED)  # those went, and nothing else
    for key, column in COVERING.items():
        assert after[key][0] == column, key

    _migrate(BEFORE)
    assert _indexes() == before
