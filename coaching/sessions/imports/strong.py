"""Strong's CSV export, both layouts. Pure: text in, workouts out.

Current layout (comma-separated): Date, Workout Name, Duration, Exercise Name, Set Order, Weight,
Reps, Distance, Seconds, Notes, Workout Notes, RPE. Weights are in the unit set in the app, which
the file does not say: the form's ``unit`` is used.

Legacy layout (semicolon-separated): Date; Workout Name; Exercise Name; Set Order; Weight;
Weight Unit; Reps; RPE; Distance; Distance Unit; Seconds; Notes; Workout Notes [; Workout
Duration]. It says each weight's unit ("kg" or "lbs"), which wins over the form's.

Both: a workout is its Date (local time, no offset: the form's time zone) and Workout Name; Set
Order is a number, or "W" (a warm-up: skipped unless asked), "D" (drop set), "F" (to failure);
other rows ("Rest Timer", notes) are not sets and are passed over. Seconds of 0 and RPE of 0 mean
not given.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from coaching.sessions.imports.common import (
    CellError,
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

REQUIRED = ("Date", "Workout Name", "Exercise Name", "Set Order", "Weight", "Reps")
DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %H:%M", "%Y-%m-%d %I:%M %p")
UNITS = {"kg": "kg", "kgs": "kg", "lb": "lb", "lbs": "lb"}
NOTES_MAX = 5000


def layout(header: list[str]) -> str:
    """``legacy`` when the file names its weights' unit, else ``current``."""
    return "legacy" if "Weight Unit" in header else "current"


def parse(text: str, *, unit: str, tz: zoneinfo.ZoneInfo, include_warmups: bool = False) -> ParsedFile:
    header, reader = rows(text, required=REQUIRED, what="a Strong export")
    legacy = layout(header) == "legacy"
    parsed = ParsedFile()
    workouts: dict[str, Workout] = {}
    exercise_notes: dict[str, list[str]] = {}
    for line, row in reader:
        order = row.get("Set Order", "").upper()
        warmup = order == "W"
        if not (order.isdigit() or order in {"W", "D", "F"}):
            continue
        if warmup and not include_warmups:
            parsed.warmups_skipped += 1
            continue
        try:
            start = local_time(parse_local(row["Date"], DATE_FORMATS, what="Date"), tz)
            name = row.get("Exercise Name", "")
            if not name:
                raise CellError("Exercise Name is empty.")
            set_unit = unit
            if legacy and row.get("Weight Unit"):
                set_unit = UNITS.get(row["Weight Unit"].lower(), "")
                if not set_unit:
                    raise CellError(f"Weight Unit: “{row['Weight Unit'][:20]}” is neither kg nor lbs.")
            reps = whole(row.get("Reps", ""), what="Reps")
            seconds = whole(row.get("Seconds", ""), what="Seconds") or None
            load = cell_number(row.get("Weight", ""), what="Weight")
            rpe = rpe_text(cell_number(row.get("RPE", ""), what="RPE"))
            if not reps and not seconds and not load:
                distance = row.get("Distance", "")
                what = "a distance" if distance and distance not in {"0", "0.0"} else "nothing"
                raise CellError(f"This set records {what}: only reps, seconds and loads are imported.")
        except CellError as exc:
            parsed.errors.append(RowError(line, str(exc)))
            continue
        key = f"{row['Date']}|{row['Workout Name']}"
        workout = workouts.get(key)
        if workout is None:
            workout = workouts[key] = Workout(key=key, name=row["Workout Name"], start=start)
            notes = row.get("Workout Notes", "")
            workout.notes = "\n".join(p for p in (row["Workout Name"], notes) if p)
            exercise_notes[key] = []
        note = row.get("Notes", "")
        if note and f"{name}: {note}" not in exercise_notes[key]:
            exercise_notes[key].append(f"{name}: {note}")
        workout.rows.append(line)
        workout.sets.append(
            ParsedSet(
                row=line,
                name=name,
                reps=reps if not seconds else None,
                seconds=seconds,
                load=load_text(load),
                unit=set_unit,
                rpe=rpe,
            )
        )
    for key, workout in workouts.items():
        workout.notes = "\n".join([workout.notes, *exercise_notes[key]])[:NOTES_MAX]
    parsed.workouts = sorted(workouts.values(), key=lambda w: (w.start.astimezone(dt.UTC), w.key))
    return parsed
