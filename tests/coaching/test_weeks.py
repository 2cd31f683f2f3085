"""The coach's weeks have one home, coaching/weeks.py: a table of its answers and a guard that
no other module computes a time zone or a Monday on its own."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from coaching import weeks

ROOT = Path(__file__).resolve().parents[2]
PARIS = SimpleNamespace(time_zone="Europe/Paris", review_weekday=0, review_time=dt.time(6, 0))
NOWHERE = SimpleNamespace(time_zone="Mars/Olympus", review_weekday=0, review_time=dt.time(6, 0))


@pytest.mark.parametrize(
    ("day", "monday"),
    [
        (dt.date(2026, 11, 30), dt.date(2026, 11, 30)),  # a Monday is its own week's Monday
        (dt.date(2026, 12, 6), dt.date(2026, 11, 30)),  # Sunday ends the week
        (dt.date(2026, 12, 3), dt.date(2026, 11, 30)),
        (dt.date(2027, 1, 1), dt.date(2026, 12, 28)),  # across a year
    ],
)
def test_monday_of(day: dt.date, monday: dt.date) -> None:
    assert weeks.monday_of(day) == monday


@pytest.mark.parametrize(
    ("day", "first"),
    [
        (dt.date(2026, 11, 30), dt.date(2026, 11, 30)),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 7)),
        (dt.date(2026, 12, 6), dt.date(2026, 12, 7)),
    ],
)
def test_first_monday_on_or_after(day: dt.date, first: dt.date) -> None:
    assert weeks.first_monday_on_or_after(day) == first


def test_an_unknown_zone_is_utc_and_a_known_one_is_itself() -> None:
    assert weeks.coach_zone(NOWHERE) == weeks.UTC_ZONE
    assert str(weeks.coach_zone(PARIS)) == "Europe/Paris"
    assert weeks.is_time_zone("Europe/Paris")
    assert not weeks.is_time_zone("Mars/Olympus")


def test_a_session_late_on_sunday_utc_is_monday_for_a_coach_in_paris() -> None:
    moment = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)
    assert weeks.local_date(PARIS, moment) == dt.date(2026, 12, 7)
    assert weeks.local_week_of(PARIS, moment) == dt.date(2026, 12, 7)
    assert weeks.local_week_of(NOWHERE, moment) == dt.date(2026, 11, 30)
    assert weeks.local_today(PARIS, moment) == dt.date(2026, 12, 7)


def test_week_bounds_are_aware_local_midnights() -> None:
    start, end = weeks.week_bounds(PARIS, dt.date(2026, 11, 30))
    assert start == dt.datetime(2026, 11, 29, 23, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 12, 6, 23, 0, tzinfo=dt.UTC)
    assert weeks.week_start(PARIS, dt.date(2026, 11, 30)) == start


def test_last_finished_week_and_review_due_in_the_coach_zone() -> None:
    # Monday 30 Nov, 05:30 UTC is 06:30 in Paris: last week is over there and the review is due.
    now = dt.datetime(2026, 11, 30, 5, 30, tzinfo=dt.UTC)
    assert weeks.last_finished_week(PARIS, now) == dt.date(2026, 11, 23)
    assert weeks.review_due(PARIS, now)
    assert not weeks.review_due(PARIS, dt.datetime(2026, 11, 30, 4, 30, tzinfo=dt.UTC))
    assert weeks.first_week(dt.date(2026, 12, 2)) == dt.date(2026, 11, 30)


def _sources() -> list[Path]:
    found = []
    for folder in ("coaching", "programs", "accounts", "config"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" not in path.parts:
                found.append(path)
    return found


def test_no_second_home_for_zones_or_mondays() -> None:
    """ZoneInfo(...) and "day - timedelta(days=day.weekday())" appear in coaching/weeks.py only."""
    zone = re.compile(r"ZoneInfo\(")
    monday = re.compile(r"timedelta\(days=(\(7 - )?[\w.\[\]\"']+\.weekday\(\)")
    offenders = [
        str(path.relative_to(ROOT))
        for path in _sources()
        if path != ROOT / "coaching" / "weeks.py" and (zone.search(text := path.read_text()) or monday.search(text))
    ]
    assert offenders == []
