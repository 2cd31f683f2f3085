"""The coach's dashboard, review queue and client list read (nearly) the same rows for a coach of
one client as for one of 200, each with weeks of history and reviews waiting (tests/rows.py,
coaching/seed.py): a page that starts reading the whole roster or its history fails here."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.clients.views import CLIENTS_PER_PAGE
from coaching.reviews.generation import reviews_generate, week_batches
from coaching.reviews.views import REVIEWS_PER_PAGE
from coaching.seed import coach_seed, roster_seed
from coaching.weeks import monday_of
from tests.rows import count_rows

pytestmark = pytest.mark.django_db

WEEKS = 3
BIG = 200
ROWS_SLACK = 40  # rows a page may read beyond the one-client coach's, whatever the roster
MAX_BYTES = 150_000


@pytest.fixture
def coaches() -> dict[str, Any]:
    """A coach of one client and one of 200, three finished weeks each (nothing yet this week),
    the reviews of the first two weeks generated through the real service, still pending."""
    start = monday_of(timezone.localdate()) - dt.timedelta(weeks=WEEKS)
    small = coach_seed("small-coach@example.com")
    big = coach_seed("big-coach@example.com")
    roster_seed(small, clients=1, weeks=WEEKS, start=start, logins=False, prefix="solo")
    roster_seed(big, clients=BIG, weeks=WEEKS, start=start, logins=False, prefix="busy")
    for week in (start, start + dt.timedelta(weeks=1)):
        reviews_generate(week_batches(week))
    return {"small": small, "big": big}


def _read(client: Any, coach: Any, url: str) -> tuple[int, bytes, list[tuple[int, str]]]:
    client.force_login(coach.user)
    with count_rows() as counted:
        response = client.get(url)
    assert response.status_code == 200, url
    return counted.rows, response.content, counted.top()


def _flat(client: Any, coaches: dict[str, Any], url: str, *, page: int = 0) -> bytes:
    """The page at 200 clients reads at most ROWS_SLACK rows more than at one, beyond one row per
    row of its list's ``page`` (a paged list reads a page whatever the roster: 50 rows at 200
    clients as at 500)."""
    small_rows, _, _ = _read(client, coaches["small"], url)
    big_rows, body, top = _read(client, coaches["big"], url)
    assert big_rows <= small_rows + page + ROWS_SLACK, (small_rows, big_rows, top)
    assert len(body) < MAX_BYTES, len(body)
    return body


def test_the_dashboard_reads_the_same_rows_for_200_clients_as_for_one(client: Any, coaches: dict[str, Any]) -> None:
    body = _flat(client, coaches, reverse("coach-dashboard")).decode()
    # Everything is still said, counted in full: 200 clients, 400 reviews, all 200 without a session this week.
    assert f"{BIG} active clients" in body
    assert f'{2 * BIG}</span><span class="stat-label">reviews waiting' in body
    assert f'{BIG}</span><span class="stat-label">clients needing attention' in body
    assert f"All {2 * BIG} waiting reviews" in body
    assert body.count("No session logged this week yet") == 20
    assert "?attention=2#attention" in body  # the rest, a page at a time
    assert body.count('<tr>\n        <td><a href="/clients/') == 8  # the 8 latest sessions


def test_the_review_queue_reads_a_page_of_reviews_for_200_clients(client: Any, coaches: dict[str, Any]) -> None:
    body = _flat(client, coaches, reverse("coach-reviews") + "?status=all", page=REVIEWS_PER_PAGE).decode()
    assert f"{2 * BIG} reviews" in body
    assert f"Page 1 of {2 * BIG // REVIEWS_PER_PAGE}" in body
    assert "?status=all&amp;page=2" in body
    assert body.count('class="badge action-') >= REVIEWS_PER_PAGE  # each row counts its proposals


def test_the_client_list_reads_a_page_of_clients_for_200(client: Any, coaches: dict[str, Any]) -> None:
    body = _flat(client, coaches, reverse("coach-clients"), page=CLIENTS_PER_PAGE).decode()
    assert f"{BIG} clients" in body
    assert "Busy 0000" in body
    assert body.count("3× a week since") == CLIENTS_PER_PAGE
    assert body.count("2 waiting</a>") == CLIENTS_PER_PAGE
