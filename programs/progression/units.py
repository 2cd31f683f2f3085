"""Load units and the load grid of each implement (docs/domain.md "The exercise library").

The grid is the set of loads a client can actually put on the bar or pick up, in the
assignment's display unit:

- barbell: multiples of 2.5 kg / 5 lb, the lightest being the empty bar, 20 kg / 45 lb;
- dumbbell: multiples of 2 kg / 5 lb, the lightest 2 kg / 5 lb;
- kettlebell: the real bells, 8, 12, 16, ..., 48 kg, in either unit. In lb each bell is its
  exact weight (24 kg = 52.91094... lb, shown to a person as 53 lb), and any load in lb within
  0.5 lb of a bell's exact weight IS that bell (docs/domain.md): ``bell_for`` snaps a load to its
  bell, and every grid function below snaps before it steps;
- bodyweight and dowel: always 0.

All arithmetic is ``Decimal``; nothing here uses floats.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, localcontext

from .thresholds import MAX_LOAD_KG as MAX_LOAD_KG  # re-exported: lines, sets and proposals cap at it
from .types import IMPLEMENTS, UNITS, UNLOADED_IMPLEMENTS

LB_IN_KG = Decimal("0.45359237")

# A logged set is "at the prescribed load" within these, by the unit it was entered in: no
# tolerance beyond unit conversion (docs/domain.md "a qualifying session").
SAME_LOAD_KG = Decimal("0.05")
SAME_LOAD_LB = Decimal("0.1")
# A load in lb this close to a bell's exact weight is that bell.
BELL_TOLERANCE_LB = Decimal("0.5")

KETTLEBELL_BELLS_KG: tuple[Decimal, ...] = tuple(Decimal(kg) for kg in range(8, 49, 4))
with localcontext(Context(prec=28, rounding=ROUND_HALF_UP)):
    # The bells' exact weights in lb (to 28 digits): 17.636..., 26.455..., ..., 105.821... lb.
    KETTLEBELL_BELLS_LB: tuple[Decimal, ...] = tuple(kg / LB_IN_KG for kg in KETTLEBELL_BELLS_KG)

# (step, lightest) of the implements whose grid is "multiples of a step from the lightest up".
_LINEAR_GRID: dict[tuple[str, str], tuple[Decimal, Decimal]] = {
    ("barbell", "kg"): (Decimal("2.5"), Decimal("20")),
    ("barbell", "lb"): (Decimal("5"), Decimal("45")),
    ("dumbbell", "kg"): (Decimal("2"), Decimal("2")),
    ("dumbbell", "lb"): (Decimal("5"), Decimal("5")),
}
# A kettlebell's next bell is 4 kg heavier; a load stepper without the bells steps 5 lb in lb.
_KETTLEBELL_STEP: dict[str, Decimal] = {"kg": Decimal("4"), "lb": Decimal("5")}
_ZERO = Decimal("0")


def _tidy(load: Decimal) -> Decimal:
    """``55`` rather than ``55.0``, ``62.5`` as is: one spelling per grid load."""
    integral = load.to_integral_value()
    return integral if integral == load else load.normalize()


def _check(implement: str, unit: str) -> None:
    if implement not in IMPLEMENTS:
        raise ValueError(f"unknown implement {implement!r}")
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}")


def to_kg(value: Decimal, unit: str) -> Decimal:
    """A load typed in ``unit`` as kg (1 lb = 0.45359237 kg exactly)."""
    if unit == "kg":
        return value
    if unit == "lb":
        return value * LB_IN_KG
    raise ValueError(f"unknown unit {unit!r}")


def from_kg(kg: Decimal, unit: str) -> Decimal:
    """A load in kg expressed in ``unit`` (not rounded: round onto the grid where needed)."""
    if unit == "kg":
        return kg
    if unit == "lb":
        return kg / LB_IN_KG
    raise ValueError(f"unknown unit {unit!r}")


def load_step(implement: str, unit: str) -> Decimal:
    """The usual step between two loads of the implement in ``unit``: 2.5 kg / 5 lb on a barbell,
    2 kg / 5 lb on dumbbells, 4 kg / 5 lb between kettlebells (the phone walks the real bells),
    0 for unloaded implements."""
    _check(implement, unit)
    if implement in UNLOADED_IMPLEMENTS:
        return _ZERO
    if implement == "kettlebell":
        return _KETTLEBELL_STEP[unit]
    return _LINEAR_GRID[(implement, unit)][0]


def load_step_kg(implement: str) -> Decimal:
    """The usual step between two loads of the implement in kg (0 for unloaded implements)."""
    return load_step(implement, "kg")


def kettlebell_bells(unit: str) -> tuple[Decimal, ...]:
    """The bells' exact weights in ``unit``, lightest first."""
    _check("kettlebell", unit)
    return KETTLEBELL_BELLS_KG if unit == "kg" else KETTLEBELL_BELLS_LB


def _bell_index(load: Decimal, unit: str) -> int | None:
    if not load.is_finite():
        return None
    bells = kettlebell_bells(unit)
    for index, bell in enumerate(bells):
        if load == bell if unit == "kg" else abs(load - bell) <= BELL_TOLERANCE_LB:
            return index
    return None


def bell_for(load: Decimal, unit: str) -> Decimal | None:
    """The bell that a kettlebell ``load`` in ``unit`` is, as the bell's exact weight in ``unit``;
    None when it is no bell. In kg a bell is its exact weight (``24``); in lb any load within
    0.5 lb of a bell's exact weight is that bell (``53`` and ``52.91`` are the 24 kg bell,
    52.91094... lb)."""
    index = _bell_index(load, unit)
    return None if index is None else kettlebell_bells(unit)[index]


def bell_shown(load: Decimal, unit: str) -> Decimal | None:
    """The bell that a kettlebell ``load`` in ``unit`` is, as a person reads it: its kg in kg
    (``24``), its whole lb in lb (the 24 kg bell, 52.91094... lb, reads ``53``); None when no bell."""
    bell = bell_for(load, unit)
    if bell is None:
        return None
    return bell if unit == "kg" else bell.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def bell_kg(load: Decimal, unit: str) -> Decimal | None:
    """The exact kg weight of the bell that ``load`` in ``unit`` is (``24``); None when no bell."""
    index = _bell_index(load, unit)
    return None if index is None else KETTLEBELL_BELLS_KG[index]


def grid_kg(load: Decimal, implement: str, unit: str) -> Decimal:
    """A load in kg for comparing: a kettlebell load that is a bell is that bell's exact kg."""
    if implement == "kettlebell":
        kg = bell_kg(load, unit)
        if kg is not None:
            return kg
    return to_kg(load, unit)


def lightest(implement: str, unit: str) -> Decimal:
    """The lightest load on the implement's grid (0 for bodyweight and dowel)."""
    _check(implement, unit)
    if implement in UNLOADED_IMPLEMENTS:
        return _ZERO
    if implement == "kettlebell":
        return kettlebell_bells(unit)[0]
    return _LINEAR_GRID[(implement, unit)][1]


def heaviest(implement: str, unit: str) -> Decimal | None:
    """The heaviest load on the grid, or None when the grid has no top (barbell, dumbbell)."""
    _check(implement, unit)
    if implement in UNLOADED_IMPLEMENTS:
        return _ZERO
    if implement == "kettlebell":
        return kettlebell_bells(unit)[-1]
    return None


def is_on_grid(load: Decimal, implement: str, unit: str) -> bool:
    """Whether ``load`` is a grid load (for a kettlebell: is a bell, see ``bell_for``)."""
    _check(implement, unit)
    if not load.is_finite():
        return False
    if implement == "kettlebell":
        return bell_for(load, unit) is not None
    return round_down_to_grid(load, implement, unit) == load


def round_down_to_grid(load: Decimal, implement: str, unit: str) -> Decimal | None:
    """The heaviest grid load not above ``load``; None when ``load`` is under the lightest.

    A kettlebell load that is a bell rounds to that bell's exact weight (53 lb → 52.91... lb).
    """
    _check(implement, unit)
    if not load.is_finite():
        return None
    if implement in UNLOADED_IMPLEMENTS:
        return _ZERO if load >= 0 else None
    if implement == "kettlebell":
        bell = bell_for(load, unit)
        if bell is not None:
            return bell
        below = [bell for bell in kettlebell_bells(unit) if bell <= load]
        return below[-1] if below else None
    step, first = _LINEAR_GRID[(implement, unit)]
    if load < first:
        return None
    return _tidy((load / step).to_integral_value(rounding=ROUND_FLOOR) * step)


def next_step_up(load: Decimal, implement: str, unit: str) -> Decimal | None:
    """The lightest grid load above ``load``; None past the heaviest bell or for unloaded drills."""
    _check(implement, unit)
    if not load.is_finite():
        return None
    if implement in UNLOADED_IMPLEMENTS:
        return _ZERO if load < 0 else None
    if implement == "kettlebell":
        bells, index = kettlebell_bells(unit), _bell_index(load, unit)
        if index is not None:
            return bells[index + 1] if index + 1 < len(bells) else None
        above = [bell for bell in bells if bell > load]
        return above[0] if above else None
    step, first = _LINEAR_GRID[(implement, unit)]
    if load < first:
        return first
    return _tidy(((load / step).to_integral_value(rounding=ROUND_FLOOR) + 1) * step)


def next_step_down(load: Decimal, implement: str, unit: str) -> Decimal | None:
    """The heaviest grid load below ``load``; None when there is none (at or under the lightest)."""
    _check(implement, unit)
    if not load.is_finite():
        return None
    if implement in UNLOADED_IMPLEMENTS:
        return _ZERO if load > 0 else None
    if implement == "kettlebell":
        bells, index = kettlebell_bells(unit), _bell_index(load, unit)
        if index is not None:
            return bells[index - 1] if index > 0 else None
        below = [bell for bell in bells if bell < load]
        return below[-1] if below else None
    step, first = _LINEAR_GRID[(implement, unit)]
    candidate = ((load / step).to_integral_value(rounding=ROUND_CEILING) - 1) * step
    return _tidy(candidate) if candidate >= first else None


def at_least_load(logged_kg: Decimal, prescribed_kg: Decimal, entered_in: str = "kg") -> bool:
    """Whether a logged load counts as "at the prescribed load or more": no tolerance beyond unit
    conversion, so within 0.05 kg, or 0.1 lb when the set was entered in lb (docs/domain.md)."""
    tolerance = SAME_LOAD_LB * LB_IN_KG if entered_in == "lb" else SAME_LOAD_KG
    return logged_kg >= prescribed_kg - tolerance
