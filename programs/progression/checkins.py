"""Readiness check-ins (docs/domain.md "Readiness check-in"): the week's mean, what offers the day
at the readiness cut on Today, and how a readiness is shown (one decimal; compared unrounded).

``rules.readiness`` is the post-rule built on these; ``metrics`` shows them on the review.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction

from .text import fmt_date, fmt_rounded
from .thresholds import LOW_READINESS
from .types import Checkin


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


def readiness_decimal(value: Fraction) -> Decimal:
    """An exact readiness (or mean) with one decimal, for showing."""
    return Decimal(fmt_readiness(value))
