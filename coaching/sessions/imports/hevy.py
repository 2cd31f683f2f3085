"""Hevy's CSV export. Pure: text in, workouts out.

Columns: title, start_time, end_time, description, exercise_title, superset_id, exercise_notes,
set_index, set_type, weight_kg or weight_lbs, reps, distance_km or distance_miles,
duration_seconds, rpe. The weight column's name says the unit. Times are local, without an
offset ("26 Jan 2024, 07:30"): the form's time zone. A workout is its title and start_time;
``set_type`` "warmup" is skipped unless asked ("normal", "failure", "dropset" are sets). A
superset is noted in the session's notes (our sets have no superset field).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from coaching.sessions.imports.common import (
    CellError,
    ImportFileError,
    ParsedFile,
    ParsedSet,
    RowError,
    Workout,
    cell_number,
    load_text,
    local_time,
    parse_local,
    rows,
    rpe_text,
    whole,
)

REQUIRED = ("title", "start_time", "exercise_title", "set_index", "reps")
DATE_FORMATS = ("%d %b %Y, %H:%M", "%d %b %Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")
NOTES_MAX = 5000


def parse(text: str, *, unit: str, tz: zoneinfo.ZoneInfo, include_warmups: bool = False) -> ParsedFile:
    header, reader = rows(text, required=REQUIRED, what="a Hevy export")
    if "weight_kg" in header:
        weight_column, file_unit = "weight_kg", "kg"
    elif "weight_lbs" in header:
        weight_column, file_unit = "weight_lbs", "lb"
    else:
        raise ImportFileError("This is not a Hevy export: the first row must name weight_kg or weight_lbs.")
    parsed = ParsedFile()
    workouts: dict[str, Workout] = {}
    extra_notes: dict[str, list[str]] = {}
    for line, row in reader:
        if row.get("set_type", "").lower() == "warmup" and not include_warmups:
            parsed.warmups_skipped += 1
            continue
        try:
            start = local_time(parse_local(row["start_time"], DATE_FORMATS, what="start_time"), tz)
            name = row.get("exercise_title", "")
            if not name:
                raise CellError("exercise_title is empty.")
            reps = whole(row.get("reps", ""), what="reps")
            seconds = whole(row.get("duration_seconds", ""), what="duration_seconds") or None
            load = cell_number(row.get(weight_column, ""), what=weight_column)
            rpe = rpe_text(cell_number(row.get("rpe", ""), what="rpe"))
            if not reps and not seconds and not load:
                raise CellError("This set records no reps, seconds or load (a distance is not imported).")
        except CellError as exc:
            parsed.errors.append(RowError(line, str(exc)))
            continue
        key = f"{row['start_time']}|{row['title']}"
        workout = workouts.get(key)
        if workout is None:
            workout = workouts[key] = Workout(key=key, name=row["title"], start=start)
            workout.notes = "\n".join(p for p in (row["title"], row.get("description", "")) if p)
            extra_notes[key] = []
        for note in (
            f"{name}: {row['exercise_notes']}" if row.get("exercise_notes") else "",
            f"{name}: superset {row['superset_id']}" if row.get("superset_id") else "",
        ):
            if note and note not in extra_notes[key]:
                extra_notes[key].append(note)
        workout.rows.append(line)
        workout.sets.append(
            ParsedSet(
                row=line,
                name=name,
                reps=reps if not seconds else None,
                seconds=seconds,
                load=load_text(load),
                unit=file_unit,
                rpe=rpe,
            )
        )
    del unit  # Hevy's column names its unit; the form's is for files that do not say
    for key, workout in workouts.items():
        workout.notes = "\n".join([workout.notes, *extra_notes[key]])[:NOTES_MAX]
    parsed.workouts = sorted(workouts.values(), key=lambda w: (w.start.astimezone(dt.UTC), w.key))
    return parsed
