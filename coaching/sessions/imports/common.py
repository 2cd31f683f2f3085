"""What the parsers return, and the pieces of reading a file they share. No database here."""

from __future__ import annotations

import csv
import datetime as dt
import uuid
import zoneinfo
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from programs.progression.text import fmt_num

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
DELIMITERS = (",", ";", "\t")
# uuid5 namespace of imported sessions: the id is this, the client, the format and the workout.
NAMESPACE = uuid.UUID("6f1c7d52-2b0e-4a57-9d3c-7c1e8a4f0b15")


class ImportFileError(Exception):
    """The file as a whole cannot be imported; ``too_large`` makes it a 413 rather than a 400."""

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.too_large = too_large


@dataclass(frozen=True)
class ParsedSet:
    row: int
    name: str  # the exercise as the file names it (ours: a slug)
    reps: int | None = None
    seconds: int | None = None
    load: str = "0"  # a decimal, in ``unit``
    unit: str = "kg"
    rpe: str | None = None
    side: str = "both"
    tempo_kept: bool | None = None
    faults: tuple[str, ...] = ()
    pain: int | None = None


@dataclass
class Workout:
    key: str  # what identifies the workout in its file: its start as written, and its name
    name: str
    start: dt.datetime  # aware
    notes: str = ""
    sets: list[ParsedSet] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    id: str | None = None  # ours carries its session ids; the others get uuid5 ids
    modified: dt.datetime | None = None  # ours carries client_modified_at
    day: int | None = None  # ours carries the training day


@dataclass(frozen=True)
class RowError:
    row: int
    message: str


@dataclass
class ParsedFile:
    workouts: list[Workout] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warmups_skipped: int = 0


def session_id(*, client_id: int, format: str, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{client_id}|{format}|{key}")


def fold(name: str) -> str:
    """A name compared without case or extra spaces."""
    return " ".join(name.split()).casefold()


def to_json(parsed: ParsedFile) -> dict[str, Any]:
    return {
        "workouts": [
            {
                "key": w.key,
                "name": w.name,
                "start": w.start.isoformat(),
                "notes": w.notes,
                "id": w.id,
                "modified": w.modified.isoformat() if w.modified else None,
                "day": w.day,
                "rows": w.rows,
                "sets": [asdict(s) for s in w.sets],
            }
            for w in parsed.workouts
        ],
        "errors": [asdict(e) for e in parsed.errors],
        "warmups_skipped": parsed.warmups_skipped,
    }


# --- reading -------------------------------------------------------------------------------


def decode(data: bytes | str) -> str:
    """The file's text: UTF-8 with or without a byte-order mark, at most ``MAX_BYTES``."""
    if isinstance(data, str):
        text = data.removeprefix("\ufeff")
        data_len = len(text.encode())
    else:
        data_len = len(data)
        if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
            raise ImportFileError("This is a spreadsheet workbook, not CSV: export the CSV from the app again.")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFileError("This is not UTF-8 text: upload the CSV the app exported.") from exc
    if data_len > MAX_BYTES:
        raise ImportFileError(f"The file is over {MAX_BYTES // (1024 * 1024)} MB: split it.", too_large=True)
    if "\x00" in text:
        raise ImportFileError("This is not a CSV file (it holds binary data).")
    if not text.strip():
        raise ImportFileError("The file is empty.")
    return text


def lines(text: str) -> Iterator[str]:
    """The text's lines with their endings, one at a time (``\n``, ``\r\n`` or a lone ``\r``).

    Not ``splitlines()`` nor ``io.StringIO``: a list of every line, or StringIO's 4-byte-per-
    character buffer, would hold the whole file again (several times, for 100,000 rows)."""
    start, end = 0, len(text)
    while start < end:
        newline = text.find("\n", start)
        stop = end if newline == -1 else newline + 1
        carriage = text.find("\r", start, stop)
        if carriage != -1 and text[carriage + 1 : carriage + 2] != "\n":  # a lone \r (old Mac files) ends one too
            stop = carriage + 1
        yield text[start:stop]
        start = stop


def rows(text: str, *, required: tuple[str, ...], what: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header (trimmed) and ``(row number, {column: trimmed cell})`` for each non-blank row.

    The delimiter is the first of ``,`` ``;`` tab whose header has every ``required`` column;
    a row's number is its line in the file (the header is 1).
    """
    first = next((line for line in lines(text) if line.strip()), "").rstrip("\r\n")
    for delimiter in DELIMITERS:
        try:
            header = [c.strip().strip('"').strip() for c in next(csv.reader([first], delimiter=delimiter), [])]
        except csv.Error:
            continue
        if all(c in header for c in required):
            break
    else:
        missing = ", ".join(required)
        raise ImportFileError(f"This is not {what}: the first row must name the columns {missing}.")

    def read() -> Iterator[tuple[int, dict[str, str]]]:
        reader = csv.reader(lines(text), delimiter=delimiter)
        seen_header = False
        count = 0
        try:
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue
                if not seen_header:
                    seen_header = True
                    continue
                count += 1
                if count > MAX_ROWS:
                    raise ImportFileError(f"At most {MAX_ROWS:,} rows per file: split it.", too_large=True)
                yield reader.line_num, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        except csv.Error as exc:
            raise ImportFileError(f"This is not a CSV file that can be read: {exc}.") from exc

    return header, read()


class CellError(ValueError):
    """A cell that cannot be read; the parser reports it with its row."""


def cell_number(value: str, *, what: str) -> Decimal | None:
    """A decimal number (a comma as the decimal mark too); empty: None."""
    if value == "":
        return None
    try:
        parsed = Decimal(value.replace(",", "."))
    except InvalidOperation as exc:
        raise CellError(f"{what}: “{value[:40]}” is not a number.") from exc
    if not parsed.is_finite() or parsed < 0:
        raise CellError(f"{what}: “{value[:40]}” is not a number of 0 or more.")
    return parsed


def whole(value: str, *, what: str) -> int | None:
    parsed = cell_number(value, what=what)
    if parsed is None:
        return None
    if parsed != parsed.to_integral_value():
        raise CellError(f"{what}: “{value[:40]}” is not a whole number.")
    if parsed > 100_000:
        raise CellError(f"{what}: {value[:40]} is too large.")
    return int(parsed)


def load_text(value: Decimal | None) -> str:
    """A load rounded to the 0.01 the sets keep (Hevy writes kg converted from lb, to 5 places)."""
    if value is None:
        return "0"
    return fmt_num(value.quantize(Decimal("0.01")))


def rpe_text(value: Decimal | None) -> str | None:
    """An RPE of 1–10 in halves, or None when absent or 0 (the apps write 0 for "not given")."""
    if value is None or value == 0:
        return None
    if value < 1 or value > 10 or (value * 2) % 1:
        raise CellError(f"RPE: {value} is not 1 to 10 in halves.")
    return fmt_num(value)


def local_time(value: dt.datetime, tz: zoneinfo.ZoneInfo) -> dt.datetime:
    """A wall-clock time without an offset, read in ``tz`` (a time skipped by a DST change moves on)."""
    if value.tzinfo is not None:
        return value
    return value.replace(tzinfo=tz)


def parse_local(value: str, formats: tuple[str, ...], *, what: str) -> dt.datetime:
    """A naive datetime in one of ``formats`` (narrow and plain no-break spaces read as spaces)."""
    cleaned = " ".join(value.replace("\u202f", " ").replace("\xa0", " ").split())
    for fmt in formats:
        try:
            return dt.datetime.strptime(cleaned, fmt)  # noqa: DTZ007 - local time: the zone comes from the form
        except ValueError:
            continue
    raise CellError(f"{what}: “{value[:40]}” is not a date and time this file's app writes.")
