"""Numbers and flag labels have one home, programs/progression/text.py: the tables here, and a
guard that the pages, files and API write them through it."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from programs.progression.text import FLAG_LABELS, flag_label, flags_in_order, fmt_num, fmt_value, json_num

ROOT = Path(__file__).resolve().parents[3]
HOME = ROOT / "programs" / "progression" / "text.py"
D = Decimal


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("60"), "60"),
        (D("60.00"), "60"),
        (D("62.50"), "62.5"),
        (D("52.91"), "52.91"),
        (D("1E+1"), "10"),
        (D("2700.0"), "2700"),
        (D("-0.0"), "0"),
        (66.7, "66.7"),
        (4, "4"),
        (D("NaN"), "NaN"),
    ],
)
def test_fmt_num(value: object, text: str) -> None:
    assert fmt_num(value) == text  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "text"),
    [("62.50", "62.5"), (81.3, "81.3"), (1234567.0, "1234567"), ("abc", "abc"), ("inf", "inf"), (True, "True")],
)
def test_fmt_value(value: object, text: str) -> None:
    assert fmt_value(value) == text


@pytest.mark.parametrize(
    ("value", "number"), [(D("60.00"), 60), (D("62.5"), 62.5), (D("52.91"), 52.91), (7.0, 7), (None, None)]
)
def test_json_num(value: object, number: object) -> None:
    got = json_num(value)  # type: ignore[arg-type]
    assert got == number
    assert type(got) is type(number)


def test_flags_read_as_words_most_serious_first() -> None:
    assert flags_in_order(["no_data", "pain", "zeta", "refer", "pain", "asymmetry", "return_from_break"]) == [
        "refer",
        "pain",
        "asymmetry",
        "return_from_break",
        "no_data",
        "zeta",
    ]
    assert flag_label("refer") == "See a clinician"
    assert flag_label("sore_knee") == "Sore knee"


def _tree() -> list[Path]:
    found = []
    for folder in ("coaching", "programs", "accounts", "templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".html") and "migrations" not in path.parts and path != HOME:
                found.append(path)
    return found


# The review generation keeps its own JSON-number helper until its restructuring (issue 12).
ALLOWED = {
    ("coaching/reviews/generation.py", "def _number("),
    ("coaching/reviews/generation.py", "value.to_integral_value() else float"),
}


@pytest.mark.parametrize(
    "pattern",
    [
        r'format\([^()]*\.normalize\(\), "f"\)',  # a number's text without fmt_num
        r"def _?(number|num|plain|fmt_number)\(",  # a local number formatter
        r'floatformat:"-1"',  # the template spelling of fmt_num
        r"value\.to_integral_value\(\) else float",  # the JSON-number spelling of json_num
    ],
)
def test_no_second_home_for_numbers(pattern: str) -> None:
    found = {
        (str(path.relative_to(ROOT)), match.group(0))
        for path in _tree()
        for match in re.finditer(pattern, path.read_text())
    }
    assert found - ALLOWED == set()


def test_no_second_home_for_flag_labels() -> None:
    labels = "|".join(re.escape(label) for label in FLAG_LABELS.values() if label != "No data")
    offenders = [str(p.relative_to(ROOT)) for p in _tree() if re.search(labels, p.read_text())]
    assert offenders == []
