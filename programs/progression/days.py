"""Training days (docs/domain.md "Training days"): which logged sets are a line's *own sessions*.

A line's own sessions are the sessions of its day that contain its exercise, plus the dayless sets
that go to it. Sets are dayless when their session has no day, or a day the assignment no longer
has, or when the session's day has no line of their exercise. The dayless sets of one exercise in
one session go, together, to that exercise's line whose prescribed load in kg is nearest their
heaviest load (the first such line in the prescription's order on a tie); with one line of the
exercise, to that line. So no set is ever lost for its day, and a prescription without days (one
day, one line per exercise) judges every line on every set of its exercise, as it always did.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext

from .metrics import DECIMAL_CONTEXT, clean_decimal, set_load_kg
from .types import UNITS, Line, LoggedSet, SessionLog
from .units import to_kg


def line_for(
    exercise: str,
    session_day: int | None,
    heaviest_kg: Decimal,
    lines: Sequence[Line],
    days: Sequence[int],
) -> int | None:
    """The index in ``lines`` of the line that sets of ``exercise`` logged in a session of
    ``session_day`` go to, their heaviest load being ``heaviest_kg``; None when no line has the
    exercise. ``days``: the assignment's day numbers (a session's day outside them is no day)."""
    if session_day is not None and session_day in days:
        for index, line in enumerate(lines):
            if line.day == session_day and line.exercise == exercise:
                return index
    candidates = [index for index, line in enumerate(lines) if line.exercise == exercise]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    heaviest = clean_decimal(heaviest_kg)
    best: int | None = None
    best_distance: Decimal | None = None
    with localcontext(DECIMAL_CONTEXT):
        for index in candidates:
            prescribed = _line_kg(lines[index])
            if heaviest is None or prescribed is None:
                continue
            distance = abs(prescribed - heaviest)
            if best_distance is None or distance < best_distance:
                best, best_distance = index, distance
    # No usable load to compare (a NaN, an unknown unit): the first line of the exercise.
    return candidates[0] if best is None else best


def own_sessions(
    sessions: Sequence[SessionLog], lines: Sequence[Line], days: Sequence[int]
) -> tuple[tuple[SessionLog, ...], ...]:
    """Every line's own sessions, one tuple per line in the order of ``lines``.

    Each own session is the logged session (same id, date, time and day) with only the sets that go
    to that line; a session appears once per line at most, and sets of an exercise without a line
    go nowhere. Pure: the same input gives the same output, whatever the order of ``sessions``
    (each line's tuple keeps their order).
    """
    found: list[list[SessionLog]] = [[] for _ in lines]
    # ``line_for``'s answers that need no load, worked out once for all the sessions: the first
    # line of (day, exercise), and each exercise's lines. Only for an exercise on several lines,
    # none of them on the session's day, are the sets' loads compared.
    on_day: dict[tuple[int, str], int] = {}
    of_exercise: dict[str, list[int]] = {}
    for position, line in enumerate(lines):
        on_day.setdefault((line.day, line.exercise), position)
        of_exercise.setdefault(line.exercise, []).append(position)
    for session in sessions:
        by_exercise: dict[str, list[LoggedSet]] = {}
        for logged in session.sets:
            by_exercise.setdefault(logged.exercise, []).append(logged)
        session_day = session.day if session.day is not None and session.day in days else None
        for exercise, group in by_exercise.items():
            index = None if session_day is None else on_day.get((session_day, exercise))
            if index is None:
                candidates = of_exercise.get(exercise, [])
                if len(candidates) <= 1:
                    index = candidates[0] if candidates else None
                else:
                    heaviest = max(set_load_kg(logged) for logged in group)
                    index = line_for(exercise, session.day, heaviest, lines, days)
            if index is not None:
                # The constructor, not ``dataclasses.replace``: this runs per session and line.
                found[index].append(
                    SessionLog(
                        session.id,
                        session.performed_on,
                        tuple(group),
                        session.performed_at,
                        session.day,
                        session.checkin,
                    )
                )
    return tuple(tuple(own) for own in found)


def _line_kg(line: Line) -> Decimal | None:
    load = clean_decimal(line.load)
    if load is None or line.unit not in UNITS:
        return None
    return to_kg(load, line.unit)
