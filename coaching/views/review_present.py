"""What the review pages say in a coach's words: what an approval changed, and why each proposal
was made. Pure shaping of rows already loaded (no queries here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import dateformat

from coaching.models import ReviewItem


def _num(value: Any) -> str:
    """``62.5``, ``60``; what is not a number as it is."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    return format(number.normalize(), "f")


def _range(line: Mapping[str, Any]) -> tuple[str, str]:
    """(``8–12``, ``reps``) or (``10–20``, ``s``)."""
    if line.get("seconds_low") is not None:
        return f"{_num(line.get('seconds_low'))}–{_num(line.get('seconds_high'))}", "s"
    return f"{_num(line.get('reps_low'))}–{_num(line.get('reps_high'))}", "reps"


def _differs(a: Any, b: Any) -> bool:
    if a in (None, "") and b in (None, ""):
        return False
    return _num(a) != _num(b)


def line_changes(current: Mapping[str, Any], approved: Mapping[str, Any]) -> list[str]:
    """What differs between two lines of one exercise or its variant: ``3 → 4 sets``,
    ``8–10 → 8–12 reps``, ``60 → 62.5 kg``."""
    changes = []
    if _differs(current.get("sets"), approved.get("sets")):
        changes.append(f"{_num(current.get('sets'))} → {_num(approved.get('sets'))} sets")
    (before, word), (after, new_word) = _range(current), _range(approved)
    if (before, word) != (after, new_word):
        same_word = word == new_word
        changes.append(f"{before} → {after} {new_word}" if same_word else f"{before} {word} → {after} {new_word}")
    unit, new_unit = current.get("unit", "kg"), approved.get("unit", "kg")
    if _differs(current.get("load"), approved.get("load")) or unit != new_unit:
        old, new = _num(current.get("load", 0)), _num(approved.get("load", 0))
        changes.append(f"{old} → {new} {new_unit}" if unit == new_unit else f"{old} {unit} → {new} {new_unit}")
    if (current.get("tempo") or "") != (approved.get("tempo") or ""):
        changes.append(f"tempo {current.get('tempo') or 'none'} → {approved.get('tempo') or 'none'}")
    if _differs(current.get("target_rpe"), approved.get("target_rpe")):
        old_rpe, new_rpe = (
            _num(v) if v is not None else "none" for v in (current.get("target_rpe"), approved.get("target_rpe"))
        )
        changes.append(f"target RPE {old_rpe} → {new_rpe}")
    return changes


def approval_message(items: Iterable[ReviewItem], names: Mapping[str, str], applies_from: dt.date) -> str:
    """``Approved. Deadlift: 60 → 62.5 kg, from Mon 7 Dec.``, or that nothing changed."""
    parts = []
    for item in items:
        if item.approved_line is None:
            continue
        before, after = str(item.current.get("exercise", "")), str(item.approved_line.get("exercise", ""))
        name = names.get(before, before)
        if after != before:
            name = f"{name} → {names.get(after, after)}"
        changes = line_changes(item.current, item.approved_line)
        if changes or after != before:
            parts.append(f"{name}: {', '.join(changes)}" if changes else name)
    if not parts:
        return "Approved: no change to the prescription."
    return f"Approved. {'; '.join(parts)}, from {dateformat.format(applies_from, 'D j M')}."
