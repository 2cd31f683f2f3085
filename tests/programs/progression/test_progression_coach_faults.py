"""Coach-tagged faults in the engine (docs/domain.md "Conversation and form"): a set is faulted for
the rules and metrics when the client ticked a fault or a coach tagged one, and the rationale says
who saw it."""

from __future__ import annotations

import pytest
from progression_builders import (
    MON,
    Expect,
    a_set,
    check,
    clean,
    coach_tag,
    line,
    review,
    session,
    sets,
)

from programs.progression import propose, week_metrics
from programs.progression.text import fmt_faults

DOWEL = "dowel-hip-hinge"
ROUNDED = coach_tag("upper_back_rounding")  # tagged on Wed 18 Nov
BY_REVIEWER = coach_tag("core_lost", offset=3, role="reviewer")

TECHNIQUE = [
    pytest.param(
        review(line(), clean(-6), session(1, sets(2), a_set(coach_faults=(ROUNDED,)))),
        Expect(
            "regress",
            "technique",
            load="52.5",
            says=("1 of 3 sets this week had a fault", "upper back rounding, a fault tagged by your coach on 18 Nov"),
        ),
        id="a-coach-tag-on-a-third-of-the-weeks-sets",
    ),
    pytest.param(
        review(
            line(),
            session(-6, sets(3), a_set(coach_faults=(coach_tag("core_lost", offset=-5),))),
            session(1, sets(3), a_set(faults=("bar_drift",))),
        ),
        Expect(
            "regress",
            "technique",
            load="52.5",
            says=(
                "each of the last two sessions",
                "10 Nov: core lost, a fault tagged by your coach on 11 Nov",
                "17 Nov: bar drift",
            ),
        ),
        id="a-coach-tag-and-a-client-tick-in-the-last-two-sessions",
    ),
    pytest.param(
        review(
            line(),
            clean(-6),
            session(1, sets(4), a_set(faults=("knees_too_bent",)), a_set(coach_faults=(ROUNDED,))),
        ),
        Expect(
            "regress",
            "technique",
            says=("2 of 6 sets", "knees too bent; upper back rounding, a fault tagged by your coach"),
        ),
        id="client-ticks-and-coach-tags-add-up-to-a-third",
    ),
    pytest.param(
        review(
            line(),
            clean(-6),
            session(1, sets(5), a_set(faults=("knees_too_bent",), coach_faults=(coach_tag("knees_too_bent"),))),
        ),
        Expect("hold", "hold", says=("a set with a fault",)),
        id="a-set-both-faulted-counts-once",
    ),
    pytest.param(
        review(line(), clean(-6), session(1, sets(2), a_set(coach_faults=(BY_REVIEWER,)))),
        Expect("regress", "technique", says=("core lost, a fault tagged by the reviewer on 19 Nov",)),
        id="the-reviewer-saw-it",
    ),
    pytest.param(
        review(line(), clean(-6), session(1, sets(3), a_set(coach_faults=(ROUNDED, coach_tag("core_lost"))), a_set())),
        Expect("hold", "hold", says=("upper back rounding", "core lost", "2 faults tagged by your coach on 18 Nov")),
        id="two-tags-on-one-set-under-a-third-hold",
    ),
]


@pytest.mark.parametrize(("inp", "expect"), TECHNIQUE)
def test_rule_3_counts_coach_tagged_faults(inp, expect):
    check(propose(inp), expect)


QUALIFYING = [
    pytest.param(
        review(line(), clean(-6), session(1, sets(3), a_set(coach_faults=(ROUNDED,)), sets(2))),
        Expect("hold", "hold", load="60", says=("17 Nov", "a fault", "tagged by your coach on 18 Nov")),
        id="a-coach-tag-keeps-a-session-from-qualifying",
    ),
    pytest.param(
        review(line(), session(-6, sets(3, coach_faults=()), sets(3)), clean(1, count=6)),
        Expect("progress", "progress", load="62.5"),
        id="no-tags-still-progresses",
    ),
    pytest.param(
        review(
            line(DOWEL, load="0"),
            clean(-6, exercise=DOWEL, load="0", count=4),
            session(1, sets(3, DOWEL, load="0"), a_set(DOWEL, load="0", coach_faults=(ROUNDED,))),
        ),
        Expect("hold", "hold", exercise=DOWEL, says=("two fault-free sessions", "tagged by your coach on 18 Nov")),
        id="a-coach-tag-keeps-a-drill-from-moving-up",
    ),
]


@pytest.mark.parametrize(("inp", "expect"), QUALIFYING)
def test_qualification_counts_coach_tagged_faults(inp, expect):
    check(propose(inp), expect)


def test_metrics_count_coach_tagged_sets_as_faulted() -> None:
    week = session(
        1,
        a_set(reps=5, load="100", coach_faults=(ROUNDED,)),  # e1RM 116.7, but faulted
        a_set(reps=12, load="60"),  # 84
        a_set(reps=12, load="60", faults=("core_lost",)),
        a_set(reps=12, load="60"),
    )
    got = week_metrics(week_start=MON, sessions=[week], sessions_prescribed=1, library=review(line()).library)
    rdl = got["exercises"]["romanian-deadlift"]
    assert rdl["fault_share"] == 0.5
    assert rdl["best_e1rm_kg"] == 84.0


def test_fault_words_without_coach_tags_are_as_before() -> None:
    ticked = (a_set(faults=("knees_too_bent", "core_lost")), a_set(faults=("knees_too_bent",)), a_set())
    assert fmt_faults(ticked) == "knees too bent ×2, core lost"
    assert fmt_faults((a_set(coach_faults=(ROUNDED, coach_tag("core_lost", offset=-5))),)) == (
        "core lost, a fault tagged by your coach on 11 Nov; upper back rounding, a fault tagged by your coach on 18 Nov"
    )
