"""Rule 5, too hard (docs/domain.md): a set under the bottom of the range in each of the last two
sessions, or a mean RPE of the week at least 2 above the target RPE → regress by a cut of 5%."""

from __future__ import annotations

from ..metrics import mean_rpe, set_value
from ..review import ExerciseSession, Review
from ..text import fmt_date, fmt_num, fmt_rounded, measure_word
from ..thresholds import RPE_ABOVE_TARGET, TOO_HARD_CUT_PCT
from ..types import Proposal
from .common import cut_or_hold


def too_hard(r: Review) -> Proposal | None:
    """A set under the bottom of the range in each of the last two sessions, or a mean RPE of the
    week ≥ target + 2 → cut 5%."""
    low, word = r.line.low, measure_word(r.facts)
    lows = [_lowest_under(s, low, r.facts.measure) for s in r.last_two]
    target, mean = r.target_rpe, mean_rpe(r.week_sets)
    if len(lows) == 2 and all(value is not None for value in lows):
        each = ", ".join(f"{value} on {fmt_date(s.on)}" for value, s in zip(lows, r.last_two, strict=True))
        reason = f"a set under {low} {word} in each of the last two sessions ({each})"
    elif target is not None and mean is not None and mean >= target + RPE_ABOVE_TARGET:
        reason = (
            f"the mean RPE this week, {fmt_rounded(mean, 2)}, is {fmt_rounded(mean - target, 2)} above the "
            f"target {fmt_num(target)}"
        )
    else:
        return None
    return cut_or_hold(r, "too_hard", "Too hard", reason, TOO_HARD_CUT_PCT, f"build back toward {r.line.high} {word}")


def _lowest_under(session: ExerciseSession, low: int, measure: str) -> int | None:
    under = [v for logged in session.sets if (v := set_value(logged, measure)) is not None and v < low]
    return min(under) if under else None
