"""The coach's journey in a real Chromium: sign in, add a client, build a template, assign it,
sessions arrive, a review is generated, edit one proposal, approve, see the change; plus the
queue's bulk approve and screenshots of every coach page at desktop and tablet sizes."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coaching.models import Assignment, Client, WeeklyReview
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.weeks import monday_of
from tests.browser.conftest import DESKTOP
from tests.coaching.web.conftest import active_assignment, make_review
from tests.factories import PASSWORD, ClientFactory

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, email: str) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def settled(page: Page) -> None:
    """Wait until htmx has swapped, settled and wired up what it put in the page."""
    expect(page.locator(".htmx-request, .htmx-settling, .htmx-swapping, .htmx-added")).to_have_count(0)


def log_week(user: Any, assignment: Assignment, week_start: dt.date) -> None:
    """Two sessions in the week, every set at the top of the range, no faults."""
    items = []
    for day in (1, 3):
        when = dt.datetime.combine(week_start + dt.timedelta(days=day), dt.time(7, 30), tzinfo=dt.UTC)
        sets = [SetInput(exercise="romanian-deadlift", reps=10, load=Decimal("60"), rpe=Decimal("7"))] * 3
        sets += [SetInput(exercise="rdl-isometric-hold", seconds=20, load=Decimal("40"))] * 2
        items.append(
            SessionInput(
                id=uuid.uuid4(),
                assignment_id=assignment.pk,
                performed_at=when,
                client_modified_at=min(when, timezone.now()),
                sets=tuple(sets),
            )
        )
    assert {r.status for r in sessions_apply(user=user, items=items)} == {"created"}


def generate_review(assignment: Assignment, week_start: dt.date) -> WeeklyReview:
    try:
        from coaching.reviews.generation import reviews_generate_batch
    except ImportError:  # the generator is written in parallel; rows made directly stand in
        return make_review(assignment, week_start)
    reviews_generate_batch(week_start=week_start, assignment_ids=[assignment.pk], notify=False)
    return WeeklyReview.objects.get(assignment=assignment, week_start=week_start)


def test_coach_journey_from_new_client_to_approved_progression(
    page: Page, live_server: Any, coach: Any, snap: Any
) -> None:
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    snap(page, "01-sign-in")
    sign_in(page, base, coach.user.email)
    snap(page, "02-dashboard-empty")

    # Add a client: the invite link is there to copy.
    page.get_by_role("link", name="Clients", exact=True).click()
    page.get_by_role("link", name="Add a client").first.click()
    page.get_by_label("Client's name").fill("Maya Okafor")
    page.get_by_label("Client's email").fill("maya@example.com")
    snap(page, "03-client-add")
    page.get_by_role("button", name="Add and create the invite").click()
    expect(page.get_by_role("textbox", name="Invite link")).to_have_value(re.compile(r"/invite/[\w-]+/$"))
    snap(page, "04-client-invited")

    # Build a template: pick exercises (cues show), add, edit in place, reorder.
    page.get_by_role("link", name="Programs", exact=True).click()
    page.get_by_label("Program name").fill("Hinge foundations")
    page.get_by_role("button", name="Create and add exercises").click()
    picker = page.get_by_label("Exercise", exact=True)
    picker.select_option("rdl-isometric-hold")
    expect(page.locator("#add-line")).to_contain_text("Seconds from")
    settled(page)
    expect(page.locator(".picker-cues")).to_contain_text("RDL isometric hold")
    page.get_by_label("Sets").fill("2")
    page.get_by_label("Load", exact=True).fill("40")
    page.get_by_role("button", name="Add to the program").click()
    expect(page.locator(".builder-line")).to_have_count(1)
    settled(page)
    page.get_by_label("Exercise", exact=True).select_option("romanian-deadlift")
    expect(page.locator("#add-line")).to_contain_text("Reps from")
    settled(page)
    page.get_by_label("Reps from").fill("8")
    page.get_by_label("Reps to").fill("10")
    page.get_by_label("Load", exact=True).fill("55")
    page.get_by_label("Target RPE").fill("8")
    page.get_by_role("button", name="Add to the program").click()
    expect(page.locator(".builder-line")).to_have_count(2)
    settled(page)
    page.get_by_role("link", name="Edit Romanian deadlift").click()
    settled(page)
    page.locator("#line-1-1").get_by_label("Load", exact=True).fill("60")
    page.get_by_role("button", name="Save line").click()
    expect(page.locator("#line-1-1")).to_contain_text("60 kg")
    settled(page)
    page.get_by_role("button", name="Move Romanian deadlift up").click()
    expect(page.locator("#line-1-0")).to_contain_text("Romanian deadlift")
    snap(page, "05-program-builder")

    # Assign it, starting two Mondays ago, so last week can be reviewed.
    this_monday = monday_of(timezone.localdate())
    reviewed_week = this_monday - dt.timedelta(weeks=1)
    page.get_by_role("link", name="Assign to a client").click()
    page.get_by_label("Client").select_option(label="Maya Okafor")
    page.get_by_label("Start date").fill((this_monday - dt.timedelta(weeks=2)).isoformat())
    page.get_by_label("Sessions per week").fill("2")
    snap(page, "06-assign")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("heading", name="Maya Okafor")).to_be_visible()

    # Sessions arrive (as the client's phone would sync them), and the week's review is generated.
    client = Client.objects.get(email="maya@example.com")
    assignment = active_assignment(client)
    log_week(coach.user, assignment, reviewed_week)
    review = generate_review(assignment, reviewed_week)
    rdl_item = review.items.get(exercise__slug="romanian-deadlift")
    assert rdl_item.action == "progress", rdl_item.rationale

    page.goto(f"{base}/dashboard/")
    expect(page.locator("section[aria-labelledby='pending-h']")).to_contain_text("Maya Okafor")
    snap(page, "07-dashboard")
    page.get_by_role("link", name="Reviews", exact=True).click()
    snap(page, "08-review-queue")
    page.get_by_role("link", name="Maya Okafor").click()
    expect(page.get_by_role("heading", name="The week in numbers")).to_be_visible()
    snap(page, "09-review")

    # Edit the RDL proposal inline: 65 kg instead of what was proposed, then approve all.
    card = page.locator(f"#item-{rdl_item.pk}")
    card.get_by_text("Edit the proposal before approving").click()
    card.get_by_label("Load", exact=True).fill("65")
    snap(page, "10-review-editing")
    page.get_by_role("button", name="Approve all").click()
    expect(page.locator(".status-approved")).to_be_visible()
    expect(card).to_contain_text("Approved with edits")
    snap(page, "11-review-approved")

    page.get_by_role("link", name="See Maya Okafor's prescription").click()
    current = page.locator("section[aria-labelledby='presc-h']")
    expect(current).to_contain_text("65 kg")
    history = page.locator("section[aria-labelledby='history-h']")
    expect(history).to_contain_text("Approved review")
    expect(history).to_contain_text(f"Review of the week of {reviewed_week:%d %b %Y} approved")
    snap(page, "12-client-after-approval")
    review.refresh_from_db()
    assert review.status == "approved"
    assert review.decided_by == coach.user


def test_bulk_approve_from_the_queue(page: Page, live_server: Any, coach: Any, snap: Any) -> None:
    week = monday_of(timezone.localdate()) - dt.timedelta(weeks=1)
    reviews = [
        make_review(active_assignment(ClientFactory(coach=coach, name=name, with_assignment=True)), week, flags=flags)
        for name, flags in (("Ana Lima", ["pain", "refer"]), ("Ben Ode", []), ("Cy Park", ["asymmetry"]))
    ]
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/reviews/")
    expect(page.get_by_text("⚠ See a clinician")).to_be_visible()
    page.get_by_label(re.compile("Approve Ana Lima")).check()
    page.get_by_label(re.compile("Approve Ben Ode")).check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Approve ticked reviews as proposed").click()
    expect(page.get_by_role("status")).to_contain_text("Approved 2 reviews.")
    snap(page, "13-queue-after-bulk-approve")
    statuses = [WeeklyReview.objects.get(pk=r.pk).status for r in reviews]
    assert statuses == ["approved", "approved", "pending"]


def test_queue_filters_update_in_place_and_keyboard_reaches_the_review(
    page: Page, live_server: Any, coach: Any
) -> None:
    week = monday_of(timezone.localdate()) - dt.timedelta(weeks=1)
    for name in ("Ana Lima", "Ben Ode"):
        make_review(active_assignment(ClientFactory(coach=coach, name=name, with_assignment=True)), week)
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/reviews/")
    page.get_by_label("Client name").fill("ben")  # a name search: no select of the whole roster
    expect(page.locator("#queue")).not_to_contain_text("Ana Lima")
    expect(page).to_have_url(re.compile(r"who=ben"))
    link = page.get_by_role("link", name="Ben Ode")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=re.compile("Ben Ode"))).to_be_visible()
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"


def test_every_other_coach_page_screenshotted(page: Page, live_server: Any, coach: Any, snap: Any) -> None:
    client = ClientFactory(coach=coach, name="Maya Okafor", with_assignment=True)
    base = live_server.url
    page.goto(f"{base}/signup/")
    snap(page, "20-signup")
    page.goto(f"{base}/accounts/password-reset/")
    snap(page, "21-password-reset")
    sign_in(page, base, coach.user.email)
    for name, path in (
        ("22-clients", "/clients/"),
        ("23-exercises", "/exercises/"),
        ("24-exercise-detail", "/exercises/single-leg-rdl/"),
        ("25-exercise-add", "/exercises/new/"),
        ("26-programs", "/programs/"),
        ("27-prescription-edit", f"/clients/{client.pk}/prescription/"),
    ):
        page.goto(f"{base}{path}")
        expect(page.locator("h1")).to_be_visible()
        snap(page, name)
    page.goto(f"{base}/exercises/new/")
    page.get_by_role("button", name="Add the exercise").click()
    expect(page.locator(".field-error").first).to_be_visible()
    snap(page, "28-exercise-add-errors")
