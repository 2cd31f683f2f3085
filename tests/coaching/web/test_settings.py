"""A coach changes their name, time zone and review day and time."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_coach_changes_review_settings(client: Any, coach: Any) -> None:
    client.force_login(coach.user)
    page = client.get("/settings/")
    assert page.status_code == 200
    assert 'value="06:00"' in page.content.decode()
    response = client.post(
        "/settings/",
        {"name": "Dana", "time_zone": "Europe/Berlin", "review_weekday": "1", "review_time": "07:30"},
    )
    assert response.status_code == 302
    coach.refresh_from_db()
    coach.user.refresh_from_db()
    assert (coach.user.name, coach.time_zone, coach.review_weekday, coach.review_time) == (
        "Dana",
        "Europe/Berlin",
        1,
        dt.time(7, 30),
    )


def test_bad_settings_are_field_errors_and_nothing_changes(client: Any, coach: Any) -> None:
    client.force_login(coach.user)
    response = client.post(
        "/settings/", {"name": "", "time_zone": "Mars/Olympus", "review_weekday": "9", "review_time": "25:00"}
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"name", "time_zone", "review_weekday", "review_time"}
    coach.refresh_from_db()
    assert coach.time_zone == "UTC"


def test_settings_are_for_coaches_only(client: Any, client_profile: Any) -> None:
    client.force_login(client_profile.user)
    assert client.get("/settings/").status_code == 404
    client.logout()
    assert client.get("/settings/").status_code == 302
