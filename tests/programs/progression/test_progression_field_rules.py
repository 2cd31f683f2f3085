"""Field defects in the rules (docs/domain.md "Weekly review"): same-day order, the exact 5% e1RM drop,
a deload onto a variant with another measure, ``no_data`` everywhere, the 1,000 kg ceiling, and
the deload week numbering from week 0."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from progression_builders import LIBRARY, MON, Expect, check, clean, day, line, review, session, sets

from programs.progression import ExerciseFacts, SessionLog, propose

RDL = "romanian-deadlift"
HOLD = "rdl-isometric-hold"
DOWEL = "dowel-hip-hinge"


def at(offset: int, hour: int, tz: timezone = UTC) -> datetime:
    return datetime.combine(day(offset), datetime.min.time(), tzinfo=tz).replace(hour=hour)


# 3. Two sessions on one day: ordered by the time performed ------------------------------------


def same_day(first_id: str, second_id: str) -> tuple[SessionLog, ...]:
    """Tuesday 07:00 short of the top (8 reps), Tuesday 18:00 clean, Thursday clean."""
    return (
        replace(session(1, sets(3, reps=8), sid=first_id), performed_at=at(1, 7)),
        replace(clean(1), id=second_id, performed_at=at(1, 18)),
        replace(clean(3), id="thursday", performed_at=at(3, 9)),
    )


@pytest.mark.parametrize(("early_id", "late_id"), [("a", "b"), ("z", "b"), ("ffff", "0000")])
def test_the_last_two_sessions_follow_the_time_performed_not_the_id(early_id, late_id):
    check(
        propose(review(line(), *same_day(early_id, late_id))),
        Expect("progress", "progress", load="62.5", says=("19 Nov",)),
    )


def test_same_day_sessions_in_the_wrong_time_order_hold():
    """Tuesday 18:00 short of the top is the later one: the last two are it and Thursday."""
    sessions = (
        replace(clean(1), id="a", performed_at=at(1, 7)),
        replace(session(1, sets(3, reps=8), sid="b"), performed_at=at(1, 18)),
        replace(clean(3), id="thursday", performed_at=at(3, 9)),
    )
    check(propose(review(line(), *sessions)), Expect("hold", "hold", load="60"))


def test_same_day_times_compare_as_instants_whatever_the_offset():
    """07:00 in New York (12:00 UTC) is after 09:00 UTC on the same local date."""
    new_york = timezone(timedelta(hours=-5))
    sessions = (
        replace(session(1, sets(3, reps=8), sid="a"), performed_at=at(1, 7, new_york)),
        replace(clean(1), id="z", performed_at=at(1, 9)),
        replace(clean(3), id="thursday", performed_at=at(3, 9)),
    )
    # The 8-rep session (12:00 UTC) is later than the clean 09:00 one: the last two do not qualify.
    check(propose(review(line(), *sessions)), Expect("hold", "hold"))


# 4. An e1RM drop of exactly 5% deloads ---------------------------------------------------------


@pytest.mark.parametrize(
    ("week_load", "week_reps", "earlier_load", "earlier_reps", "action"),
    [
        ("95", 2, "80", 10, "deload"),  # 95 × 32/30 = 101.33 is exactly 95% of 80 × 40/30 = 106.67
        ("23.75", 2, "20", 10, "deload"),
        ("59.375", 1, "62.5", 1, "deload"),
        ("95.01", 2, "80", 10, "hold"),  # just under 5%
    ],
)
def test_an_e1rm_drop_of_exactly_5_percent_deloads(week_load, week_reps, earlier_load, earlier_reps, action):
    current = line(sets=3, low=1, high=12, load="80")
    inp = review(
        current,
        session(-6, sets(3, reps=earlier_reps, load=earlier_load)),
        session(1, sets(3, reps=week_reps, load=week_load)),
    )
    proposal = propose(inp)
    assert proposal.action == action, proposal.rationale
    if action == "deload":
        check(proposal, Expect("deload", "deload", sets=2, low=1, high=1, load="70", says=("is 5% below",)))


# 6. A deload onto a variant with another measure: the new default range's bottom ---------------


def test_a_deload_onto_a_rep_variant_keeps_bottom_to_bottom():
    """A hold at the empty bar cannot be cut 10%: the easier dowel drill, 8–12 → 8–8."""
    current = line(HOLD, sets=2, low=10, high=20, load="20")
    inp = review(current, session(1, sets(2, HOLD, reps=None, seconds=20, load="20")), deload_every=4)
    check(propose(inp), Expect("deload", "deload", exercise=DOWEL, sets=1, low=8, high=8, load="0"))


def test_a_deload_onto_a_hold_keeps_bottom_to_bottom():
    """A reps exercise whose easier variant is a hold: 10–20 s → 10–10 s."""
    library = {
        **LIBRARY,
        "rack-pull": ExerciseFacts("rack-pull", "Rack pull", "barbell", "reps", "bilateral", easier=HOLD),
    }
    current = line("rack-pull", sets=3, low=6, high=10, load="20")
    inp = review(current, session(1, sets(3, "rack-pull", reps=10, load="20")), deload_every=4, library=library)
    check(
        propose(inp),
        Expect("deload", "deload", exercise=HOLD, sets=2, low=10, high=10, load="20", says=("2 × 10 s at 20 kg",)),
    )


# 7. no_data wherever no set was logged; nothing past 1,000 kg ---------------------------------


def test_back_from_deload_without_sets_is_flagged_no_data():
    before = line(sets=3, load="60")
    deloaded = line(sets=2, low=8, high=8, load="52.5")
    inp = review(deloaded, clean(-6), deload_in_force=before)
    check(propose(inp), Expect("hold", "deload", ("no_data",), sets=3, load="60", says=("back from deload",)))


def test_a_line_the_engine_cannot_judge_without_sets_is_flagged_no_data():
    check(propose(review(line("no-such-exercise"))), Expect("hold", "hold", ("no_data",)))
    check(propose(review(line("no-such-exercise"), session(1, sets(3, "no-such-exercise")))), Expect("hold", "hold"))


@pytest.mark.parametrize(
    ("load", "unit", "action", "proposed"),
    [
        ("1000", "kg", "hold", "1000"),  # 1,050 kg is over 1,000 kg
        ("960", "kg", "hold", "960"),  # 1,007.5 kg
        ("950", "kg", "progress", "997.5"),
        ("2200", "lb", "hold", "2200"),  # 2,310 lb is 1,047.8 kg
        ("2090", "lb", "progress", "2190"),  # 993.4 kg
    ],
)
def test_no_progression_past_1000_kg(load, unit, action, proposed):
    inp = review(
        line("deadlift", load=load, unit=unit),
        clean(-6, exercise="deadlift", load=load, unit=unit),
        clean(1, exercise="deadlift", load=load, unit=unit),
    )
    says = ("over the 1,000 kg",) if action == "hold" else ()
    check(propose(inp), Expect(action, "progress", load=proposed, says=says))


# Deload weeks count from week 1, the first Monday on or after the start; week 0 is partial -----


@pytest.mark.parametrize(
    ("week_start", "every", "deload"),
    [
        (MON, 2, False),  # week 0 (start Wed 18 Nov): next week is week 1
        (MON, 1, True),  # every week: week 1 is a deload week
        (MON + timedelta(days=7), 2, True),  # week 1: next week is week 2
        (MON + timedelta(days=14), 2, False),  # week 2: next is week 3
    ],
)
def test_deload_weeks_are_counted_from_the_first_monday_with_week_0_before_it(week_start, every, deload):
    offset = (week_start - MON).days
    inp = review(
        line(),
        clean(offset + 1, reps=10),
        week_start=week_start,
        deload_every=every,
        first_monday=date(2026, 11, 23),
    )
    proposal = propose(inp)
    assert (proposal.action == "deload") is deload, proposal.rationale
    if deload:
        week = (week_start - date(2026, 11, 23)).days // 7 + 2
        assert f"week {week}" in proposal.rationale
