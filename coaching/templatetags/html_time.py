"""``{{ value|html_datetime }}``: the ``datetime`` attribute of ``<time>``, valid HTML.

Django's ``date:"c"`` prints microseconds (six digits); HTML allows at most three.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def html_datetime(value: Any) -> str:
    """``2026-12-01T10:15:00+00:00`` (to the second, in the current time zone), or ``2026-12-01``."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return ""
