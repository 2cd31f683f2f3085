"""The coach imports a Strong export for a client in a real Chromium: upload (htmx), the dry run
with a select per unmatched name (suggestions preselected), import; then the same file again,
which finds nothing new and writes nothing. Then the upload and commit without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from coaching.models import LoggedSession, LoggedSet
from tests.browser.conftest import sign_in as cookie_sign_in
from tests.browser.test_coach_journey import settled, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
STRONG = ROOT / "tests" / "fixtures" / "imports" / "strong_current_lb.csv"
DRY_RUN_PNG = ROOT / "var" / "screenshots" / "import-dry-run.png"


def _upload(page: Page, base: str, client: Any) -> None:
    page.goto(f"{base}/clients/{client.pk}/")
    page.get_by_role("link", name="Import from Strong or Hevy").click()
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/imports/$"))
    page.get_by_label("Export file (CSV)").set_input_files(str(STRONG))
    page.get_by_label("App").select_option("strong")
    page.get_by_label("Time zone of the file's times").fill("Europe/Berlin")
    page.get_by_label("Weights are in").select_option("lb")
    page.get_by_role("button", name="Check the file").click()
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/imports/\d+/$"))


def test_a_strong_file_imports_through_the_page_twice_and_the_second_adds_nothing(
    page: Page, live_server: Any, coach: Any, client_profile: Any, snap: Any
) -> None:
    sign_in(page, live_server.url, coach.user.email)
    _upload(page, live_server.url, client_profile)
    expect(page.locator("#dry-run-summary")).to_contain_text("2 new sessions")
    expect(page.locator("#dry-run-summary")).to_contain_text("1 warm-up set skipped")
    expect(page.locator("#row-errors")).to_contain_text("Row 10: Reps: “ten” is not a number.")
    deadlift = page.get_by_label("Deadlift (Barbell) (2 sets)", exact=True)
    expect(deadlift).to_have_value("deadlift")
    page.get_by_label("Romanian Deadlift (Barbell) (2 sets)").select_option("romanian-deadlift")
    assert not LoggedSession.objects.exists()  # the dry run wrote nothing
    page.set_viewport_size({"width": 1280, "height": 900})
    DRY_RUN_PNG.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(DRY_RUN_PNG), full_page=True)
    snap(page, "import-dry-run")

    with page.expect_request(lambda r: r.method == "POST" and r.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Import 2 sessions").click()
    expect(page.locator("#import-report")).to_contain_text("2 added")
    settled(page)
    assert LoggedSession.objects.filter(client=client_profile).count() == 2
    sets = LoggedSet.objects.count()

    _upload(page, live_server.url, client_profile)
    expect(page.locator("#dry-run-summary")).to_contain_text("0 new sessions")
    expect(page.get_by_text("Exercises to match")).to_have_count(0)  # the names were remembered
    page.get_by_role("button", name="Import 2 sessions").click()
    expect(page.locator("#import-report")).to_contain_text("2 already up to date")
    assert LoggedSession.objects.filter(client=client_profile).count() == 2
    assert LoggedSet.objects.count() == sets


def test_the_import_works_without_javascript(
    browser: Browser, live_server: Any, coach: Any, client_profile: Any
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        cookie_sign_in(context, live_server, coach.user)
        page = context.new_page()
        _upload(page, live_server.url, client_profile)
        page.get_by_label("Romanian Deadlift (Barbell) (2 sets)").select_option("-")
        page.get_by_role("button", name="Import 2 sessions").click()
        expect(page.locator("#import-report")).to_contain_text("2 added")
    finally:
        context.close()
    assert not LoggedSet.objects.filter(exercise__slug="romanian-deadlift").exists()
