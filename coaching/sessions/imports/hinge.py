"""Our own sessions CSV (``coaching.sessions.csv_io``'s columns) as an import: its rows read by
csv_io's own cell rules, its session ids and ``client_modified_at`` kept as written (so a file we
exported imports as ``unchanged``). Exercises are slugs: ones not in the library are mapped like
another app's names. Times carry their offset, so the form's time zone and unit are not needed.
"""

from __future__ import annotations

import csv
import uuid
import zoneinfo

from coaching.sessions import csv_io
from coaching.sessions.imports.common import ImportFileError, ParsedFile, ParsedSet, RowError, Workout, rows


def _messages(errors: dict[str, object], line: int) -> list[RowError]:
    found: list[RowError] = []
    for column, value in errors.items():
        if column == "rows" and isinstance(value, dict):
            for row, cells in value.items():
                for name, messages in cells.items():
                    found.extend(RowError(int(row), f"{name}: {m}") for m in messages)
        elif isinstance(value, list):
            found.extend(RowError(line, f"{column}: {m}") for m in value)
    return found


def parse(text: str, *, unit: str, tz: zoneinfo.ZoneInfo, include_warmups: bool = False) -> ParsedFile:
    del unit, tz, include_warmups  # the file says its units and offsets; it has no warm-up marks
    header, _ = rows(text, required=("session_id", "performed_at", "client_modified_at", "exercise"), what="our CSV")
    try:
        groups = csv_io._read_groups(text)
    except csv_io.CSVFormatError as exc:
        raise ImportFileError(str(exc), too_large="At most" in str(exc)) from exc
    except csv.Error as exc:
        raise ImportFileError(f"This is not a CSV file that can be read: {exc}.") from exc
    parsed = ParsedFile()
    for group in groups:
        line = group.lines[0]
        errors = dict(group.errors)
        stamps = {}
        for column in ("performed_at", "client_modified_at"):
            try:
                stamps[column] = csv_io._datetime((group.first.get(column) or "").strip())
            except csv_io._CellError as exc:
                errors[column] = [str(exc)]
        day = None
        try:
            day = csv_io._day((group.first.get("day") or "").strip())
        except csv_io._CellError as exc:
            errors["day"] = [str(exc)]
        try:
            sid = str(uuid.UUID(group.key))
        except ValueError:
            errors["session_id"] = ["Must be a valid UUID."]
        if errors:
            parsed.errors.extend(_messages(errors, line))
            continue
        workout = Workout(
            key=sid,
            name="",
            start=stamps["performed_at"],
            notes=csv_io._untext(group.first.get("notes") or "")[:5000],
            id=sid,
            modified=stamps["client_modified_at"],
            day=day,
            rows=list(group.lines),
        )
        for s, row in zip(group.sets, group.set_lines, strict=True):
            workout.sets.append(
                ParsedSet(
                    row=row,
                    name=s.exercise,
                    reps=s.reps,
                    seconds=s.seconds,
                    load=str(s.load),
                    unit=s.unit,
                    rpe=None if s.rpe is None else str(s.rpe),
                    side=s.side,
                    tempo_kept=s.tempo_kept,
                    faults=s.faults,
                    pain=s.pain,
                )
            )
        parsed.workouts.append(workout)
    del header
    return parsed
