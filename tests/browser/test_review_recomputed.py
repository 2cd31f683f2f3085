"""Late data in a real Chromium: the coach has the review open when a late session recomputes it;
"Approve all" then shows that the review was updated, with its new proposals, and approves nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from coaching.models import WeeklyReview
from coaching.reviews.tasks import recompute_reviews
from coaching.sessions.services import sessions_apply
from tests.browser.test_coach_journey import settled, sign_in
from tests.coaching.test_review_generation import WEEK, log, rdl
from tests.coaching.test_review_recompute import _item, _review
from tests.factories import ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_approving_a_review_a_late_session_just_updated_shows_the_update(
    page: Page, live_server: Any, coach: Any, shoot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[list[int]] = []
    monkeypatch.setattr(recompute_reviews, "apply_async", lambda args, **kw: queued.append(list(args[0])))
    client = ClientFactory(coach=coach, name="Maya Ortiz", with_assignment=True)
    log(client, WEEK, rdl(10))
    review = _review(client)
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    expect(page.locator("#review-recomputed")).to_have_count(0)
    expect(page.get_by_text("1 / 3")).to_be_visible()

    # Meanwhile the phone syncs a session of that week, and the worker recomputes the review.
    sessions_apply(user=coach.user, items=[_item(client, WEEK + dt.timedelta(days=2))])
    assert recompute_reviews(queued[0]) == 1

    page.get_by_role("button", name="Approve all").click()
    settled(page)
    expect(page.get_by_text("This review was updated on")).to_be_visible()
    notice = page.locator("#review-recomputed")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("with a session synced late")
    expect(page.get_by_text("2 / 3")).to_be_visible()  # the new proposals, from both sessions
    shoot(page, "coach-review-updated-by-a-late-session-desktop")
    assert WeeklyReview.objects.get(pk=review.pk).status == "pending"
