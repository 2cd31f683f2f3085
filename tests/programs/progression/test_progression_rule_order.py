"""Every pair of rules that can both apply to one week: the earlier rule wins.

Each case is built so that the later rule would fire on its own (checked by the ``alone`` input,
the same week without what triggers the earlier rule).
"""

from __future__ import annotations

import pytest
from progression_builders import a_set, clean, line, per_side, review, session, sets

from programs.progression import propose

SL = "single-leg-rdl"
FAULT = ("knees_too_bent",)


def pain_week(*extra):
    """A week with pain 4/10, plus whatever the later rule needs."""
    return session(2, a_set(pain=4), *extra)


# (id, winning rule, losing rule, input where both apply, input where only the loser applies)
PAIRS = [
    # 1 safety beats ...
    (
        "safety>data",
        "safety",
        "data",
        review(line(), clean(-27), clean(1), pain_week()),
        review(line(), clean(-27), clean(1)),
    ),
    (
        "safety>technique",
        "safety",
        "technique",
        review(line(), session(1, sets(3, faults=FAULT), a_set(pain=3))),
        review(line(), session(1, sets(3, faults=FAULT))),
    ),
    (
        "safety>deload",
        "safety",
        "deload",
        review(line(), clean(-6), clean(1, pain=5), deload_every=4),
        review(line(), clean(-6), clean(1), deload_every=4),
    ),
    (
        "safety>too_hard",
        "safety",
        "too_hard",
        review(line(), clean(-6, reps=6), clean(1, reps=6, pain=3)),
        review(line(), clean(-6, reps=6), clean(1, reps=6)),
    ),
    (
        "safety>progress",
        "safety",
        "progress",
        review(line(), clean(-6), clean(1), session(3, a_set(pain=1), sets(2))),
        review(line(), clean(-6), clean(1), session(3, sets(3))),
    ),
    (
        "safety>back-from-deload",
        "safety",
        "deload",
        review(line(sets=2, high=8), clean(1, 2, reps=8, pain=6), deload_in_force=line()),
        review(line(sets=2, high=8), clean(1, 2, reps=8), deload_in_force=line()),
    ),
    # back from deload (rule 4's second half) beats every rule after safety
    (
        "back-from-deload>data",
        "deload",
        "data",
        review(line(sets=2, high=8), clean(-30, 2, reps=8), clean(1, 2, reps=8), deload_in_force=line()),
        review(line(sets=2, high=8), clean(-30, 2, reps=8), clean(1, 2, reps=8)),
    ),
    (
        "back-from-deload>technique",
        "deload",
        "technique",
        review(line(sets=2, high=8), clean(1, 2, reps=8, faults=FAULT), deload_in_force=line()),
        review(line(sets=2, high=8), clean(1, 2, reps=8, faults=FAULT)),
    ),
    (
        "back-from-deload>too_hard",
        "deload",
        "too_hard",
        review(line(sets=2, high=8), clean(-6, 2, reps=5), clean(1, 2, reps=5), deload_in_force=line()),
        review(line(sets=2, high=8), clean(-6, 2, reps=5), clean(1, 2, reps=5)),
    ),
    (
        "back-from-deload>progress",
        "deload",
        "progress",
        review(
            line(sets=2, high=8, load="52.5"),
            clean(-6, 2, reps=8, load="52.5"),
            clean(1, 2, reps=8, load="52.5"),
            deload_in_force=line(),
        ),
        review(line(sets=2, high=8, load="52.5"), clean(-6, 2, reps=8, load="52.5"), clean(1, 2, reps=8, load="52.5")),
    ),
    # 2 data beats ...
    (
        "data>technique",
        "data",
        "technique",
        review(line(), clean(-20), clean(1, faults=FAULT)),
        review(line(), clean(-6), clean(1, faults=FAULT)),
    ),
    (
        "data>deload",
        "data",
        "deload",
        review(line(), clean(-20), clean(1), deload_every=4),
        review(line(), clean(-6), clean(1), deload_every=4),
    ),
    (
        "data>too_hard",
        "data",
        "too_hard",
        review(line(), clean(-20, reps=6), clean(1, reps=6)),
        review(line(), clean(-6, reps=6), clean(1, reps=6)),
    ),
    (
        "data>progress",
        "data",
        "progress",
        review(line(), clean(-20), clean(1), clean(3)),
        review(line(), clean(-6), clean(1), clean(3)),
    ),
    # 3 technique beats ...
    (
        "technique>deload",
        "technique",
        "deload",
        review(line(), clean(-6), clean(1, faults=FAULT), deload_every=4),
        review(line(), clean(-6), clean(1), deload_every=4),
    ),
    (
        "technique>too_hard",
        "technique",
        "too_hard",
        review(line(), clean(-6, reps=6, faults=FAULT), clean(1, reps=6, faults=FAULT)),
        review(line(), clean(-6, reps=6), clean(1, reps=6)),
    ),
    (
        "technique>progress",
        "technique",
        "progress",
        # A faulted third of the week's sets, on Monday; the last two sessions are clean and qualify.
        review(line(), session(0, sets(3, faults=FAULT)), clean(1), clean(3)),
        review(line(), session(0, sets(3)), clean(1), clean(3)),
    ),
    # 4 deload beats ...
    (
        "deload>too_hard",
        "deload",
        "too_hard",
        review(line(), clean(-6, reps=6), clean(1, reps=6), deload_every=4),
        review(line(), clean(-6, reps=6), clean(1, reps=6)),
    ),
    (
        "deload>progress",
        "deload",
        "progress",
        review(line(), clean(-6), clean(1), deload_every=8),
        review(line(), clean(-6), clean(1)),
    ),
    (
        "e1rm-deload>too_hard",
        "deload",
        "too_hard",
        review(line(load="100"), clean(-7, reps=10, load="100"), clean(1, reps=6, load="100")),
        review(
            line(load="100"),
            clean(-23, reps=10, load="100"),
            clean(-6, reps=6, load="100"),
            clean(1, reps=6, load="100"),
        ),
    ),
    # 5 too hard beats progress: a back-off set under the bottom in both qualifying sessions.
    (
        "too_hard>progress",
        "too_hard",
        "progress",
        review(line(), session(-6, sets(3), a_set(reps=5, load="50")), session(1, sets(3), a_set(reps=5, load="50"))),
        review(line(), session(-6, sets(3), a_set(reps=8, load="50")), session(1, sets(3), a_set(reps=8, load="50"))),
    ),
    (
        "rpe-too_hard>progress",
        "too_hard",
        "progress",
        # RPE is missing in the last two sessions (a missing RPE passes) but Monday's was 10.
        review(line(target_rpe="7"), session(0, sets(3, reps=10, rpe="10")), clean(1), clean(3)),
        review(line(target_rpe="7"), session(0, sets(3, reps=10, rpe="7")), clean(1), clean(3)),
    ),
    # 6 progress beats hold, by definition; the asymmetry post-rule turns it into a hold.
    ("progress>hold", "progress", "hold", review(line(), clean(-6), clean(1)), review(line(), clean(1))),
]


@pytest.mark.parametrize(
    ("winner", "loser", "both", "alone"),
    [pytest.param(w, lo, b, a, id=name) for name, w, lo, b, a in PAIRS],
)
def test_earlier_rule_wins(winner, loser, both, alone):
    assert propose(alone).rule == loser, propose(alone).rationale
    assert propose(both).rule == winner, propose(both).rationale


def test_back_from_deload_with_pain_1_2_holds_the_deload_line():
    deload_line = line(sets=2, high=8, load="52.5")
    proposal = propose(review(deload_line, clean(1, 2, reps=8, load="52.5", pain=1), deload_in_force=line()))
    assert (proposal.rule, proposal.action, proposal.flags) == ("safety", "hold", ("pain",))
    assert proposal.proposed == deload_line


def test_asymmetry_turns_an_earned_progression_into_a_hold():
    even = review(line(SL, load="12"), session(-6, per_side(3, SL, load="12")), session(1, per_side(3, SL, load="12")))
    uneven = review(
        line(SL, load="12"),
        session(-6, per_side(3, SL, load="12")),
        session(1, per_side(3, SL, load="12"), sets(2, SL, load="12", side="left")),
    )
    assert propose(even).action == "progress"
    held = propose(uneven)
    assert (held.action, held.rule, held.flags) == ("hold", "progress", ("asymmetry",))
    assert held.proposed == held.current
