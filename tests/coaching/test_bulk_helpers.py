"""The bulk writers' helpers: only real columns, typed arrays for PostgreSQL's UNNEST, one JSON
parameter for a batch of rows, conflicts skipped and the inserted rows returned."""

from __future__ import annotations

import datetime as dt
import json as jsonlib
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import connection
from django.utils import timezone

from coaching.models import LoggedSession, LoggedSet, ReviewNotice
from coaching.services.bulk import concrete_fields, copy_rows, insert_rows, json_cast, unnest_array
from programs.models import Exercise


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


def _prepared(field: Any, value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


@pytest.mark.django_db
@pytest.mark.parametrize("json", [True, False])
def test_insert_rows_skips_conflicts_and_returns_only_the_rows_it_inserted(coach: Any, json: bool) -> None:
    """``ON CONFLICT DO NOTHING ... RETURNING``: a row the unique constraint refuses is neither
    written twice nor returned, so the caller knows which rows are its own."""
    week = dt.date(2026, 11, 16)
    taken = ReviewNotice.objects.create(coach=coach, week_start=week)
    fields = concrete_fields(ReviewNotice, ["coach", "week_start", "created_at"])
    now = _prepared(fields[2], timezone.now())
    rows = [(coach.pk, _prepared(fields[1], week + dt.timedelta(weeks=n)), now) for n in range(3)]
    returned = insert_rows(
        ReviewNotice,
        fields,
        rows,
        json=json,
        ignore_conflicts=True,
        returning=concrete_fields(ReviewNotice, ["id", "week_start"]),
    )
    notices = {n.week_start: n.pk for n in ReviewNotice.objects.filter(coach=coach)}
    assert sorted(notices) == [week + dt.timedelta(weeks=n) for n in range(3)]
    assert notices[week] == taken.pk
    returned_ids = sorted(row[0] for row in returned)
    assert returned_ids == sorted(pk for day, pk in notices.items() if day != week)


@pytest.mark.django_db
def test_insert_rows_json_keeps_every_value_as_typed(client_profile: Any) -> None:
    """The JSON parameter (PostgreSQL) and the multi-row VALUES (elsewhere) write the same values:
    text with quotes and a backslash, a decimal, a UUID, a time, null, a JSON column."""
    assignment = client_profile.assignments.get()
    session = LoggedSession.objects.create(
        client=client_profile, coach=client_profile.coach, assignment=assignment,
        performed_at=timezone.now(), client_modified_at=timezone.now(),
    )  # fmt: skip
    exercise = Exercise.objects.filter(owner__isnull=True).first()
    assert exercise is not None
    fields = concrete_fields(
        LoggedSet, ["uid", "session", "position", "exercise", "side", "reps", "load_kg", "faults", "unit"]
    )
    uid = uuid.uuid4()
    faults = ["hips_rise_first", 'quote "x" \\ back']
    values = [uid, session.pk, 0, exercise.pk, "left", 12, Decimal("62.50"), faults, "kg"]
    row = [
        _prepared(f, v) if f.get_internal_type() != "JSONField" else jsonlib.dumps(v)
        for f, v in zip(fields, values, strict=True)
    ]
    insert_rows(LoggedSet, fields, [row], json=True)
    stored = LoggedSet.objects.get(uid=uid)
    assert (stored.session_id, stored.position, stored.exercise_id) == (session.pk, 0, exercise.pk)
    assert (stored.side, stored.reps, stored.seconds, stored.load_kg, stored.unit) == (
        "left",
        12,
        None,
        Decimal("62.50"),
        "kg",
    )
    assert stored.faults == faults


def test_json_cast_drops_the_length_and_keeps_the_json_type() -> None:
    body_hash, faults = concrete_fields(LoggedSession, ["body_hash"]) + concrete_fields(LoggedSet, ["faults"])
    assert json_cast(body_hash) == "varchar"
    # A JSON column's text is cast to the JSON type, which the jsonb column takes as it is.
    assert json_cast(faults) == {"postgresql": "jsonb", "sqlite": "text"}[connection.vendor]


@pytest.mark.django_db
@pytest.mark.services
def test_copy_rows_keeps_every_value_and_is_one_counted_statement(
    require_postgres: None, client_profile: Any, django_assert_num_queries: Any
) -> None:
    """``COPY`` (PostgreSQL) writes what an insert would: text with a tab, a newline, a backslash,
    quotes and an emoji, NULLs, a decimal, a UUID, a time with its zone, a JSON column; and it is
    one statement in the query log, as an ``INSERT`` is (the query pins count it)."""
    assignment = client_profile.assignments.get()
    now = timezone.now()
    fields = concrete_fields(
        LoggedSession,
        ["id", "client", "coach", "assignment", "performed_at", "performed_at_offset", "client_modified_at", "notes"],
    )
    fields += concrete_fields(LoggedSession, ["change_seq", "body_hash", "created_at", "updated_at", "day"])
    fields += concrete_fields(LoggedSession, ["checkin_low_back", "checkin_cut_taken"])
    sid = uuid.uuid4()
    notes = "tab\there\nnew line \\ back \"quoted\" 'single' 💪 \\N"
    values = [sid, client_profile.pk, client_profile.coach_id, assignment.pk, now, -330, now, notes]
    values += [7, "a" * 64, now, now, None, "", False]
    with django_assert_num_queries(1):
        copy_rows(LoggedSession, fields, [[_prepared(f, v) for f, v in zip(fields, values, strict=True)]])
    session = LoggedSession.objects.get(pk=sid)
    assert (session.notes, session.performed_at, session.performed_at_offset, session.day) == (notes, now, -330, None)
    assert (session.client_id, session.coach_id, session.change_seq) == (client_profile.pk, client_profile.coach_id, 7)

    exercise = Exercise.objects.filter(owner__isnull=True).first()
    assert exercise is not None
    names = ["session", "uid", "position", "exercise", "side", "reps", "load_kg", "unit", "faults"]
    set_fields = concrete_fields(LoggedSet, names)
    faults = ["hips_rise_first", 'quote "x" \\ back']
    row = [sid, uuid.uuid4(), 0, exercise.pk, "left", 12, Decimal("62.50"), "lb"]
    row.append(connection.ops.adapt_json_value(faults, None))
    copy_rows(LoggedSet, set_fields, [row])
    stored = LoggedSet.objects.get(session_id=sid)
    assert (stored.side, stored.reps, stored.seconds, stored.load_kg, stored.unit) == (
        "left",
        12,
        None,
        Decimal("62.50"),
        "lb",
    )
    assert stored.faults == faults
    with django_assert_num_queries(0):
        copy_rows(LoggedSet, set_fields, [])  # nothing to write: no statement


@pytest.mark.django_db
@pytest.mark.services
def test_copy_rows_refuses_a_duplicate_key_as_an_integrity_error(require_postgres: None, client_profile: Any) -> None:
    """A key already taken fails the whole COPY with Django's ``IntegrityError`` (the sync's retry
    catches that one), and nothing of it is written."""
    from django.db import IntegrityError, transaction

    session = LoggedSession.objects.create(
        client=client_profile, coach=client_profile.coach, assignment=client_profile.assignments.get(),
        performed_at=timezone.now(), client_modified_at=timezone.now(),
    )  # fmt: skip
    exercise = Exercise.objects.filter(owner__isnull=True).first()
    assert exercise is not None
    fields = concrete_fields(LoggedSet, ["session", "uid", "position", "exercise", "side", "reps", "unit", "faults"])
    no_faults = connection.ops.adapt_json_value([], None)
    rows = [
        [session.pk, uuid.uuid4(), 3, exercise.pk, "both", 5, "kg", no_faults] for _ in range(2)
    ]  # position 3 twice
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_rows(LoggedSet, fields, rows)
    assert not LoggedSet.objects.filter(session=session).exists()


def test_copy_rows_is_only_for_postgresql(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db import NotSupportedError

    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(NotSupportedError):
        copy_rows(LoggedSet, concrete_fields(LoggedSet, ["position"]), [[0]])
