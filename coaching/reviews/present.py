"""What the review pages say in a coach's words: what an approval changed, and why each proposal
was made. Pure shaping of rows already loaded (no queries here)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils import dateformat

from coaching.models import ReviewItem
from programs.progression.text import flag_label, fmt_value
from programs.progression.types import FLAG_ASYMMETRY, FLAG_PAIN, FLAG_READINESS, FLAG_RETURN_FROM_BREAK


def _range(line: Mapping[str, Any]) -> tuple[str, str]:
    """(``8–12``, ``reps``) or (``10–20``, ``s``)."""
    if line.get("seconds_low") is not None:
        return f"{fmt_value(line.get('seconds_low'))}–{fmt_value(line.get('seconds_high'))}", "s"
    return f"{fmt_value(line.get('reps_low'))}–{fmt_value(line.get('reps_high'))}", "reps"


def _differs(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return False
    return fmt_value(a) != fmt_value(b)


def line_changes(current: Mapping[str, Any], approved: Mapping[str, Any]) -> list[str]:
    """What differs between two lines of one exercise or its variant: ``3 → 4 sets``,
    ``8–10 → 8–12 reps``, ``60 → 62.5 kg``."""
    changes = []
    if _differs(current.get("sets"), approved.get("sets")):
        changes.append(f"{fmt_value(current.get('sets'))} → {fmt_value(approved.get('sets'))} sets")
    (before, word), (after, new_word) = _range(current), _range(approved)
    if (before, word) != (after, new_word):
        same_word = word == new_word
        changes.append(f"{before} → {after} {new_word}" if same_word else f"{before} {word} → {after} {new_word}")
    unit, new_unit = current.get("unit", "kg"), approved.get("unit", "kg")
    if _differs(current.get("load"), approved.get("load")) or unit != new_unit:
        old, new = fmt_value(current.get("load", 0)), fmt_value(approved.get("load", 0))
        changes.append(f"{old} → {new} {new_unit}" if unit == new_unit else f"{old} {unit} → {new} {new_unit}")
    if (current.get("tempo") or "") != (approved.get("tempo") or ""):
        changes.append(f"tempo {current.get('tempo') or 'none'} → {approved.get('tempo') or 'none'}")
    if _differs(current.get("target_rpe"), approved.get("target_rpe")):
        old_rpe, new_rpe = (
            fmt_value(v) if v is not None else "none" for v in (current.get("target_rpe"), approved.get("target_rpe"))
        )
        changes.append(f"target RPE {old_rpe} → {new_rpe}")
    return changes


def approval_message(proposals: Iterable[ReviewItem], names: Mapping[str, str], applies_from: dt.date) -> str:
    """``Approved. Deadlift: 60 → 62.5 kg, from Mon 7 Dec.``, or that nothing changed."""
    parts = []
    for proposal in proposals:
        if proposal.approved_line is None:
            continue
        before, after = str(proposal.current.get("exercise", "")), str(proposal.approved_line.get("exercise", ""))
        name = names.get(before, before)
        if after != before:
            name = f"{name} → {names.get(after, after)}"
        changes = line_changes(proposal.current, proposal.approved_line)
        if changes or after != before:
            parts.append(f"{name}: {', '.join(changes)}" if changes else name)
    if not parts:
        return "Approved: no change to the prescription."
    return f"Approved. {'; '.join(parts)}, from {dateformat.format(applies_from, 'D j M')}."


# --- why a proposal was made ----------------------------------------------------------------
# The engine's rationale names the rule and its numbers in fixed words (programs/progression);
# the few numbers a short reason quotes are read back from it, and the reason falls back to words
# without a number when the sentence is worded otherwise.
_BREAK = re.compile(r"back after a (\d+)-day break")
_FAULT_SHARE = re.compile(r"(\d+) of (\d+) sets this week had a fault")
_UNDER_RANGE = re.compile(r"a set under (\d+) (reps|s) in each of the last two sessions")
_RPE = re.compile(r"the mean RPE this week, ([\d.]+), is ([\d.]+) above the target ([\d.]+)")
_E1RM_DROP = re.compile(r"is ([\d.]+)% below the best of the three weeks before")
_PAIN = re.compile(r"pain (\d+)/10")
_PAIN_SESSIONS = re.compile(r"pain in (\d+) sessions this week")
_WEAKER = re.compile(r"the (left|right) side's .*? this week is [\d.]+, ([\d.]+)% of the")


def _top_of_range(line: Mapping[str, Any]) -> str:
    high, word = _range(line)
    return f"{high.split('–')[-1]} {word}"


def proposal_reason(proposal: ReviewItem, metrics: Mapping[str, Any] | None = None) -> str:
    """Why the proposal was made, in a few words: ``Back from a 17-day break``, ``Pain 6/10 reported``,
    ``Faults on 4 of 9 sets``, ``Ready to progress``. From the rule, the flags and the numbers."""
    text, flags, metrics = proposal.rationale or "", set(proposal.flags or []), metrics or {}
    if proposal.rule == ReviewItem.Rule.SAFETY:
        pain = _PAIN.search(text)
        sessions = _PAIN_SESSIONS.search(text)
        if sessions:
            what = f"Pain in {sessions.group(1)} sessions"
        elif pain or metrics.get("max_pain"):
            what = f"Pain {pain.group(1) if pain else fmt_value(metrics['max_pain'])}/10 reported"
        else:
            what = flag_label(FLAG_PAIN)
        return f"{what}: see a clinician" if "refer" in flags else what
    if proposal.rule == ReviewItem.Rule.DATA:
        if "no_data" in flags:
            return "No sets logged this week"
        days = _BREAK.search(text)
        return f"Back from a {days.group(1)}-day break" if days else flag_label(FLAG_RETURN_FROM_BREAK)
    if proposal.rule == ReviewItem.Rule.TECHNIQUE:
        share = _FAULT_SHARE.search(text)
        if share:
            return f"Faults on {share.group(1)} of {share.group(2)} sets"
        if "each of the last two sessions" in text:
            return "Faults in each of the last two sessions"
        return "Technique faults"
    if proposal.rule == ReviewItem.Rule.DELOAD:
        if "back from deload" in text:
            return "Back from a deload week"
        if "scheduled deload week" in text:
            return "Scheduled deload week next"
        drop = _E1RM_DROP.search(text)
        return f"Best e1RM down {drop.group(1)}%" if drop else "Deload week"
    if proposal.rule == ReviewItem.Rule.TOO_HARD:
        under = _UNDER_RANGE.search(text)
        if under:
            return f"Under {under.group(1)} {under.group(2)} in the last two sessions"
        rpe = _RPE.search(text)
        if rpe:
            return f"RPE {rpe.group(1)}, {rpe.group(2)} above target"
        return "Too hard"
    if proposal.rule == ReviewItem.Rule.PROGRESS:
        if proposal.action == ReviewItem.Action.PROGRESS:
            return "Ready to progress"
        if "asymmetry" in flags:
            weaker = _WEAKER.search(text)
            label = flag_label(FLAG_ASYMMETRY)
            return f"{label}: {weaker.group(1)} at {weaker.group(2)}%" if weaker else label
        if "readiness" in flags:
            return f"{flag_label(FLAG_READINESS)} this week"
        return "Ready, but nothing heavier to move to"
    if proposal.rule == ReviewItem.Rule.HOLD:
        return f"Keep building toward {_top_of_range(proposal.current)}"
    return proposal.get_rule_display()
