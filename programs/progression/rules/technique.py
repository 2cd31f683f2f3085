"""Rule 3, technique (docs/domain.md): a fault on at least one third of the week's sets, or a fault
in each of the last two sessions → regress by a cut of 10%. A tempo not kept is not a fault."""

from __future__ import annotations

from ..metrics import has_fault
from ..review import Review
from ..text import fmt_date, fmt_faults
from ..thresholds import FAULT_SHARE, TECHNIQUE_CUT_PCT
from ..types import Proposal
from .common import cut_or_hold


def technique(r: Review) -> Proposal | None:
    """A fault on ≥ 1/3 of the week's sets, or in each of the last two sessions → cut 10%."""
    sets = r.week_sets
    faulted = [logged for logged in sets if has_fault(logged)]
    last_two = r.last_two
    if faulted and len(faulted) >= FAULT_SHARE * len(sets):
        # The words for FAULT_SHARE: "at least a third".
        reason = f"{len(faulted)} of {len(sets)} sets this week had a fault ({fmt_faults(faulted)}), at least a third"
    elif len(last_two) == 2 and all(s.faulted for s in last_two):
        each = "; ".join(f"{fmt_date(s.on)}: {fmt_faults(s.faulted)}" for s in last_two)
        reason = f"a fault in each of the last two sessions ({each})"
    else:
        return None
    return cut_or_hold(r, "technique", "Technique", reason, TECHNIQUE_CUT_PCT, "rebuild clean reps")
