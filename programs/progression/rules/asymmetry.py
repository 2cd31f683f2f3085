"""The asymmetry post-rule (docs/domain.md, after the rules): both sides of a per-side exercise
logged in the week and the weaker side's volume load under 90% of the stronger's → flag
``asymmetry``; a ``progress`` becomes a ``hold``."""

from __future__ import annotations

from dataclasses import replace

from ..metrics import side_balance
from ..moves import usable_facts
from ..review import Review
from ..text import fmt_load, fmt_num, fmt_rounded
from ..thresholds import ASYMMETRY_PCT
from ..types import FLAG_ASYMMETRY, Line, Proposal
from ..units import from_kg
from .common import current_line


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
        f"{balance.stronger} side's {stronger}, under {fmt_num(ASYMMETRY_PCT)}%"
    )
    if proposal.action != "progress":
        return replace(proposal, flags=flags, rationale=f"{proposal.rationale} Asymmetry: {numbers}.")
    text = (
        f"Progress held for asymmetry: {numbers}. Hold {current_line(r)} until the sides even out, "
        f"then {earned_change(r, proposal.proposed)}."
    )
    return replace(proposal, action="hold", proposed=proposal.current, flags=flags, rationale=text)


def earned_change(r: Review, proposed: Line) -> str:
    if proposed.exercise != r.line.exercise:
        facts = usable_facts(r.library, proposed.exercise)
        return f"move to {facts.name if facts else proposed.exercise}"
    if proposed.sets != r.line.sets:
        return f"add a set ({r.line.sets} → {proposed.sets})"
    return f"go to {fmt_load(proposed.load, proposed.unit, r.facts)}"
