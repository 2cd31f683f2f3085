"""The progression engine: docs/domain.md's weekly review rules as plain, deterministic Python.

No Django here: the weekly review service turns rows into the frozen dataclasses of ``types``,
calls ``propose`` once per prescription line (or ``propose_prescription`` once for every line of
a prescription with training days, in the review's order: by day, then position) and
``week_metrics`` once per week, and stores what comes back. ``own_sessions`` says which logged sets
are each line's (docs/domain.md "Training days").
"""

from __future__ import annotations

from .checkins import low_readiness, readiness_shown, week_readiness
from .days import line_for, own_sessions
from .engine import RULES, prescription_order, propose, propose_prescription
from .metrics import week_metrics
from .rules import is_deload_week, week_index
from .thresholds import max_days_between
from .types import (
    Action,
    AssignmentSettings,
    Checkin,
    CoachTag,
    ExerciseFacts,
    Implement,
    Laterality,
    Line,
    LoggedSet,
    Measure,
    Prescription,
    Proposal,
    ReviewInput,
    RuleName,
    SessionLog,
    Side,
    Unit,
)
from .units import (
    KETTLEBELL_BELLS_KG,
    KETTLEBELL_BELLS_LB,
    LB_IN_KG,
    bell_for,
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

__all__ = [
    "KETTLEBELL_BELLS_KG",
    "KETTLEBELL_BELLS_LB",
    "LB_IN_KG",
    "RULES",
    "Action",
    "AssignmentSettings",
    "Checkin",
    "CoachTag",
    "ExerciseFacts",
    "Implement",
    "Laterality",
    "Line",
    "LoggedSet",
    "Measure",
    "Prescription",
    "Proposal",
    "ReviewInput",
    "RuleName",
    "SessionLog",
    "Side",
    "Unit",
    "bell_for",
    "from_kg",
    "heaviest",
    "is_deload_week",
    "is_on_grid",
    "kettlebell_bells",
    "lightest",
    "low_readiness",
    "line_for",
    "load_step_kg",
    "max_days_between",
    "next_step_down",
    "next_step_up",
    "own_sessions",
    "prescription_order",
    "propose",
    "propose_prescription",
    "readiness_shown",
    "round_down_to_grid",
    "to_kg",
    "week_index",
    "week_metrics",
    "week_readiness",
]
