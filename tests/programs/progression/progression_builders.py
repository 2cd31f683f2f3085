"""Builders for the progression tests: the seeded library of docs/domain.md and short constructors.

Days are given as offsets from ``MON``, the Monday of the reviewed week (16 Nov 2026): 1 is
Tuesday 17 Nov, -6 is the Tuesday before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from programs.progression import (
    LB_IN_KG,
    AssignmentSettings,
    CoachTag,
    ExerciseFacts,
    Line,
    LoggedSet,
    Prescription,
    Proposal,
    ReviewInput,
    SessionLog,
    to_kg,
)

MON = date(2026, 11, 16)

_TABLE = [
    ("dowel-hip-hinge", "Dowel hip-hinge drill", "dowel", "reps", "bilateral", None, "kettlebell-deadlift-blocks"),
    (
        "kettlebell-deadlift-blocks",
        "Kettlebell deadlift from blocks",
        "kettlebell",
        "reps",
        "bilateral",
        "dowel-hip-hinge",
        "kettlebell-deadlift",
    ),
    (
        "kettlebell-deadlift",
        "Kettlebell deadlift",
        "kettlebell",
        "reps",
        "bilateral",
        "kettlebell-deadlift-blocks",
        "romanian-deadlift",
    ),
    ("romanian-deadlift", "Romanian deadlift", "barbell", "reps", "bilateral", "kettlebell-deadlift", "deadlift"),
    ("deadlift", "Deadlift", "barbell", "reps", "bilateral", "romanian-deadlift", None),
    ("tempo-rdl", "Tempo RDL (3-2-1)", "barbell", "reps", "bilateral", "kettlebell-deadlift", "romanian-deadlift"),
    ("rdl-isometric-hold", "RDL isometric hold", "barbell", "seconds", "bilateral", "dowel-hip-hinge", "tempo-rdl"),
    ("kettlebell-swing", "Kettlebell swing", "kettlebell", "reps", "bilateral", "kettlebell-deadlift", None),
    (
        "bodyweight-good-morning",
        "Bodyweight good morning",
        "bodyweight",
        "reps",
        "bilateral",
        "dowel-hip-hinge",
        "good-morning",
    ),
    ("good-morning", "Good morning", "barbell", "reps", "bilateral", "bodyweight-good-morning", None),
    ("glute-bridge", "Glute bridge", "bodyweight", "reps", "bilateral", None, "hip-thrust"),
    ("hip-thrust", "Hip thrust", "barbell", "reps", "bilateral", "glute-bridge", None),
    (
        "kickstand-rdl",
        "Kickstand (B-stance) RDL",
        "dumbbell",
        "reps",
        "per_side",
        "kettlebell-deadlift",
        "single-leg-rdl",
    ),
    ("single-leg-rdl", "Single-leg Romanian deadlift", "dumbbell", "reps", "per_side", "kickstand-rdl", None),
]

LIBRARY: dict[str, ExerciseFacts] = {row[0]: ExerciseFacts(*row) for row in _TABLE}  # type: ignore[arg-type]


def bell_lb(kg: int) -> str:
    """The exact weight in lb of the ``kg`` kettlebell, as the engine proposes it."""
    return str(Decimal(kg) / LB_IN_KG)


def day(offset: int) -> date:
    return MON + timedelta(days=offset)


def line(
    exercise: str = "romanian-deadlift",
    sets: int = 3,
    low: int = 8,
    high: int = 12,
    load: str | Decimal = "60",
    unit: str = "kg",
    tempo: str | None = None,
    target_rpe: str | None = None,
    day: int = 1,
) -> Line:
    return Line(
        exercise=exercise,
        sets=sets,
        low=low,
        high=high,
        load=Decimal(load),
        unit=unit,  # type: ignore[arg-type]
        tempo=tempo,
        target_rpe=Decimal(target_rpe) if target_rpe is not None else None,
        day=day,
    )


def a_set(
    exercise: str = "romanian-deadlift",
    reps: int | None = 12,
    load: str | Decimal = "60",
    unit: str = "kg",
    *,
    side: str = "both",
    seconds: int | None = None,
    rpe: str | None = None,
    tempo_kept: bool | None = None,
    faults: tuple[str, ...] = (),
    pain: int | None = None,
    coach_faults: tuple[CoachTag, ...] = (),
) -> LoggedSet:
    return LoggedSet(
        exercise=exercise,
        side=side,  # type: ignore[arg-type]
        reps=reps,
        seconds=seconds,
        load_kg=to_kg(Decimal(load), unit),
        rpe=Decimal(rpe) if rpe is not None else None,
        tempo_kept=tempo_kept,
        faults=faults,
        pain=pain,
        unit=unit,  # type: ignore[arg-type]
        coach_faults=coach_faults,
    )


def coach_tag(fault: str, offset: int = 2, role: str = "coach") -> CoachTag:
    """A coach's tag of ``fault`` made ``offset`` days from ``MON``."""
    return CoachTag(fault=fault, role=role, on=day(offset))


def sets(count: int, *args: object, **kwargs: object) -> tuple[LoggedSet, ...]:
    return tuple(a_set(*args, **kwargs) for _ in range(count))  # type: ignore[arg-type]


def per_side(count: int, *args: object, **kwargs: object) -> tuple[LoggedSet, ...]:
    """``count`` sets on each side."""
    return sets(count, *args, side="left", **kwargs) + sets(count, *args, side="right", **kwargs)  # type: ignore[arg-type]


def session(
    offset: int, *logged: LoggedSet | tuple[LoggedSet, ...], sid: str | None = None, on_day: int | None = None
) -> SessionLog:
    """A session ``offset`` days from ``MON``; ``on_day`` is the training day it followed (None: dayless)."""
    flat: list[LoggedSet] = []
    for item in logged:
        flat.extend(item if isinstance(item, tuple) else (item,))
    return SessionLog(id=sid or f"s{offset:+04d}", performed_on=day(offset), sets=tuple(flat), day=on_day)


def review(
    current: Line,
    *sessions: SessionLog,
    week_start: date = MON,
    deload_every: int | None = None,
    first_monday: date = date(2026, 10, 5),
    increment: str = "5",
    deload_in_force: Line | None = None,
    library: Mapping[str, ExerciseFacts] = LIBRARY,
) -> ReviewInput:
    return ReviewInput(
        line=current,
        settings=AssignmentSettings(
            unit=current.unit,
            load_increment_pct=Decimal(increment),
            deload_every_weeks=deload_every,
            first_monday=first_monday,
        ),
        library=library,
        week_start=week_start,
        sessions=tuple(sessions),
        deload_in_force=deload_in_force,
    )


def days_review(
    current: Line,
    lines: tuple[Line, ...],
    *sessions: SessionLog,
    days: tuple[int, ...] = (),
    per_week: int | None = None,
    **kwargs: object,
) -> ReviewInput:
    """``review`` of ``current``, one of ``lines``: a prescription with training days."""
    plain = review(current, *sessions, **kwargs)  # type: ignore[arg-type]
    return replace(plain, prescription=Prescription(lines=lines, days=days, sessions_per_week=per_week))


def clean(offset: int, count: int = 3, **kwargs: object) -> SessionLog:
    """A session of ``count`` sets of 12 reps at 60 kg Romanian deadlift (override with kwargs)."""
    return session(offset, sets(count, **kwargs))  # type: ignore[arg-type]


# Exercises a coach might add (docs/domain.md: "coaches can add more"), to reach the corners of the rules.
CUSTOM_LIBRARY: dict[str, ExerciseFacts] = {
    **LIBRARY,
    "trap-bar-deadlift": ExerciseFacts("trap-bar-deadlift", "Trap bar deadlift", "barbell", "reps", "bilateral"),
    "band-hinge": ExerciseFacts("band-hinge", "Single-leg band hinge", "bodyweight", "reps", "per_side"),
    "wall-hinge": ExerciseFacts("wall-hinge", "Wall hip-hinge drill", "dowel", "reps", "bilateral"),
}


@dataclass(frozen=True)
class Expect:
    """What a proposal should be; None fields are not checked, ``says`` are rationale fragments."""

    action: str
    rule: str
    flags: tuple[str, ...] = ()
    exercise: str | None = None
    sets: int | None = None
    low: int | None = None
    high: int | None = None
    load: str | None = None
    unit: str | None = None
    says: tuple[str, ...] = ()


def check(proposal: Proposal, expect: Expect) -> None:
    got = (proposal.action, proposal.rule, proposal.flags)
    assert got == (expect.action, expect.rule, expect.flags), proposal.rationale
    proposed = proposal.proposed
    for field in ("exercise", "sets", "low", "high", "unit"):
        wanted = getattr(expect, field)
        if wanted is not None:
            assert getattr(proposed, field) == wanted, (field, proposal)
    if expect.load is not None:
        assert proposed.load == Decimal(expect.load), (proposed.load, proposal.rationale)
    for fragment in expect.says:
        assert fragment in proposal.rationale, (fragment, proposal.rationale)
    assert proposal.current is not None
    assert proposal.exercise == proposal.current.exercise
    assert proposal.rationale.strip()
