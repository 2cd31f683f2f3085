"""docs/domain.md's rules 1–7 and the asymmetry post-rule, one small function each.

Every rule takes the ``Review`` of one line and returns a ``Proposal`` or None (``hold``, the
last, always returns one), and writes its own rationale: the rule, the sessions by date, what
was hit, old → new with the unit. Where a rule fires but nothing can be done (a cut under the
lightest load with no easier variant, a progression past the heaviest bell), the proposal is a
``hold`` that says why. The order they are tried in is the engine's (``engine.RULES``).
"""

from __future__ import annotations

from .caution import data, safety, technique
from .deloads import back_from_deload, deload, is_deload_week, week_index
from .loading import asymmetry, hold, progress, too_hard

__all__ = [
    "asymmetry",
    "back_from_deload",
    "data",
    "deload",
    "hold",
    "is_deload_week",
    "progress",
    "safety",
    "technique",
    "too_hard",
    "week_index",
]
