"""The dashboard's "training today": clients with a day pinned to today's weekday, logged yet or not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.selectors_coach import TRAINING_TODAY_SHOWN, dashboard_for, training_today
from coaching.services.prescriptions import assignment_create
from programs.days import Day
from tests import factories
from tests.coaching.web.two_days import at, log_day, two_day_client, two_day_lines

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 23)


def pinned_client(coach: Any, weekday: int, **kwargs: Any) -> Any:
    """A client whose Heavy day is pinned to ``weekday`` and Light day to three days later."""
    client = factories.ClientFactory(coach=coach, **kwargs)
    assignment_create(
        client=client,
        start_date=MONDAY - dt.timedelta(weeks=8),
        lines=two_day_lines(),
        days=[Day(1, "Heavy", (weekday,)), Day(2, "Light", ((weekday + 3) % 7,))],
        changed_by=coach.user,
    )
    return client


def test_training_today_lists_clients_with_a_day_pinned_to_today(coach: Any) -> None:
    monday_client = pinned_client(coach, 0, name="Ana Monday")
    pinned_client(coach, 1, name="Ben Tuesday")
    thursday_light = pinned_client(coach, 4, name="Cy Friday")  # Light on Monday (4 + 3 = 7 → 0)
    factories.ClientFactory(coach=coach, with_assignment=True, name="Dee Unpinned")
    rows = training_today(coach, MONDAY)
    assert [(r.client.name, r.day.name) for r in rows] == [("Ana Monday", "Heavy"), ("Cy Friday", "Light")]
    assert {r.client for r in rows} == {monday_client, thursday_light}
    assert [r.client.name for r in training_today(coach, MONDAY + dt.timedelta(days=1))] == ["Ben Tuesday"]


def test_training_today_says_whether_a_session_is_logged_today(coach: Any) -> None:
    done = pinned_client(coach, 0, name="Ana Done")
    other = pinned_client(coach, 0, name="Ben Other day")
    pinned_client(coach, 0, name="Cy Not yet")
    log_day(done, at(MONDAY, 7), 1)
    log_day(done, at(MONDAY, 18), 1)
    log_day(other, at(MONDAY, 9), 2)
    log_day(other, at(MONDAY - dt.timedelta(days=1), 9), 1)  # yesterday does not count
    rows = {r.client.name: r for r in training_today(coach, MONDAY)}
    assert rows["Ana Done"].logged_time == "07:30"  # the first session today
    assert not rows["Ana Done"].logged_other_day
    assert rows["Ben Other day"].logged_other_day
    assert rows["Cy Not yet"].logged_at is None


def test_training_today_leaves_out_inactive_clients_and_other_coaches(coach: Any, other_coach: Any) -> None:
    pinned_client(coach, 0, name="Ana", is_active=False)
    pinned_client(other_coach, 0, name="Other coach's")
    assert training_today(coach, MONDAY) == []


def test_training_today_follows_the_coachs_time_zone(coach: Any) -> None:
    """Sunday 20:00 UTC is Monday 09:00 in Auckland: Monday's clients train today there."""
    client = pinned_client(coach, 0, name="Ana")
    log_day(client, dt.datetime(2026, 11, 22, 19, 30, tzinfo=dt.UTC), 1)  # Monday 08:30 in Auckland
    now = dt.datetime(2026, 11, 22, 20, 0, tzinfo=dt.UTC)
    assert dashboard_for(coach, now=now).training_today == []  # a Sunday in UTC
    coach.time_zone = "Pacific/Auckland"
    coach.save(update_fields=["time_zone"])
    [row] = dashboard_for(coach, now=now).training_today
    assert row.client == client
    assert row.logged_time == "08:30"


def test_the_dashboard_shows_training_today(coach_web: Any, coach: Any) -> None:
    today = timezone.localdate()
    ana = pinned_client(coach, today.weekday(), name="Ana Today")
    pinned_client(coach, today.weekday(), name="Ben Today")
    log_day(ana, timezone.now() - dt.timedelta(seconds=1), 1)
    body = coach_web.get(reverse("coach-dashboard")).content.decode()
    card = body[body.index('id="training-today"') : body.index('id="pending-h"')]
    assert "Training today" in card
    assert reverse("coach-client", args=[ana.pk]) in card
    assert "Heavy" in card
    assert "Logged at " in card
    assert "Not logged yet" in card
    assert "2 clients" in card


def test_the_dashboard_says_when_nobody_trains_today(coach_web: Any, client_profile: Any) -> None:
    body = coach_web.get(reverse("coach-dashboard")).content.decode()
    assert f"No client has a day pinned to {timezone.localdate():%A}." in body


def test_training_today_queries_do_not_grow_with_clients(
    coach_web: Any, coach: Any, django_assert_max_num_queries: Any
) -> None:
    weekday = timezone.localdate().weekday()
    first = pinned_client(coach, weekday)
    log_day(first, timezone.now() - dt.timedelta(seconds=1), 1)
    with django_assert_max_num_queries(13) as small:
        coach_web.get(reverse("coach-dashboard"))
    for i in range(199):
        client = pinned_client(coach, weekday) if i % 2 else two_day_client(coach)
    log_day(client, timezone.now() - dt.timedelta(seconds=1), 1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = coach_web.get(reverse("coach-dashboard"))
    board = response.context["board"]
    assert board.training_today_count >= 100
    assert len(board.training_today) == TRAINING_TODAY_SHOWN  # the first few listed, the rest a link away
    print(f"dashboard: {len(small.captured_queries)} queries")


def test_training_today_lists_the_first_few_and_shows_all_on_request(coach_web: Any, coach: Any) -> None:
    weekday = timezone.localdate().weekday()
    names = sorted(pinned_client(coach, weekday, name=f"Pinned {i:02d}").name for i in range(TRAINING_TODAY_SHOWN + 3))
    url = reverse("coach-dashboard")
    body = coach_web.get(url).content.decode()
    card = body[body.index('id="training-today"') : body.index('id="pending-h"')]
    assert f"{TRAINING_TODAY_SHOWN + 3} clients" in card
    assert card.count("Not logged yet") == TRAINING_TODAY_SHOWN
    assert names[TRAINING_TODAY_SHOWN] not in card
    assert f'<a href="?today=all#training-today">Show all {TRAINING_TODAY_SHOWN + 3} training today</a>' in card
    everyone = coach_web.get(url, {"today": "all"}).content.decode()
    card = everyone[everyone.index('id="training-today"') : everyone.index('id="pending-h"')]
    assert all(name in card for name in names)
    assert "Show all" not in card
