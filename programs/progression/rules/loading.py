"""Rules 5–7 and the asymmetry post-rule: too hard, double progression, hold."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from ..metrics import mean_rpe, set_value, side_balance
from ..moves import harder, progressed_load, usable_facts
from ..review import ExerciseSession, Review, days_apart, qualify
from ..text import (
    fmt_at,
    fmt_date,
    fmt_faults,
    fmt_line,
    fmt_load,
    fmt_num,
    fmt_rounded,
    fmt_scheme,
    measure_word,
    plural,
)
from ..types import FLAG_ASYMMETRY, Line, Proposal
from ..units import bell_for, from_kg, grid_kg, heaviest
from .common import ASYMMETRY_PCT, MAX_DAYS_BETWEEN, MAX_LOAD_KG, current_line, cut_or_hold, proposal_for


def too_hard(r: Review) -> Proposal | None:
    """A set under the bottom of the range in each of the last two sessions, or a mean RPE of the
    week ≥ target + 2 → cut 5%."""
    low, word = r.line.low, measure_word(r.facts)
    lows = [_lowest_under(s, low, r.facts.measure) for s in r.last_two]
    target, mean = r.target_rpe, mean_rpe(r.week_sets)
    if len(lows) == 2 and all(value is not None for value in lows):
        each = ", ".join(f"{value} on {fmt_date(s.on)}" for value, s in zip(lows, r.last_two, strict=True))
        reason = f"a set under {low} {word} in each of the last two sessions ({each})"
    elif target is not None and mean is not None and mean >= target + 2:
        reason = (
            f"the mean RPE this week, {fmt_rounded(mean, 2)}, is {fmt_rounded(mean - target, 2)} above the "
            f"target {fmt_num(target)}"
        )
    else:
        return None
    return cut_or_hold(r, "too_hard", "Too hard", reason, Decimal(5), f"build back toward {r.line.high} {word}")


def _lowest_under(session: ExerciseSession, low: int, measure: str) -> int | None:
    under = [v for logged in session.sets if (v := set_value(logged, measure)) is not None and v < low]
    return min(under) if under else None


def progress(r: Review) -> Proposal | None:
    """Double progression: the last two sessions both qualify and lie at most 10 days apart."""
    if len(r.last_two) < 2:
        return None
    first, last = r.last_two
    gap = days_apart(first, last)
    if gap > MAX_DAYS_BETWEEN:
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
            f"{earned}, but {load} {where} (48 kg), so there is no heavier load on the grid. "
            f"Hold {current_line(r)}; the coach may add a set or choose the harder variant."
        )
        return proposal_for(r, "hold", "progress", line, text)
    current_kg = grid_kg(line.load, facts.implement, line.unit)
    next_kg = grid_kg(step.next_on_grid, facts.implement, line.unit)
    if next_kg * 10 > current_kg * 11 and line.sets < 3:
        proposed = replace(line, sets=line.sets + 1)
        jump = _pct_above(next_kg, current_kg)
        text = (
            f"{earned}. The next load on the grid, {fmt_load(step.next_on_grid, line.unit, facts)}, is {jump} "
            f"{load}, more than 10%, so add a set instead: {fmt_line(line, facts)} → {fmt_line(proposed, facts)}, "
            f"starting again at {line.low} {word}."
        )
        return proposal_for(r, "progress", "progress", proposed, text)
    new_kg = grid_kg(step.load, facts.implement, line.unit)
    if new_kg > MAX_LOAD_KG:
        text = (
            f"{earned}, but the next load, {fmt_load(step.load, line.unit, facts)}, would be "
            f"{fmt_rounded(new_kg)} kg, over the 1,000 kg the app can record. Hold {current_line(r)}; the "
            "coach may add a set or choose the harder variant."
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


def hold(r: Review) -> Proposal:
    """Otherwise hold and keep building toward the top of the range; say what stood in the way."""
    why, advice = _why_not_yet(r)
    text = f"Hold{fmt_at(r.line, r.facts)}: {why}. Keep {fmt_scheme(r.line, r.facts)} and {advice}."
    return proposal_for(r, "hold", "hold", r.line, text)


def _why_not_yet(r: Review) -> tuple[str, str]:
    facts, word = r.facts, measure_word(r.facts)
    if len(r.last_two) < 2:
        only = r.last_two[0]
        if facts.unloaded:
            return (f"{fmt_date(only.on)} is the only session with {facts.name} so far", "repeat it within 10 days")
        verdict = qualify(only, r)
        if verdict.ok:
            return (
                f"{fmt_date(only.on)} qualified, but it is the only session with {facts.name} so far and a "
                "single good session never earns a progression",
                "repeat it within 10 days",
            )
        return (f"the only session so far does not qualify: {verdict.reason}", verdict.advice)
    first, last = r.last_two
    gap = days_apart(first, last)
    if facts.unloaded:
        if not first.known:
            return (
                f"the drill moves up after two fault-free sessions, and the sets of {fmt_date(first.on)} are not known",
                "repeat it within 10 days",
            )
        faulted = [s for s in (last, first) if s.faulted]
        if faulted:
            s = faulted[0]
            return (
                f"the drill moves up after two fault-free sessions, and {fmt_date(s.on)} had a fault "
                f"({fmt_faults(s.faulted)})",
                "aim for clean reps",
            )
        return (
            f"{fmt_date(first.on)} and {fmt_date(last.on)} were fault-free but lie {gap} days apart, more than 10",
            "train it at least every 10 days",
        )
    latest, earlier = qualify(last, r), qualify(first, r)
    if not latest.ok or not earlier.ok:
        why = latest.reason if not latest.ok else earlier.reason
        if not latest.ok and not earlier.ok:
            why += f"; {fmt_date(first.on)} did not qualify either"
        return (
            f"the last two sessions ({fmt_date(first.on)} and {fmt_date(last.on)}) do not both qualify: {why}",
            latest.advice or earlier.advice,
        )
    if gap > MAX_DAYS_BETWEEN:
        return (
            f"{fmt_date(first.on)} and {fmt_date(last.on)} both qualified but lie {gap} days apart, more than 10",
            "repeat it within 10 days to earn the progression",
        )
    # Not reached while rule 6 runs first; kept so that this rule stands on its own.
    return ("no rule called for a change", f"keep building toward {r.line.high} {word}")


def asymmetry(r: Review, proposal: Proposal) -> Proposal:
    """Both sides logged and the weaker side's volume load under 90% of the stronger's → flag
    ``asymmetry``; a ``progress`` becomes a ``hold``."""
    if not r.facts.per_side:
        return proposal
    balance = side_balance(r.week_sets, r.facts.measure)
    if balance is None or balance.pct >= ASYMMETRY_PCT:
        return proposal
    flags = proposal.flags if FLAG_ASYMMETRY in proposal.flags else (*proposal.flags, FLAG_ASYMMETRY)
    unit = r.line.unit
    if balance.by == "reps":
        what = "total reps" if r.facts.measure == "reps" else "total seconds"
        weaker, stronger = fmt_num(balance.weaker_value), fmt_num(balance.stronger_value)
    else:
        what = f"volume load ({unit})"
        weaker = fmt_rounded(from_kg(balance.weaker_value, unit), 0)
        stronger = fmt_rounded(from_kg(balance.stronger_value, unit), 0)
    numbers = (
        f"the {balance.weaker} side's {what} this week is {weaker}, {fmt_rounded(balance.pct)}% of the "
        f"{balance.stronger} side's {stronger}, under 90%"
    )
    if proposal.action != "progress":
        return replace(proposal, flags=flags, rationale=f"{proposal.rationale} Asymmetry: {numbers}.")
    text = (
        f"Progress held for asymmetry: {numbers}. Hold {current_line(r)} until the sides even out, "
        f"then {_earned_change(r, proposal.proposed)}."
    )
    return replace(proposal, action="hold", proposed=proposal.current, flags=flags, rationale=text)


def _earned_change(r: Review, proposed: Line) -> str:
    if proposed.exercise != r.line.exercise:
        facts = usable_facts(r.library, proposed.exercise)
        return f"move to {facts.name if facts else proposed.exercise}"
    if proposed.sets != r.line.sets:
        return f"add a set ({r.line.sets} → {proposed.sets})"
    return f"go to {fmt_load(proposed.load, proposed.unit, r.facts)}"
