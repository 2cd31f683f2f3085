"""``ReviewInput.last_done_before``: the day the line's exercise was last done before the sessions
the caller passes (the weekly review reads three weeks back; older history is only this date).

The engine counts it as a session whose sets are unknown: it measures the break (rule 2) and is
one of "the last two sessions", but it never qualifies, is never fault-free and has no set
under the range. Days count from Mon 16 Nov 2026 (1 = Tue 17 Nov).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from progression_builders import Expect, check, clean, day, line, review, session, sets

from programs.progression import Prescription, propose, propose_prescription
from programs.progression.types import ReviewInput

DOWEL = "dowel-hip-hinge"


def before(inp: ReviewInput, offset: int | None) -> ReviewInput:
    return replace(inp, last_done_before=None if offset is None else day(offset))


CASES = [
    pytest.param(
        before(review(line(), clean(1)), -22),
        Expect("regress", "data", ("return_from_break",), load="52.5", says=("23-day break", "25 Oct → 17 Nov")),
        id="23-days-before-the-first-session-cuts-10-percent",
    ),
    pytest.param(
        before(review(line(), clean(1)), -40),
        Expect("regress", "data", ("return_from_break",), load="47.5", says=("41-day break", "a cut of 20%")),
        id="41-days-cuts-20-percent",
    ),
    pytest.param(
        before(review(line(), clean(1), clean(3)), -30),
        Expect("regress", "data", ("return_from_break",), load="47.5", says=("31-day break",)),
        id="the-break-counts-from-the-first-session-of-the-week",
    ),
    pytest.param(
        before(review(line(), clean(-6), clean(1)), -30),
        Expect("progress", "progress", load="62.5"),
        id="a-session-given-in-between-is-what-counts",
    ),
    pytest.param(
        before(review(line(), clean(-6), clean(1)), -3),
        Expect("progress", "progress", load="62.5"),
        id="ignored-when-not-older-than-the-sessions-given",
    ),
    pytest.param(
        before(review(line(), clean(1)), 0),
        Expect("hold", "hold", says=("only session",)),
        id="ignored-inside-the-reviewed-week",
    ),
    pytest.param(
        before(review(line()), -30),
        Expect("hold", "data", ("no_data",)),
        id="no-set-this-week-is-still-no-data",
    ),
    pytest.param(
        before(review(line(), clean(1)), None),
        Expect("hold", "hold", says=("only session",)),
        id="without-it-the-first-session-is-no-break",
    ),
    pytest.param(
        before(review(line(), clean(3)), -4),
        Expect("hold", "hold", says=("the sets of 12 Nov are not known",)),
        id="a-session-with-unknown-sets-never-qualifies",
    ),
    pytest.param(
        before(review(line(DOWEL, load="0"), session(3, sets(2, DOWEL, load="0"))), -4),
        Expect("hold", "hold", says=("the sets of 12 Nov are not known",)),
        id="a-drill-session-with-unknown-sets-is-not-fault-free",
    ),
    pytest.param(
        before(review(line(), session(3, sets(3, reps=6))), -4),
        Expect("hold", "hold"),
        id="unknown-sets-have-no-set-under-the-range",
    ),
    pytest.param(
        before(review(line(), session(3, sets(3, faults=("rounded_back",)))), -4),
        Expect("regress", "technique", says=("3 of 3 sets",)),
        id="unknown-sets-have-no-fault",
    ),
]


@pytest.mark.parametrize(("inp", "expect"), CASES)
def test_last_done_before(inp: ReviewInput, expect: Expect) -> None:
    check(propose(inp), expect)


def test_it_defaults_to_none() -> None:
    assert review(line(), clean(1)).last_done_before is None


@pytest.mark.parametrize(("inp", "expect"), CASES)
def test_propose_prescription_takes_each_lines_last_done_before(inp: ReviewInput, expect: Expect) -> None:
    """The weekly review judges every line in one ``propose_prescription`` call: the date reaches
    the line it is given for (by index) and the proposals are ``propose``'s, line by line."""
    swing = line("kettlebell-swing", load="16")
    plan = Prescription(lines=(swing, inp.line))
    got = propose_prescription(
        plan,
        settings=inp.settings,
        library=inp.library,
        week_start=inp.week_start,
        sessions=inp.sessions,
        last_done_before={} if inp.last_done_before is None else {1: inp.last_done_before},
    )
    assert got == (
        propose(replace(inp, line=swing, prescription=plan, last_done_before=None)),
        propose(replace(inp, prescription=plan)),
    )
    check(got[1], expect)
