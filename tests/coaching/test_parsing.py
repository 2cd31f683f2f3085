"""Whole numbers and ids from user input: ASCII digits only, 64-bit ids, no NUL in query text."""

from __future__ import annotations

import pytest

from coaching.parsing import MAX_ID, parse_id, parse_int, query_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("7", 7), ("0", 0), ("007", 7), ("500", 500), ("000000000000000000000000000042", 42)],
)
def test_ascii_digits_in_range_are_read(raw: str, expected: int) -> None:
    assert parse_int(raw, low=0, high=500) == expected


@pytest.mark.parametrize(
    "raw",
    ["²", "1²", "٣", "１", "𝟗", "-1", "+1", " 1", "1 ", "1\n", "1.0", "1e3", "", "501", "9" * 5000, None, 5],
)
def test_anything_but_ascii_digits_in_range_is_none(raw: object) -> None:
    assert parse_int(raw, low=0, high=500) is None


def test_ids_are_64_bit_and_positive() -> None:
    assert parse_id(str(MAX_ID)) == MAX_ID
    assert parse_id(str(MAX_ID + 1)) is None
    assert parse_id("0") is None
    assert parse_id("²") is None


def test_query_text_with_a_nul_is_refused() -> None:
    assert query_text("Ann") == "Ann"
    assert query_text("") == ""
    assert query_text("An\x00n") is None
