"""Rules 1–3, which protect the client: safety (pain), enough data (no sets, breaks), technique."""

from __future__ import annotations

from decimal import Decimal

from ..metrics import has_fault
from ..moves import cut, easier
from ..review import Review, days_apart
from ..text import fmt_at, fmt_date, fmt_dates, fmt_faults
from ..types import FLAG_NO_DATA, FLAG_PAIN, FLAG_REFER, FLAG_RETURN_FROM_BREAK, LoggedSet, Proposal
from .common import BREAK_DAYS, LONG_BREAK_DAYS, REFER, current_line, cut_or_hold, proposal_for


def safety(r: Review) -> Proposal | None:
    """Pain ≥ 3/10, or pain in two sessions of the week → regress and refer; pain 1–2 once → hold."""
    # Sessions are told apart by position, never hashed or compared: a set may hold a NaN load.
    pains = [
        (index, logged)
        for index, s in enumerate(r.week)
        for logged in s.sets
        if logged.pain is not None and logged.pain >= 1
    ]
    if not pains:
        return None
    worst = max(logged.pain or 0 for _, logged in pains)
    indexes = sorted({index for index, _ in pains})
    if worst < 3 and len(indexes) < 2:
        return proposal_for(
            r,
            "hold",
            "safety",
            r.line,
            f"Safety: hold{fmt_at(r.line, r.facts)}, pain {worst}/10 reported"
            f"{_sides(r, [logged for _, logged in pains])} on {fmt_date(r.week[indexes[0]].on)}. "
            "No progression in a week with pain; ask how it feels.",
            (FLAG_PAIN,),
        )
    if worst >= 3:
        at_worst = [(index, logged) for index, logged in pains if logged.pain == worst]
        dates = fmt_dates(dict.fromkeys(r.week[index].on for index, _ in at_worst))
        what = f"pain {worst}/10{_sides(r, [logged for _, logged in at_worst])} on {dates}"
    else:
        each = "; ".join(
            f"{max(logged.pain or 0 for i, logged in pains if i == index)}/10 on {fmt_date(r.week[index].on)}"
            for index in indexes
        )
        what = f"pain in {len(indexes)} sessions this week ({each})"
    flags = (FLAG_PAIN, FLAG_REFER)
    move = easier(r.line, r.facts, r.library)
    if move.line is not None:
        return proposal_for(
            r, "regress", "safety", move.line, f"Safety: {what}. Regress {move.text} and {REFER}.", flags
        )
    move = cut(r.line, r.facts, r.library, Decimal(20))
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
    first_index = len(r.history) - len(r.week)
    if first_index == 0:
        return None
    before, first = r.history[first_index - 1], r.history[first_index]
    gap = days_apart(before, first)
    if gap < BREAK_DAYS:
        return None
    pct, band = (Decimal(20), "28 days or more") if gap >= LONG_BREAK_DAYS else (Decimal(10), "14–27 days")
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


def technique(r: Review) -> Proposal | None:
    """A fault on ≥ 1/3 of the week's sets, or in each of the last two sessions → cut 10%."""
    sets = r.week_sets
    faulted = [logged for logged in sets if has_fault(logged)]
    last_two = r.last_two
    if faulted and 3 * len(faulted) >= len(sets):
        reason = f"{len(faulted)} of {len(sets)} sets this week had a fault ({fmt_faults(faulted)}), at least a third"
    elif len(last_two) == 2 and all(s.faulted for s in last_two):
        each = "; ".join(f"{fmt_date(s.on)}: {fmt_faults(s.faulted)}" for s in last_two)
        reason = f"a fault in each of the last two sessions ({each})"
    else:
        return None
    return cut_or_hold(r, "technique", "Technique", reason, Decimal(10), "rebuild clean reps")
