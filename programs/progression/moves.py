"""The changes a rule can make to a line: a cut, a move to another variant, a progression.

Each returns a ``Move``: the new line (None when nothing can be done) and the words for the
rationale (what changed, or why nothing could).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from .text import fmt_load, fmt_named_line, fmt_num
from .types import (
    DEFAULT_REP_RANGE,
    DEFAULT_SECONDS_RANGE,
    IMPLEMENTS,
    LATERALITIES,
    MEASURES,
    ExerciseFacts,
    Line,
)
from .units import lightest, next_step_down, next_step_up, round_down_to_grid


@dataclass(frozen=True)
class Move:
    line: Line | None
    facts: ExerciseFacts | None  # the facts of ``line``'s exercise
    text: str


def usable_facts(library: Mapping[str, ExerciseFacts], slug: str | None) -> ExerciseFacts | None:
    """The library entry for ``slug``, or None when it is missing or not one the engine can use."""
    if not slug:
        return None
    facts = library.get(slug)
    if facts is None:
        return None
    if facts.implement not in IMPLEMENTS or facts.measure not in MEASURES or facts.laterality not in LATERALITIES:
        return None
    return facts


def move_to_variant(line: Line, source: ExerciseFacts, target: ExerciseFacts, slug: str) -> Line:
    """docs/domain.md's *moving to another variant*.

    Sets and range stay (the default range of the new measure when it changes between reps and
    seconds). The load carries over, rounded down onto the grid, for the same implement (the
    lightest load if it falls under it); it is 0 for bodyweight and dowel, and otherwise the new
    implement's lightest load. Target RPE stays; the tempo stays except on a hold, which has
    none.
    """
    low, high = line.low, line.high
    if target.measure != source.measure:
        low, high = DEFAULT_SECONDS_RANGE if target.measure == "seconds" else DEFAULT_REP_RANGE
    if target.unloaded:
        load = Decimal("0")
    elif target.implement == source.implement:
        rounded = round_down_to_grid(line.load, target.implement, line.unit)
        load = rounded if rounded is not None else lightest(target.implement, line.unit)
    else:
        load = lightest(target.implement, line.unit)
    tempo = None if target.measure == "seconds" else line.tempo
    return replace(line, exercise=slug, low=low, high=high, load=load, tempo=tempo)


def easier(line: Line, facts: ExerciseFacts, library: Mapping[str, ExerciseFacts]) -> Move:
    target = usable_facts(library, facts.easier)
    if target is None or facts.easier is None:
        return Move(None, None, f"{facts.name} has no easier variant")
    moved = move_to_variant(line, facts, target, facts.easier)
    return Move(moved, target, f"{fmt_named_line(line, facts)} → {fmt_named_line(moved, target)}")


def harder(line: Line, facts: ExerciseFacts, library: Mapping[str, ExerciseFacts]) -> Move:
    target = usable_facts(library, facts.harder)
    if target is None or facts.harder is None:
        return Move(None, None, f"{facts.name} has no harder variant")
    moved = move_to_variant(line, facts, target, facts.harder)
    return Move(moved, target, f"{fmt_named_line(line, facts)} → {fmt_named_line(moved, target)}")


def cut_load(line: Line, facts: ExerciseFacts, pct: Decimal) -> Decimal | None:
    """docs/domain.md's *cut of x%* on the grid: load × (1 − x%), rounded down onto the grid, and at
    least one step below the current load. None when that goes under the lightest load (an
    unloaded drill has nothing to cut, so it is always None there)."""
    if facts.unloaded:
        return None
    target = round_down_to_grid(line.load * (100 - pct) / 100, facts.implement, line.unit)
    one_step = next_step_down(line.load, facts.implement, line.unit)
    if target is None or one_step is None:
        return None
    return min(target, one_step)


def cut(line: Line, facts: ExerciseFacts, library: Mapping[str, ExerciseFacts], pct: Decimal) -> Move:
    """A cut of ``pct``%; under the implement's lightest load, the easier variant instead."""
    new_load = cut_load(line, facts, pct)
    if new_load is not None:
        text = (
            f"{fmt_load(line.load, line.unit, facts)} → {fmt_load(new_load, line.unit, facts)} "
            f"(a cut of {fmt_num(pct)}%, rounded down onto the grid)"
        )
        return Move(replace(line, load=new_load), facts, text)
    why = _why_no_cut(line, facts, pct)
    move = easier(line, facts, library)
    if move.line is None:
        none = "has no easier variant" if facts.unloaded else f"{facts.name} has no easier variant"
        return Move(None, None, f"{why} and {none}")
    return Move(move.line, move.facts, f"{move.text}, because {why}")


def _why_no_cut(line: Line, facts: ExerciseFacts, pct: Decimal) -> str:
    if facts.unloaded:
        return f"{facts.name} carries no load to cut"
    floor = fmt_load(lightest(facts.implement, line.unit), line.unit, facts)
    return (
        f"a cut of {fmt_num(pct)}% from {fmt_load(line.load, line.unit, facts)} would go under the lightest "
        f"load ({floor})"
    )


@dataclass(frozen=True)
class LoadStep:
    """The next load of a double progression, or why there is none."""

    load: Decimal | None
    next_on_grid: Decimal | None


def progressed_load(line: Line, facts: ExerciseFacts, increment_pct: Decimal) -> LoadStep:
    """Load + the increment, rounded down onto the grid, at least one step; a kettlebell goes to
    the next bell whatever the jump. ``load`` is None past the heaviest bell."""
    one_step = next_step_up(line.load, facts.implement, line.unit)
    if one_step is None:
        return LoadStep(None, None)
    if facts.implement == "kettlebell":
        return LoadStep(one_step, one_step)
    raised = round_down_to_grid(line.load * (100 + increment_pct) / 100, facts.implement, line.unit)
    return LoadStep(max(raised, one_step) if raised is not None else one_step, one_step)
