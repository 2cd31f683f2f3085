"""Rule 6, progress by double progression (docs/domain.md), with its test of a qualifying session.

The last two sessions both qualify (``qualify``) and lie at most 10 days apart → if the next load
on the grid is more than 10% above the current one and sets are below 3, one set more; otherwise
the load + the assignment's increment, rounded down onto the grid, at least one step (a kettlebell
goes to exactly the next bell), held past the heaviest bell or over 1,000 kg. Unloaded drills that
were fault-free in the last two sessions move to the harder variant.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from ..metrics import set_load_kg, set_rpe, set_value
from ..moves import harder, progressed_load
from ..review import ExerciseSession, Review, days_apart
from ..text import fmt_date, fmt_faults, fmt_line, fmt_load, fmt_num, fmt_rounded, fmt_scheme, measure_word, plural
from ..thresholds import ADD_SET_BELOW_SETS, BIG_JUMP_PCT, MAX_LOAD_KG
from ..types import UNITS, ExerciseFacts, LoggedSet, Proposal
from ..units import KETTLEBELL_BELLS_KG, at_least_load, bell_for, bell_kg, from_kg, grid_kg, heaviest
from .common import current_line, proposal_for


def progress(r: Review) -> Proposal | None:
    """Double progression: the last two sessions both qualify and lie at most 10 days apart
    (``Review.window_days``: longer for days that come round less than weekly)."""
    if len(r.last_two) < 2:
        return None
    first, last = r.last_two
    gap = days_apart(first, last)
    if gap > r.window_days:
        return None
    line, facts = r.line, r.facts
    if gap == 0:
        when = f"both on {fmt_date(last.on)}"
    else:
        when = f"{fmt_date(first.on)} and {fmt_date(last.on)} ({plural(gap, 'day')} apart)"
    if facts.unloaded:
        if first.faulted or last.faulted or not first.known:
            return None
        move = harder(line, facts, r.library)
        earned = f"{facts.name} was fault-free on {when}"
        if move.line is None:
            text = f"Progress: {earned}, but {move.text}. Hold {current_line(r)}; the coach may add sets or reps."
            return proposal_for(r, "hold", "progress", line, text)
        return proposal_for(
            r, "progress", "progress", move.line, f"Progress: {earned}, so move up the ladder: {move.text}."
        )
    verdicts = [qualify(first, r), qualify(last, r)]
    if not all(v.ok for v in verdicts):
        return None
    earned = f"Progress: the last two sessions, {when}, both qualified with {verdicts[1].reason}"
    step = progressed_load(line, facts, r.increment_pct)
    word = measure_word(facts)
    load = fmt_load(line.load, line.unit, facts)
    if step.load is None or step.next_on_grid is None:
        top = heaviest(facts.implement, line.unit)
        where = (
            "is the heaviest bell"
            if top is not None and bell_for(line.load, line.unit) == top
            else "is past the heaviest bell"
        )
        text = (
            f"{earned}, but {load} {where} ({fmt_num(KETTLEBELL_BELLS_KG[-1])} kg), so there is no heavier load "
            f"on the grid. Hold {current_line(r)}; the coach may add a set or choose the harder variant."
        )
        return proposal_for(r, "hold", "progress", line, text)
    current_kg = grid_kg(line.load, facts.implement, line.unit)
    next_kg = grid_kg(step.next_on_grid, facts.implement, line.unit)
    if next_kg * 100 > current_kg * (100 + BIG_JUMP_PCT) and line.sets < ADD_SET_BELOW_SETS:
        proposed = replace(line, sets=line.sets + 1)
        jump = _pct_above(next_kg, current_kg)
        text = (
            f"{earned}. The next load on the grid, {fmt_load(step.next_on_grid, line.unit, facts)}, is {jump} "
            f"{load}, more than {BIG_JUMP_PCT}%, so add a set instead: {fmt_line(line, facts)} → "
            f"{fmt_line(proposed, facts)}, starting again at {line.low} {word}."
        )
        return proposal_for(r, "progress", "progress", proposed, text)
    new_kg = grid_kg(step.load, facts.implement, line.unit)
    if new_kg > MAX_LOAD_KG:
        text = (
            f"{earned}, but the next load, {fmt_load(step.load, line.unit, facts)}, would be "
            f"{fmt_rounded(new_kg)} kg, over the {MAX_LOAD_KG:,} kg the app can record. Hold {current_line(r)}; "
            "the coach may add a set or choose the harder variant."
        )
        return proposal_for(r, "hold", "progress", line, text)
    proposed = replace(line, load=step.load)
    how = (
        "the next bell"
        if facts.implement == "kettlebell"
        else f"+{fmt_num(r.increment_pct)}%, rounded down onto the grid, at least one step"
    )
    text = (
        f"{earned}. {load} → {fmt_load(step.load, line.unit, facts)} ({how}); keep {fmt_scheme(line, facts)} and "
        f"start again at {line.low} {word}."
    )
    return proposal_for(r, "progress", "progress", proposed, text)


def _pct_above(new: Decimal, old: Decimal) -> str:
    if old <= 0:
        return "above"
    return f"{fmt_rounded((new - old) * 100 / old)}% above"


@dataclass(frozen=True)
class Verdict:
    """Whether a session qualifies; ``reason`` says what was hit or what was missing."""

    ok: bool
    reason: str
    advice: str = ""


def qualify(session: ExerciseSession, review: Review) -> Verdict:
    """docs/domain.md's *qualifying session*.

    At least the prescribed number of sets (per side for per-side exercises; a set logged as
    ``both`` counts for each side) at the prescribed load or more, with reps (seconds for holds)
    at the top of the range or above, the tempo kept where one is prescribed, and an RPE not
    above the target. A fault on any set of the exercise in the session disqualifies it: a
    session with a faulted set is not clean, whatever the other sets did. Warm-up sets below
    the prescribed load are simply not counted. A missing RPE passes, and so does a missing
    "tempo kept" answer: only a tempo reported as not kept holds the session back.
    """
    line, facts = review.line, review.facts
    when = fmt_date(session.on)
    if not session.known:
        return Verdict(False, f"the sets of {when} are not known", f"log all {line.sets} sets")
    if session.cut_taken:
        # docs/domain.md: sets of a session whose readiness cut was taken never make it qualify.
        return Verdict(
            False, f"the readiness cut was taken on {when}", f"do all {line.sets} sets at the prescribed load"
        )
    if session.faulted:
        return Verdict(
            False,
            f"{when} had {_sets_with(len(session.faulted), 'a fault')} ({fmt_faults(session.faulted)})",
            "aim for clean reps",
        )
    prescribed_kg = grid_kg(line.load, facts.implement, line.unit)
    target = review.target_rpe
    load_text = fmt_load(line.load, line.unit, facts)
    unit_word = measure_word(facts)
    sides: tuple[str | None, ...] = ("left", "right") if facts.per_side else (None,)
    for side in sides:
        side_sets = [s for s in session.sets if side is None or s.side in (side, "both")]
        on_side = f" on the {side} side" if side else ""
        at_load = [s for s in side_sets if at_least_load(_set_kg(s, facts), prescribed_kg, s.unit)]
        at_top = [s for s in at_load if (set_value(s, facts.measure) or 0) >= line.high]
        tempo_ok = [s for s in at_top if not (line.tempo and s.tempo_kept is False)]
        counted = [s for s in tempo_ok if not _rpe_above(s, target)]
        if len(counted) >= line.sets:
            continue
        if not side_sets:
            return Verdict(False, f"{when} had no set{on_side}", f"log all {line.sets} sets{on_side}")
        if len(at_load) < line.sets:
            some = _how_many(len(at_load), line.sets)
            return Verdict(
                False,
                f"{when} had {some}{on_side} at {load_text} or more",
                f"do all {line.sets} sets at {load_text}",
            )
        if len(at_top) < line.sets:
            some = _how_many(len(at_top), line.sets)
            return Verdict(
                False,
                f"{some}{on_side} reached {line.high} {unit_word} on {when}",
                f"build toward {line.high} {unit_word} on every set",
            )
        if len(tempo_ok) < line.sets:
            missed = len(at_top) - len(tempo_ok)
            return Verdict(
                False,
                f"the {line.tempo} tempo was not kept on {plural(missed, 'set')}{on_side} on {when}",
                f"keep the {line.tempo} tempo",
            )
        above = len(tempo_ok) - len(counted)
        return Verdict(
            False,
            f"RPE was above the target {fmt_num(target or Decimal(0))} on {plural(above, 'set')}{on_side} on {when}",
            f"keep RPE at {fmt_num(target or Decimal(0))} or under",
        )
    per_side = " per side" if facts.per_side else ""
    tempo = f", tempo {line.tempo} kept" if line.tempo else ""
    return Verdict(
        True,
        f"{line.sets} sets{per_side} of {line.high}+ {unit_word} at {load_text}, no fault{tempo}",
    )


def _set_kg(logged: LoggedSet, facts: ExerciseFacts) -> Decimal:
    """The set's load in kg to compare; a kettlebell set typed as a bell is that bell's kg."""
    kg = set_load_kg(logged)
    if facts.implement == "kettlebell" and logged.unit in UNITS:
        bell = bell_kg(from_kg(kg, logged.unit), logged.unit)
        if bell is not None:
            return bell
    return kg


def _how_many(found: int, wanted: int) -> str:
    """ "only 2 of 3 sets", or "no set" when none counted."""
    return f"only {found} of {wanted} sets" if found else "no set"


def _rpe_above(logged: LoggedSet, target: Decimal | None) -> bool:
    rpe = set_rpe(logged)
    return target is not None and rpe is not None and rpe > target


def _sets_with(count: int, what: str) -> str:
    return f"a set with {what}" if count == 1 else f"{count} sets with {what.removeprefix('a ')}s"
