"""The calendar feed's link through the API: GET and reset, for the client and for their coach."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.calendar_feed.models import CalendarFeed

pytestmark = pytest.mark.django_db

ME = "/api/v1/me/calendar/"


def coach_url(client: Any) -> str:
    return f"/api/v1/clients/{client.pk}/calendar/"


def feed_path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1]


def test_the_client_gets_a_link_that_opens_their_feed_and_the_same_link_again(
    client_api: APIClient, client_profile: Any
) -> None:
    first = client_api.get(ME)
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["url"].startswith("http://testserver/calendar/")
    assert body["url"].endswith(".ics")
    assert body["webcal_url"] == "webcal://" + body["url"].removeprefix("http://")
    assert first["Cache-Control"] == "private, no-store"  # the answer carries a secret URL
    assert client_api.get(ME).json() == body  # made on first use, then the same
    assert CalendarFeed.objects.filter(client=client_profile).count() == 1
    feed = APIClient().get("/" + feed_path(body["url"]))
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"BEGIN:VCALENDAR" in feed.content


def test_a_reset_gives_a_new_link_and_the_old_one_is_404(client_api: APIClient) -> None:
    old = client_api.get(ME).json()["url"]
    reset = client_api.post(ME + "reset/")
    assert reset.status_code == 200, reset.content
    assert reset["Cache-Control"] == "private, no-store"
    new = reset.json()["url"]
    assert new != old
    assert client_api.get(ME).json()["url"] == new
    assert APIClient().get("/" + feed_path(old)).status_code == 404
    assert APIClient().get("/" + feed_path(new)).status_code == 200


def test_the_coach_sees_and_resets_their_clients_link(
    coach_api: APIClient, client_api: APIClient, client_profile: Any
) -> None:
    mine = client_api.get(ME).json()
    assert coach_api.get(coach_url(client_profile)).json() == mine  # the client's one link
    reset = coach_api.post(coach_url(client_profile) + "reset/").json()
    assert reset["url"] != mine["url"]
    assert client_api.get(ME).json() == reset
    assert APIClient().get("/" + feed_path(mine["url"])).status_code == 404


def test_nobody_else_reaches_a_clients_link(
    other_coach_api: APIClient, coach_api: APIClient, client_api: APIClient, client_profile: Any, other_client: Any
) -> None:
    assert other_coach_api.get(coach_url(client_profile)).status_code == 404
    assert other_coach_api.post(coach_url(client_profile) + "reset/").status_code == 404
    assert coach_api.get(coach_url(other_client)).status_code == 404
    assert client_api.get(coach_url(client_profile)).status_code == 404  # a client uses me/calendar/
    assert coach_api.get(ME).status_code == 404  # a coach has no feed of their own
    assert APIClient().get(ME).status_code == 401
    assert not CalendarFeed.objects.filter(client=other_client).exists()
