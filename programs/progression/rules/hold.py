"""Rule 7, hold (docs/domain.md): otherwise hold and keep building toward the top of the range;
the rationale says what stood in the way of a progression."""

from __future__ import annotations

from ..review import Review, days_apart
from ..text import fmt_at, fmt_date, fmt_faults, fmt_scheme, measure_word
from ..types import Proposal
from .common import proposal_for
from .progress import qualify


def hold(r: Review) -> Proposal:
    """Otherwise hold and keep building toward the top of the range; say what stood in the way."""
    why, advice = _why_not_yet(r)
    text = f"Hold{fmt_at(r.line, r.facts)}: {why}. Keep {fmt_scheme(r.line, r.facts)} and {advice}."
    return proposal_for(r, "hold", "hold", r.line, text)


def _why_not_yet(r: Review) -> tuple[str, str]:
    facts, word = r.facts, measure_word(r.facts)
    within = f"repeat it within {r.window_days} days"
    if len(r.last_two) < 2:
        only = r.last_two[0]
        if facts.unloaded:
            return (f"{fmt_date(only.on)} is the only session with {facts.name} so far", within)
        verdict = qualify(only, r)
        if verdict.ok:
            return (
                f"{fmt_date(only.on)} qualified, but it is the only session with {facts.name} so far and a "
                "single good session never earns a progression",
                within,
            )
        return (f"the only session so far does not qualify: {verdict.reason}", verdict.advice)
    first, last = r.last_two
    gap = days_apart(first, last)
    if facts.unloaded:
        if not first.known:
            return (
                f"the drill moves up after two fault-free sessions, and the sets of {fmt_date(first.on)} are not known",
                within,
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
            f"{fmt_date(first.on)} and {fmt_date(last.on)} were fault-free but lie {gap} days apart, more than "
            f"{r.window_days}",
            f"train it at least every {r.window_days} days",
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
    if gap > r.window_days:
        return (
            f"{fmt_date(first.on)} and {fmt_date(last.on)} both qualified but lie {gap} days apart, more than "
            f"{r.window_days}",
            f"{within} to earn the progression",
        )
    # Not reached while rule 6 runs first; kept so that this rule stands on its own.
    return ("no rule called for a change", f"keep building toward {r.line.high} {word}")
