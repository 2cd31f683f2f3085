"""Rule 4, deload (docs/domain.md): a deload week (scheduled, or after an e1RM drop of at least 5%),
and the way back from it.

``deload``: the next week is a scheduled deload week, or the week's best e1RM is at least 5% below
the best of the three calendar weeks before → for one week, sets halved and rounded up, the range
bottom–bottom, a cut of 10%. ``back_from_deload``: the review of a week in which an approved deload
was in force proposes the pre-deload line again (only rule 1 overrides it).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..metrics import best_e1rm_exact
from ..moves import cut_load, move_to_variant, usable_facts
from ..review import Review
from ..text import fmt_date, fmt_line, fmt_load, fmt_named_line, fmt_num, fmt_rounded
from ..thresholds import DELOAD_CUT_PCT, E1RM_DROP_PCT, E1RM_WEEKS_BEFORE
from ..types import FLAG_NO_DATA, Proposal
from ..units import from_kg
from .common import proposal_for


def back_from_deload(r: Review) -> Proposal | None:
    """The week under review had an approved deload in force: propose the pre-deload line again."""
    before = r.deload_in_force
    if before is None:
        return None
    facts = usable_facts(r.library, before.exercise)
    if facts is None:
        target = f"{before.exercise} {before.sets} × {before.low}–{before.high} at {fmt_load(before.load, before.unit)}"
    elif before.exercise == r.line.exercise:
        target = fmt_line(before, facts)
    else:
        target = fmt_named_line(before, facts)
    flags: tuple[str, ...] = ()
    note = ""
    if not r.week:
        flags = (FLAG_NO_DATA,)
        note = f" (no set of {r.facts.name} was logged during it)"
    text = f"Deload: back from deload. The deload week is over{note}, so return to the pre-deload {target}."
    return proposal_for(r, "hold", "deload", before, text, flags)


def deload(r: Review) -> Proposal | None:
    """A scheduled deload week next, or an e1RM drop of ≥ 5% → one week: sets halved, bottom of the
    range, a cut of 10%."""
    why = _scheduled_deload(r) or _e1rm_drop(r)
    if why is None:
        return None
    line, facts = r.line, r.facts
    sets = (line.sets + 1) // 2 if line.sets > 0 else line.sets
    lighter = replace(line, sets=sets, high=line.low)
    how = "sets halved, the bottom of the range"
    a_cut = f"a cut of {fmt_num(DELOAD_CUT_PCT)}%"
    if facts.unloaded:
        proposed = lighter
        change = f"{fmt_line(line, facts)} → {fmt_line(proposed, facts)}: {how} ({facts.name} carries no load to cut)"
    else:
        new_load = cut_load(lighter, facts, DELOAD_CUT_PCT)
        variant = usable_facts(r.library, facts.easier)
        if new_load is not None:
            proposed = replace(lighter, load=new_load)
            change = f"{fmt_line(line, facts)} → {fmt_line(proposed, facts)}: {how} and {a_cut}"
        elif variant is not None and facts.easier:
            proposed = move_to_variant(lighter, facts, variant, facts.easier)
            # Bottom–bottom of the new measure's default range too (10–20 s → 10–10 s).
            proposed = replace(proposed, high=proposed.low)
            change = (
                f"{fmt_named_line(line, facts)} → {fmt_named_line(proposed, variant)}: {how}, and the easier "
                f"variant because {a_cut} would go under the lightest load"
            )
        else:
            proposed = lighter
            change = (
                f"{fmt_line(line, facts)} → {fmt_line(proposed, facts)}: {how}; the load stays, as {a_cut} "
                f"would go under the lightest load and {facts.name} has no easier variant"
            )
    return proposal_for(r, "deload", "deload", proposed, f"Deload: {why}. For one week, {change}.")


def week_index(day: date, first_monday: date) -> int:
    """The assignment week ``day`` falls in: week 1 starts on ``first_monday``."""
    return (day.toordinal() - first_monday.toordinal()) // 7 + 1


def is_deload_week(index: int, every: int | None) -> bool:
    """Weeks N, 2N, ... are deload weeks (weeks before week 1 never are)."""
    return every is not None and every > 0 and index >= 1 and index % every == 0


def _scheduled_deload(r: Review) -> str | None:
    """The review of week k sets the prescription of week k + 1, so it proposes the deload when
    week k + 1 is a scheduled deload week."""
    every = r.settings.deload_every_weeks
    upcoming = week_index(r.week_start, r.settings.first_monday) + 1
    if not is_deload_week(upcoming, every):
        return None
    start = _date(r.week_start.toordinal() + 7)
    when = f" (from {fmt_date(start)})" if start else ""
    cadence = "every week" if every == 1 else f"every {every} weeks"
    return f"next week, week {upcoming}{when}, is a scheduled deload week ({cadence})"


def _e1rm_drop(r: Review) -> str | None:
    """The week's best e1RM at least 5% below the best of the three weeks before, compared exactly:
    week × 100 <= earlier × 95 on fractions, so a drop of exactly 5% deloads."""
    measure = r.facts.measure
    # Sets of a session whose readiness cut was taken are left out (docs/domain.md).
    week_best = best_e1rm_exact([logged for s in r.week if not s.cut_taken for logged in s.sets], measure)
    start = r.week_start.toordinal()
    # Everything before the week's sessions (in a first week, also the days before the start).
    before = r.history[: len(r.history) - len(r.week)]
    earlier = [
        logged
        for s in before
        if start - 7 * E1RM_WEEKS_BEFORE <= s.on.toordinal() and not s.cut_taken
        for logged in s.sets
    ]
    if week_best is None or not earlier:
        return None
    earlier_best = best_e1rm_exact(earlier, measure)
    if earlier_best is None or earlier_best <= 0 or week_best * 100 > earlier_best * (100 - E1RM_DROP_PCT):
        return None
    week_kg, earlier_kg = _decimal(week_best), _decimal(earlier_best)
    drop = _decimal((earlier_best - week_best) * 100 / earlier_best)
    unit = r.line.unit
    # The words for E1RM_WEEKS_BEFORE: "the three weeks before".
    return (
        f"the best e1RM this week, {fmt_rounded(from_kg(week_kg, unit))} {unit}, is {fmt_rounded(drop)}% "
        f"below the best of the three weeks before, {fmt_rounded(from_kg(earlier_kg, unit))} {unit}"
    )


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


def _date(ordinal: int) -> date | None:
    try:
        return date.fromordinal(ordinal)
    except (ValueError, OverflowError):
        return None
