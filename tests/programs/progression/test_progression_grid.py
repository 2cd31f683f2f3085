"""The load grid of each implement, in kg and lb, and the unit conversions."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from programs.progression import (
    KETTLEBELL_BELLS_KG,
    KETTLEBELL_BELLS_LB,
    LB_IN_KG,
    from_kg,
    heaviest,
    is_on_grid,
    kettlebell_bells,
    lightest,
    load_step_kg,
    next_step_down,
    next_step_up,
    round_down_to_grid,
    to_kg,
)
from programs.progression.units import at_least_load

D = Decimal


def test_one_pound_is_exactly_0_45359237_kg():
    assert D("0.45359237") == LB_IN_KG
    assert to_kg(D("100"), "lb") == D("45.359237")
    assert to_kg(D("60"), "kg") == D("60")
    assert from_kg(D("45.359237"), "lb") == D("100")
    assert from_kg(D("60"), "kg") == D("60")


@pytest.mark.parametrize("unit", ["oz", ""])
def test_unknown_units_are_refused(unit):
    with pytest.raises(ValueError, match="unit"):
        to_kg(D(1), unit)
    with pytest.raises(ValueError, match="unit"):
        lightest("barbell", unit)


def test_unknown_implements_are_refused():
    with pytest.raises(ValueError, match="implement"):
        lightest("cable", "kg")
    with pytest.raises(ValueError, match="implement"):
        load_step_kg("cable")


@pytest.mark.parametrize(
    ("implement", "step"),
    [("barbell", "2.5"), ("dumbbell", "2"), ("kettlebell", "4"), ("bodyweight", "0"), ("dowel", "0")],
)
def test_load_step_kg(implement, step):
    assert load_step_kg(implement) == D(step)


@pytest.mark.parametrize(
    ("implement", "unit", "lightest_load", "heaviest_load"),
    [
        ("barbell", "kg", "20", None),
        ("barbell", "lb", "45", None),
        ("dumbbell", "kg", "2", None),
        ("dumbbell", "lb", "5", None),
        ("kettlebell", "kg", "8", "48"),
        ("kettlebell", "lb", str(D(8) / LB_IN_KG), str(D(48) / LB_IN_KG)),
        ("bodyweight", "kg", "0", "0"),
        ("dowel", "lb", "0", "0"),
    ],
)
def test_lightest_and_heaviest(implement, unit, lightest_load, heaviest_load):
    assert lightest(implement, unit) == D(lightest_load)
    assert heaviest(implement, unit) == (D(heaviest_load) if heaviest_load else None)


def test_kettlebell_bells_in_lb_are_the_exact_weights_of_the_kg_bells():
    assert [int(bell) for bell in KETTLEBELL_BELLS_KG] == list(range(8, 49, 4))
    for kg, lb in zip(KETTLEBELL_BELLS_KG, KETTLEBELL_BELLS_LB, strict=True):
        assert abs(lb * LB_IN_KG - kg) < D("1e-20")
    shown = [lb.quantize(D(1), rounding=ROUND_HALF_UP) for lb in KETTLEBELL_BELLS_LB]
    assert shown == [D(n) for n in (18, 26, 35, 44, 53, 62, 71, 79, 88, 97, 106)]
    assert kettlebell_bells("lb")[6].quantize(D("0.01")) == D("70.55")  # the 32 kg bell


@pytest.mark.parametrize(
    ("implement", "unit", "load", "down", "up", "below"),
    [
        # barbell kg: multiples of 2.5 from the 20 kg bar
        ("barbell", "kg", "60", "60", "62.5", "57.5"),
        ("barbell", "kg", "61", "60", "62.5", "60"),
        ("barbell", "kg", "20", "20", "22.5", None),
        ("barbell", "kg", "19.9", None, "20", None),
        ("barbell", "kg", "0", None, "20", None),
        # barbell lb: multiples of 5 from the 45 lb bar
        ("barbell", "lb", "135", "135", "140", "130"),
        ("barbell", "lb", "141.75", "140", "145", "140"),
        ("barbell", "lb", "45", "45", "50", None),
        ("barbell", "lb", "44", None, "45", None),
        # dumbbell: multiples of 2 kg / 5 lb
        ("dumbbell", "kg", "12.6", "12", "14", "12"),
        ("dumbbell", "kg", "2", "2", "4", None),
        ("dumbbell", "kg", "1.9", None, "2", None),
        ("dumbbell", "lb", "25", "25", "30", "20"),
        ("dumbbell", "lb", "5", "5", "10", None),
        # kettlebell: the bells
        ("kettlebell", "kg", "16", "16", "20", "12"),
        ("kettlebell", "kg", "14.4", "12", "16", "12"),
        ("kettlebell", "kg", "8", "8", "12", None),
        ("kettlebell", "kg", "7", None, "8", None),
        ("kettlebell", "kg", "48", "48", None, "44"),
        ("kettlebell", "kg", "60", "48", None, "48"),
        # kettlebell lb: the bells' exact weights; within 0.5 lb of one is that bell
        ("kettlebell", "lb", "35", str(D(16) / LB_IN_KG), str(D(20) / LB_IN_KG), str(D(12) / LB_IN_KG)),
        ("kettlebell", "lb", "70", str(D(28) / LB_IN_KG), str(D(32) / LB_IN_KG), str(D(28) / LB_IN_KG)),
        ("kettlebell", "lb", "106", str(D(48) / LB_IN_KG), None, str(D(44) / LB_IN_KG)),
        # unloaded: always 0
        ("bodyweight", "kg", "0", "0", None, None),
        ("dowel", "lb", "0", "0", None, None),
        ("bodyweight", "kg", "5", "0", None, "0"),
    ],
)
def test_grid_steps(implement, unit, load, down, up, below):
    assert round_down_to_grid(D(load), implement, unit) == _maybe(down)
    assert next_step_up(D(load), implement, unit) == _maybe(up)
    assert next_step_down(D(load), implement, unit) == _maybe(below)


def _maybe(text: str | None) -> Decimal | None:
    return D(text) if text is not None else None


@pytest.mark.parametrize(
    ("implement", "unit", "load", "on_grid"),
    [
        ("barbell", "kg", "62.5", True),
        ("barbell", "kg", "61", False),
        ("barbell", "kg", "17.5", False),
        ("barbell", "lb", "135", True),
        ("barbell", "lb", "137.5", False),
        ("dumbbell", "kg", "13", False),
        ("kettlebell", "kg", "18", False),
        ("kettlebell", "lb", "71", True),
        ("kettlebell", "lb", "70", False),
        ("bodyweight", "kg", "0", True),
        ("dowel", "kg", "1", False),
        ("barbell", "kg", "NaN", False),
        ("barbell", "kg", "Infinity", False),
    ],
)
def test_is_on_grid(implement, unit, load, on_grid):
    assert is_on_grid(D(load), implement, unit) is on_grid


def test_grid_loads_have_one_spelling():
    assert str(round_down_to_grid(D("57"), "barbell", "kg")) == "55"
    assert str(next_step_up(D("60"), "barbell", "kg")) == "62.5"
    assert str(next_step_down(D("60"), "barbell", "lb")) == "55"


def test_non_finite_loads_have_no_grid_neighbours():
    for implement in ("barbell", "dumbbell", "kettlebell", "bodyweight"):
        assert round_down_to_grid(D("NaN"), implement, "kg") is None
        assert next_step_up(D("sNaN"), implement, "kg") is None
        assert next_step_down(D("-Infinity"), implement, "kg") is None


@pytest.mark.parametrize(
    ("logged_kg", "prescribed_kg", "counts"),
    [
        ("60", "60", True),
        ("59.87", "60", False),  # 132 lb typed for a 60 kg prescription is 0.28 lb light
        ("59.4", "60", False),  # 1% light is not the prescribed load
        ("59.3", "60", False),
        ("19.96", "20", True),  # within 0.05 kg
        ("19.6", "20", False),  # 0.4 kg light
        ("19.4", "20", False),
        ("31.75", "32.2", False),
        ("99", "100", False),
        ("98.9", "100", False),
        ("0", "0", True),
    ],
)
def test_a_set_counts_at_the_prescribed_load_only_within_unit_conversion(logged_kg, prescribed_kg, counts):
    assert at_least_load(D(logged_kg), D(prescribed_kg)) is counts
