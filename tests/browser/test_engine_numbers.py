"""The engine's numbers on the real pages: the phone's History (390×844), the coach's dashboard and
client page show the e1RM, volume load and weaker side that programs/progression/metrics.py gives
for the same sets, with the loads where a float or a second rounding would drift (see
tests/coaching/test_page_metrics.py)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.weeks import monday_of
from tests import factories
from tests.browser.conftest import DESKTOP, sign_in
from tests.coaching.web.conftest import make_review

pytestmark = [pytest.mark.browser, pytest.mark.services]
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def person(transactional_db: Any) -> Any:
    coach = factories.CoachFactory(user__email="coach.numbers@example.com", user__name="Coach N")
    return factories.ClientFactory(coach=coach, name="Maya Okafor", with_login=True, with_assignment=True)


def _log(person: Any, day: int, sets: list[SetInput]) -> None:
    """A session last week on ``day`` (0 = Monday), written as the phone's sync writes it."""
    monday = monday_of(timezone.localdate()) - dt.timedelta(weeks=1)
    when = dt.datetime.combine(monday + dt.timedelta(days=day), dt.time(9, 0), tzinfo=dt.UTC)
    assignment = person.assignments.get(is_active=True)
    item = SessionInput(
        id=uuid.uuid4(), assignment_id=assignment.pk, performed_at=when, client_modified_at=when, sets=tuple(sets)
    )
    [result] = sessions_apply(user=person.user, items=[item])
    assert result.status == "created", result.errors


def test_the_phones_history_shows_the_engines_e1rm(page: Page, live_server: Any, person: Any, shoot: Any) -> None:
    _log(person, 0, [SetInput(exercise="romanian-deadlift", reps=8, load=Decimal("20.25"))])
    _log(person, 3, [SetInput(exercise="romanian-deadlift", reps=8, load=Decimal("20"))])
    page.set_viewport_size(PHONE)
    sign_in(page.context, live_server, person.user)
    page.goto(f"{live_server.url}/history/")
    # 20.25 kg × (1 + 8/30) is exactly 25.65 kg: the engine's half-up 25.7, not 25.6.
    expect(page.get_by_text("8 reps at 20.25 kg (e1RM 25.7 kg)")).to_be_visible()
    shoot(page, "client-history-engine-e1rm")


def test_the_coachs_dashboard_and_client_page_show_the_engines_numbers(
    page: Page, live_server: Any, person: Any, shoot: Any
) -> None:
    rdl = [SetInput(exercise="romanian-deadlift", reps=7, load=Decimal("20.25")) for _ in range(3)]
    sides = [
        SetInput(exercise="single-leg-rdl", side=s, reps=5, load=Decimal(kg))
        for s, kg in [("left", "13"), ("right", "16")]
    ]
    _log(person, 1, rdl + sides)
    week = monday_of(timezone.localdate()) - dt.timedelta(weeks=1)
    review = make_review(person.assignments.get(is_active=True), week, flags=["refer"])
    page.set_viewport_size(DESKTOP)
    sign_in(page.context, live_server, person.coach.user)
    page.goto(f"{live_server.url}/dashboard/")
    # 13 × 5 of 16 × 5 kg·reps is exactly 81.25%: the engine's 81.3%.
    expect(page.get_by_text("weaker side at 81.3% of the stronger last week")).to_be_visible()
    expect(page.locator(".badge.danger", has_text="⚠ See a clinician").first).to_be_visible()
    shoot(page, "coach-dashboard-engine-numbers")
    page.goto(f"{live_server.url}/clients/{person.pk}/")
    # 3 × 7 × 20.25 kg is exactly 425.25 kg of volume load: 425.3.
    page.get_by_text("Romanian deadlift as a table", exact=True).click()
    expect(page.get_by_role("cell", name="425.3", exact=True)).to_be_visible()
    shoot(page, "coach-client-page-engine-numbers")
    # The review page's flags in the engine's words.
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    expect(page.get_by_text("⚠ See a clinician:").first).to_be_visible()
    shoot(page, "coach-review-flag-labels")
