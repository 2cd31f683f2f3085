"""The program builder in a real Chromium: a line the one validator (``programs.lines``) refuses
shows each message under its field, in the coach's words, and adds nothing."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from programs.lines import RPE_ERROR, TEMPO_ERROR
from tests.browser.test_coach_builder import _template
from tests.browser.test_coach_journey import settled, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_new_line_with_rpe_off_the_halves_and_a_worded_tempo_is_refused_under_each_field(
    page: Page, live_server: Any, coach: Any, snap: Any
) -> None:
    template = _template(coach)
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/programs/{template.pk}/")
    page.locator("#id_new-exercise").select_option("romanian-deadlift")
    settled(page)
    page.locator("#id_new-load").fill("60")
    page.locator("#id_new-tempo").fill("slow")
    page.locator("#id_new-target_rpe").fill("7.3")
    page.get_by_role("button", name="Add to the program").click()
    settled(page)
    expect(page.locator("#id_new-tempo_error")).to_contain_text(TEMPO_ERROR)
    expect(page.locator("#id_new-target_rpe_error")).to_contain_text(RPE_ERROR)
    snap(page, "builder-line-rules")
    assert template.lines.count() == 2
