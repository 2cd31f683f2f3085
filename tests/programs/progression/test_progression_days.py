"""Training days in the engine (docs/domain.md "Training days", "Reviews with days").

Most tables run one exercise on two days: a heavy Romanian deadlift day (day 1, 3 × 8–12 at
80 kg) and a light one (day 2, 3 × 8–12 at 60 kg). Each line is judged on its own sessions; pain
and the break look at the exercise on every day. Day offsets count from Monday 16 Nov 2026, the
reviewed week's Monday (1 = Tue 17 Nov, 3 = Thu 19 Nov, -6 = Tue 10 Nov).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from progression_builders import LIBRARY, MON, Expect, a_set, check, days_review, line, per_side, session, sets
from test_progression_properties import BOUNDED, any_input, any_line, any_session, lines, reviews, sessions_for

from programs.progression import (
    Line,
    Prescription,
    Proposal,
    ReviewInput,
    SessionLog,
    line_for,
    max_days_between,
    own_sessions,
    propose,
    propose_prescription,
)
from programs.progression.review import _exercise_sessions, build_review

RDL = "romanian-deadlift"
KBD = "kettlebell-deadlift"
KBS = "kettlebell-swing"
HT = "hip-thrust"
SL = "single-leg-rdl"
DOWEL = "dowel-hip-hinge"
BLOCKS = "kettlebell-deadlift-blocks"
PAIN_FLAGS = ("pain", "refer")

HEAVY = line(load="80", day=1)
LIGHT = line(load="60", day=2)
TWO = (HEAVY, LIGHT)


def heavy(offset: int, *logged, reps: int = 12, load: str = "80", on_day: int | None = 1) -> SessionLog:
    """A heavy-day session: 3 × ``reps`` at 80 kg, or the sets given."""
    return session(offset, *(logged or (sets(3, RDL, reps, load),)), on_day=on_day)


def light(offset: int, *logged, reps: int = 12, load: str = "60", on_day: int | None = 2) -> SessionLog:
    """A light-day session: 3 × ``reps`` at 60 kg, or the sets given."""
    return session(offset, *(logged or (sets(3, RDL, reps, load),)), on_day=on_day)


def on(which: Line, *sessions: SessionLog, prescription: tuple[Line, ...] = TWO, **kwargs) -> ReviewInput:
    return days_review(which, prescription, *sessions, **kwargs)


# Every rule with two days of one exercise ------------------------------------------------------

# Two of the heavy day's three sets had a fault: 2 of 3, though 2 of the week's 9 sets with the light day.
FAULTED_HEAVY = heavy(1, sets(2, RDL, 12, "80", faults=("bar_drift",)), a_set(RDL, 12, "80"))

RULES = [
    # Rule 1: pain concerns the client, so it looks at the exercise on every day.
    pytest.param(
        on(HEAVY, heavy(-6), heavy(1), light(3, sets(2, RDL, 12, "60"), a_set(RDL, 12, "60", pain=3))),
        Expect("regress", "safety", PAIN_FLAGS, exercise=KBD, says=("Safety", "pain 3/10", "19 Nov", "clinician")),
        id="rule-1-pain-on-the-light-day-regresses-the-heavy-day",
    ),
    pytest.param(
        on(
            LIGHT,
            heavy(1, sets(2, RDL, 12, "80"), a_set(RDL, 12, "80", pain=1)),
            light(3, sets(2, RDL, 12, "60"), a_set(RDL, 12, "60", pain=1)),
        ),
        Expect("regress", "safety", PAIN_FLAGS, exercise=KBD, says=("pain in 2 sessions", "17 Nov", "19 Nov")),
        id="rule-1-pain-on-two-days-is-pain-in-two-sessions",
    ),
    # Rule 2: "no set in the week" is the line's; the break is the exercise's on every day.
    pytest.param(
        on(LIGHT, heavy(-6), light(-4), heavy(1)),
        Expect("hold", "data", ("no_data",), load="60", says=("no set of Romanian deadlift",)),
        id="rule-2-the-light-line-has-no-set-this-week-though-the-heavy-day-was-logged",
    ),
    pytest.param(
        on(HEAVY, heavy(-6), light(-4), heavy(1)),
        Expect("progress", "progress", (), load="82.5", says=("10 Nov and 17 Nov",)),
        id="rule-2-the-heavy-line-was-logged-so-no-no_data",
    ),
    pytest.param(
        on(LIGHT, light(-20), heavy(-6), light(3)),
        Expect("hold", "hold", (), load="60", says=("23 days apart, more than 10",)),
        id="rule-2-a-heavy-day-in-between-is-no-break-for-the-light-line",
    ),
    pytest.param(
        on(LIGHT, heavy(-20), light(3)),
        Expect("regress", "data", ("return_from_break",), load="52.5", says=("23-day break", "27 Oct → 19 Nov")),
        id="rule-2-a-break-counts-the-gap-across-days",
    ),
    # Rule 3: the week's sets and the last two sessions are the line's own.
    pytest.param(
        on(HEAVY, FAULTED_HEAVY, light(3, sets(6, RDL, 12, "60"))),
        Expect("regress", "technique", (), load="70", says=("2 of 3 sets this week had a fault",)),
        id="rule-3-a-faulted-third-of-the-heavy-days-sets-though-not-of-all",
    ),
    pytest.param(
        on(LIGHT, FAULTED_HEAVY, light(-4), light(3, sets(6, RDL, 12, "60"))),
        Expect("progress", "progress", (), load="62.5", says=("12 Nov and 19 Nov",)),
        id="rule-3-the-heavy-days-faults-do-not-regress-the-light-line",
    ),
    pytest.param(
        on(
            HEAVY,
            heavy(-6, sets(4, RDL, 12, "80"), a_set(RDL, 12, "80", faults=("core_lost",))),
            heavy(1, sets(4, RDL, 12, "80"), a_set(RDL, 12, "80", faults=("core_lost",))),
            light(3),
        ),
        Expect("regress", "technique", (), load="70", says=("a fault in each of the last two sessions", "10 Nov")),
        id="rule-3-a-fault-in-each-of-the-heavy-days-last-two-sessions",
    ),
    # Rule 4: a heavy day is compared with heavy days.
    pytest.param(
        on(HEAVY, heavy(-13, reps=8), light(-11), heavy(-6, reps=8), light(-4), heavy(1, reps=8, load="70"), light(3)),
        Expect("deload", "deload", (), sets=2, low=8, high=8, load="70", says=("12.5% below",)),
        id="rule-4-the-heavy-days-e1rm-drop-deloads-the-heavy-line",
    ),
    pytest.param(
        on(LIGHT, heavy(-13, reps=8), light(-11), heavy(-6, reps=8), light(-4), heavy(1, reps=8, load="70"), light(3)),
        Expect("progress", "progress", (), load="62.5"),
        id="rule-4-the-light-day-is-not-compared-with-heavy-days",
    ),
    pytest.param(
        on(LIGHT, heavy(-6, reps=8), light(-4), light(3)),
        Expect("progress", "progress", (), load="62.5"),
        id="rule-4-a-light-week-after-a-heavy-one-is-no-e1rm-drop",
    ),
    pytest.param(
        on(LIGHT, heavy(1), light(3), deload_every=4),
        Expect("deload", "deload", (), sets=2, low=8, high=8, load="52.5", says=("scheduled deload week",)),
        id="rule-4-a-scheduled-deload-is-every-lines",
    ),
    # Rule 5: the mean RPE and the sets under the bottom are the line's own.
    pytest.param(
        on(
            replace(HEAVY, target_rpe=Decimal(8)),
            heavy(1, sets(3, RDL, 12, "80", rpe="10")),
            light(3, sets(3, RDL, 12, "60", rpe="6")),
            prescription=(replace(HEAVY, target_rpe=Decimal(8)), replace(LIGHT, target_rpe=Decimal(8))),
        ),
        Expect("regress", "too_hard", (), load="75", says=("the mean RPE this week, 10",)),
        id="rule-5-the-heavy-days-mean-rpe-though-the-weeks-is-on-target",
    ),
    pytest.param(
        on(
            HEAVY,
            heavy(-6, sets(2, RDL, 12, "80"), a_set(RDL, 6, "80")),
            light(-4),
            heavy(1, sets(2, RDL, 12, "80"), a_set(RDL, 6, "80")),
            light(3),
        ),
        Expect("regress", "too_hard", (), load="75", says=("a set under 8 reps in each of the last two sessions",)),
        id="rule-5-a-set-under-the-bottom-on-each-of-the-last-two-heavy-days",
    ),
    # Rule 6: the last two sessions and the qualifying test are the line's own.
    pytest.param(
        on(HEAVY, heavy(-6), light(-4, reps=10), heavy(1), light(3, reps=10)),
        Expect("progress", "progress", (), load="82.5", says=("the last two sessions, 10 Nov and 17 Nov",)),
        id="rule-6-the-heavy-line-progresses-on-its-own-sessions",
    ),
    pytest.param(
        on(LIGHT, heavy(-6), light(-4, reps=10), heavy(1), light(3, reps=10)),
        Expect(
            "hold",
            "hold",
            (),
            load="60",
            says=(
                "no set reached 12 reps on 19 Nov",
                "12 Nov did not qualify either",
            ),
        ),
        id="rule-6-the-light-line-does-not-qualify-on-the-heavy-days",
    ),
    pytest.param(
        on(HEAVY, heavy(-6, on_day=None), light(-4, reps=10), heavy(1)),
        Expect("progress", "progress", (), load="82.5", says=("10 Nov and 17 Nov",)),
        id="rule-6-a-dayless-heavy-session-counts-for-the-heavy-line",
    ),
    # Rule 7 and the asymmetry post-rule.
    pytest.param(
        on(LIGHT, heavy(-6), heavy(1), light(3)),
        Expect("hold", "hold", (), load="60", says=("19 Nov qualified, but it is the only session",)),
        id="rule-7-one-own-session-is-not-two",
    ),
]


@pytest.mark.parametrize(("inp", "expect"), RULES)
def test_every_rule_judges_a_line_on_its_own_sessions(inp, expect):
    check(propose(inp), expect)


SL_HEAVY = line(SL, load="12", day=1)
SL_LIGHT = line(SL, load="8", day=2)
SL_WEEK = (
    session(-6, per_side(3, SL, 12, "12"), on_day=1),
    session(1, per_side(3, SL, 12, "12"), on_day=1),
    session(3, sets(3, SL, 12, "8", side="left"), sets(3, SL, 6, "8", side="right"), on_day=2),
)


def test_asymmetry_is_the_lines_own_week():
    """All sets of the week: left 720, right 576 kg (80%); the heavy day alone is even."""
    heavy_day = propose(on(SL_HEAVY, *SL_WEEK, prescription=(SL_HEAVY, SL_LIGHT)))
    light_day = propose(on(SL_LIGHT, *SL_WEEK, prescription=(SL_HEAVY, SL_LIGHT)))
    check(heavy_day, Expect("progress", "progress", (), load="14"))
    check(light_day, Expect("hold", "hold", ("asymmetry",), says=("right side's volume load", "50% of the left")))


# Rule 6's window ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "per_week", "window"),
    [
        (1, 1, 10),  # 7 + 3 = 10
        (1, 3, 10),  # shorter than 10: 10
        (2, 2, 10),
        (3, 3, 10),
        (2, 1, 17),  # each day every 14 days
        (3, 2, 13),  # every 10.5 days: 13.5, so 13 whole days
        (4, 3, 12),  # 28 / 3 + 3 = 12.33
        (7, 1, 52),
        (7, 7, 10),
        (0, 2, 10),  # no usable count: the plain window
        (2, 0, 10),
        (3, -1, 10),
    ],
)
def test_rule_6_window_widens_for_days_that_come_round_less_than_weekly(days, per_week, window):
    assert max_days_between(days, per_week) == window


ROTATION = (line(RDL, load="80", day=1), line(KBS, load="24", day=2), line(HT, load="100", day=3))


def test_a_three_day_rotation_twice_a_week_progresses_13_days_apart():
    inp = on(ROTATION[0], heavy(-12), heavy(1), prescription=ROTATION, per_week=2)
    check(propose(inp), Expect("progress", "progress", (), load="82.5", says=("13 days apart",)))


def test_the_same_rotation_three_times_a_week_keeps_the_10_day_window():
    inp = on(ROTATION[0], heavy(-12), heavy(1), prescription=ROTATION, per_week=3)
    check(propose(inp), Expect("hold", "hold", (), load="80", says=("13 days apart, more than 10", "within 10 days")))


def test_the_hold_names_the_widened_window():
    inp = on(ROTATION[0], heavy(1), prescription=ROTATION, per_week=2)
    check(propose(inp), Expect("hold", "hold", (), says=("repeat it within 13 days",)))


def test_sessions_per_week_defaults_to_one_per_day():
    inp = on(ROTATION[0], heavy(-12), heavy(1), prescription=ROTATION)
    check(propose(inp), Expect("hold", "hold", (), says=("more than 10",)))


# A move onto an exercise that the line's day already has -------------------------------------------


def test_a_move_onto_an_exercise_the_day_already_has_is_a_hold():
    plan = Prescription(lines=(HEAVY, line(KBD, load="24", day=1), LIGHT), days=(1, 2))
    week = (heavy(1, sets(2, RDL, 12, "80"), a_set(RDL, 12, "80", pain=3)), light(3))
    got = propose_prescription(plan, **_settings(), sessions=week)
    heavy_day, _, light_day = got
    check(
        heavy_day,
        Expect(
            "hold",
            "safety",
            PAIN_FLAGS,
            exercise=RDL,
            load="80",
            says=("Kettlebell deadlift is already on this line's day",),
        ),
    )
    assert heavy_day.proposed == HEAVY
    # Day 2 has no kettlebell deadlift: the light line moves to it.
    check(light_day, Expect("regress", "safety", PAIN_FLAGS, exercise=KBD))


def test_a_drill_moving_up_onto_the_days_next_exercise_holds():
    drill = line(DOWEL, load="0")
    plan = (drill, line(BLOCKS, load="16"))
    inp = on(
        drill,
        session(-6, sets(3, DOWEL, 12, "0"), on_day=1),
        session(1, sets(3, DOWEL, 12, "0"), on_day=1),
        prescription=plan,
    )
    check(
        propose(inp),
        Expect(
            "hold",
            "progress",
            (),
            exercise=DOWEL,
            says=("Kettlebell deadlift from blocks is already on this line's day",),
        ),
    )
    # The same drill alone on its day moves up, as it always did.
    check(propose(replace(inp, prescription=None)), Expect("progress", "progress", (), exercise=BLOCKS))


# One proposal per line, ordered by day then position ---------------------------------------------


def _settings() -> dict[str, object]:
    plain = on(HEAVY)
    return {"settings": plain.settings, "library": plain.library, "week_start": plain.week_start}


def test_propose_prescription_gives_one_proposal_per_line_by_day_then_position():
    swing = line(KBS, load="24", day=1)
    plan = Prescription(lines=(HEAVY, swing, LIGHT), days=(2, 1))  # day 2 was moved first
    week = (heavy(-6), heavy(1), light(3), session(2, sets(3, KBS, 12, "24"), on_day=1))
    got = propose_prescription(plan, **_settings(), sessions=week)
    assert [(p.day, p.exercise) for p in got] == [(2, RDL), (1, RDL), (1, KBS)]
    assert [p.current for p in got] == [LIGHT, HEAVY, swing]
    for proposal in got:
        assert proposal == propose(on(proposal.current, *week, prescription=plan.lines, days=(2, 1)))


def test_propose_prescription_takes_each_lines_deload_in_force():
    before = line(load="100", day=2)
    week = (heavy(-6), heavy(1), light(3))
    got = propose_prescription(Prescription(lines=TWO), **_settings(), sessions=week, deloads_in_force={1: before})
    check(got[1], Expect("hold", "deload", (), load="100", says=("back from deload",)))
    check(got[0], Expect("progress", "progress", (), load="82.5"))
    assert got[0] == propose(on(HEAVY, *week))


# Where dayless sets go ------------------------------------------------------------------------

PLAN = (
    line(RDL, load="80", day=1),  # 0
    line(RDL, load="60", day=2),  # 1
    line(KBS, load="24", day=2),  # 2
    line(HT, load="100", day=1),  # 3
    line(RDL, load="135", unit="lb", day=3),  # 4: 61.23 kg
)
DAYS = (1, 2, 3)


@pytest.mark.parametrize(
    ("exercise", "session_day", "heaviest", "expected"),
    [
        pytest.param(RDL, 1, "60", 0, id="its-own-day-whatever-the-load"),
        pytest.param(RDL, 2, "80", 1, id="the-other-day-whatever-the-load"),
        pytest.param(RDL, 3, "80", 4, id="a-day-in-lb"),
        pytest.param(RDL, None, "78", 0, id="dayless-nearest-the-heavy-load"),
        pytest.param(RDL, None, "59", 1, id="dayless-nearest-the-light-load"),
        pytest.param(RDL, None, "61", 4, id="dayless-nearest-in-kg-a-line-in-lb"),
        pytest.param(RDL, 5, "61", 4, id="a-day-the-assignment-no-longer-has-is-dayless"),
        pytest.param(RDL, 0, "200", 0, id="day-zero-is-dayless"),
        pytest.param(HT, 2, "40", 3, id="an-exercise-the-day-lacks-goes-to-its-only-line"),
        pytest.param(KBS, 1, "16", 2, id="swing-on-day-1-goes-to-day-2"),
        pytest.param(KBS, None, "48", 2, id="one-line-whatever-the-load"),
        pytest.param("deadlift", 1, "100", None, id="an-exercise-without-a-line-goes-nowhere"),
        pytest.param(RDL, None, "NaN", 0, id="no-usable-load-goes-to-the-first-line"),
    ],
)
def test_line_for_dayless_sets(exercise, session_day, heaviest, expected):
    assert line_for(exercise, session_day, Decimal(heaviest), PLAN, DAYS) == expected


@pytest.mark.parametrize(
    ("loads", "expected"),
    [(("60", "80"), 0), (("80", "60"), 0), (("80", "60", "70"), 2), (("60", "80", "60"), 0)],
)
def test_line_for_a_tie_goes_to_the_first_line_in_order(loads, expected):
    """Dayless sets whose heaviest load is 70 kg: as near to 60 as to 80 kg."""
    lines_ = tuple(line(RDL, load=load, day=number) for number, load in enumerate(loads, start=1))
    assert line_for(RDL, None, Decimal("70"), lines_, (1, 2, 3)) == expected


def test_line_for_a_day_that_is_not_the_assignments():
    """Day 3's line is there, but the assignment has only days 1 and 2: a day-3 session is dayless."""
    assert line_for(RDL, 3, Decimal("79"), PLAN, (1, 2)) == 0


def test_a_line_with_an_unusable_load_is_never_nearest():
    lines_ = (line(RDL, load="NaN", day=1), line(RDL, load="60", day=2))
    assert line_for(RDL, None, Decimal("200"), lines_, (1, 2)) == 1


def test_own_sessions_splits_each_session_by_exercise_and_line():
    dayless = session(-1, a_set(RDL, 12, "40"), a_set(RDL, 8, "80"), sets(2, KBS, 15, "24"), sid="dayless")
    day_two = session(2, sets(3, RDL, 8, "80"), a_set(HT, 10, "100"), a_set("deadlift", 5, "140"), on_day=2, sid="d2")
    got = own_sessions((dayless, day_two), PLAN, DAYS)
    # The dayless RDL sets go together, by their heaviest load (80 kg), to the heavy line.
    assert [s.id for s in got[0]] == ["dayless"]
    assert [str(x.load_kg) for x in got[0][0].sets] == ["40", "80"]
    # Day 2's RDL sets are day 2's line's, however heavy.
    assert [s.id for s in got[1]] == ["d2"]
    assert len(got[1][0].sets) == 3
    assert [(s.id, len(s.sets)) for s in got[2]] == [("dayless", 2)]
    # Day 2 has no hip thrust: its set goes to day 1's line; the deadlift has no line.
    assert [(s.id, s.day, s.performed_on) for s in got[3]] == [("d2", 2, MON + timedelta(days=2))]
    assert got[4] == ()
    assert sum(len(s.sets) for own in got for s in own) == 8


def test_own_sessions_of_a_one_line_prescription_is_every_set_of_its_exercise():
    week = (heavy(1, on_day=None), light(3, on_day=7), heavy(4, on_day=1))
    (got,) = own_sessions(week, (HEAVY,), (1,))
    assert got == week


# Properties -------------------------------------------------------------------------------------

session_days = st.sampled_from([None, 1, 2, 7])


@st.composite
def with_days(draw, inp: ReviewInput) -> ReviewInput:
    """The same review as a one-day prescription: the line on day 1 with other lines of that day
    (never the line's easier or harder variant, which no line of a day may be moved onto), and the
    sessions dayless or of day 1 or of days the assignment does not have."""
    facts = LIBRARY[inp.line.exercise]
    others = [slug for slug in sorted(LIBRARY) if slug not in (inp.line.exercise, facts.easier, facts.harder)]
    extra = draw(st.lists(st.sampled_from(others), unique=True, max_size=3))
    extra_lines = [draw(lines(slug=slug, unit=inp.line.unit)) for slug in extra]
    day_one = replace(inp.line, day=1)
    plan = extra_lines[:]
    plan.insert(draw(st.integers(0, len(plan))), day_one)
    sessions = tuple(replace(s, day=draw(session_days)) for s in inp.sessions)
    prescription = Prescription(
        lines=tuple(plan), days=draw(st.sampled_from([(), (1,)])), sessions_per_week=draw(st.none() | st.integers(1, 7))
    )
    return replace(inp, line=day_one, sessions=sessions, prescription=prescription)


@BOUNDED
@given(st.data())
def test_a_one_day_prescription_gives_exactly_the_proposals_it_gives_today(data):
    inp = data.draw(reviews())
    again = data.draw(with_days(inp))
    assert propose(again) == propose(inp)


@st.composite
def one_day_weeks(draw) -> tuple[tuple[Line, ...], tuple[SessionLog, ...]]:
    slugs = draw(st.lists(st.sampled_from(sorted(LIBRARY)), unique=True, min_size=1, max_size=4))
    found = [draw(lines(slug=slug, unit="kg")) for slug in slugs]
    sessions = []
    for index, one in enumerate(found):
        for s in draw(sessions_for(one)):
            sessions.append(replace(s, id=f"{index}-{s.id}", day=draw(session_days)))
    return tuple(found), tuple(sessions)


@BOUNDED
@given(one_day_weeks())
def test_a_one_day_prescription_reviewed_whole_is_todays_review_line_by_line(week):
    """Every line gets today's proposal, except that a move onto another line of the day holds."""
    plan, sessions = week
    kwargs = _settings()
    got = propose_prescription(Prescription(lines=plan), **kwargs, sessions=sessions)
    assert [p.current for p in got] == list(plan)
    on_the_day = {one.exercise for one in plan}
    for one, proposal in zip(plan, got, strict=True):
        today = propose(ReviewInput(line=one, sessions=sessions, **kwargs))  # type: ignore[arg-type]
        if today.proposed.exercise != one.exercise and today.proposed.exercise in on_the_day:
            assert proposal.action == "hold"
            assert proposal.proposed == one
            assert (proposal.rule, proposal.flags) == (today.rule, today.flags)
            # Today's words, then why the move cannot be made (the asymmetry post-rule's come after).
            assert proposal.rationale.startswith(today.rationale.split(" Asymmetry: ")[0])
            assert "already on this line's day" in proposal.rationale
        else:
            assert proposal == today


any_day = st.integers(-1, 9)


@BOUNDED
@given(
    any_input,
    st.lists(any_line, max_size=4),
    st.lists(any_day, max_size=4),
    st.none() | st.integers(-2, 30),
    st.lists(st.tuples(any_session, st.none() | any_day), max_size=4),
)
def test_the_engine_never_raises_with_any_days(inp, others, days, per_week, more):
    plan = tuple(replace(one, day=day) for one, day in zip(others, [*days, *([1] * len(others))], strict=False))
    sessions = inp.sessions + tuple(replace(s, day=d) for s, d in more)
    prescription = Prescription(lines=(*plan, inp.line), days=tuple(days), sessions_per_week=per_week)
    assert isinstance(propose(replace(inp, sessions=sessions, prescription=prescription)), Proposal)
    got = propose_prescription(
        prescription, settings=inp.settings, library=inp.library, week_start=inp.week_start, sessions=sessions
    )
    assert len(got) == len(prescription.lines)


@st.composite
def days_weeks(draw) -> tuple[tuple[Line, ...], tuple[SessionLog, ...], tuple[int, ...]]:
    """A prescription over days 1, 2 and 7, some exercises on one line and some on several, and
    sessions of those days, of no day, or of a day the assignment does not have."""
    # Few exercises, so that one is often on several days (its dayless sets go by their load).
    choice = draw(st.lists(st.sampled_from(sorted(LIBRARY)), min_size=1, max_size=3, unique=True))
    slugs = draw(st.lists(st.sampled_from(choice), min_size=1, max_size=6))
    plan: list[Line] = []
    for slug in slugs:
        day = draw(st.sampled_from([1, 2, 7]))
        if any(one.exercise == slug and one.day == day for one in plan):
            continue  # an exercise is on a day at most once
        plan.append(replace(draw(lines(slug=slug, unit="kg")), day=day))
    sessions = []
    for index, one in enumerate(plan):
        for s in draw(sessions_for(one)):
            sessions.append(replace(s, id=f"{index}-{s.id}", day=draw(st.sampled_from([None, 1, 2, 3, 7]))))
    return tuple(plan), tuple(sessions), draw(st.sampled_from([(1, 2, 7), (1, 2), (1,)]))


@BOUNDED
@given(days_weeks(), st.none() | st.integers(-40, -1))
def test_the_only_line_of_an_exercise_sees_every_session_of_it_on_every_day(week, before):
    """``build_review`` builds the exercise's history once for the only line of an exercise: its own
    sessions seen through the exercise are then the exercise's sessions on every day."""
    plan, sessions, days = week
    own = own_sessions(sessions, plan, days)
    last_done_before = None if before is None else MON + timedelta(days=before)
    for index, one in enumerate(plan):
        if sum(1 for other in plan if other.exercise == one.exercise) != 1:
            continue
        inp = ReviewInput(
            line=one, sessions=sessions, prescription=Prescription(lines=plan, days=days),
            last_done_before=last_done_before, **_settings(),  # type: ignore[arg-type]
        )  # fmt: skip
        review = build_review(inp, LIBRARY[one.exercise], own[index], only_line=True)
        assert (review.history, review.week) == _exercise_sessions(inp, own[index])
        assert (review.exercise_history, review.exercise_week) == _exercise_sessions(inp, sessions)


@BOUNDED
@given(days_weeks(), st.lists(st.tuples(any_session, st.none() | any_day), max_size=4))
def test_own_sessions_sends_every_exercises_sets_where_line_for_does(week, more):
    """``own_sessions`` asks ``line_for`` only where loads decide: every group of sets still goes
    to the line ``line_for`` names with the group's heaviest load."""
    plan, sessions, days = week
    sessions = (*sessions, *(replace(s, id=f"x{i}", day=day) for i, (s, day) in enumerate(more)))
    expected: list[list[tuple[str, tuple[object, ...]]]] = [[] for _ in plan]
    for s in sessions:
        groups: dict[str, list[object]] = {}
        for logged in s.sets:
            groups.setdefault(logged.exercise, []).append(logged)
        for exercise, group in groups.items():
            heaviest = max(logged.clean_load_kg for logged in group)  # type: ignore[attr-defined]
            index = line_for(exercise, s.day, heaviest, plan, days)
            if index is not None:
                expected[index].append((s.id, tuple(group)))
    got = own_sessions(sessions, plan, days)
    assert [[(s.id, s.sets) for s in own] for own in got] == expected
