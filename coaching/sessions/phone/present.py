"""What the client's phone pages show: today's lines, past sessions, best sets, e1RM charts and
the changes the coach approved. Pure shaping of rows already loaded (no queries here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.html import escape

from coaching.metrics import e1rm_kg, in_unit
from coaching.models import Assignment, LoggedSession, LoggedSet, PrescriptionLine, PrescriptionVersion
from programs.days import Day, ordered
from programs.faults import DOWEL_CONTACT_POINTS
from programs.lines import Line as LineValue
from programs.models import Exercise, LineFields, display_load
from programs.progression import ExerciseFacts, units
from programs.progression.moves import cut_load
from programs.progression.text import fault_word
from programs.progression.text import json_num as number
from programs.progression.thresholds import LOW_READINESS, READINESS_CUT_PCT
from programs.progression.units import BELL_TOLERANCE_LB, KETTLEBELL_BELLS_KG

if TYPE_CHECKING:
    from coaching.sessions.phone.days import LastTime

DEFAULT_REST_SECONDS = 90
DEFAULT_HOLD_REST_SECONDS = 60
UNLOADED = {Exercise.Implement.BODYWEIGHT, Exercise.Implement.DOWEL}


@dataclass(frozen=True)
class Bell:
    """A real kettlebell in the display unit: ``shown`` to a person (whole lb), ``exact`` logged."""

    shown: Decimal
    exact: Decimal


def kettlebell_bells(unit: str) -> tuple[Bell, ...]:
    """The real bells (docs/domain.md's load grid) in ``unit``: 24 kg is shown as 53 lb, logged as 52.91 lb
    (the API's two places)."""
    return tuple(
        Bell(shown=units.bell_shown(bell, unit) or bell, exact=display_load(kg, unit))
        for kg, bell in zip(KETTLEBELL_BELLS_KG, units.kettlebell_bells(unit), strict=True)
    )


def bell_for(load: Decimal, unit: str) -> Bell | None:
    """The bell a load in ``unit`` is (the engine decides: within 0.5 lb of its exact weight in lb), if any."""
    kg = units.bell_kg(Decimal(load), unit)
    return None if kg is None else kettlebell_bells(unit)[KETTLEBELL_BELLS_KG.index(kg)]


def _shown_line_load(implement: str, load: Decimal, unit: str) -> Decimal:
    """A load in ``unit`` as a person reads it: a kettlebell in lb as its bell's whole lb (53, not 52.91)."""
    if implement == Exercise.Implement.KETTLEBELL:
        bell = units.bell_shown(load, unit)
        if bell is not None:
            return bell
    return load


# --- today ------------------------------------------------------------------------------


@dataclass(frozen=True)
class TodayLine:
    key: int
    exercise: Exercise
    sets: int
    low: int
    high: int
    is_hold: bool
    per_side: bool
    load: int | float
    unit: str
    loaded: bool
    step: int | float
    tempo: str
    target_rpe: int | float | None
    rest_seconds: int
    cues: tuple[str, ...]
    day: int = 1
    # The line's latest own sessions, newest first (the phone picks the latest before its today),
    # and the one the page shows.
    last_times: tuple[LastTime, ...] = ()
    last: LastTime | None = None
    # The load at the readiness cut of 10% (the rules' cut on the grid), shown as the load is; None
    # when the line has none (unloaded, or under the lightest load): the line is done as prescribed.
    cut_load: int | float | None = None

    @property
    def measure_word(self) -> str:
        return "s" if self.is_hold else "reps"

    @property
    def faults(self) -> list[tuple[str, str]]:
        return self.exercise.fault_choices

    @property
    def load_shown(self) -> int | float:
        """The load in the input and the prescription text (a kettlebell in lb as whole lb)."""
        return number(_shown_line_load(self.exercise.implement, Decimal(str(self.load)), self.unit))

    def as_json(self) -> dict[str, Any]:
        bells = kettlebell_bells(self.unit) if self.exercise.implement == Exercise.Implement.KETTLEBELL else ()
        return {
            "key": self.key,
            "exercise": self.exercise.slug,
            "name": self.exercise.name,
            "implement": self.exercise.implement,
            "sets": self.sets,
            "low": self.low,
            "high": self.high,
            "hold": self.is_hold,
            "per_side": self.per_side,
            "load": self.load,
            "load_shown": self.load_shown,
            "unit": self.unit,
            "loaded": self.loaded,
            "step": self.step,
            # The stepper walks the bells as shown; a set is logged at the matching exact load.
            "bells": [number(b.shown) for b in bells],
            "bell_loads": [number(b.exact) for b in bells],
            "tempo": self.tempo or None,
            "target_rpe": self.target_rpe,
            "rest": self.rest_seconds,
            "day": self.day,
            "cut_load": self.cut_load,
            "last": [last.as_json() for last in self.last_times],
        }


def cues_for(exercise: Exercise) -> tuple[str, ...]:
    """The exercise's cues (the six checkpoints first); the dowel drill's three contact points."""
    cues = [str(c) for c in exercise.cues]
    if exercise.implement == Exercise.Implement.DOWEL and not any("tailbone" in c for c in cues):
        cues += [f"Dowel touches: {p.lower()}" for p in DOWEL_CONTACT_POINTS]
    return tuple(cues)


def today_rows(version: PrescriptionVersion | None, days: Sequence[Day]) -> list[PrescriptionLine]:
    """The version's lines in the days' order, then each day's own order."""
    return ordered(days, version.lines.all()) if version is not None else []


def today_lines(rows: Sequence[PrescriptionLine], unit: str) -> list[TodayLine]:
    """Every line as Today shows it (``today_rows``), keyed by its index in that order."""
    result = []
    for index, line in enumerate(rows):
        ex = line.exercise
        is_hold = ex.measure == Exercise.Measure.SECONDS
        loaded = ex.implement not in UNLOADED
        result.append(
            TodayLine(
                key=index,
                exercise=ex,
                sets=line.sets,
                low=line.range_low,
                high=line.range_high,
                is_hold=is_hold,
                per_side=ex.is_per_side,
                load=number(display_load(line.load_kg, unit)) if loaded else 0,
                unit=unit,
                loaded=loaded,
                step=number(units.load_step(ex.implement, unit)) or 0,
                tempo=line.tempo,
                target_rpe=number(line.target_rpe),
                rest_seconds=line.rest_seconds or (DEFAULT_HOLD_REST_SECONDS if is_hold else DEFAULT_REST_SECONDS),
                cues=cues_for(ex),
                day=line.day,
                cut_load=readiness_cut(line, unit) if loaded else None,
            )
        )
    return result


@dataclass(frozen=True)
class CheckinQuestion:
    name: str
    label: str
    hint: str
    choices: tuple[tuple[str, str], ...]


_SCALE = tuple((str(n), str(n)) for n in range(1, 6))
# docs/domain.md "Readiness check-in": where Today offers the cut, and how big it is (the rules'
# own thresholds, so the page's script never repeats them).
READINESS = {"low": number(float(LOW_READINESS)), "cut_pct": number(READINESS_CUT_PCT)}
# docs/domain.md "Readiness check-in": the four one-tap questions Today asks before a session.
CHECKIN_QUESTIONS = (
    CheckinQuestion("sleep", "Sleep", "1 poor – 5 great", _SCALE),
    CheckinQuestion("soreness", "Soreness", "1 none – 5 very sore", _SCALE),
    CheckinQuestion("stress", "Stress", "1 low – 5 high", _SCALE),
    CheckinQuestion("low_back", "Low back", "", (("fine", "Fine"), ("tight", "Tight"), ("painful", "Painful"))),
)


def readiness_cut(line: PrescriptionLine, unit: str) -> int | float | None:
    """The line's load at the readiness cut (docs/domain.md "Readiness check-in": the cut of the
    rules, ``moves.cut_load``), in ``unit`` as Today shows a load; None when there is no lighter load."""
    ex = line.exercise
    facts = ExerciseFacts(ex.slug, ex.name, ex.implement, ex.measure, ex.laterality)  # type: ignore[arg-type]
    cut = cut_load(LineValue.from_row(line, unit).to_engine(), facts, READINESS_CUT_PCT)
    return None if cut is None else number(_shown_line_load(ex.implement, cut, unit))


def performed_local(session: LoggedSession) -> dt.datetime:
    """When the session was performed, at the UTC offset the device sent."""
    return session.performed_at.astimezone(dt.timezone(dt.timedelta(minutes=session.performed_at_offset)))


# --- history ----------------------------------------------------------------------------


def describe_set(s: LoggedSet) -> str:
    amount = f"{s.seconds} s" if s.seconds is not None else f"{s.reps} reps"
    side = f"{s.side} " if s.side != LoggedSet.Side.BOTH else ""
    load = f" at {number(s.load_shown)} {s.unit}" if s.load_kg > 0 else ""
    return f"{side}{amount}{load}"


def grouped(descriptions: Sequence[str]) -> list[str]:
    """Equal sets once with their count, in the order first done: "2 × 10 reps at 60 kg"."""
    counts: dict[str, int] = {}
    for text in descriptions:
        counts[text] = counts.get(text, 0) + 1
    return [f"{n} × {text}" if n > 1 else text for text, n in counts.items()]


@dataclass
class SessionSummary:
    session: LoggedSession
    performed: dt.datetime
    groups: list[tuple[str, list[str]]]
    pain: int | None
    fault_count: int
    day_name: str | None = None  # the day followed, when its program has several
    # What the coach tagged (docs/domain.md "Conversation and form"): "Romanian deadlift, set 2: core lost".
    coach_saw: list[str] = field(default_factory=list)


def session_summaries(
    sessions: Iterable[LoggedSession], day_names: Mapping[int, Mapping[int, str]] | None = None
) -> list[SessionSummary]:
    """Each session's sets grouped by exercise; ``day_names`` (``selectors.day_names``) names the
    day a session followed (a dayless session, or a day since deleted, has none)."""
    day_names = day_names or {}
    result = []
    for session in sessions:
        groups: dict[str, list[str]] = {}
        pains = []
        faults = 0
        coach_saw = []
        numbers: dict[str, int] = {}
        for s in session.sets.all():
            groups.setdefault(s.exercise.name, []).append(describe_set(s))
            numbers[s.exercise.name] = numbers.get(s.exercise.name, 0) + 1
            if s.pain:
                pains.append(s.pain)
            tags = getattr(s, "coach_tags", [])
            faults += bool(s.faults) or bool(tags)
            if tags:
                words = ", ".join(dict.fromkeys(fault_word(t.fault) for t in tags))
                coach_saw.append(f"{s.exercise.name}, set {numbers[s.exercise.name]}: {words}")
        result.append(
            SessionSummary(
                session,
                performed_local(session),
                [(name, grouped(texts)) for name, texts in groups.items()],
                max(pains) if pains else None,
                faults,
                day_names.get(session.assignment_id, {}).get(session.day) if session.day is not None else None,
                coach_saw,
            )
        )
    return result


@dataclass
class ExerciseHistory:
    exercise: Exercise
    best: str
    best_on: dt.date | None
    points: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    chart: str = ""
    latest: int | float | None = None


def exercise_bests(
    exercises: Iterable[tuple[Exercise, bool]],
    bests: Mapping[int, LoggedSet],
    weekly: Mapping[int, Sequence[tuple[dt.date, Decimal]]],
    unit: str,
) -> list[ExerciseHistory]:
    """Per exercise logged (``selectors.history_exercises``): its best fault-free set
    (``selectors.best_sets``) and a chart of the best e1RM of each week (``selectors.weekly_e1rm``)."""
    result = []
    for ex, logged in exercises:
        if not logged:
            continue
        top = bests.get(ex.pk)
        text = describe_set(top) if top else "No fault-free set yet"
        if top is not None and (value := e1rm_kg(top)) is not None:
            text += f" (e1RM {number(in_unit(value, unit))} {unit})"
        points = list(weekly.get(ex.pk, []))
        history = ExerciseHistory(ex, text, performed_local(top.session).date() if top else None, points)
        # A line needs two weeks; one point is told in words by the best set.
        if len(points) > 1:
            shown = [(d, Decimal(str(in_unit(v, unit)))) for d, v in points]
            history.chart = e1rm_svg(shown, unit=unit, title=f"{ex.name}: estimated 1RM")
            history.latest = number(shown[-1][1])
        result.append(history)
    return result


def e1rm_svg(points: Sequence[tuple[dt.date, Decimal]], *, unit: str, title: str) -> str:
    """A small line chart as an SVG string (no script, no inline style: CSP-safe)."""
    width, height, pad_x, pad_y = 320, 120, 36, 16
    values = [float(v) for _, v in points]
    low, high = min(values), max(values)
    if high - low < 1:
        low, high = low - 1, high + 1
    n = len(points)

    def x(i: int) -> float:
        return pad_x + (width - pad_x - 8) * (i / (n - 1) if n > 1 else 0.5)

    def y(v: float) -> float:
        return height - pad_y - (height - 2 * pad_y) * (v - low) / (high - low)

    coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    dots = "".join(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3"/>' for i, v in enumerate(values))
    first, last = points[0][0], points[-1][0]
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}, '
        f'{values[0]:.1f} to {values[-1]:.1f} {unit}" xmlns="http://www.w3.org/2000/svg">'
        f'<text x="2" y="{y(high) + 4:.1f}">{high:.0f}</text>'
        f'<text x="2" y="{y(low) + 4:.1f}">{low:.0f}</text>'
        f'<line class="axis" x1="{pad_x}" y1="{height - pad_y}" x2="{width - 8}" y2="{height - pad_y}"/>'
        f'<polyline points="{coords}"/>{dots}'
        f'<text x="{pad_x}" y="{height - 2}">{first:%d %b}</text>'
        f'<text x="{width - 8}" y="{height - 2}" text-anchor="end">{last:%d %b}</text>'
        "</svg>"
    )


def history_page_data(
    exercise_list: Iterable[Exercise],
    day_names: Mapping[int, Mapping[int, str]] | None = None,
) -> dict[str, Any]:
    """What History's script needs to show the sessions on the phone like the server's: each
    exercise's name and implement (those prescribed or logged, ``selectors.history_exercises``),
    the bells in lb (shown whole, logged exact), and the names of the days of each program with
    several (by assignment, then day number)."""
    exercises = {ex.slug: {"name": ex.name, "implement": ex.implement} for ex in exercise_list}
    return {
        "exercises": exercises,
        "bells_lb": [[number(b.shown), number(b.exact)] for b in kettlebell_bells("lb")],
        "bell_tolerance_lb": number(BELL_TOLERANCE_LB),
        "day_names": {str(a): {str(n): name for n, name in days.items()} for a, days in (day_names or {}).items()},
    }


# --- changes the coach approved ---------------------------------------------------------


@dataclass(frozen=True)
class ApprovedChange:
    effective_from: dt.date
    lines: tuple[str, ...]
    decided_at: dt.datetime
    # Each line's text with the coach's note from the approval ("" when none), in the same order.
    entries: tuple[tuple[str, str], ...] = ()


def _amount(line: LineFields) -> str:
    word = "s" if line.seconds_low is not None else "reps"
    low, high = line.range_low, line.range_high
    return f"{low}–{high} {word}" if low != high else f"{low} {word}"


def _line_change(before: PrescriptionLine | None, after: PrescriptionLine, unit: str) -> str | None:
    name = after.exercise.name
    load_after = f"{number(display_load(after.load_kg, unit))} {unit}"
    if before is None:
        return f"{name}: new, {after.sets} × {_amount(after)} at {load_after}"
    parts = []
    if before.exercise_id != after.exercise_id:
        return f"{before.exercise.name} → {name}: {after.sets} × {_amount(after)} at {load_after}"
    if before.load_kg != after.load_kg:
        parts.append(f"{number(display_load(before.load_kg, unit))} → {load_after}")
    if before.sets != after.sets:
        parts.append(f"{before.sets} → {after.sets} sets")
    if (before.range_low, before.range_high) != (after.range_low, after.range_high):
        parts.append(f"{_amount(before)} → {_amount(after)}")
    if not parts:
        return None
    return f"{name}: {', '.join(parts)}"


def approved_changes(
    versions: Sequence[PrescriptionVersion],
    assignment: Assignment,
    notes: Mapping[int, Mapping[tuple[int, int], str]] | None = None,
) -> list[ApprovedChange]:
    """Changes from approved reviews, newest first, each compared with the version before it, each
    line with the coach's note from the approval (``notes``: review id → (day, exercise id) → note)."""
    result = []
    previous: PrescriptionVersion | None = None
    for version in versions:
        if version.source == PrescriptionVersion.Source.REVIEW and previous is not None:
            before = {line.position: line for line in previous.lines.all()}
            by_exercise = {line.exercise_id: line for line in previous.lines.all()}
            noted = (notes or {}).get(version.review_id or 0, {})
            entries = []
            for line in version.lines.all():
                old = by_exercise.get(line.exercise_id) or before.get(line.position)
                text = _line_change(old, line, assignment.unit)
                note = noted.get((line.day, line.exercise_id), "")
                if text or note:
                    entries.append((text or f"{line.exercise.name}: no change", note))
            if not entries:
                entries = [("No change: keep building toward the top of each range", "")]
            texts = tuple(text for text, _ in entries)
            result.append(ApprovedChange(version.effective_from, texts, version.created_at, tuple(entries)))
        previous = version
    return sorted(result, key=lambda c: (c.effective_from, c.decided_at), reverse=True)


__all__ = [
    "ApprovedChange",
    "ExerciseHistory",
    "SessionSummary",
    "TodayLine",
    "approved_changes",
    "e1rm_svg",
    "exercise_bests",
    "history_page_data",
    "kettlebell_bells",
    "session_summaries",
    "today_lines",
    "today_rows",
]
