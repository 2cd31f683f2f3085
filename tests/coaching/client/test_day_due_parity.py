"""The day due has one table (tests/js/day_due_cases.json) run by the server's
``programs.days.day_due`` here and by the phone's static/client/days.js under node: they agree."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from programs.days import Day, day_due

TABLE = json.loads((Path(__file__).resolve().parents[2] / "js" / "day_due_cases.json").read_text())


@pytest.mark.parametrize("case", TABLE["cases"], ids=[c["name"] for c in TABLE["cases"]])
def test_day_due_matches_the_phones_table(case: dict[str, Any]) -> None:
    days = [Day(number, name, tuple(weekdays)) for number, name, weekdays in case["days"]]
    start = dt.date.fromisoformat(case["start"]) if case.get("start") else None
    due = day_due(days, dt.date.fromisoformat(case["on"]), case["last"], start=start)
    assert (due.day.number, due.rest_day) == (case["due"], case["rest"])
