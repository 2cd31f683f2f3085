"""Rule 1, safety (docs/domain.md): pain ≥ 3/10 on any set of the week, or pain in two sessions of
the week → regress to the easier variant (a cut of 20% where there is none) and refer; pain 1–2 in
one session only → hold.

Pain concerns the client rather than the day: it looks at the exercise on every training day
(docs/domain.md "Reviews with days"), so pain on a light day also regresses the heavy day's line."""

from __future__ import annotations

from ..moves import cut, easier
from ..review import Review
from ..text import fmt_at, fmt_date, fmt_dates
from ..thresholds import PAIN_REFER, PAIN_SESSIONS_REFER, SAFETY_CUT_PCT
from ..types import FLAG_PAIN, FLAG_REFER, LoggedSet, Proposal
from .common import REFER, current_line, proposal_for


def safety(r: Review) -> Proposal | None:
    """Pain ≥ 3/10, or pain in two sessions of the week → regress and refer; pain 1–2 once → hold."""
    # Sessions are told apart by position, never hashed or compared: a set may hold a NaN load.
    pains = [
        (index, logged)
        for index, s in enumerate(r.exercise_week)
        for logged in s.sets
        if logged.pain is not None and logged.pain >= 1
    ]
    if not pains:
        return None
    worst = max(logged.pain or 0 for _, logged in pains)
    indexes = sorted({index for index, _ in pains})
    if worst < PAIN_REFER and len(indexes) < PAIN_SESSIONS_REFER:
        return proposal_for(
            r,
            "hold",
            "safety",
            r.line,
            f"Safety: hold{fmt_at(r.line, r.facts)}, pain {worst}/10 reported"
            f"{_sides(r, [logged for _, logged in pains])} on {fmt_date(r.exercise_week[indexes[0]].on)}. "
            "No progression in a week with pain; ask how it feels.",
            (FLAG_PAIN,),
        )
    if worst >= PAIN_REFER:
        at_worst = [(index, logged) for index, logged in pains if logged.pain == worst]
        dates = fmt_dates(dict.fromkeys(r.exercise_week[index].on for index, _ in at_worst))
        what = f"pain {worst}/10{_sides(r, [logged for _, logged in at_worst])} on {dates}"
    else:
        each = "; ".join(
            f"{max(logged.pain or 0 for i, logged in pains if i == index)}/10 on {fmt_date(r.exercise_week[index].on)}"
            for index in indexes
        )
        what = f"pain in {len(indexes)} sessions this week ({each})"
    flags = (FLAG_PAIN, FLAG_REFER)
    move = easier(r.line, r.facts, r.library)
    if move.line is not None:
        return proposal_for(
            r, "regress", "safety", move.line, f"Safety: {what}. Regress {move.text} and {REFER}.", flags
        )
    move = cut(r.line, r.facts, r.library, SAFETY_CUT_PCT)
    if move.line is not None:
        text = f"Safety: {what}. {r.facts.name} has no easier variant, so regress {move.text}, and {REFER}."
        return proposal_for(r, "regress", "safety", move.line, text, flags)
    text = f"Safety: {what}, but {move.text}. Hold {current_line(r)} and {REFER}."
    return proposal_for(r, "hold", "safety", r.line, text, flags)


def _sides(r: Review, sets: list[LoggedSet]) -> str:
    if not r.facts.per_side:
        return ""
    sides = sorted({logged.side for logged in sets if logged.side in ("left", "right")})
    if len(sides) == 2:
        return " on both sides"
    return f" on the {sides[0]} side" if sides else ""
