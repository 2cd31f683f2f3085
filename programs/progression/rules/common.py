"""What the rules share: the proposal constructor, the usual end of a cut, the thresholds."""

from __future__ import annotations

from decimal import Decimal

from ..moves import cut
from ..review import Review
from ..text import fmt_line
from ..types import Action, Line, Proposal, RuleName

BREAK_DAYS = 14
LONG_BREAK_DAYS = 28
MAX_DAYS_BETWEEN = 10
ASYMMETRY_PCT = Decimal("90")
REFER = "refer the client to a clinician before loading this again"


def proposal_for(
    r: Review, action: Action, rule: RuleName, proposed: Line, rationale: str, flags: tuple[str, ...] = ()
) -> Proposal:
    return Proposal(
        exercise=r.line.exercise,
        action=action,
        flags=flags,
        rule=rule,
        current=r.line,
        proposed=proposed,
        rationale=rationale,
    )


def current_line(r: Review) -> str:
    return fmt_line(r.line, r.facts)


def cut_or_hold(r: Review, rule: RuleName, label: str, reason: str, pct: Decimal, then: str) -> Proposal:
    """The common end of rules 3 and 5 (and of a break): regress by a cut, or hold saying why not."""
    move = cut(r.line, r.facts, r.library, pct)
    if move.line is None:
        return proposal_for(
            r, "hold", rule, r.line, f"{label}: {reason}, but {move.text}. Hold {current_line(r)} and {then}."
        )
    return proposal_for(r, "regress", rule, move.line, f"{label}: {reason}. Regress {move.text}; {then}.")
