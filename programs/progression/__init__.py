"""The progression engine: docs/domain.md's weekly review rules as plain, deterministic Python.

No Django here: the weekly review service turns rows into the frozen dataclasses of ``types``,
calls ``propose`` once per prescription line and ``week_metrics`` once per week, and stores what
comes back.
"""

from __future__ import annotations

from .engine import RULES, propose
from .metrics import week_metrics
from .rules import is_deload_week, week_index
from .types import (
    Action,
    AssignmentSettings,
    ExerciseFacts,
    Implement,
    Laterality,
    Line,
    LoggedSet,
    Measure,
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
    "ExerciseFacts",
    "Implement",
    "Laterality",
    "Line",
    "LoggedSet",
    "Measure",
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
    "load_step_kg",
    "next_step_down",
    "next_step_up",
    "propose",
    "round_down_to_grid",
    "to_kg",
    "week_index",
    "week_metrics",
]
