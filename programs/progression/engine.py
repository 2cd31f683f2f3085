"""``propose``: the rules of docs/domain.md tried in order, then the asymmetry post-rule.

Order: safety, (back from deload), data, technique, deload, too_hard, progress, hold. "Back from
deload" is the second half of rule 4; docs/domain.md lets only rule 1 override it, so it comes right
after safety. The first rule that returns a proposal wins. Then a move onto an exercise the
line's day already has becomes a hold, then the asymmetry post-rule, the readiness post-rule, then
the ``no_data`` flag.

``propose`` judges one line; ``propose_prescription`` every line of a prescription with training
days, in the review's order (by day, then position).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date
from decimal import localcontext

from .days import own_sessions
from .metrics import DECIMAL_CONTEXT, clean_decimal
from .moves import usable_facts
from .review import Review, build_review
from .rules import (
    asymmetry,
    back_from_deload,
    data,
    deload,
    hold,
    progress,
    readiness,
    safety,
    technique,
    too_hard,
)
from .text import fmt_named_line
from .thresholds import max_days_between
from .types import (
    FLAG_NO_DATA,
    UNITS,
    AssignmentSettings,
    ExerciseFacts,
    Line,
    Prescription,
    Proposal,
    ReviewInput,
    SessionLog,
)

Rule = Callable[[Review], Proposal | None]

RULES: tuple[Rule, ...] = (safety, back_from_deload, data, technique, deload, too_hard, progress)


def propose(inp: ReviewInput) -> Proposal:
    """The proposal for one line of the current prescription. Deterministic; never raises on
    well-typed input (a line the engine cannot judge gets a ``hold`` that says why).

    With ``inp.prescription`` the line is judged on its own sessions among the prescription's days
    (docs/domain.md "Reviews with days"); without it, on every set of its exercise."""
    with localcontext(DECIMAL_CONTEXT):
        lines, days, index = _plan(inp)
        return _propose(inp, lines, days, index, own_sessions(inp.sessions, lines, days)[index])


def propose_prescription(
    prescription: Prescription,
    *,
    settings: AssignmentSettings,
    library: Mapping[str, ExerciseFacts],
    week_start: date,
    sessions: tuple[SessionLog, ...],
    deloads_in_force: Mapping[int, Line] | None = None,
    week_from: date | None = None,
    last_done_before: Mapping[int, date] | None = None,
) -> tuple[Proposal, ...]:
    """One proposal per line of ``prescription`` (docs/domain.md "Reviews with days"), ordered by
    day (the order of ``prescription.day_numbers``) and then by the line's position on its day (its
    order in ``prescription.lines``); lines of a day not in ``day_numbers`` come last, in order
    (``prescription_order``).

    ``deloads_in_force``: the pre-deload line by the index in ``prescription.lines`` of each line
    that was an approved deload during the reviewed week. ``last_done_before``: by the same index,
    ``ReviewInput.last_done_before`` of the line (when the caller passes only recent sessions).
    Each proposal is ``propose``'s for its line, and ``Proposal.current`` (with its ``day``) says
    which line it is for. The sessions are split between the lines once for all of them."""
    with localcontext(DECIMAL_CONTEXT):
        days = prescription.day_numbers
        lines = prescription.lines
        own = own_sessions(sessions, lines, days)
        deloads = deloads_in_force or {}
        before = last_done_before or {}
        return tuple(
            _propose(
                ReviewInput(
                    line=lines[i],
                    settings=settings,
                    library=library,
                    week_start=week_start,
                    sessions=sessions,
                    deload_in_force=deloads.get(i),
                    week_from=week_from,
                    prescription=prescription,
                    last_done_before=before.get(i),
                ),
                lines,
                days,
                i,
                own[i],
            )
            for i in prescription_order(prescription)
        )


def prescription_order(prescription: Prescription) -> list[int]:
    """The indexes of ``prescription.lines`` in the review's order: by day (the order of
    ``day_numbers``; other days last), then by position."""
    lines = prescription.lines
    rank = {number: position for position, number in enumerate(prescription.day_numbers)}
    return sorted(range(len(lines)), key=lambda i: (rank.get(lines[i].day, len(rank)), i))


def _plan(inp: ReviewInput) -> tuple[tuple[Line, ...], tuple[int, ...], int]:
    """The prescription's lines and days, and the index of ``inp.line`` among them (the line is
    added when the prescription lacks it; without a prescription it is the only line)."""
    if inp.prescription is None:
        return (inp.line,), (inp.line.day,), 0
    lines = inp.prescription.lines
    days = inp.prescription.day_numbers
    # Told apart by identity, then by day and exercise (once per day), never compared: a line may
    # hold a NaN load.
    for i, line in enumerate(lines):
        if line is inp.line:
            return lines, days, i
    for i, line in enumerate(lines):
        if line.day == inp.line.day and line.exercise == inp.line.exercise:
            return lines, days, i
    return (*lines, inp.line), days, len(lines)


def _propose(
    inp: ReviewInput, lines: tuple[Line, ...], days: tuple[int, ...], index: int, own: tuple[SessionLog, ...]
) -> Proposal:
    facts = usable_facts(inp.library, inp.line.exercise)
    problem = _unusable(inp.line, facts)
    logged = _logged_in_week(inp, own)
    if facts is None or problem:
        none = "" if logged else " No set of it was logged in the week."
        proposal = Proposal(
            exercise=inp.line.exercise,
            action="hold",
            flags=(),
            rule="hold",
            current=inp.line,
            proposed=inp.line,
            rationale=f"Hold: {problem}, so the engine cannot judge this line; the coach decides.{none}",
        )
        return _flag_no_data(logged, proposal)
    per_week = inp.prescription.per_week if inp.prescription is not None else len(days)
    only_line = sum(1 for line in lines if line.exercise == inp.line.exercise) == 1
    review = build_review(inp, facts, own, max_days_between(len(days), per_week), only_line=only_line)
    for rule in RULES:
        found = rule(review)
        if found is not None:
            proposal = found
            break
    else:
        proposal = hold(review)
    day_has = {line.exercise for i, line in enumerate(lines) if i != index and line.day == inp.line.day}
    proposal = _not_twice_on_a_day(review, proposal, day_has)
    return _flag_no_data(logged, readiness(review, asymmetry(review, proposal)))


def _not_twice_on_a_day(r: Review, proposal: Proposal, day_has: set[str]) -> Proposal:
    """docs/domain.md: a move onto an exercise that the line's day already has is a ``hold`` whose
    rationale says so (an exercise appears at most once on a day)."""
    target = proposal.proposed.exercise
    if target == r.line.exercise or target not in day_has:
        return proposal
    facts = usable_facts(r.library, target)
    name = facts.name if facts is not None else target
    text = (
        f"{proposal.rationale} But {name} is already on this line's day (day {r.line.day}), and an exercise "
        f"is on a day at most once, so the move cannot be made: hold {fmt_named_line(r.line, r.facts)} instead; "
        "the coach decides."
    )
    return replace(proposal, action="hold", proposed=r.line, rationale=text)


def _logged_in_week(inp: ReviewInput, own: tuple[SessionLog, ...]) -> bool:
    """Whether a set of the line was logged in the reviewed week: in its own sessions."""
    start = inp.week_start.toordinal()
    return any(
        0 <= session.performed_on.toordinal() - start <= 6
        and any(s.exercise == inp.line.exercise for s in session.sets)
        for session in own
    )


def _flag_no_data(logged: bool, proposal: Proposal) -> Proposal:
    """docs/domain.md: the ``no_data`` flag goes wherever no set of the line was logged in the week,
    whichever rule decided (rule 2 itself, a "back from deload" hold, a line the engine cannot judge)."""
    if FLAG_NO_DATA in proposal.flags or logged:
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
