"""A client's logged sessions as CSV, one row per set, and back in through ``sessions_apply``.

Shared by the API (``/api/v1/clients/{id}/sessions.csv``) and the coach's web pages. The
export reads back as the same sessions, so importing a file we wrote is all ``unchanged``.
A session without sets is one row with the set columns empty. ``day`` (the training day the
session followed, its number; empty: dayless) is the last column, so files written before it
existed, which lack it, import as they always did: dayless.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.db.models import Prefetch
from django.utils.dateparse import parse_datetime

from coaching.models import Client, LoggedSession, LoggedSet
from coaching.parsing import MAX_ID, ascii_digits, parse_id, parse_int
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.sessions.services.inputs import CHECKIN_SCORES, checkin_errors, set_errors, set_value_error
from programs.days import MAX_DAYS
from programs.models import display_load
from programs.progression.text import fmt_num
from programs.progression.types import Checkin

COLUMNS = [
    "session_id",
    "assignment",
    "performed_at",
    "client_modified_at",
    "notes",
    "exercise",
    "side",
    "reps",
    "seconds",
    "load",
    "unit",
    "rpe",
    "tempo_kept",
    "faults",
    "pain",
    "day",
    "checkin_sleep",
    "checkin_soreness",
    "checkin_stress",
    "checkin_low_back",
    "checkin_cut_taken",
]
# The readiness check-in (docs/domain.md "Readiness check-in"), one per session.
CHECKIN_COLUMNS = ("checkin_sleep", "checkin_soreness", "checkin_stress", "checkin_low_back", "checkin_cut_taken")
# A file may leave these out: without ``day`` every session is dayless; without the check-in
# columns no session has a check-in (files written before them).
OPTIONAL_COLUMNS = ("day", *CHECKIN_COLUMNS)
SESSION_COLUMNS = ("assignment", "performed_at", "client_modified_at", "notes", "day", *CHECKIN_COLUMNS)
MAX_ROWS = 50_000
# A spreadsheet runs a cell starting with one of these as a formula; a leading quote stops it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}


class CSVFormatError(Exception):
    """The file is not our CSV (missing columns, too long): nothing was imported."""


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


# --- export -------------------------------------------------------------------------------


def _text_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _set_cells(s: LoggedSet) -> list[str]:
    return [
        s.exercise.slug,
        s.side,
        "" if s.reps is None else str(s.reps),
        "" if s.seconds is None else str(s.seconds),
        fmt_num(display_load(s.load_kg, s.unit)),
        s.unit,
        "" if s.rpe is None else fmt_num(Decimal(s.rpe)),
        "" if s.tempo_kept is None else ("true" if s.tempo_kept else "false"),
        ";".join(s.faults),
        "" if s.pain is None else str(s.pain),
    ]


def _checkin_cells(c: Checkin | None) -> list[str]:
    if c is None:
        return [""] * len(CHECKIN_COLUMNS)
    scores = ["" if v is None else str(v) for v in (c.sleep, c.soreness, c.stress)]
    return [*scores, c.low_back or "", "true" if c.cut_taken else "false"]


def sessions_csv_rows(*, client: Client) -> Iterator[list[str]]:
    """The header, then one row per set of the client's sessions (deleted ones left out)."""
    yield COLUMNS
    sessions = (
        LoggedSession.objects.filter(client=client, deleted_at__isnull=True)
        .order_by("performed_at", "id")
        .prefetch_related(Prefetch("sets", queryset=LoggedSet.objects.select_related("exercise").order_by("position")))
    )
    for session in sessions.iterator(chunk_size=500):
        offset = dt.timezone(dt.timedelta(minutes=session.performed_at_offset))
        head = [
            str(session.pk),
            str(session.assignment_id),
            session.performed_at.astimezone(offset).isoformat(),
            session.client_modified_at.astimezone(dt.UTC).isoformat(),
            _text_cell(session.notes),
        ]
        tail = ["" if session.day is None else str(session.day), *_checkin_cells(session.checkin)]
        sets = list(session.sets.all())
        if not sets:
            yield head + [""] * (len(COLUMNS) - len(head) - len(tail)) + tail
        for s in sets:
            yield head + _set_cells(s) + tail


def sessions_csv_write(*, client: Client, out: Writable) -> None:
    writer = csv.writer(out, lineterminator="\r\n")
    for row in sessions_csv_rows(client=client):
        writer.writerow(row)


def sessions_csv_text(*, client: Client) -> str:
    buffer = io.StringIO()
    sessions_csv_write(client=client, out=buffer)
    return buffer.getvalue()


# --- import -------------------------------------------------------------------------------


class _CellError(ValueError):
    """A cell that cannot be read; reported with its row and column."""


def _int(value: str) -> int | None:
    """A whole number, signed or not; its range is the set validator's."""
    if value == "":
        return None
    digits = value[1:] if value.startswith("-") else value
    if not ascii_digits(digits):
        raise _CellError("Enter a whole number.")
    # More digits than an id has is above every limit; the validator says which.
    number = parse_int(digits, low=0, high=MAX_ID)
    number = MAX_ID + 1 if number is None else number
    return -number if value.startswith("-") else number


def _decimal(value: str, *, places: int) -> Decimal | None:
    """A number with at most ``places`` decimals; its range is the set validator's."""
    if value == "":
        return None
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise _CellError("Enter a number.") from exc
    if not number.is_finite():
        raise _CellError("Enter a number.")
    if -number.as_tuple().exponent > places:  # type: ignore[operator]
        raise _CellError(f"Use at most {places} decimal places.")
    return number


def _datetime(value: str) -> dt.datetime:
    try:
        parsed = parse_datetime(value) if len(value) <= 64 else None
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None:
        raise _CellError("Enter a date and time with its UTC offset, like 2026-11-17T07:42:00+01:00.")
    offset = parsed.utcoffset()
    if offset is None:
        raise _CellError("Give the UTC offset too, like 2026-11-17T07:42:00+01:00.")
    if offset % dt.timedelta(minutes=1) or abs(offset) > dt.timedelta(hours=18):
        raise _CellError("The UTC offset must be whole minutes and at most 18 hours.")
    try:
        parsed.astimezone(dt.UTC)
    except OverflowError as exc:
        raise _CellError("Enter a real date and time.") from exc
    return parsed


def _day(value: str) -> int | None:
    """A training day's number, 1–7; empty: dayless."""
    if value == "":
        return None
    number = parse_int(value, low=1, high=MAX_DAYS)
    if number is None:
        raise _CellError(f"Enter the day's number, 1 to {MAX_DAYS}, or leave it empty for a session without a day.")
    return number


def _bool(value: str) -> bool | None:
    word = value.strip().lower()
    if word == "":
        return None
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise _CellError("Enter true or false.")


def checkin_from_row(row: dict[str, str], errors: dict[str, Any]) -> Checkin | None:
    """The session's check-in from its first row (None when every check-in cell is empty); a cell
    that cannot be read, or a value the check-in's validator refuses, goes into ``errors`` under
    its column."""
    cells = {c: (row.get(c) or "").strip() for c in CHECKIN_COLUMNS}
    if not any(cells.values()):
        return None
    values: dict[str, Any] = {}
    for name in CHECKIN_SCORES:
        try:
            values[name] = _int(cells[f"checkin_{name}"])
        except _CellError as exc:
            errors[f"checkin_{name}"] = [str(exc)]
    values["low_back"] = cells["checkin_low_back"].lower() or None
    try:
        values["cut_taken"] = bool(_bool(cells["checkin_cut_taken"]))
    except _CellError as exc:
        errors["checkin_cut_taken"] = [str(exc)]
    if any(c in errors for c in CHECKIN_COLUMNS):
        return None
    checkin = Checkin(**values)
    for name, messages in checkin_errors(checkin).items():
        errors["checkin" if name == "non_field_errors" else f"checkin_{name}"] = messages
    return None if any(k.startswith("checkin") for k in errors) else checkin


def _untext(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_STARTS) else value


def _parse_set(row: dict[str, str]) -> tuple[SetInput | None, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}

    def cell(name: str, parse: Any) -> Any:
        try:
            return parse((row.get(name) or "").strip())
        except _CellError as exc:
            errors[name] = [str(exc)]
            return None

    exercise = _untext((row.get("exercise") or "").strip())
    if not exercise:
        return None, {}
    values = {
        "side": cell("side", lambda v: v.lower() or "both"),
        "reps": cell("reps", _int),
        "seconds": cell("seconds", _int),
        "load": cell("load", lambda v: _decimal(v, places=2)),
        "unit": cell("unit", lambda v: v.lower() or "kg"),
        "rpe": cell("rpe", lambda v: _decimal(v, places=1)),
        "tempo_kept": cell("tempo_kept", _bool),
        "pain": cell("pain", _int),
    }
    for name, value in values.items():
        message = set_value_error(name, value)
        if message and name not in errors:
            errors[name] = [message]
    if errors:
        return None, errors
    faults = tuple(f.strip() for f in (row.get("faults") or "").split(";") if f.strip())
    set_input = SetInput(exercise=exercise, faults=faults, **values | {"load": values["load"] or Decimal(0)})
    # How the values go together; the rules that need the coach's library are the service's.
    errors = set_errors(set_input)
    return (None, errors) if errors else (set_input, {})


@dataclass
class _Group:
    key: str
    first: dict[str, str]
    lines: list[int] = field(default_factory=list)
    sets: list[SetInput] = field(default_factory=list)
    set_lines: list[int] = field(default_factory=list)
    errors: dict[str, Any] = field(default_factory=dict)


def _read_groups(text: str) -> list[_Group]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header and c not in OPTIONAL_COLUMNS]
    if missing:
        raise CSVFormatError(f"Missing columns: {', '.join(missing)}. The first row must name the columns.")
    reader.fieldnames = header
    groups: dict[str, _Group] = {}
    for row in reader:
        line = reader.line_num
        if line > MAX_ROWS + 1:
            raise CSVFormatError(f"At most {MAX_ROWS} rows per file.")
        if not any((v or "").strip() for k, v in row.items() if k is not None):
            continue
        key = (row.get("session_id") or "").strip().lower()
        group = groups.setdefault(key, _Group(key=key, first=row))
        group.lines.append(line)
        for column in SESSION_COLUMNS:
            if (row.get(column) or "") != (group.first.get(column) or ""):
                group.errors.setdefault(column, [f"Row {line} disagrees with row {group.lines[0]} of this session."])
        set_input, set_errors = _parse_set(row)
        if set_errors:
            group.errors.setdefault("rows", {})[str(line)] = set_errors
        elif set_input is not None:
            group.sets.append(set_input)
            group.set_lines.append(line)
    return list(groups.values())


def _session_input(group: _Group, assignment_ids: set[int], default_assignment: int | None) -> SessionInput | None:
    row = group.first
    errors = group.errors
    try:
        session_id = uuid.UUID(group.key)
    except ValueError:
        session_id = None
        errors["session_id"] = ["Must be a valid UUID."]
    raw_assignment = (row.get("assignment") or "").strip()
    assignment: int | None = default_assignment
    if raw_assignment:
        assignment = parse_id(raw_assignment)
        if assignment not in assignment_ids:
            errors["assignment"] = ["Not one of this client's assignments."]
    elif assignment is None:
        errors["assignment"] = ["This client has no active assignment: give one."]
    stamps: dict[str, dt.datetime] = {}
    for column in ("performed_at", "client_modified_at"):
        try:
            stamps[column] = _datetime((row.get(column) or "").strip())
        except _CellError as exc:
            errors[column] = [str(exc)]
    day: int | None = None
    try:
        day = _day((row.get("day") or "").strip())
    except _CellError as exc:
        errors["day"] = [str(exc)]
    checkin = checkin_from_row(row, errors)
    notes = _untext(row.get("notes") or "")
    if len(notes) > 5000:
        errors["notes"] = ["Ensure this field has no more than 5000 characters."]
    if "\x00" in notes:
        errors["notes"] = ["Null characters are not allowed."]
    if errors or session_id is None or assignment is None:
        return None
    return SessionInput(
        id=session_id,
        assignment_id=assignment,
        performed_at=stamps["performed_at"],
        client_modified_at=stamps["client_modified_at"],
        notes=notes,
        sets=tuple(group.sets),
        day=day,
        checkin=checkin,
    )


def _errors_by_row(errors: dict[str, Any], set_lines: list[int]) -> dict[str, Any]:
    """The service's per-set error list, keyed by the CSV row of each set instead."""
    sets = errors.get("sets")
    # A message about the session's sets as a whole (too many) stays under "sets".
    if not isinstance(sets, list) or not all(isinstance(e, dict) for e in sets):
        return errors
    rows = {str(line): e for line, e in zip(set_lines, sets, strict=False) if e}
    return {k: v for k, v in errors.items() if k != "sets"} | {"rows": rows}


def sessions_csv_import(*, user: Any, client: Client, text: str) -> dict[str, Any]:
    """Import the columns of ``COLUMNS`` for ``client`` (access already checked) through
    ``sessions_apply``: one result per session, in file order, with the file's row numbers.

    ``{"results": [{"id", "status", "rows", "errors"?}], "counts": {status: n}}``; a re-import
    of the same file is all ``unchanged``. A session whose rows would remove or change stored
    sets without a later ``client_modified_at`` is a ``conflict``: nothing of it is written and
    its ``errors`` say why.
    """
    if "\x00" in text:
        raise CSVFormatError("This is not a text file.")
    try:
        groups = _read_groups(text)
    except csv.Error as exc:
        raise CSVFormatError(f"Not a readable CSV file: {exc}.") from exc
    assignments = list(client.assignments.values_list("pk", "is_active"))
    assignment_ids = {pk for pk, _ in assignments}
    default_assignment = next((pk for pk, active in assignments if active), None)
    inputs = [_session_input(g, assignment_ids, default_assignment) for g in groups]
    # A file is an old copy: at the stored time it may not take sets away (a conflict).
    applied = iter(sessions_apply(user=user, items=[i for i in inputs if i is not None], tie_keeps_sets=True))
    results: list[dict[str, Any]] = []
    for group, item in zip(groups, inputs, strict=True):
        entry: dict[str, Any] = {"id": None, "status": "rejected", "rows": group.lines}
        if item is None:
            with contextlib.suppress(ValueError):
                entry["id"] = str(uuid.UUID(group.key))
            entry["errors"] = group.errors
        else:
            result = next(applied)
            entry |= {"id": str(result.id), "status": result.status}
            if result.errors:
                entry["errors"] = _errors_by_row(result.errors, group.set_lines)
        results.append(entry)
    counts: dict[str, int] = {}
    for entry in results:
        counts[entry["status"]] = counts.get(entry["status"], 0) + 1
    return {"results": results, "counts": counts}
