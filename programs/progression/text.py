"""How the rationale sentences write dates, loads, lines and faults.

Deterministic on purpose: month names are spelled here rather than taken from the locale.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from .types import (
    FLAG_ASYMMETRY,
    FLAG_NO_DATA,
    FLAG_PAIN,
    FLAG_READINESS,
    FLAG_REFER,
    FLAG_RETURN_FROM_BREAK,
    ExerciseFacts,
    Line,
    LoggedSet,
)
from .units import bell_shown

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# The article's faults in a few words, as a coach says them in a sentence.
FAULT_WORDS: dict[str, str] = {
    "upper_back_rounding": "upper back rounding",
    "lower_back_overextension": "lower back overextended",
    "knees_too_bent": "knees too bent",
    "core_lost": "core lost",
    "bar_drift": "bar drift",
}


def fmt_date(day: date) -> str:
    """``17 Nov``."""
    return f"{day.day} {_MONTHS[day.month - 1]}"


def fmt_dates(days: Iterable[date]) -> str:
    """``17 Nov``, ``17 Nov and 19 Nov``, ``17 Nov, 19 Nov and 21 Nov``."""
    words = [fmt_date(day) for day in days]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def fmt_num(value: Decimal | int | float) -> str:
    """A number as every page, file and sentence writes it: ``60``, ``62.5``, ``52.91`` (never
    ``60.0``, ``6E+1`` or ``-0``)."""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    if not value.is_finite():
        return str(value)
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "") else text


def fmt_value(value: object) -> str:
    """``fmt_num`` of anything that reads as a number (``"62.50"``, ``66.7``, ``4``); anything else
    (a word, a finite-less number) as it is."""
    if isinstance(value, bool):
        return str(value)
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return fmt_num(number) if number.is_finite() else str(value)


def json_num(value: Decimal | int | float | None) -> int | float | None:
    """A number for JSON: an int when whole (``60``, not ``60.0``), else a float (``62.5``)."""
    if value is None:
        return None
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return int(number) if number == number.to_integral_value() else float(number)


def fmt_rounded(value: Decimal, places: int = 1) -> str:
    """A Decimal rounded half-up to ``places`` decimals, then without trailing zeros."""
    if not value.is_finite() or value.adjusted() > 20:
        return fmt_num(value)
    return fmt_num(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def fmt_load(load: Decimal, unit: str, facts: ExerciseFacts | None = None) -> str:
    """``60 kg``; ``bodyweight`` / ``the dowel`` for unloaded implements; a kettlebell bell in lb
    to the whole lb a person reads (the 24 kg bell, 52.91094... lb, is ``53 lb``)."""
    if facts is not None and facts.unloaded and load.is_zero():
        return "dowel" if facts.implement == "dowel" else "bodyweight"
    if facts is not None and facts.implement == "kettlebell" and unit == "lb":
        bell = bell_shown(load, unit)
        if bell is not None:
            return f"{fmt_num(bell)} {unit}"
    return f"{fmt_num(load)} {unit}"


def measure_word(facts: ExerciseFacts) -> str:
    return "s" if facts.measure == "seconds" else "reps"


def fmt_count(value: int, facts: ExerciseFacts) -> str:
    """``12 reps`` or ``20 s``."""
    return f"{value} {measure_word(facts)}"


def fmt_span(low: object, high: object) -> str:
    """``8–12``; a one-number range is that number alone: ``5``, never ``5–5``."""
    return f"{low}" if low == high else f"{low}–{high}"


def fmt_range(line: Line, facts: ExerciseFacts) -> str:
    """``8–12`` for reps, ``10–20 s`` for holds, ``5`` for a one-number range."""
    suffix = " s" if facts.measure == "seconds" else ""
    return f"{fmt_span(line.low, line.high)}{suffix}"


def fmt_scheme(line: Line, facts: ExerciseFacts) -> str:
    """``3 × 8–12``, ``3 × 8–12 per side``, ``2 × 10–20 s``."""
    per_side = " per side" if facts.per_side else ""
    return f"{line.sets} × {fmt_range(line, facts)}{per_side}"


def fmt_line(line: Line, facts: ExerciseFacts) -> str:
    """``3 × 8–12 at 60 kg``, ``3 × 8–12 per side at 12 kg``, ``2 × 10–20 s at 20 kg``,
    ``3 × 8–12 (bodyweight)``."""
    if facts.unloaded and line.load.is_zero():
        return f"{fmt_scheme(line, facts)} ({fmt_load(line.load, line.unit, facts)})"
    return f"{fmt_scheme(line, facts)} at {fmt_load(line.load, line.unit, facts)}"


def fmt_at(line: Line, facts: ExerciseFacts) -> str:
    """`` at 60 kg`` for a loaded line, nothing for an unloaded drill (``Hold at 60 kg`` / ``Hold``)."""
    if facts.unloaded and line.load.is_zero():
        return ""
    return f" at {fmt_load(line.load, line.unit, facts)}"


def fmt_named_line(line: Line, facts: ExerciseFacts) -> str:
    """``Kettlebell deadlift 3 × 8–12 at 8 kg``."""
    return f"{facts.name} {fmt_line(line, facts)}"


# The flags as a coach reads them on a badge, most serious first: that order lists them.
FLAG_LABELS: dict[str, str] = {
    FLAG_REFER: "See a clinician",
    FLAG_PAIN: "Pain reported",
    FLAG_ASYMMETRY: "Sides uneven",
    FLAG_READINESS: "Low readiness",
    FLAG_RETURN_FROM_BREAK: "Back from a break",
    FLAG_NO_DATA: "No data",
}
FLAG_ORDER: tuple[str, ...] = tuple(FLAG_LABELS)


def flag_label(flag: str) -> str:
    """``See a clinician`` for ``refer``; a flag without a label in words (``some_flag`` → ``Some flag``)."""
    return FLAG_LABELS.get(flag, flag.replace("_", " ").capitalize())


def flags_in_order(flags: Iterable[str]) -> list[str]:
    """Each flag once, most serious first; flags without a rank last, by name."""
    return sorted(set(flags), key=lambda f: (FLAG_ORDER.index(f) if f in FLAG_ORDER else len(FLAG_ORDER), f))


def fault_word(slug: str) -> str:
    return FAULT_WORDS.get(slug, slug.replace("_", " ").replace("-", " "))


def _counted(counts: Counter[str]) -> str:
    """``knees too bent ×2, core lost``: most frequent first."""
    parts = []
    for fault, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        parts.append(fault_word(fault) + (f" ×{count}" if count > 1 else ""))
    return ", ".join(parts)


# Who saw a coach-tagged fault, by the tagger's role, as the rationale says it.
TAGGER_WORDS = {"coach": "your coach", "reviewer": "the reviewer"}


def fmt_faults(sets: Iterable[LoggedSet]) -> str:
    """Each fault the client ticked, most frequent first (``knees too bent ×2, core lost``); then
    the coach's tags, saying who saw them and when (``rounded back, a fault tagged by your coach on
    8 Oct``), each tagger and day on its own, after a semicolon."""
    sets = tuple(sets)
    counts = Counter(fault for logged in sets for fault in logged.faults if fault)
    parts = [_counted(counts)] if counts else []
    tagged: dict[tuple[str, date | None], Counter[str]] = {}
    for logged in sets:
        for tag in logged.coach_faults:
            tagged.setdefault((tag.role, tag.on), Counter())[tag.fault] += 1
    for (role, on), faults in sorted(tagged.items(), key=lambda item: (item[0][1] or date.min, item[0][0])):
        total = sum(faults.values())
        who = TAGGER_WORDS.get(role, f"the {role}")
        when = f" on {fmt_date(on)}" if on is not None else ""
        parts.append(f"{_counted(faults)}, {'a fault' if total == 1 else f'{total} faults'} tagged by {who}{when}")
    return "; ".join(parts)


def plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
