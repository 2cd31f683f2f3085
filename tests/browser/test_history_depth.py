"""A client with more than a year of training, on a phone: History shows the latest month in full
and a line for each older month that opens in place; the approved changes show the latest few and
open all. On the coach's client page the prescription history opens all its versions in place."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from coaching.seed import coach_seed, roster_seed
from coaching.weeks import local_today, monday_of
from tests.browser.conftest import DESKTOP, sign_in
from tests.coaching.test_history_depth_rows import weekly_versions

PHONE = {"width": 390, "height": 844}
WEEKS = 60


@pytest.fixture
def deep(transactional_db: Any) -> Any:
    coach = coach_seed("deep-coach@example.com")
    start = monday_of(local_today(coach)) - dt.timedelta(weeks=WEEKS)
    [assignment] = roster_seed(coach, clients=1, weeks=WEEKS, start=start, prefix="deep").assignments
    weekly_versions(assignment, WEEKS, start)
    return assignment


def test_history_opens_an_older_month_and_all_changes_in_place_on_a_phone(
    page: Page, live_server: Any, deep: Any, shoot: Any, screenshot_dir: Any
) -> None:
    page.set_viewport_size(PHONE)
    sign_in(page.context, live_server, deep.client.user)
    page.goto(f"{live_server.url}/history/")
    latest = page.locator("#past-sessions article.past-session")
    expect(latest.first).to_be_visible()
    assert 12 <= latest.count() <= 30
    months = page.locator("#older-months .month-summary")
    assert months.count() >= 11
    first_line = months.first
    name = first_line.locator("a").inner_text()
    shoot(page, "client-history-months-phone")
    page.locator("#older-months").screenshot(path=str(screenshot_dir / "client-history-older-months-phone.png"))

    first_line.locator("a").click()
    opened = page.locator("#older-months section.month-open")
    expect(opened).to_have_count(1)
    expect(opened.get_by_role("heading", name=name)).to_be_visible()
    assert opened.locator("article.past-session").count() >= 12
    assert page.url == f"{live_server.url}/history/"  # opened in place (htmx), not a new page
    expect(months).to_have_count(months.count())
    shoot(page, "client-history-month-open-phone")
    page.locator("#changes").screenshot(path=str(screenshot_dir / "client-history-changes-phone.png"))

    changes = page.locator("#changes h3")
    expect(changes).to_have_count(5)
    page.get_by_role("link", name=f"Show all {WEEKS - 1} changes").click()
    expect(changes).to_have_count(WEEKS - 1)
    expect(page.get_by_role("link", name="Show all")).to_have_count(0)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "nothing wider than the phone"


def test_the_client_page_opens_every_prescription_version_in_place(
    page: Page, live_server: Any, deep: Any, shoot: Any
) -> None:
    page.set_viewport_size(DESKTOP)
    sign_in(page.context, live_server, deep.client.coach.user)
    url = f"{live_server.url}/clients/{deep.client_id}/"
    page.goto(url)
    history = page.locator("#prescription-history")
    history.locator("summary").click()
    expect(history.locator(".history-head")).to_have_count(5)
    history.get_by_role("link", name=f"Show all {WEEKS} versions").click()
    expect(history.locator(".history-head")).to_have_count(WEEKS)
    expect(page.locator("#prescription-history details[open]")).to_have_count(1)
    assert page.url == url
    shoot(page, "coach-client-all-versions-desktop")
