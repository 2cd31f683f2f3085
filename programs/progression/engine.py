"""``propose``: the rules of docs/domain.md tried in order, then the asymmetry post-rule.

Order: safety, (back from deload), data, technique, deload, too_hard, progress, hold. "Back from
deload" is the second half of rule 4; docs/domain.md lets only rule 1 override it, so it comes right
after safety. The first rule that returns a proposal wins.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import localcontext

from .metrics import DECIMAL_CONTEXT, clean_decimal
from .moves import usable_facts
from .review import Review, build_review
from .rules import asymmetry, back_from_deload, data, deload, hold, progress, safety, technique, too_hard
from .types import FLAG_NO_DATA, UNITS, ExerciseFacts, Line, Proposal, ReviewInput

Rule = Callable[[Review], Proposal | None]

RULES: tuple[Rule, ...] = (safety, back_from_deload, data, technique, deload, too_hard, progress)


def propose(inp: ReviewInput) -> Proposal:
    """The proposal for one line of the current prescription. Deterministic; never raises on
    well-typed input (a line the engine cannot judge gets a ``hold`` that says why)."""
    with localcontext(DECIMAL_CONTEXT):
        facts = usable_facts(inp.library, inp.line.exercise)
        problem = _unusable(inp.line, facts)
        if facts is None or problem:
            none = "" if _logged_in_week(inp) else " No set of it was logged in the week."
            proposal = Proposal(
                exercise=inp.line.exercise,
                action="hold",
                flags=(),
                rule="hold",
                current=inp.line,
                proposed=inp.line,
                rationale=f"Hold: {problem}, so the engine cannot judge this line; the coach decides.{none}",
            )
            return _flag_no_data(inp, proposal)
        review = build_review(inp, facts)
        for rule in RULES:
            found = rule(review)
            if found is not None:
                proposal = found
                break
        else:
            proposal = hold(review)
        return _flag_no_data(inp, asymmetry(review, proposal))


def _logged_in_week(inp: ReviewInput) -> bool:
    start = inp.week_start.toordinal()
    return any(
        0 <= session.performed_on.toordinal() - start <= 6
        and any(s.exercise == inp.line.exercise for s in session.sets)
        for session in inp.sessions
    )


def _flag_no_data(inp: ReviewInput, proposal: Proposal) -> Proposal:
    """docs/domain.md: the ``no_data`` flag goes wherever no set of the line was logged in the week,
    whichever rule decided (rule 2 itself, a "back from deload" hold, a line the engine cannot judge)."""
    if FLAG_NO_DATA in proposal.flags or _logged_in_week(inp):
        return proposal
    return replace(proposal, flags=(*proposal.flags, FLAG_NO_DATA))


def _unusable(line: Line, facts: ExerciseFacts | None) -> str:
    if facts is None:
        return f"{line.exercise!r} is not an exercise of the library the engine can use"
    if line.unit not in UNITS:
        return f"the unit {line.unit!r} is neither kg nor lb"
    load = clean_decimal(line.load)
    if load is None or load < 0:
        return f"the load {line.load} {line.unit} is not a usable number"
    return ""
