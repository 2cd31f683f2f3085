"""The bulk writers' column helpers: only real columns, typed arrays for PostgreSQL's UNNEST."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection

from coaching.models import LoggedSession, LoggedSet
from coaching.services.bulk import concrete_fields, unnest_array


def test_concrete_fields_answers_the_columns_in_the_order_asked() -> None:
    fields = concrete_fields(LoggedSet, ["session", "position", "load_kg"])
    assert [f.column for f in fields] == ["session_id", "position", "load_kg"]


@pytest.mark.parametrize(("name", "error"), [("sets", TypeError), ("no_such_field", FieldDoesNotExist)])
def test_concrete_fields_refuses_what_is_not_a_column(name: str, error: type[Exception]) -> None:
    """A reverse relation has no column: inserting by it would shift every value after it."""
    with pytest.raises(error, match=name):
        concrete_fields(LoggedSession, [name])


def test_unnest_array_drops_the_length_of_the_column_type() -> None:
    [body_hash] = concrete_fields(LoggedSession, ["body_hash"])
    assert body_hash.db_type(connection) == "varchar(64)"
    assert unnest_array(body_hash) == "(%s)::varchar[]"
