"""The readiness post-rule (docs/domain.md, after the asymmetry post-rule, and "Readiness
check-in"): when a check-in of the reviewed week reported a painful low back, or the week's mean
readiness (of its complete check-ins, compared unrounded) is 2.5 or less, every ``progress`` becomes
a ``hold`` with flag ``readiness``; the rule stays ``progress`` and the rationale names the check-ins.

``low_readiness`` is also what Today asks before offering the day at the readiness cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..review import Review
from ..text import fmt_date, fmt_num, fmt_rounded, plural
from ..thresholds import LOW_READINESS
from ..types import FLAG_READINESS, Checkin, Proposal
from .asymmetry import earned_change
from .common import current_line


def low_readiness(checkin: Checkin) -> bool:
    """One check-in that offers the day at the readiness cut: readiness 2.5 or less, or a painful low back."""
    score = checkin.readiness
    return checkin.painful_back or (score is not None and score <= LOW_READINESS)


def week_readiness(checkins: Sequence[Checkin]) -> Fraction | None:
    """The mean readiness of the complete check-ins, exact; None when there is none."""
    scores = [c.readiness for c in checkins if c.readiness is not None]
    if not scores:
        return None
    return sum(scores, Fraction(0)) / len(scores)


def fmt_readiness(value: Fraction) -> str:
    """A readiness as a person reads it: one decimal (``2.3``)."""
    return fmt_rounded(Decimal(value.numerator) / Decimal(value.denominator))


def readiness_shown(checkin: Checkin) -> Decimal | None:
    """The check-in's readiness with one decimal, as pages and the API show it (``2.3``); None
    unless complete. Only for showing: the rules compare ``Checkin.readiness`` unrounded."""
    value = checkin.readiness
    if value is None:
        return None
    return Decimal(fmt_readiness(value))


def fmt_checkin(on: date, checkin: Checkin) -> str:
    """``17 Nov: readiness 2.3, low back painful``; ``18 Nov: low back tight`` for an incomplete one."""
    parts = []
    if checkin.readiness is not None:
        parts.append(f"readiness {fmt_readiness(checkin.readiness)}")
    elif checkin.sleep is not None or checkin.soreness is not None or checkin.stress is not None:
        parts.append("readiness incomplete")
    if checkin.low_back is not None:
        parts.append(f"low back {checkin.low_back}")
    if checkin.cut_taken:
        parts.append("cut taken")
    return f"{fmt_date(on)}: {', '.join(parts)}"


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
