"""The phone's "Add to my calendar" card in Chromium at a phone's size: the links, the feed they
open, and "Reset link" through htmx (screenshots: var/screenshots/phone-calendar-card*.png)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import icalendar
import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.browser.conftest import sign_in
from tests.coaching.web.two_days import two_day_client

pytestmark = [pytest.mark.browser, pytest.mark.services]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_context_args, "viewport": PHONE, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}


@pytest.fixture
def person(transactional_db: Any) -> Any:
    coach = factories.CoachFactory(user__email="coach.cal@example.com", user__name="Coach C")
    return two_day_client(coach, name="Maya Okafor")


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header at the top, as a person sees it
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_calendar_card_on_a_phone_subscribes_and_resets(page: Page, live_server: Any, person: Any) -> None:
    sign_in(page.context, live_server, person.user)
    page.goto(f"{live_server.url}/today/")
    page.get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", name="Add to my calendar")).to_be_visible()
    subscribe = page.locator("#calendar-subscribe")
    expect(subscribe).to_be_visible()
    webcal = subscribe.get_attribute("href") or ""
    https = page.locator("#calendar-url").input_value()
    assert webcal.startswith("webcal://")
    assert webcal.removeprefix("webcal://") == https.split("://", 1)[1]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    small = page.evaluate(
        """() => [...document.querySelectorAll(
                '#calendar-card a.button, #calendar-card summary, .tabs a, .tabs button')]
            .filter(el => el.offsetParent !== null)
            .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
            .filter(([, h]) => h < 44)"""
    )
    assert small == [], json.dumps(small)
    shot(page, "phone-calendar-card")

    # The https link is the feed itself: no cookie needed, it parses, it has the pinned days.
    feed = page.context.request.get(https)
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    cal = icalendar.Calendar.from_ical(feed.body())
    assert len(cal.events) == 16

    page.get_by_text("Reset link…").click()
    page.get_by_role("button", name="Reset link").click()
    expect(page.get_by_text("your link was reset")).to_be_visible()
    new = page.locator("#calendar-url").input_value()
    assert new != https
    assert page.url.endswith("/calendar/")  # swapped in place by htmx
    shot(page, "phone-calendar-card-reset")
    assert page.context.request.get(https).status == 404
    assert page.context.request.get(new).status == 200
