"""Weekly review metrics (docs/domain.md "Weekly review: metrics") and the set arithmetic behind them.

Conventions where docs/domain.md is silent, chosen as a coach would read them:

- a hold's "reps" are its seconds (docs/domain.md rule 6 says so for progression), so the volume load
  of a hold is seconds × kg;
- Epley's e1RM is only computed for rep-measured exercises and loaded sets (load > 0 kg): an
  e1RM of a bodyweight set or of a hold means nothing;
- a set with no pain recorded counts as pain 0, so ``max_pain`` is 0 rather than missing;
- for per-side exercises, ``weaker_side_pct`` compares the left and right sets' volume loads;
  when both are 0 kg (an unloaded per-side drill) it compares their total reps instead, and it is
  None until both sides were logged;
- nothing prescribed (``sessions_prescribed <= 0``) counts as full adherence;
- a load or RPE that is not a finite number (or absurdly large) is treated as 0 kg / no RPE.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from fractions import Fraction

from .checkins import readiness_decimal, readiness_shown, week_readiness
from .text import json_num
from .thresholds import ADHERENCE_FAIR_PCT, ADHERENCE_GOOD_PCT, EPLEY_DIVISOR, EPLEY_MAX_REPS
from .types import LATERALITIES, MEASURES, ExerciseFacts, LoggedSet, SessionLog

# Every Decimal operation of the engine runs in this context, whatever the caller's thread
# context is, so that results are the same everywhere.
DECIMAL_CONTEXT = Context(prec=28, rounding=ROUND_HALF_UP)

_LIMIT = Decimal("1000000")
_ZERO = Decimal("0")


def clean_decimal(value: Decimal | None) -> Decimal | None:
    """The value, or None when it is not a finite number of sensible size."""
    if value is None or not value.is_finite() or not -_LIMIT <= value <= _LIMIT:
        return None
    return value


def set_load_kg(logged: LoggedSet) -> Decimal:
    return logged.clean_load_kg


def set_rpe(logged: LoggedSet) -> Decimal | None:
    return clean_decimal(logged.rpe)


def set_value(logged: LoggedSet, measure: str) -> int | None:
    """Reps, or seconds for an exercise measured in seconds."""
    return logged.seconds if measure == "seconds" else logged.reps


def has_fault(logged: LoggedSet) -> bool:
    """A fault the client ticked or a coach tagged (docs/domain.md "Conversation and form")."""
    return logged.faulted


def _e1rm_load(logged: LoggedSet, measure: str) -> Decimal | None:
    """The set's load in kg when Epley's e1RM applies to it (a fault-free loaded set of 1–12 reps)."""
    reps = logged.reps
    if measure != "reps" or reps is None or has_fault(logged):
        return None
    load = set_load_kg(logged)
    if not 1 <= reps <= EPLEY_MAX_REPS or load <= 0:
        return None
    return load


def set_e1rm_kg(logged: LoggedSet, measure: str) -> Decimal | None:
    """Epley's e1RM, kg × (1 + reps / 30), for a fault-free loaded set of 1–12 reps.

    Computed as kg × (30 + reps) / 30, dividing last, so that an e1RM that is exactly a
    half (20.25 kg × 8 = 25.65 kg) rounds half-up as that half rather than a hair below it."""
    load = _e1rm_load(logged, measure)
    if load is None or logged.reps is None:
        return None
    return load * (EPLEY_DIVISOR + logged.reps) / EPLEY_DIVISOR


def set_e1rm_exact(logged: LoggedSet, measure: str) -> Fraction | None:
    """Epley's e1RM as an exact fraction, kg × (30 + reps) / 30, for comparing without rounding."""
    load = _e1rm_load(logged, measure)
    if load is None or logged.reps is None:
        return None
    return _exact(load, logged.reps)


def _exact(load: Decimal, reps: int) -> Fraction:
    numerator, denominator = load.as_integer_ratio()
    return Fraction(numerator * (EPLEY_DIVISOR + reps), denominator * EPLEY_DIVISOR)


def best_e1rm_exact(sets: Iterable[LoggedSet], measure: str) -> Fraction | None:
    """The best of ``set_e1rm_exact``; each distinct (load, reps) is computed once."""
    best: Fraction | None = None
    seen: set[tuple[Decimal, int]] = set()
    for logged in sets:
        load = _e1rm_load(logged, measure)
        if load is None or logged.reps is None or (load, logged.reps) in seen:
            continue
        seen.add((load, logged.reps))
        e1rm = _exact(load, logged.reps)
        if best is None or e1rm > best:
            best = e1rm
    return best


def best_e1rm_kg(sets: Iterable[LoggedSet], measure: str) -> Decimal | None:
    values = [e1rm for logged in sets if (e1rm := set_e1rm_kg(logged, measure)) is not None]
    return max(values) if values else None


def volume_load_kg(sets: Iterable[LoggedSet], measure: str) -> Decimal:
    """Σ reps × kg (seconds × kg for holds); a set with no count adds nothing."""
    total = _ZERO
    for logged in sets:
        value = set_value(logged, measure)
        if value is not None:
            total += Decimal(value) * set_load_kg(logged)
    return total


def mean_rpe(sets: Iterable[LoggedSet]) -> Decimal | None:
    values = [rpe for logged in sets if (rpe := set_rpe(logged)) is not None]
    return sum(values, _ZERO) / len(values) if values else None


@dataclass(frozen=True)
class SideBalance:
    """The weaker side's volume load as a % of the stronger's, with the numbers behind it."""

    weaker: str
    stronger: str
    weaker_value: Decimal
    stronger_value: Decimal
    pct: Decimal
    by: str  # "volume load" (kg) or "reps" (unloaded drills)


def side_balance(sets: Sequence[LoggedSet], measure: str) -> SideBalance | None:
    """None unless both sides were logged and there is something to compare."""
    left = [logged for logged in sets if logged.side == "left"]
    right = [logged for logged in sets if logged.side == "right"]
    if not left or not right:
        return None
    by = "volume load"
    left_value, right_value = volume_load_kg(left, measure), volume_load_kg(right, measure)
    if left_value <= 0 and right_value <= 0:
        by = "reps"
        left_value = Decimal(sum(max(set_value(s, measure) or 0, 0) for s in left))
        right_value = Decimal(sum(max(set_value(s, measure) or 0, 0) for s in right))
    stronger_value = max(left_value, right_value)
    if stronger_value <= 0:
        return None
    if left_value < right_value:
        weaker, stronger, weaker_value = "left", "right", max(left_value, _ZERO)
    else:
        weaker, stronger, weaker_value = "right", "left", max(right_value, _ZERO)
    pct = weaker_value * 100 / stronger_value
    return SideBalance(weaker, stronger, weaker_value, stronger_value, pct, by)


def in_week(day: date, week_start: date) -> bool:
    """Whether ``day`` is in the Monday–Sunday week starting ``week_start`` (no date overflow)."""
    return 0 <= day.toordinal() - week_start.toordinal() <= 6


def rounded(value: Decimal | None, places: int = 1) -> float | None:
    """A metric as the pages and the review show it: rounded half-up to ``places`` decimals, as a
    JSON number; None for no value."""
    if value is None or not value.is_finite():
        return None
    if value.adjusted() > 20:
        return float(value)
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def adherence_pct(logged: int, prescribed: int) -> float:
    """Sessions logged as a % of those prescribed, capped at 100, to one decimal; nothing
    prescribed counts as full adherence."""
    if prescribed <= 0:
        return 100.0
    with localcontext(DECIMAL_CONTEXT):
        ratio = Decimal(logged) * 100 / Decimal(prescribed)
        return rounded(min(ratio, Decimal(100)), 1) or 0.0


def weaker_side_pct(sets: Sequence[LoggedSet], measure: str) -> float | None:
    """The weaker side's volume load as a % of the stronger's, to one decimal (see ``side_balance``)."""
    with localcontext(DECIMAL_CONTEXT):
        balance = side_balance(sets, measure)
        return rounded(balance.pct, 1) if balance else None


ADHERENCE_BANDS = ("good", "fair", "low")


def adherence_band(pct: float) -> str:
    """≥ 80 good, ≥ 50 fair, below 50 low."""
    if pct >= ADHERENCE_GOOD_PCT:
        return "good"
    if pct >= ADHERENCE_FAIR_PCT:
        return "fair"
    return "low"


def _usable_measure(facts: ExerciseFacts | None, sets: Sequence[LoggedSet]) -> str:
    if facts is not None and facts.measure in MEASURES:
        return facts.measure
    # Unknown exercise: guess from what was logged.
    has_reps = any(logged.reps is not None for logged in sets)
    return "reps" if has_reps or not sets else "seconds"


def exercise_week_metrics(sets: Sequence[LoggedSet], facts: ExerciseFacts | None) -> dict[str, object]:
    """The per-exercise block of the week's metrics, JSON-ready."""
    measure = _usable_measure(facts, sets)
    faulted = sum(1 for logged in sets if has_fault(logged))
    pains = [logged.pain for logged in sets if logged.pain is not None]
    block: dict[str, object] = {
        "sets": len(sets),
        "volume_load_kg": rounded(volume_load_kg(sets, measure), 1),
        "best_e1rm_kg": rounded(best_e1rm_kg(sets, measure), 1),
        "mean_rpe": rounded(mean_rpe(sets), 2),
        "fault_share": rounded(Decimal(faulted) / len(sets), 3) if sets else 0.0,
        "max_pain": max(max(pains), 0) if pains else 0,
    }
    if facts is not None and facts.laterality in LATERALITIES and facts.per_side:
        block["weaker_side_pct"] = weaker_side_pct(sets, measure)
    return block


def week_metrics(
    *,
    week_start: date,
    sessions: Iterable[SessionLog],
    sessions_prescribed: int,
    library: Mapping[str, ExerciseFacts],
    week_from: date | None = None,
) -> dict[str, object]:
    """The metrics of the Monday–Sunday week starting ``week_start``, JSON-ready.

    Only sessions inside the week count, and in an assignment's first week only those on or
    after its start date (``week_from``); adherence is not prorated. A session counts as logged
    if it has at least one set. Exercises are listed by slug.
    """
    with localcontext(DECIMAL_CONTEXT):
        week = [
            session
            for session in sessions
            if in_week(session.performed_on, week_start)
            and (week_from is None or session.performed_on.toordinal() >= week_from.toordinal())
        ]
        logged = sum(1 for session in week if session.sets)
        adherence = adherence_pct(logged, sessions_prescribed)
        by_exercise: dict[str, list[LoggedSet]] = {}
        for session in week:
            for logged_set in session.sets:
                by_exercise.setdefault(logged_set.exercise, []).append(logged_set)
        result: dict[str, object] = {
            "adherence_pct": adherence,
            "adherence_band": adherence_band(adherence),
            "sessions_logged": logged,
            "sessions_prescribed": sessions_prescribed,
            "exercises": {
                slug: exercise_week_metrics(by_exercise[slug], library.get(slug)) for slug in sorted(by_exercise)
            },
        }
        checkins = sorted(
            ((session.performed_on, session.id, session.checkin) for session in week if session.checkin is not None),
            key=lambda item: (item[0].toordinal(), item[1]),
        )
        if checkins:  # only weeks with a check-in carry these keys (older reviews have none)
            mean = week_readiness([c for _, _, c in checkins])
            result["checkins"] = [
                {
                    "date": on.isoformat(),
                    "sleep": c.sleep,
                    "soreness": c.soreness,
                    "stress": c.stress,
                    "low_back": c.low_back,
                    "cut_taken": c.cut_taken,
                    "readiness": json_num(readiness_shown(c)),
                }
                for on, _, c in checkins
            ]
            result["readiness_mean"] = None if mean is None else json_num(readiness_decimal(mean))
        return result
