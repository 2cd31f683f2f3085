"""The coach imports a truncated copy of a client's sessions in a real Chromium and reads the
conflict in the report: which session, and why nothing of it changed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from coaching.models import LoggedSet
from coaching.sessions import csv_io
from tests.browser.test_coach_journey import sign_in
from tests.coaching.api.test_sessions_api import api_for, session_body
from tests.coaching.web.conftest import active_assignment
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_truncated_reimport_shows_a_conflict_and_keeps_the_sets(
    page: Page, live_server: Any, coach: Any, snap: Any, tmp_path: Path
) -> None:
    client = ClientFactory(coach=coach, name="Noor Haddad", with_login=True, with_assignment=True)
    body = session_body(active_assignment(client).pk)
    kept = session_body(active_assignment(client).pk, notes="Second session")
    for item in (body, kept):
        assert api_for(client.user).put(f"/api/v1/sessions/{item['id']}/", item, format="json").status_code == 201
    lines = csv_io.sessions_csv_text(client=client).split("\r\n")
    truncated = tmp_path / "noor-sessions.csv"
    # Two of the first session's five sets are missing; the second session is whole.
    own = [n for n, line in enumerate(lines) if line.startswith(body["id"])]
    keep = [line for n, line in enumerate(lines) if n not in own[-2:]]
    truncated.write_text("\r\n".join(keep))

    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    snap(page, "client-with-import-link")
    page.get_by_role("link", name="Import sessions (CSV)").click()
    expect(page).to_have_url(re.compile(rf"/clients/{client.pk}/import/$"))
    page.get_by_label("Sessions file (CSV)").set_input_files(str(truncated))
    page.get_by_role("button", name="Import").click()

    report = page.locator("#import-report")
    expect(report).to_be_visible()
    conflict = report.locator('tr[data-status="conflict"]')
    expect(conflict).to_have_count(1)
    expect(conflict).to_contain_text(body["id"])
    expect(conflict).to_contain_text("Conflict: not changed")
    expect(conflict).to_contain_text("remove or change 2 of the 5 stored sets")
    expect(report.locator('tr[data-status="unchanged"]')).to_contain_text(kept["id"])
    expect(page.get_by_role("alert")).to_contain_text("1 session not changed")
    snap(page, "sessions-import-conflict")
    assert LoggedSet.objects.filter(session_id=body["id"]).count() == 5


def test_the_import_page_before_a_file(page: Page, live_server: Any, coach: Any, snap: Any) -> None:
    client = ClientFactory(coach=coach, name="Noor Haddad", with_assignment=True)
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/clients/{client.pk}/import/")
    expect(page.get_by_role("heading", name="Import sessions for Noor Haddad")).to_be_visible()
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".field-error")).to_contain_text("This field is required.")
    snap(page, "sessions-import-form")
