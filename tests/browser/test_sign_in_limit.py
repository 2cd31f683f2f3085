"""One phone trying many emails on the sign-in form is stopped with a readable page."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_too_many_sign_in_attempts_from_one_address_get_a_clear_page(
    page: Page, live_server: Any, coach: Any, settings: Any, shoot: Any
) -> None:
    cache.clear()
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {**rates, "login_form": "3/10m"}}
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/accounts/login/")
    for i in range(3):
        page.get_by_label("Email").fill(f"guess{i}@example.com")
        page.get_by_label("Password").fill("wrong")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_contain_text("correct email and password")
    page.get_by_label("Email").fill(coach.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 429
    assert 0 < int(answer.value.headers["retry-after"]) <= 600
    expect(page.get_by_role("alert")).to_have_text(
        "Too many sign-in attempts from your network. Try again in 10 minutes."
    )
    expect(page.get_by_label("Email")).to_have_value(coach.user.email)
    shoot(page, "sign-in-too-many-attempts-phone")
    cache.clear()
