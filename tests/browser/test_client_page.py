"""The coach's client page in a real Chromium, on the demo roster: 24 sessions stay a short page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from coaching.management.commands.demo_data import DEMO_EMAIL, DEMO_PASSWORD
from coaching.models import Client
from tests.browser.conftest import DESKTOP

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_client_page_with_24_sessions_is_one_line_per_exercise_and_expands_to_sets(
    page: Page, live_server: Any, shoot: Any
) -> None:
    call_command("demo_data", "--quiet")
    maya = Client.objects.get(name="Maya Okafor")
    assert maya.sessions.count() == 24
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.goto(f"{live_server.url}/clients/{maya.pk}/")
    expect(page.get_by_role("heading", name="Maya Okafor", level=1)).to_be_visible()
    shoot(page, "coach-client-page-desktop")

    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 3000, f"the client page is {height} px tall"
    sessions = page.locator("#sessions article.session")
    expect(sessions).to_have_count(10)
    first = sessions.first
    # One line per exercise, its sets folded away until the coach opens them.
    expect(first.locator("details.exercise-sets")).to_have_count(3)
    rdl = first.locator("details.exercise-sets", has_text="Romanian deadlift")
    expect(rdl.locator("summary")).to_contain_text("3 × 10 @ 135 lb")
    expect(rdl.locator("table")).to_be_hidden()
    rdl.locator("summary").click()
    expect(rdl.locator("table tbody tr")).to_have_count(3)
    expect(rdl.locator("table")).to_be_visible()
    shoot(page, "coach-client-page-set-open-desktop")
