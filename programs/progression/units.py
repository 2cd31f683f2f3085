"""Load units and the load grid of each implement (DOMAIN.md "The exercise library").

The grid is the set of loads a client can actually put on the bar or pick up, in the
assignment's display unit:

- barbell: multiples of 2.5 kg / 5 lb, the lightest being the empty bar, 20 kg / 45 lb;
- dumbbell: multiples of 2 kg / 5 lb, the lightest 2 kg / 5 lb;
- kettlebell: the real bells, 8, 12, 16, ..., 48 kg. In lb the grid is the same bells, each
  converted to lb and rounded to the nearest whole lb: 18, 26, 35, 44, 53, 62, 71, 79, 88, 97,
  106 lb. (Some makers print 70 lb on the 32 kg bell; a 70 lb set still counts as the 71 lb
  bell, because sets are compared with a small tolerance, see ``LOAD_TOLERANCE_KG``.)
- bodyweight and dowel: always 0.

All arithmetic is ``Decimal``; nothing here uses floats.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .types import IMPLEMENTS, UNITS, UNLOADED_IMPLEMENTS

LB_IN_KG = Decimal("0.45359237")

# A logged set counts as "at the prescribed load" when it is at most this much lighter (or 1%,
# whichever is larger): a set typed in the other unit, or read off a bell's label, must not
# block a progression over a rounding difference.
LOAD_TOLERANCE_KG = Decimal("0.5")
LOAD_TOLERANCE_PCT = Decimal("1")

KETTLEBELL_BELLS_KG: tuple[Decimal, ...] = tuple(Decimal(kg) for kg in range(8, 49, 4))
KETTLEBELL_BELLS_LB: tuple[Decimal, ...] = tuple(Decimal(lb) for lb in (18, 26, 35, 44, 53, 62, 71, 79, 88, 97, 106))

# (step, lightest) of the implements whose grid is "multiples of a step from the lightest up".
_LINEAR_GRID: dict[tuple[str, str], tuple[Decimal, Decimal]] = {
    ("barbell", "kg"): (Decimal("2.5"), Decimal("20")),
    ("barbell", "lb"): (Decimal("5"), Decimal("45")),
    ("dumbbell", "kg"): (Decimal("2"), Decimal("2")),
    ("dumbbell", "lb"): (Decimal("5"), Decimal("5")),
}
_STEP_KG: dict[str, Decimal] = {
    "barbell": Decimal("2.5"),
    "dumbbell": Decimal("2"),
    "kettlebell": Decimal("4"),
    "bodyweight": Decimal("0"),
    "dowel": Decimal("0"),
}
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


def load_step_kg(implement: str) -> Decimal:
    """The usual step between two loads of the implement in kg (0 for unloaded implements)."""
    if implement not in _STEP_KG:
        raise ValueError(f"unknown implement {implement!r}")
    return _STEP_KG[implement]


def kettlebell_bells(unit: str) -> tuple[Decimal, ...]:
    _check("kettlebell", unit)
    return KETTLEBELL_BELLS_KG if unit == "kg" else KETTLEBELL_BELLS_LB


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
    _check(implement, unit)
    if not load.is_finite():
        return False
    return round_down_to_grid(load, implement, unit) == load


def round_down_to_grid(load: Decimal, implement: str, unit: str) -> Decimal | None:
    """The heaviest grid load not above ``load``; None when ``load`` is under the lightest."""
    _check(implement, unit)
    if not load.is_finite():
        return None
    if implement in UNLOADED_IMPLEMENTS:
        return _ZERO if load >= 0 else None
    if implement == "kettlebell":
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
        above = [bell for bell in kettlebell_bells(unit) if bell > load]
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
        below = [bell for bell in kettlebell_bells(unit) if bell < load]
        return below[-1] if below else None
    step, first = _LINEAR_GRID[(implement, unit)]
    candidate = ((load / step).to_integral_value(rounding=ROUND_CEILING) - 1) * step
    return _tidy(candidate) if candidate >= first else None


def at_least_load(logged_kg: Decimal, prescribed_kg: Decimal) -> bool:
    """Whether a logged load counts as "at the prescribed load or more" (see the tolerance above)."""
    tolerance = max(LOAD_TOLERANCE_KG, prescribed_kg * LOAD_TOLERANCE_PCT / 100)
    return logged_kg >= prescribed_kg - tolerance
