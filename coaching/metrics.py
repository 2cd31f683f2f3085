"""The engine's metrics (``programs.progression.metrics``) on stored sets.

The coach's dashboard and client page, the charts and the phone read e1RM, volume load and the
weaker side through here, so that they show the weekly review's numbers: the same Decimal
arithmetic in the engine's context, rounded half-up by ``rounded``. No arithmetic of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, localcontext
from typing import cast

from coaching.models import LoggedSet
from programs.progression import CoachTag, Side, Unit, metrics
from programs.progression import LoggedSet as EngineSet
from programs.progression.metrics import adherence_band, adherence_pct, rounded
from programs.progression.units import from_kg

__all__ = [
    "adherence_band",
    "adherence_pct",
    "best_e1rm_kg",
    "e1rm_kg",
    "engine_set",
    "in_unit",
    "rounded",
    "volume_load_kg",
    "weaker_side_pct",
]


def engine_set(logged: LoggedSet) -> EngineSet:
    """A stored set as the engine reads it (the exercise by slug; the coach's tags when a reader
    attached them, ``coaching.sessions.faults.selectors``: a tagged set is faulted)."""
    tags = tuple(CoachTag(fault=t.fault, role=t.role) for t in getattr(logged, "coach_tags", ()))
    return EngineSet(
        exercise=logged.exercise.slug,
        side=cast(Side, logged.side),
        reps=logged.reps,
        seconds=logged.seconds,
        load_kg=Decimal(logged.load_kg),
        rpe=None if logged.rpe is None else Decimal(logged.rpe),
        tempo_kept=logged.tempo_kept,
        faults=tuple(logged.faults or ()),
        pain=logged.pain,
        unit=cast(Unit, logged.unit),
        coach_faults=tags,
    )


def _measure(sets: Sequence[LoggedSet]) -> str:
    return sets[0].exercise.measure if sets else "reps"


def e1rm_kg(logged: LoggedSet) -> Decimal | None:
    """Epley's e1RM of one set in kg (None for a faulted, unloaded, timed or > 12-rep set)."""
    with localcontext(metrics.DECIMAL_CONTEXT):
        return metrics.set_e1rm_kg(engine_set(logged), logged.exercise.measure)


def best_e1rm_kg(sets: Iterable[LoggedSet]) -> Decimal | None:
    """The best e1RM in kg of one exercise's sets."""
    values = [value for logged in sets if (value := e1rm_kg(logged)) is not None]
    return max(values) if values else None


def volume_load_kg(sets: Sequence[LoggedSet]) -> Decimal:
    """Σ reps × kg (seconds × kg for holds) of one exercise's sets."""
    with localcontext(metrics.DECIMAL_CONTEXT):
        return metrics.volume_load_kg([engine_set(s) for s in sets], _measure(sets))


def in_unit(kg: Decimal | None, unit: str, places: int = 1) -> float | None:
    """A metric in kg (an e1RM) shown in ``unit``, rounded as the engine rounds."""
    if kg is None:
        return None
    with localcontext(metrics.DECIMAL_CONTEXT):
        return rounded(from_kg(kg, unit), places)


def weaker_side_pct(sets: Sequence[LoggedSet]) -> float | None:
    """The weaker side's volume load as a % of the stronger's, for one per-side exercise's sets."""
    return metrics.weaker_side_pct([engine_set(s) for s in sets], _measure(sets))
