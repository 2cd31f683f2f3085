"""docs/domain.md ("Weekly review: metrics"): an assignment's first week, when it starts mid-week.

Only sessions on or after the start date (``week_from``) are the week's sessions for the rules
and the metrics; earlier ones in that week are history: the last two sessions, the break, rule
4's earlier weeks. Adherence is not prorated. The week is Mon 16 – Sun 22 Nov 2026 and the
assignment starts on Wednesday 18 Nov (offset 2).
"""

from __future__ import annotations

import dataclasses

import pytest
from progression_builders import MON, Expect, check, clean, day, line, review, session, sets

from programs.progression import propose, week_metrics

START = day(2)
FAULTED = ("knees_too_bent",)


def first_week(inp):
    return dataclasses.replace(inp, week_from=START)


CASES = [
    pytest.param(
        review(line(high=12), session(0, sets(3, faults=FAULTED)), clean(2), clean(4)),
        Expect("progress", "progress", load="62.5"),
        id="faults-before-the-start-are-not-the-weeks-sets",
    ),
    pytest.param(
        review(line(), clean(0)),
        Expect("hold", "data", ("no_data",)),
        id="a-set-only-before-the-start-is-no-data",
    ),
    pytest.param(
        review(line(load="95", low=5, high=8), clean(0, reps=6, load="100"), clean(3, reps=6, load="95")),
        Expect("deload", "deload", says=("5% below",)),
        id="a-session-before-the-start-is-one-of-rule-4s-earlier-weeks",
    ),
    pytest.param(
        review(line(), clean(-30), clean(0), clean(2)),
        Expect("progress", "progress"),
        id="the-break-ends-at-the-session-before-the-start",
    ),
]


@pytest.mark.parametrize(("inp", "expect"), CASES)
def test_first_week_sessions_start_on_the_start_date(inp, expect):
    check(propose(first_week(inp)), expect)


def test_without_week_from_the_whole_week_counts():
    inp = review(line(high=12), session(0, sets(3, faults=FAULTED)), clean(2), clean(4))
    assert propose(inp).rule == "technique"


def test_first_week_metrics_leave_out_sessions_before_the_start_and_are_not_prorated():
    sessions = (session(0, sets(3, faults=FAULTED)), clean(2), clean(4))
    got = week_metrics(week_start=MON, week_from=START, sessions=sessions, sessions_prescribed=3, library={})
    assert (got["sessions_logged"], got["sessions_prescribed"], got["adherence_pct"]) == (2, 3, 66.7)
    assert got["exercises"]["romanian-deadlift"]["sets"] == 6
    assert got["exercises"]["romanian-deadlift"]["fault_share"] == 0.0
    whole = week_metrics(week_start=MON, sessions=sessions, sessions_prescribed=3, library={})
    assert whole["sessions_logged"] == 3
