"""The readiness check-in on the phone (390×844, touch): a low check-in offers the day at the
readiness cut, taking it fills the cut loads, and the session syncs with the check-in."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from coaching.models import LoggedSession
from tests.browser.conftest import sign_in
from tests.browser.test_client_phone import (  # noqa: F401  (the phone's context fixture)
    WAIT_MS,
    browser_context_args,
    log,
    open_today,
    person,
    read_db,
    sets_on_server,
    wait_until,
)

pytestmark = [pytest.mark.browser, pytest.mark.services]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def tap(page: Page, question: str, value: str) -> None:
    page.locator(f"#checkin button.tap[data-q='{question}'][data-v='{value}']").tap()


def test_a_low_check_in_offers_the_cut_and_syncs_with_the_session(
    page: Page,
    live_server: Any,
    person: Any,  # noqa: F811  (the fixture imported above)
) -> None:
    sign_in(page.context, live_server, person.user)
    open_today(page, live_server)
    card = page.locator("#checkin")
    expect(card).to_be_visible()
    expect(page.locator("#checkin-offer")).to_be_hidden()
    tap(page, "sleep", "2")
    tap(page, "soreness", "4")
    expect(page.locator("#checkin-offer")).to_be_hidden()  # not complete yet
    tap(page, "stress", "4")  # (2 + 2 + 2) / 3 = 2
    expect(page.locator("#checkin button.tap[data-q='sleep'][data-v='2']")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#checkin-offer")).to_be_visible()
    tap(page, "low_back", "tight")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "phone-checkin.png"), full_page=True)

    page.locator("#cut-take").tap()
    expect(page.locator("#checkin-offer")).to_be_hidden()
    expect(page.locator("#checkin-done")).to_contain_text("10% lighter")
    note = page.locator(".cut-note[data-line='0']")
    expect(note).to_be_visible()
    cut = note.locator("strong").inner_text().split()[0]
    assert cut == "52.5"  # 60 kg × 0.9 = 54, rounded down onto the 2.5 kg barbell grid
    expect(page.locator("#load-0")).to_have_value(cut)
    page.screenshot(path=str(SCREENSHOTS / "phone-checkin-cut.png"), full_page=True)

    log(page, 0)
    wait_until(page, lambda: LoggedSession.objects.filter(client=person, checkin_cut_taken=True).exists(), "sync")
    stored = read_db(lambda: LoggedSession.objects.get(client=person))
    assert (stored.checkin_sleep, stored.checkin_soreness, stored.checkin_stress) == (2, 4, 4)
    assert (stored.checkin_low_back, stored.checkin_cut_taken) == ("tight", True)
    [logged] = sets_on_server(person)
    assert str(logged.load_kg.normalize()) == "52.5"
    expect(card).to_be_hidden(timeout=WAIT_MS)  # the session has begun


def test_the_check_in_can_be_skipped_and_a_good_one_offers_nothing(
    page: Page,
    live_server: Any,
    person: Any,  # noqa: F811  (the fixture imported above)
) -> None:
    sign_in(page.context, live_server, person.user)
    open_today(page, live_server)
    for question, value in (("sleep", "5"), ("soreness", "1"), ("stress", "2")):
        tap(page, question, value)
    expect(page.locator("#checkin-offer")).to_be_hidden()
    tap(page, "low_back", "painful")
    expect(page.locator("#checkin-offer")).to_be_visible()
    page.locator("#cut-decline").tap()
    expect(page.locator("#checkin-offer")).to_be_hidden()
    expect(page.locator("#load-0")).to_have_value("60")
    page.locator("#checkin-skip").tap()
    expect(page.locator("#checkin")).to_be_hidden()
    log(page, 0)
    wait_until(page, lambda: LoggedSession.objects.filter(client=person).exists(), "sync")
    stored = read_db(lambda: LoggedSession.objects.get(client=person))
    assert (stored.checkin_low_back, stored.checkin_cut_taken) == ("painful", False)
