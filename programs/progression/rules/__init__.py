"""docs/domain.md's rules 1–7 and the asymmetry post-rule, one file each, named after the rule.

``safety`` (rule 1), ``enough_data`` (rule 2), ``technique`` (rule 3), ``deload`` (rule 4 and the
way back from a deload), ``too_hard`` (rule 5), ``progress`` (rule 6, with the test of a
qualifying session), ``hold`` (rule 7), ``asymmetry`` and ``readiness`` (after the rules); ``common`` holds what
they share. Their numbers are ``thresholds``'s.

Every rule takes the ``Review`` of one line and returns a ``Proposal`` or None (``hold``, the
last, always returns one), and writes its own rationale: the rule, the sessions by date, what
was hit, old → new with the unit. Where a rule fires but nothing can be done (a cut under the
lightest load with no easier variant, a progression past the heaviest bell), the proposal is a
``hold`` that says why. The order they are tried in is the engine's (``engine.RULES``).
"""

from __future__ import annotations

from .asymmetry import asymmetry
from .deload import back_from_deload, deload, is_deload_week, week_index
from .enough_data import data
from .hold import hold
from .progress import Verdict, progress, qualify
from .readiness import readiness
from .safety import safety
from .technique import technique
from .too_hard import too_hard

__all__ = [
    "Verdict",
    "asymmetry",
    "back_from_deload",
    "data",
    "deload",
    "hold",
    "is_deload_week",
    "progress",
    "qualify",
    "readiness",
    "safety",
    "technique",
    "too_hard",
    "week_index",
]
