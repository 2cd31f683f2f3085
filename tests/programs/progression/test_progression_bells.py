"""Kettlebells in lb, and what "at the prescribed load" means (docs/domain.md "Weekly review: one proposal").

Any load in lb within 0.5 lb of a bell's exact weight is that bell (24 kg = 52.91... lb, shown as
53 lb); a proposed bell is the bell's exact weight. A set counts at the prescribed load within
0.05 kg, or 0.1 lb when it was entered in lb: no tolerance beyond unit conversion.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from progression_builders import Expect, a_set, check, clean, line, per_side, review, session, sets

from programs.progression import LB_IN_KG, is_on_grid, next_step_down, next_step_up, propose, round_down_to_grid
from programs.progression.units import at_least_load, bell_for

D = Decimal
KBD = "kettlebell-deadlift"
KBS = "kettlebell-swing"
RDL = "romanian-deadlift"


def lb(kg: int) -> Decimal:
    """The exact weight in lb of the ``kg`` bell."""
    return D(kg) / LB_IN_KG


# The snapping function ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "unit", "bell_kg"),
    [
        ("24", "kg", 24),
        ("8", "kg", 8),
        ("48", "kg", 48),
        ("24.00", "kg", 24),
        ("13.5", "kg", None),
        ("24.5", "kg", None),
        ("52", "kg", None),
        ("4", "kg", None),
        ("52.91", "lb", 24),  # what the API returns for the 24 kg bell
        ("53", "lb", 24),  # what a person reads
        ("52.42", "lb", 24),  # 0.49 lb under the exact 52.91094...
        ("53.41", "lb", 24),  # 0.499 lb over
        ("52.41", "lb", None),  # 0.501 lb under: not a bell
        ("53.42", "lb", None),
        ("17.64", "lb", 8),
        ("18", "lb", 8),
        ("71", "lb", 32),  # 70.55 lb exact
        ("70", "lb", None),  # 0.55 lb under the 32 kg bell
        ("105.82", "lb", 48),
        ("106", "lb", 48),
        ("110", "lb", None),
        ("0", "lb", None),
        ("NaN", "lb", None),
    ],
)
def test_bell_for_snaps_a_load_to_a_bell(load, unit, bell_kg):
    got = bell_for(D(load), unit)
    if bell_kg is None:
        assert got is None
    elif unit == "kg":
        assert got == D(bell_kg)
    else:
        assert got == lb(bell_kg)
        assert abs(got * LB_IN_KG - bell_kg) < D("1e-20")


@pytest.mark.parametrize(
    ("load", "down", "up", "below"),
    [
        ("52.91", 24, 28, 20),
        ("53", 24, 28, 20),
        ("52.6", 24, 28, 20),  # within 0.5 lb under the 24 kg bell: that bell
        ("52", 20, 24, 20),  # between bells
        ("35", 16, 20, 12),
        ("70", 28, 32, 28),
        ("71", 32, 36, 28),
        ("105.82", 48, None, 44),
        ("106", 48, None, 44),
        ("17.64", 8, 12, None),
        ("17", None, 8, None),  # 0.64 lb under the lightest bell: not a bell
    ],
)
def test_kettlebell_grid_in_lb_snaps_to_exact_bells(load, down, up, below):
    assert round_down_to_grid(D(load), "kettlebell", "lb") == (lb(down) if down else None)
    assert next_step_up(D(load), "kettlebell", "lb") == (lb(up) if up else None)
    assert next_step_down(D(load), "kettlebell", "lb") == (lb(below) if below else None)


@pytest.mark.parametrize(("load", "on_grid"), [("52.91", True), ("53", True), ("52.91094", True), ("50", False)])
def test_a_kettlebell_load_in_lb_within_half_a_pound_is_on_the_grid(load, on_grid):
    assert is_on_grid(D(load), "kettlebell", "lb") is on_grid


# The engine with bells in lb ------------------------------------------------------------------


def kb_line(load: str | Decimal, sets_: int = 3, exercise: str = KBD):
    return line(exercise, sets=sets_, load=load, unit="lb")


def two_clean(load: str | Decimal, count: int = 3, exercise: str = KBD):
    return (
        clean(-6, count, exercise=exercise, load=load, unit="lb"),
        clean(1, count, exercise=exercise, load=load, unit="lb"),
    )


@pytest.mark.parametrize(
    ("current", "logged", "expect"),
    [
        pytest.param(
            "52.91",
            "52.91",
            Expect("progress", "progress", sets=3, load=str(lb(28)), unit="lb", says=("53 lb → 62 lb", "next bell")),
            id="24kg-bell-as-the-api-returns-it-goes-to-the-28kg-bell",
        ),
        pytest.param(
            "53",
            "53",
            Expect("progress", "progress", sets=3, load=str(lb(28)), unit="lb", says=("53 lb → 62 lb",)),
            id="24kg-bell-as-a-person-reads-it-goes-to-the-28kg-bell",
        ),
        pytest.param(
            lb(24),
            lb(24),
            Expect("progress", "progress", sets=3, load=str(lb(28)), unit="lb"),
            id="24kg-bell-at-its-exact-weight",
        ),
        pytest.param(
            "105.82",
            "105.82",
            Expect("hold", "progress", sets=3, load="105.82", says=("heaviest bell", "106 lb")),
            id="48kg-bell-holds",
        ),
        pytest.param(
            "97",
            "97",
            Expect("progress", "progress", sets=3, load=str(lb(48)), says=("97 lb → 106 lb",)),
            id="44kg-bell-goes-to-48kg",
        ),
        pytest.param(
            "35.27",
            "35",
            Expect("progress", "progress", sets=3, load=str(lb(20)), says=("35 lb → 44 lb",)),
            id="16kg-bell-logged-as-35lb-counts-and-progresses",
        ),
    ],
)
def test_kettlebell_progressions_in_lb(current, logged, expect):
    check(propose(review(kb_line(current), *two_clean(logged))), expect)


@pytest.mark.parametrize(
    ("current", "expect"),
    [
        pytest.param(
            "52.91",
            Expect("progress", "progress", sets=3, load="52.91", says=("add a set", "62 lb", "2 × 8–12 at 53 lb")),
            id="24kg-to-28kg-is-over-10pct-so-one-set-more",
        ),
        pytest.param(
            "88.18",
            Expect("progress", "progress", sets=2, load=str(lb(44)), says=("88 lb → 97 lb",)),
            id="40kg-to-44kg-is-exactly-10pct-so-the-load-goes-up",
        ),
        pytest.param(
            "97",
            Expect("progress", "progress", sets=2, load=str(lb(48))),
            id="44kg-to-48kg-is-under-10pct-so-the-load-goes-up",
        ),
    ],
)
def test_kettlebell_set_step_in_lb(current, expect):
    check(propose(review(kb_line(current, sets_=2), *two_clean(current, 2))), expect)


@pytest.mark.parametrize(
    ("current", "faulty_load", "down_to"),
    [
        ("52.91", "52.91", 20),  # 10%: 21.6 kg → the 20 kg bell, as in kg
        ("44.09", "44", 16),  # 20 kg bell → 16 kg
        ("97", "97", 36),  # 44 kg → 39.6 kg → 36 kg
        ("26.46", "26", 8),  # 12 kg → 10.8 kg → 8 kg
    ],
)
def test_kettlebell_cuts_in_lb_match_the_cuts_in_kg(current, faulty_load, down_to):
    faulty = session(1, sets(3, KBD, load=faulty_load, unit="lb", faults=("core_lost",)))
    check(
        propose(review(kb_line(current), faulty)),
        Expect("regress", "technique", load=str(lb(down_to)), unit="lb"),
    )


@pytest.mark.parametrize(
    ("load", "bell", "shown"), [("53", 24, "53 lb"), ("52.91", 24, "53 lb"), ("79.37", 36, "79 lb")]
)
def test_kettlebell_move_to_a_variant_in_lb_keeps_the_bell(load, bell, shown):
    """Pain 3 on a swing: the easier kettlebell deadlift keeps the same bell (not one lighter)."""
    hurt = session(1, sets(2, KBS, load=load, unit="lb"), a_set(KBS, load=load, unit="lb", pain=3))
    check(
        propose(review(kb_line(load, exercise=KBS), hurt)),
        Expect("regress", "safety", ("pain", "refer"), exercise=KBD, load=str(lb(bell)), says=(shown,)),
    )


# At the prescribed load: no tolerance beyond unit conversion -----------------------------------


@pytest.mark.parametrize(
    ("logged_kg", "entered_in", "prescribed_kg", "counts"),
    [
        ("60", "kg", "60", True),
        ("59.95", "kg", "60", True),  # within 0.05 kg
        ("59.94", "kg", "60", False),
        ("59.5", "kg", "60", False),  # the old 0.5 kg tolerance
        ("59.4", "kg", "60", False),  # the old 1%
        ("1.8", "kg", "2", False),  # 1.8 kg sets for a 2 kg prescription
        ("99", "kg", "100", False),
        (str(D("132.2") * LB_IN_KG), "lb", "60", True),  # 132.2 lb typed for 60 kg (132.277 lb)
        (str(D("132.1") * LB_IN_KG), "lb", "60", False),  # 0.18 lb under
        (str(D("135") * LB_IN_KG), "lb", str(D("135.1") * LB_IN_KG), True),  # 0.1 lb under
        (str(D("135") * LB_IN_KG), "lb", str(D("135.11") * LB_IN_KG), False),
        ("0", "kg", "0", True),
    ],
)
def test_a_set_counts_at_the_prescribed_load_only_within_unit_conversion(logged_kg, entered_in, prescribed_kg, counts):
    assert at_least_load(D(logged_kg), D(prescribed_kg), entered_in) is counts


@pytest.mark.parametrize(
    ("current", "logged", "unit", "action"),
    [
        pytest.param("2", "1.8", "kg", "hold", id="1.8kg-sets-do-not-qualify-for-2kg"),
        pytest.param("60", "59.5", "kg", "hold", id="half-a-kg-light-does-not-qualify"),
        pytest.param("60", "59.96", "kg", "progress", id="within-0.05kg-qualifies"),
        pytest.param("135", "134.9", "lb", "progress", id="within-0.1lb-qualifies"),
        pytest.param("135", "134.5", "lb", "hold", id="half-a-lb-light-does-not-qualify"),
    ],
)
def test_the_qualifying_load_has_no_tolerance(current, logged, unit, action):
    exercise = "single-leg-rdl" if current == "2" else RDL
    if exercise == RDL:
        sessions = (clean(-6, load=logged, unit=unit), clean(1, load=logged, unit=unit))
    else:
        sessions = (
            session(-6, per_side(3, exercise, load=logged, unit=unit)),
            session(1, per_side(3, exercise, load=logged, unit=unit)),
        )
    proposal = propose(review(line(exercise, load=current, unit=unit), *sessions))
    assert (proposal.action, proposal.rule) == (action, "progress" if action == "progress" else "hold"), (
        proposal.rationale
    )


def test_a_kettlebell_set_in_kg_counts_for_a_bell_prescribed_in_lb():
    sessions = (clean(-6, exercise=KBD, load="24"), clean(1, exercise=KBD, load="24"))
    check(propose(review(kb_line("53"), *sessions)), Expect("progress", "progress", load=str(lb(28))))


def test_a_lighter_bell_never_counts_for_a_heavier_one():
    sessions = (clean(-6, exercise=KBD, load="44", unit="lb"), clean(1, exercise=KBD, load="44", unit="lb"))
    check(propose(review(kb_line("53"), *sessions)), Expect("hold", "hold", load="53"))
