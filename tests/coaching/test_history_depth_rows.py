"""History depth: the client's phone History and Today and the coach's client page read (nearly)
the same rows, and send under 150 kB, with three years of training as with one.

Each page is rendered for one client seeded with 1 year and with 3 years of sessions
(``coaching.seed``) and a prescription version for every week (as weekly approved reviews make),
and the rows the database returns are counted (``tests.rows``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from coaching.models import Assignment, PrescriptionLine, PrescriptionVersion
from coaching.seed import coach_seed, roster_seed
from coaching.weeks import local_today, monday_of
from tests.conftest import ensure_library
from tests.rows import count_rows

pytestmark = pytest.mark.django_db
MAX_HTML = 150_000
# The rows a page may read more at three years than at one (a few months' summary lines, etc.).
SLACK = 30


def weekly_versions(assignment: Assignment, weeks: int, start: dt.date) -> None:
    """A review-approved version each week after the first, the loads moving on, bulk-written."""
    first = assignment.versions.get()
    lines = list(first.lines.all())
    versions = PrescriptionVersion.objects.bulk_create(
        [
            PrescriptionVersion(
                assignment=assignment,
                effective_from=start + dt.timedelta(weeks=week),
                source=PrescriptionVersion.Source.REVIEW,
                reason="Weekly review",
                changed_by=assignment.client.coach.user,
            )
            for week in range(1, weeks)
        ]
    )
    PrescriptionLine.objects.bulk_create(
        [
            PrescriptionLine(
                version=version,
                day=line.day,
                position=line.position,
                exercise_id=line.exercise_id,
                sets=line.sets,
                reps_low=line.reps_low,
                reps_high=line.reps_high,
                load_kg=line.load_kg + Decimal(week),
                unit=line.unit,
            )
            for week, version in enumerate(versions, start=1)
            for line in lines
        ]
    )


def deep_client(years: int, email: str) -> Assignment:
    coach = coach_seed(email)
    weeks = 52 * years
    start = monday_of(local_today(coach)) - dt.timedelta(weeks=weeks)
    roster = roster_seed(coach, clients=1, weeks=weeks, start=start, prefix=f"y{years}")
    [assignment] = roster.assignments
    weekly_versions(assignment, weeks, start)
    return assignment


def measure(client: Any, url: str) -> tuple[int, int, Any]:
    client.get(url)  # warm: first-request work (sessions, caches) is not the page's
    with count_rows() as counted:
        response = client.get(url)
    assert response.status_code == 200
    return counted.rows, len(response.content), counted


@pytest.fixture(scope="module")
def depths(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        ensure_library()
        one, three = deep_client(1, "one-year@example.com"), deep_client(3, "three-years@example.com")
        yield one, three
        for a in (one, three):
            coach = a.client.coach
            a.client.user.delete() if a.client.user else None
            coach.user.delete()


def _pages(client: Any, assignment: Assignment, who: str) -> dict[str, tuple[int, int, Any]]:
    if who == "client":
        client.force_login(assignment.client.user)
        return {
            "history": measure(client, reverse("client-history")),
            "today": measure(client, reverse("client-today")),
        }
    client.force_login(assignment.client.coach.user)
    return {"client page": measure(client, reverse("coach-client", args=[assignment.client_id]))}


@pytest.mark.parametrize("who", ["client", "coach"])
def test_pages_read_flat_rows_in_history_depth(client: Any, depths: Any, who: str) -> None:
    one, three = depths
    assert three.client.sessions.count() == 3 * one.client.sessions.count() == 3 * 52 * 3
    assert three.versions.count() == 3 * one.versions.count() == 3 * 52
    small, big = _pages(client, one, who), _pages(client, three, who)
    for page, (rows_1y, _, _) in small.items():
        rows_3y, size_3y, counted = big[page]
        assert rows_3y <= rows_1y + SLACK, (page, rows_1y, rows_3y, counted.top())
        assert size_3y < MAX_HTML, (page, size_3y)
