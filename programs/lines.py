"""The prescription line (docs/domain.md "Prescriptions, sessions, sets"): one value, its conversions
and its one validator.

A line is the same thing whether it is a template's or a prescription's row, an API body, a
coach's form, the engine's input or the JSON a review item stores. ``Line`` holds it as the coach
wrote it (the load in the line's unit, not in kg); the classmethods build it from each source and
the methods turn it into each target. ``Line.errors`` is the one validator: every writer (the
serializers, the forms, the services and a review's approval) calls it, and it answers by field
in a coach's words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol

from django.core.exceptions import ValidationError

from programs.days import MAX_DAYS
from programs.models import display_load
from programs.progression import units
from programs.progression.text import fmt_num, json_num
from programs.progression.types import (
    DEFAULT_REP_RANGE,
    DEFAULT_SECONDS_RANGE,
    UNITS,
    UNLOADED_IMPLEMENTS,
    ExerciseFacts,
)
from programs.progression.types import Line as EngineLine

MAX_SETS = 20
MAX_REPS = 100
MAX_SECONDS = 600
MAX_REST_SECONDS = 3600
TEMPO = re.compile(r"\d{1,2}(-\d{1,2}){2,3}")
TEMPO_MAX_LENGTH = 12
KETTLEBELL_LOAD_ERROR = (
    f"Kettlebells come in {', '.join(fmt_num(kg) for kg in units.KETTLEBELL_BELLS_KG[:3])}, … "
    f"{fmt_num(units.KETTLEBELL_BELLS_KG[-1])} kg."
)
OVER_MAX_LOAD = f"That load is over {units.MAX_LOAD_KG} kg: check the number and the unit."
TEMPO_ERROR = "Write the tempo as seconds down-pause-up, e.g. 3-2-1."
RPE_ERROR = "Use whole or half RPE values from 1 to 10, e.g. 7 or 7.5."


class ExerciseLike(Protocol):
    """What a line needs of its exercise: a library ``Exercise`` row or the engine's facts."""

    slug: str
    implement: str
    measure: str


def is_hold(exercise: ExerciseLike) -> bool:
    return exercise.measure == "seconds"


def default_range(exercise: ExerciseLike | None) -> tuple[int, int]:
    """8–12 reps, or 10–20 s for a hold (docs/domain.md)."""
    return DEFAULT_SECONDS_RANGE if exercise is not None and is_hold(exercise) else DEFAULT_REP_RANGE


def range_keys(exercise: ExerciseLike) -> tuple[str, str]:
    """The JSON (API and review) names of the range: reps_* or seconds_* by the measure."""
    return ("seconds_low", "seconds_high") if is_hold(exercise) else ("reps_low", "reps_high")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _decimal(value: Any) -> Decimal | None:
    """A JSON number as ``Decimal``; None when it is no finite number."""
    if isinstance(value, bool):
        return None
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return result if result.is_finite() else None


@dataclass(frozen=True)
class Line:
    """One prescription line. ``low``–``high`` counts reps, or seconds for a hold; a missing end
    takes the default range. ``load`` is in ``unit``. ``pre_deload`` (prescription lines only) is
    the stored line a deload returns to. ``day`` is the number of the line's training day
    (docs/domain.md "Training days"; 1 in a prescription without days)."""

    exercise: Any  # ExerciseLike: an Exercise row, or ExerciseFacts for the engine's lines
    sets: int = 3
    low: int | None = None
    high: int | None = None
    load: Decimal = Decimal("0")
    unit: str = "kg"
    tempo: str = ""
    target_rpe: Decimal | None = None
    rest_seconds: int | None = None
    pre_deload: dict[str, Any] | None = None
    day: int = 1

    # --- from each source ------------------------------------------------------------------

    @classmethod
    def from_row(cls, row: Any, unit: str | None = None) -> Line:
        """A stored line (a template's or a prescription's row), its load in its unit, or in ``unit``
        when given (converted once from the stored kg: a template in kg copied to an assignment in lb)."""
        return cls(
            exercise=row.exercise,
            sets=row.sets,
            low=row.range_low,
            high=row.range_high,
            load=display_load(row.load_kg, unit or row.unit),
            unit=unit or row.unit,
            tempo=row.tempo,
            target_rpe=row.target_rpe,
            rest_seconds=row.rest_seconds,
            day=row.day,
        )

    @classmethod
    def from_cleaned(cls, data: Mapping[str, Any], unit: str = "kg") -> Line:
        """A line from the values a parser already typed: the API's ``LineSerializer`` (with the
        exercise row, ``low`` and ``high``) or a coach's ``LineForm``; ``unit`` when it gave none."""
        return cls(
            exercise=data["exercise"],
            sets=data["sets"],
            low=data["low"],
            high=data["high"],
            load=data["load"],
            unit=data.get("unit") or unit,
            tempo=data.get("tempo") or "",
            target_rpe=data.get("target_rpe"),
            rest_seconds=data.get("rest_seconds"),
            day=data.get("day") or 1,
        )

    @classmethod
    def from_json(cls, data: Mapping[str, Any], exercises: Mapping[str, Any]) -> Line:
        """A line in the API's JSON shape (as review items store it, or a coach edited it), checked.

        Raises ``ValidationError`` keyed by the JSON's field names (``reps_low``, ``load``, ...).
        """
        exercise = exercises.get(str(data.get("exercise", "")))
        if exercise is None:
            raise ValidationError({"exercise": [f"Unknown exercise “{data.get('exercise')}”."]})
        low_key, high_key = range_keys(exercise)
        unparsed: dict[str, list[str]] = {}
        load = _decimal(data.get("load", 0))
        if load is None:
            unparsed["load"] = ["Enter a number."]
        target = data.get("target_rpe")
        target_rpe = None if target is None else _decimal(target)
        if target is not None and target_rpe is None:
            unparsed["target_rpe"] = [RPE_ERROR]
        line = cls(
            exercise=exercise,
            sets=data.get("sets", 3),
            low=data.get(low_key),
            high=data.get(high_key),
            load=Decimal("0") if load is None else load,
            unit=data.get("unit", "kg"),
            tempo=data.get("tempo") or "",
            target_rpe=target_rpe,
            rest_seconds=data.get("rest_seconds"),
            day=data.get("day", 1),
        )
        errors = line.errors(json_keys=True) | unparsed
        if errors:
            raise ValidationError(errors)
        return line

    @classmethod
    def from_engine(
        cls, line: EngineLine, library: Mapping[str, ExerciseFacts], rest_seconds: int | None = None
    ) -> Line:
        """An engine line (a proposal's current or proposed) with its exercise's facts; the load to
        the API's two places (a bell in lb, 52.91094... lb, is 52.91; stored again as 24 kg)."""
        facts = library.get(line.exercise) or _reps_exercise(line.exercise)
        return cls(
            exercise=facts,
            sets=line.sets,
            low=line.low,
            high=line.high,
            load=Decimal(line.load).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            unit=line.unit,
            tempo=line.tempo or "",
            target_rpe=None if line.target_rpe is None else Decimal(line.target_rpe),
            rest_seconds=rest_seconds,
            day=line.day,
        )

    @staticmethod
    def engine_from_json(data: Mapping[str, Any], unit: str) -> EngineLine:
        """A stored JSON line (a prescription line's ``pre_deload``) as the engine's line, read as
        stored: seconds when it has ``seconds_low``, ``unit`` when it has none."""
        hold = data.get("seconds_low") is not None
        low_key, high_key = ("seconds_low", "seconds_high") if hold else ("reps_low", "reps_high")
        return EngineLine(
            exercise=data["exercise"],
            sets=int(data["sets"]),
            low=int(data[low_key]),
            high=int(data[high_key]),
            load=Decimal(str(data["load"])),
            unit=data.get("unit", unit),
            tempo=data.get("tempo") or None,
            target_rpe=None if data.get("target_rpe") is None else Decimal(str(data["target_rpe"])),
            day=int(data.get("day") or 1),
        )

    @staticmethod
    def initial_from_json(data: Mapping[str, Any]) -> dict[str, Any]:
        """A ``LineForm``'s initial values from a stored JSON line, as stored (nothing checked)."""
        return {
            "exercise": data.get("exercise"),
            "sets": data.get("sets"),
            "low": data.get("reps_low", data.get("seconds_low")),
            "high": data.get("reps_high", data.get("seconds_high")),
            "load": data.get("load"),
            "unit": data.get("unit", "kg"),
            "tempo": data.get("tempo") or "",
            "target_rpe": data.get("target_rpe"),
            "rest_seconds": data.get("rest_seconds"),
            "day": data.get("day") or 1,
        }

    # --- the one validator -------------------------------------------------------------------

    def errors(self, *, json_keys: bool = False) -> dict[str, list[str]]:
        """What is wrong with the line, by field, in a coach's words; empty when it is valid.

        Sets 1–20; the range whole numbers from 1 to 100 reps or 600 s, bottom not above top;
        load from 0 to 1,000 kg compared in kg (whatever the unit); a bodyweight or dowel line at
        0 and a kettlebell line at a bell (``units``: in lb within 0.5 lb); RPE 1–10 in halves;
        tempo as down-pause-up seconds; rest 0–3600 s. The unit-dependent load checks wait while
        ``unit`` is None (an API line inside an assignment whose unit is not known yet).
        Keys are the line's own (``low``, ``high``), or the JSON's (``reps_low``) with ``json_keys``.
        """
        errors: dict[str, list[str]] = {}
        exercise = self.exercise
        hold = is_hold(exercise)
        word, top = ("seconds", MAX_SECONDS) if hold else ("reps", MAX_REPS)
        if not _whole(self.sets) or not 1 <= self.sets <= MAX_SETS:
            errors["sets"] = [f"Sets must be a whole number from 1 to {MAX_SETS}."]
        for name in ("low", "high"):
            value = getattr(self, name)
            if value is not None and (not _whole(value) or not 1 <= value <= top):
                errors[name] = [f"{word.capitalize()} must be a whole number from 1 to {top}."]
        if not errors.keys() & {"low", "high"}:
            low, high = self.range()
            if low > high:
                errors["low"] = [f"The range starts above its end ({low} > {high} {word})."]
        if self.unit is not None and self.unit not in UNITS:
            errors["unit"] = ["Use kg or lb."]
        load = self.load
        if not isinstance(load, Decimal) or not load.is_finite():
            errors["load"] = ["Enter a number."]
        elif load < 0:
            errors["load"] = ["The load cannot be negative."]
        elif exercise.implement in UNLOADED_IMPLEMENTS and load != 0:
            errors["load"] = [f"{exercise.implement.capitalize()} exercises carry no load: use 0."]
        elif self.unit in UNITS and units.to_kg(load, self.unit) > units.MAX_LOAD_KG:
            errors["load"] = [OVER_MAX_LOAD]
        elif self.unit in UNITS and exercise.implement == "kettlebell" and units.bell_kg(load, self.unit) is None:
            errors["load"] = [KETTLEBELL_LOAD_ERROR]
        rpe = self.target_rpe
        if rpe is not None and (not isinstance(rpe, Decimal) or not 1 <= rpe <= 10 or (rpe * 2) % 1):
            errors["target_rpe"] = [RPE_ERROR]
        tempo = self.tempo or ""
        if tempo and (not isinstance(tempo, str) or len(tempo) > TEMPO_MAX_LENGTH or not TEMPO.fullmatch(tempo)):
            errors["tempo"] = [TEMPO_ERROR]
        rest = self.rest_seconds
        if rest is not None and (not _whole(rest) or not 0 <= rest <= MAX_REST_SECONDS):
            errors["rest_seconds"] = [f"Rest is a whole number of seconds from 0 to {MAX_REST_SECONDS}."]
        if not _whole(self.day) or not 1 <= self.day <= MAX_DAYS:
            errors["day"] = [f"A line's day is a day number from 1 to {MAX_DAYS}."]
        if json_keys:
            keys = dict(zip(("low", "high"), range_keys(exercise), strict=True))
            errors = {keys.get(name, name): messages for name, messages in errors.items()}
        return errors

    def check(self, *, json_keys: bool = False) -> Line:
        """The line itself when it is valid; else ``ValidationError`` with ``errors()``."""
        errors = self.errors(json_keys=json_keys)
        if errors:
            raise ValidationError(errors)
        return self

    # --- to each target ------------------------------------------------------------------------

    def range(self) -> tuple[int, int]:
        """The range with the default filling a missing end (a lone end stays inside it)."""
        default = default_range(self.exercise)
        if self.low is None and self.high is None:
            return default
        if self.low is None:
            assert self.high is not None
            return min(default[0], self.high), self.high
        if self.high is None:
            return self.low, max(default[1], self.low)
        return self.low, self.high

    @property
    def load_kg(self) -> Decimal:
        """The load in kg; a kettlebell bell at its exact weight (53 lb → 24 kg)."""
        return units.grid_kg(Decimal(self.load), self.exercise.implement, self.unit)

    def row_values(self) -> dict[str, Any]:
        """Model field values of a checked line (reps or seconds by the measure, load in kg)."""
        self.check()
        low, high = self.range()
        hold = is_hold(self.exercise)
        return {
            "exercise": self.exercise,
            "sets": self.sets,
            "reps_low": None if hold else low,
            "reps_high": None if hold else high,
            "seconds_low": low if hold else None,
            "seconds_high": high if hold else None,
            "load_kg": self.load_kg,
            "unit": self.unit,
            "tempo": self.tempo or "",
            "target_rpe": self.target_rpe,
            "rest_seconds": self.rest_seconds,
            "day": self.day,
        }

    def as_stored(self) -> Line:
        """The line as its row reads back: the range filled, the load through kg to two places
        (a bell typed as 53 lb reads back as 52.91)."""
        low, high = self.range()
        return replace(self, low=low, high=high, load=display_load(self.load_kg, self.unit), tempo=self.tempo or "")

    def in_unit(self, unit: str) -> Line:
        """The same load written in ``unit`` (a template in lb copied to an assignment in kg)."""
        if unit == self.unit:
            return self
        return replace(self, load=display_load(units.to_kg(Decimal(self.load), self.unit), unit), unit=unit)

    def to_json(self) -> dict[str, Any]:
        """The API's line shape, which review items store: the load as a number in its unit, the
        range as reps_* or seconds_* by the measure, ``rest_seconds`` only when set."""
        low_key, high_key = range_keys(self.exercise)
        data: dict[str, Any] = {
            "exercise": self.exercise.slug,
            "sets": self.sets,
            low_key: self.low,
            high_key: self.high,
        }
        data |= {
            "day": self.day,
            "load": json_num(Decimal(self.load)),
            "unit": self.unit,
            "tempo": self.tempo or None,
            "target_rpe": None if self.target_rpe is None else json_num(Decimal(self.target_rpe)),
        }
        if self.rest_seconds is not None:
            data["rest_seconds"] = self.rest_seconds
        return data

    def to_engine(self) -> EngineLine:
        """The engine's line (``programs.progression``): the exercise's slug, the load in its unit."""
        low, high = self.range()
        return EngineLine(
            exercise=self.exercise.slug,
            sets=self.sets,
            low=low,
            high=high,
            load=Decimal(self.load),
            unit=self.unit,  # type: ignore[arg-type]
            tempo=self.tempo or None,
            target_rpe=self.target_rpe,
            day=self.day,
        )

    def initial(self) -> dict[str, Any]:
        """A ``LineForm``'s initial values."""
        return {
            "exercise": self.exercise.slug,
            "sets": self.sets,
            "low": self.low,
            "high": self.high,
            "load": self.load,
            "unit": self.unit,
            "tempo": self.tempo,
            "target_rpe": self.target_rpe,
            "rest_seconds": self.rest_seconds,
            "day": self.day,
        }


def _reps_exercise(slug: str) -> ExerciseFacts:
    """A stand-in for an exercise missing from the library: counted in reps, as the JSON says."""
    return ExerciseFacts(slug=slug, name=slug, implement="barbell", measure="reps", laterality="bilateral")
