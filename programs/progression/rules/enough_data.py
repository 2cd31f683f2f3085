"""Rule 2, enough data (docs/domain.md): no set of the exercise in the week → hold, flag
``no_data``; back after a break of 14–27 days → a cut of 10%, of 28 days or more → a cut of 20%,
flag ``return_from_break``, however well the returning session went.

"No set in the week" counts the line's own sessions; the break looks at the exercise on every
training day (docs/domain.md "Reviews with days"). The rule's name in proposals is ``data``.
"""

from __future__ import annotations

from ..moves import cut
from ..review import Review, days_apart
from ..text import fmt_date
from ..thresholds import BREAK_CUT_PCT, BREAK_DAYS, LONG_BREAK_CUT_PCT, LONG_BREAK_DAYS
from ..types import FLAG_NO_DATA, FLAG_RETURN_FROM_BREAK, Proposal
from .common import current_line, proposal_for


def data(r: Review) -> Proposal | None:
    """No set this week → hold, no_data. A break of 14–27 days → cut 10%; 28 or more → cut 20%."""
    if not r.week:
        return proposal_for(
            r,
            "hold",
            "data",
            r.line,
            f"Data: no set of {r.facts.name} was logged in the week of {fmt_date(r.week_start)}, "
            f"so there is nothing to judge. Hold {current_line(r)}.",
            (FLAG_NO_DATA,),
        )
    # The break is the client's, not the day's: sessions with the exercise on every day.
    history, week = r.exercise_history, r.exercise_week
    first_index = len(history) - len(week)
    if first_index == 0:
        return None
    before, first = history[first_index - 1], history[first_index]
    gap = days_apart(before, first)
    if gap < BREAK_DAYS:
        return None
    if gap >= LONG_BREAK_DAYS:
        pct, band = LONG_BREAK_CUT_PCT, f"{LONG_BREAK_DAYS} days or more"
    else:
        pct, band = BREAK_CUT_PCT, f"{BREAK_DAYS}–{LONG_BREAK_DAYS - 1} days"
    reason = (
        f"back after a {gap}-day break ({fmt_date(before.on)} → {fmt_date(first.on)}; {band} means a cut of {pct}%)"
    )
    move = cut(r.line, r.facts, r.library, pct)
    flags = (FLAG_RETURN_FROM_BREAK,)
    if move.line is None:
        text = f"Data: {reason}, but {move.text}. Hold {current_line(r)} and rebuild from there."
        return proposal_for(r, "hold", "data", r.line, text, flags)
    text = f"Data: {reason}. Regress {move.text}, however well the returning session went."
    return proposal_for(r, "regress", "data", move.line, text, flags)
