"""The readiness post-rule (docs/domain.md, after the asymmetry post-rule, and "Readiness
check-in"): when a check-in of the reviewed week reported a painful low back, or the week's mean
readiness (of its complete check-ins, compared unrounded) is 2.5 or less, every ``progress`` becomes
a ``hold`` with flag ``readiness``; the rule stays ``progress`` and the rationale names the check-ins.

The check-ins' own arithmetic (readiness, the week's mean, what Today offers a cut for) is
``checkins``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal

from ..checkins import fmt_checkin, fmt_readiness, week_readiness
from ..review import Review
from ..text import fmt_date, fmt_num, plural
from ..thresholds import LOW_READINESS
from ..types import FLAG_READINESS, Checkin, Proposal
from .asymmetry import earned_change
from .common import current_line


def readiness_reason(checkins: Sequence[tuple[date, Checkin]]) -> str | None:
    """Why the week's check-ins hold a progress, naming them; None when they do not."""
    painful = [on for on, c in checkins if c.painful_back]
    mean = week_readiness([c for _, c in checkins])
    low_mean = mean is not None and mean <= LOW_READINESS
    if not painful and not low_mean:
        return None
    why = []
    if painful:
        why.append("a painful low back was reported on " + ", ".join(fmt_date(on) for on in painful))
    if low_mean and mean is not None:
        complete = sum(1 for _, c in checkins if c.complete)
        why.append(
            f"the week's mean readiness is {fmt_readiness(mean)} over {plural(complete, 'complete check-in')}, "
            f"{fmt_num(Decimal(LOW_READINESS.numerator) / LOW_READINESS.denominator)} or less"
        )
    named = "; ".join(fmt_checkin(on, c) for on, c in checkins)
    return f"{' and '.join(why)} (check-ins: {named})"


def readiness(r: Review, proposal: Proposal) -> Proposal:
    """A ``progress`` becomes a ``hold`` with flag ``readiness`` (rule stays ``progress``) when the
    week's check-ins say so; anything else passes unchanged."""
    if proposal.action != "progress":
        return proposal
    reason = readiness_reason(r.checkins)
    if reason is None:
        return proposal
    text = (
        f"Progress held for readiness: {reason}. Hold {current_line(r)} this week; once the check-ins "
        f"recover, {earned_change(r, proposal.proposed)}."
    )
    flags = (*proposal.flags, FLAG_READINESS)
    return replace(proposal, action="hold", proposed=proposal.current, flags=flags, rationale=text)
