"""The coach imports a roster in a real Chromium: a small CSV with one bad row and one client they
already have, the preview (htmx) with the row's error, then "Create 2 clients and send invites",
and the clients list shows them as invited. Then the same without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from coaching.models import Client
from tests.browser.conftest import sign_in as cookie_sign_in
from tests.browser.test_coach_journey import settled, sign_in
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

# The lead's review copy of the preview (var/ is git-ignored, like artifacts/).
PREVIEW_PNG = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "roster-preview.png"
ROSTER = (
    "Name;Email;Notes\r\n"
    "Ana Silva;ana.silva@example.com;Returning after a knee injury\r\n"
    "Bo Lind;bo.lind@example;\r\n"
    "Noor Haddad;NOOR@example.com;\r\n"
    "Cy Park;cy.park@example.com;Wants to deadlift 2x bodyweight\r\n"
)


@pytest.fixture
def roster_file(tmp_path: Path) -> Path:
    path = tmp_path / "my-clients.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ROSTER.encode())
    return path


def test_a_roster_with_a_bad_row_previews_then_creates_the_good_ones(
    page: Page, live_server: Any, coach: Any, snap: Any, roster_file: Path, queued_invites: list[Any]
) -> None:
    ClientFactory(coach=coach, name="Noor Haddad", email="noor@example.com")
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/clients/")
    page.get_by_role("link", name="Import clients").click()
    expect(page).to_have_url(re.compile(r"/clients/import/$"))
    expect(page.get_by_role("heading", name="Import clients")).to_be_visible()
    page.get_by_label("Roster file (CSV)").set_input_files(str(roster_file))
    # With JavaScript the upload goes through htmx (multipart) and the preview is swapped in.
    with page.expect_request(lambda r: r.method == "POST" and r.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Preview").click()

    preview = page.locator("#roster-preview")
    expect(preview).to_be_visible()
    settled(page)
    expect(page).to_have_url(re.compile(r"/clients/import/$"))
    rows = preview.locator("tbody tr")
    expect(rows).to_have_count(4)
    bad = preview.locator('tr[data-status="rejected"]')
    expect(bad).to_have_count(1)
    expect(bad).to_contain_text("Bo Lind")
    expect(bad).to_contain_text("“bo.lind@example” is not an email address.")
    expect(preview.locator('tr[data-status="existing"]')).to_contain_text("Skipped: already your client")
    expect(preview.locator('tr[data-status="valid"]')).to_have_count(2)
    expect(page.locator("#roster-summary")).to_contain_text("2 new clients to create")
    assert Client.objects.filter(coach=coach).count() == 1  # the preview wrote nothing
    page.set_viewport_size({"width": 1280, "height": 800})
    PREVIEW_PNG.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PREVIEW_PNG), full_page=True)
    snap(page, "roster-preview")

    page.get_by_role("button", name="Create 2 clients and send invites").click()
    expect(page).to_have_url(re.compile(r"/clients/$"))
    expect(page.get_by_role("status")).to_contain_text("2 clients added; their invites are on their way.")
    for name in ("Ana Silva", "Cy Park"):
        row = page.locator("#client-rows tr", has_text=name)
        expect(row).to_contain_text("Invited")
    expect(page.locator("#client-rows tbody tr")).to_have_count(3)
    snap(page, "roster-created")
    created = Client.objects.filter(coach=coach, email__in=["ana.silva@example.com", "cy.park@example.com"])
    assert created.count() == 2
    assert sorted(args[0] for args in queued_invites) == sorted(c.pk for c in created)


def test_the_roster_import_works_without_javascript(
    browser: Browser, live_server: Any, coach: Any, roster_file: Path, queued_invites: list[Any]
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        cookie_sign_in(context, live_server, coach.user)
        page = context.new_page()
        page.goto(f"{live_server.url}/clients/import/")
        page.get_by_label("Roster file (CSV)").set_input_files(str(roster_file))
        page.get_by_role("button", name="Preview").click()
        expect(page.locator('#roster-preview tr[data-status="rejected"]')).to_contain_text("Bo Lind")
        page.get_by_role("button", name="Create 3 clients and send invites").click()
        expect(page).to_have_url(re.compile(r"/clients/$"))
        expect(page.get_by_role("status")).to_contain_text("3 clients added")
    finally:
        context.close()
    assert Client.objects.filter(coach=coach).count() == 3
