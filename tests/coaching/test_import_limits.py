"""A session import's file limits at full size: parsing does not hold the file again and again,
100,000 rows are read and the 100,001st refused, a file over 20 MB is refused, each with a clear
message."""

from __future__ import annotations

import tracemalloc
import zoneinfo

import pytest

from coaching.sessions.imports import common, strong

HEADER = "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE\n"
UTC = zoneinfo.ZoneInfo("UTC")


def strong_rows(count: int) -> str:
    """``count`` sets, 20 to a workout (5,000 workouts for 100,000 rows)."""
    out = [HEADER]
    for row in range(count):
        day, order = divmod(row, 20)
        start = f"2025-{1 + day // 500 % 12:02d}-{1 + day % 28:02d} {day // 28 % 24:02d}:{day % 60:02d}:00"
        out.append(f"{start},Workout {day},1h,Deadlift (Barbell),{order + 1},100,5,0,0,,,8\r\n")
    return "".join(out)


def test_parsing_holds_no_copies_of_the_file() -> None:
    # A fifth of the limit: what parsing holds beyond its result grows with the file, and
    # tracemalloc makes the full 100,000 rows slow (the next test reads them all).
    rows = common.MAX_ROWS // 5
    text = strong_rows(rows)
    tracemalloc.start()
    try:
        parsed = strong.parse(text, unit="kg", tz=UTC, include_warmups=False)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sum(len(w.sets) for w in parsed.workouts) == rows
    assert not parsed.errors
    # What parsing needed beyond what it returns: no list of the lines, no 4-byte-per-character
    # copy of the text (io.StringIO); both were several times the file's size.
    assert peak - kept < len(text) // 4, (peak - kept, len(text))


def test_100000_rows_are_read_and_the_row_after_the_limit_is_refused_as_too_large() -> None:
    parsed = strong.parse(strong_rows(common.MAX_ROWS), unit="kg", tz=UTC, include_warmups=False)
    assert len(parsed.workouts) == common.MAX_ROWS // 20
    text = strong_rows(common.MAX_ROWS + 1)
    with pytest.raises(common.ImportFileError) as refused:
        strong.parse(text, unit="kg", tz=UTC, include_warmups=False)
    assert refused.value.too_large
    assert refused.value.message == "At most 100,000 rows per file: split it."


def test_a_file_over_20_mb_is_refused_before_it_is_parsed() -> None:
    data = (HEADER + "x" * (common.MAX_BYTES - len(HEADER) + 1)).encode()
    with pytest.raises(common.ImportFileError) as refused:
        common.decode(data)
    assert refused.value.too_large
    assert refused.value.message == "The file is over 20 MB: split it."
    assert common.decode(data[:-1])  # exactly 20 MB is allowed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\nb\n", ["a\n", "b\n"]),
        ("a\r\nb\r\n", ["a\r\n", "b\r\n"]),
        ("a\rb", ["a\r", "b"]),  # old Mac line endings
        ("x\r\r\ny", ["x\r", "\r\n", "y"]),
        ("", []),
    ],
)
def test_lines_keep_their_endings_one_at_a_time(text: str, expected: list[str]) -> None:
    assert list(common.lines(text)) == expected
