"""The co-sign journey in Chromium: the coach cannot approve a shared client's pain proposal,
the physiotherapist co-signs it on their queue, then the coach approves. Screenshots of the team
page, the reviewer's queue and the co-signed review go to var/screenshots/."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coaching.models import WeeklyReview
from coaching.weeks import monday_of
from tests.browser.conftest import DESKTOP
from tests.browser.test_coach_journey import settled
from tests.coaching.teams.team_world import team_world
from tests.coaching.web.conftest import active_assignment, make_review
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in(page: Page, base: str, email: str, lands: str) -> None:
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(lands))


def test_the_reviewer_cosigns_then_the_coach_approves(
    page: Page, live_server: Any, coach: Any, client_profile: Any, other_coach: Any
) -> None:
    tw = team_world(coach, client_profile, other_coach)
    week = monday_of(timezone.localdate()) - dt.timedelta(weeks=1)
    review = make_review(active_assignment(tw.client), week, flags=["pain"])
    base = live_server.url

    _sign_in(page, base, coach.user.email, r"/dashboard/$")
    page.goto(f"{base}/team/")
    expect(page.get_by_role("heading", name="Hinge Gym")).to_be_visible()
    expect(page.get_by_role("cell", name="Pat Physio")).to_be_visible()
    _shot(page, "team-page")
    page.goto(f"{base}/reviews/{review.pk}/")
    page.get_by_role("button", name="Approve all").click()
    settled(page)
    expect(page.get_by_text("Waiting for the co-sign of Pat Physio")).to_be_visible()
    assert WeeklyReview.objects.get(pk=review.pk).status == "pending"

    _sign_in(page, base, tw.reviewer.email, r"/team/cosigns/$")
    queue = page.locator("#cosign-queue")
    expect(queue.get_by_role("link", name=tw.client.name)).to_be_visible()
    _shot(page, "reviewer-queue")
    page.get_by_role("link", name="Read and co-sign").click()
    page.get_by_label("Note (optional)").fill("Pain-free hinge at this load: fine to progress.")
    page.get_by_role("button", name="Co-sign these proposals").click()
    expect(page).to_have_url(re.compile(r"/team/cosigns/$"))
    expect(queue.get_by_text(re.compile("Co-signed"))).to_be_visible()
    page.goto(f"{base}/team/reviews/{review.pk}/")
    expect(page.locator(".cosigned")).to_contain_text("Pat Physio")
    _shot(page, "cosigned-review")

    _sign_in(page, base, coach.user.email, r"/dashboard/$")
    page.goto(f"{base}/reviews/{review.pk}/")
    expect(page.get_by_text(re.compile("Co-signed by Pat Physio"))).to_be_visible()
    page.get_by_role("button", name="Approve all").click()
    settled(page)
    expect(page.locator(".status-approved")).to_be_visible()
    assert WeeklyReview.objects.get(pk=review.pk).status == "approved"
    _shot(page, "cosigned-review-approved")
