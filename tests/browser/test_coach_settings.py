"""A coach changes their review settings in a real Chromium, with the keyboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_coach_journey import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_coach_changes_review_settings(page: Page, live_server: Any, coach: Any, snap: Any) -> None:
    sign_in(page, live_server.url, coach.user.email)
    page.get_by_role("link", name=coach.user.name).click()
    expect(page.get_by_role("heading", name="Your settings")).to_be_visible()
    snap(page, "29-settings")
    page.get_by_label("Your time zone").select_option("Europe/Berlin")
    page.get_by_label("Reviews ready on").select_option(label="Tuesday")
    page.get_by_label("At", exact=True).fill("07:30")
    page.get_by_label("At", exact=True).press("Enter")
    expect(page.get_by_text("Settings saved.")).to_be_visible()
    coach.refresh_from_db()
    assert (coach.time_zone, coach.review_weekday, coach.review_time) == ("Europe/Berlin", 1, dt.time(7, 30))
