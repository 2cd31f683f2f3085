"""Whole numbers and ids from user input (query strings, form posts, CSV cells), in one place.

``str.isdigit()`` also accepts superscripts and other scripts' digits (``"²"``, ``"٣"``), which
``int()`` then refuses or reads as a different number; here only ASCII digits count. Ids are
64-bit in the database: a larger number would overflow the driver, so it is out of range here.
Text from a query string may carry a NUL character, which PostgreSQL refuses in any query.
"""

from __future__ import annotations

import re
from typing import TypeGuard

MAX_ID = 2**63 - 1
_DIGITS = re.compile(r"[0-9]+")
# More digits than any value we accept needs; also keeps int() far from its 4300-digit limit.
_MAX_DIGITS = len(str(MAX_ID))


def ascii_digits(raw: object) -> TypeGuard[str]:
    """True for a non-empty string of ASCII digits only (no sign, spaces, "_" or other scripts' digits)."""
    return isinstance(raw, str) and _DIGITS.fullmatch(raw) is not None


def parse_int(raw: object, *, low: int, high: int) -> int | None:
    """``raw`` (a string of ASCII digits, no sign or spaces) as an int from ``low`` to ``high``, else None."""
    if not ascii_digits(raw):
        return None
    digits = raw.lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS:
        return None
    number = int(digits)
    return number if low <= number <= high else None


def parse_id(raw: object) -> int | None:
    """A database id (1 to 2**63 - 1) written in ASCII digits, else None."""
    return parse_int(raw, low=1, high=MAX_ID)


def query_text(raw: str) -> str | None:
    """Free text for a filter or lookup; None when it holds a NUL, which no database query may carry."""
    return None if "\x00" in raw else raw
