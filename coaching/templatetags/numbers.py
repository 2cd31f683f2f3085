"""``{{ value|num }}`` and ``{{ flag|flag_label }}``: numbers and flags as the engine's text writes
them (``programs.progression.text``), so a page reads like the review's sentences."""

from __future__ import annotations

from typing import Any

from django import template

from programs.progression import readiness_shown, text

register = template.Library()


@register.filter(name="num")
def as_number(value: Any) -> str:
    """``60``, ``62.5``, ``52.91``; nothing for no value."""
    return "" if value is None or value == "" else text.fmt_value(value)


@register.filter
def flag_label(flag: str) -> str:
    """A flag in a coach's words (``text.FLAG_LABELS``)."""
    return text.flag_label(flag)


@register.filter
def readiness(checkin: Any) -> str:
    """A check-in's readiness with one decimal (``2.3``); empty when incomplete."""
    value = readiness_shown(checkin)
    return "" if value is None else text.fmt_num(value)
