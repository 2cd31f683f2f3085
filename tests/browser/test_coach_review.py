"""The review page in a real Chromium at desktop size: deciding with the keyboard lands focus on
the result, a "see a clinician" proposal is confirmed before approving (with and without
JavaScript) and can be marked as referred, and loads read in the client's unit."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from coaching.models import WeeklyReview
from coaching.services.prescriptions import assignment_create
from coaching.weeks import monday_of
from tests.browser.conftest import DESKTOP
from tests.browser.test_coach_journey import settled, sign_in
from tests.coaching.web.conftest import active_assignment, make_review
from tests.factories import PASSWORD, ClientFactory, default_lines

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _week() -> dt.date:
    return monday_of(timezone.localdate()) - dt.timedelta(weeks=1)


def _review(coach: Any, name: str, flags: list[str] | None = None) -> WeeklyReview:
    client = ClientFactory(coach=coach, name=name, with_assignment=True)
    return make_review(active_assignment(client), _week(), flags=flags)


def _focused(page: Page) -> dict[str, str]:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName, cls: e.className, text: e.innerText || '', tabindex: e.getAttribute('tabindex')}; }"
    )


def test_approving_with_the_keyboard_moves_focus_to_what_changed(
    page: Page, live_server: Any, coach: Any, shoot: Any
) -> None:
    review = _review(coach, "Ana Lima")
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    expect(page.locator(".proposal-reason").first).to_have_text("Ready to progress")
    page.get_by_role("button", name="Approve all").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".status-approved")).to_be_visible()
    settled(page)
    focused = _focused(page)
    assert focused["cls"] == "messages", focused
    assert focused["tabindex"] == "-1"
    assert "Approved. Romanian deadlift: 60 → 65 kg" in focused["text"]
    assert "from Mon" in focused["text"]
    shoot(page, "coach-30-review-approved-focus-desktop")


def test_rejecting_with_the_keyboard_moves_focus_to_the_result(page: Page, live_server: Any, coach: Any) -> None:
    review = _review(coach, "Ben Ode")
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reject the review").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".status-rejected")).to_be_visible()
    settled(page)
    focused = _focused(page)
    assert focused["cls"] == "messages", focused
    assert "Rejected. The prescription stays as it is." in focused["text"]


def test_an_invalid_edit_lands_focus_on_its_error(page: Page, live_server: Any, coach: Any) -> None:
    review = _review(coach, "Cy Park")
    item = review.items.order_by("position").first()
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    card = page.locator(f"#item-{item.pk}")
    card.get_by_text("Edit the proposal before approving").click()
    card.get_by_label("Reps to").fill("5")
    page.get_by_role("button", name="Approve all").focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#id_item-{item.pk}-high_error")).to_contain_text("The range starts above its end")
    settled(page)
    assert _focused(page)["cls"].startswith("alert alert-error")
    assert WeeklyReview.objects.get(pk=review.pk).status == "pending"


def test_a_see_a_clinician_review_is_marked_referred_and_confirmed_before_approving(
    page: Page, live_server: Any, coach: Any, snap: Any, screenshot_dir: Path
) -> None:
    review = _review(coach, "Dee Moss", flags=["pain", "refer"])
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    # caret="initial": hiding the caret leaves style="" on the inputs, which htmx's settle then
    # copies over (a CSP report a person never causes).
    page.screenshot(
        path=str(screenshot_dir / "coach-31-review-see-a-clinician-desktop.png"), full_page=True, caret="initial"
    )
    page.get_by_role("button", name="Mark as referred").focus()
    page.keyboard.press("Enter")
    referred = page.locator(".flag-refer .referred")
    expect(referred).to_contain_text(re.compile(r"Referred to a clinician by Coach A on \d+ \w+"))
    settled(page)
    assert "Marked as referred to a clinician" in _focused(page)["text"]
    snap(page, "31-review-see-a-clinician-referred")

    page.get_by_role("button", name="Approve all").focus()
    page.keyboard.press("Enter")
    step = page.get_by_role("region", name="Approve despite “see a clinician”?")
    expect(step).to_be_visible()
    settled(page)
    assert _focused(page)["cls"].startswith("card confirm-step")
    expect(step).to_contain_text("Referred to a clinician by Coach A")
    expect(step).to_contain_text("Romanian deadlift: 60 → 65 kg")
    assert WeeklyReview.objects.get(pk=review.pk).status == "pending"
    snap(page, "32-review-confirm-see-a-clinician")
    page.get_by_role("button", name="Yes, approve").click()
    expect(page.locator(".status-approved")).to_be_visible()
    assert WeeklyReview.objects.get(pk=review.pk).status == "approved"


def test_without_javascript_the_confirmation_is_a_page_of_its_own(
    browser: Browser, live_server: Any, coach: Any
) -> None:
    review = _review(coach, "Eli Ward", flags=["pain", "refer"])
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(coach.user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{live_server.url}/reviews/{review.pk}/")
        page.get_by_role("button", name="Approve all").click()
        expect(page.get_by_role("heading", name="Approve despite “see a clinician”?")).to_be_visible()
        assert WeeklyReview.objects.get(pk=review.pk).status == "pending"
        page.get_by_role("button", name="No, back to the review").click()
        expect(page.get_by_role("button", name="Approve all")).to_be_visible()
        page.get_by_role("button", name="Approve all").click()
        page.get_by_role("button", name="Yes, approve").click()
        expect(page.locator(".status-approved")).to_be_visible()
        assert WeeklyReview.objects.get(pk=review.pk).status == "approved"
    finally:
        context.close()


def test_a_client_in_lb_reads_the_week_in_lb(page: Page, live_server: Any, coach: Any, snap: Any) -> None:
    client = ClientFactory(coach=coach, name="Fay Lund")
    assignment = assignment_create(
        client=client, start_date=dt.date(2026, 10, 5), lines=default_lines("lb"), changed_by=coach.user, unit="lb"
    )
    review = make_review(assignment, _week())
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    metrics = page.locator("section[aria-labelledby='metrics-h'] table")
    expect(metrics.locator("thead")).to_contain_text("Volume load (lb)")
    expect(metrics.locator("thead")).to_contain_text("Best e1RM (lb)")
    expect(metrics.locator("tbody")).to_contain_text("2700")
    headers = page.eval_on_selector_all("th", "els => els.map(e => e.textContent.trim())")
    assert headers
    assert "" not in headers  # axe's empty-table-header
    snap(page, "33-review-lb")


def test_approve_ticked_only_leaves_an_unticked_proposal_and_its_edit_aside(
    page: Page, live_server: Any, coach: Any, shoot: Any
) -> None:
    """The proposal formset: an unticked proposal keeps its current line, and a bad edit left on
    it does not block the ticked ones."""
    review = _review(coach, "Rui Costa")
    first, second, *_ = review.items.order_by("position")
    sign_in(page, live_server.url, coach.user.email)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    card = page.locator(f"#item-{second.pk}")
    card.get_by_label("Approve this proposal").uncheck()
    card.locator("summary").click()
    card.locator(f"#id_item-{second.pk}-sets").fill("0")  # under the 1 set minimum
    page.get_by_role("button", name="Approve ticked only").click()
    expect(page.locator(".status-approved")).to_be_visible()
    settled(page)
    shoot(page, "coach-32-review-approved-ticked-only-desktop")
    decisions = dict(review.items.values_list("pk", "decision"))
    assert decisions[first.pk] == "approved"
    assert decisions[second.pk] == "kept"


def test_the_queue_approves_the_ticked_reviews(page: Page, live_server: Any, coach: Any, shoot: Any) -> None:
    """The queue's bulk approval (the service ``reviews_bulk_approve``) from the page."""
    ticked = [_review(coach, "Ana Lima"), _review(coach, "Bea Moss")]
    left = _review(coach, "Cai Ng")
    sign_in(page, live_server.url, coach.user.email)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/reviews/")
    for review in ticked:
        page.locator(f"#tick-{review.pk}").check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Approve ticked reviews as proposed").click()
    expect(page.get_by_text("Approved 2 reviews.")).to_be_visible()
    settled(page)
    shoot(page, "coach-33-queue-bulk-approved-desktop")
    statuses = dict(WeeklyReview.objects.values_list("pk", "status"))
    assert statuses == {ticked[0].pk: "approved", ticked[1].pk: "approved", left.pk: "pending"}
