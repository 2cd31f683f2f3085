"""A kettlebell line in lb on the review page: the proposal is the next real bell, and an edited
load that is no bell is refused on the card, in the coach's words (docs/domain.md, bells)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from coaching.reviews.generation import reviews_generate_batch
from coaching.selectors import version_in_force
from coaching.services.prescriptions import assignment_create
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.weeks import monday_of
from programs.lines import Line
from tests.browser.test_coach_journey import settled, sign_in
from tests.factories import ClientFactory, exercise

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_kettlebell_review_in_lb_proposes_the_next_bell_and_refuses_an_impossible_edit(
    page: Page, live_server: Any, coach: Any, snap: Any
) -> None:
    week = monday_of(timezone.localdate()) - dt.timedelta(weeks=1)
    client = ClientFactory(coach=coach, name="Ines Duarte")
    line = Line(exercise=exercise("kettlebell-deadlift"), sets=3, low=8, high=12, load=Decimal("53"), unit="lb")
    assignment = assignment_create(
        client=client, start_date=week - dt.timedelta(weeks=1), lines=[line], changed_by=coach.user, unit="lb"
    )
    items = []
    for day in (-6, 1):
        when = dt.datetime.combine(week + dt.timedelta(days=day), dt.time(7, 30), tzinfo=dt.UTC)
        sets = [SetInput(exercise="kettlebell-deadlift", reps=12, load=Decimal("53"), unit="lb")] * 3
        items.append(
            SessionInput(
                id=uuid.uuid4(),
                assignment_id=assignment.pk,
                performed_at=when,
                client_modified_at=when,
                sets=tuple(sets),
            )
        )
    assert {r.status for r in sessions_apply(user=coach.user, items=items)} == {"created"}
    reviews_generate_batch(week_start=week, assignment_ids=[assignment.pk], notify=False)
    review = assignment.reviews.get(week_start=week)
    item = review.items.get()
    assert item.proposed["load"] == 61.73, item.rationale

    sign_in(page, live_server.url, coach.user.email)
    page.goto(live_server.url + reverse("coach-review", args=[review.pk]))
    card = page.locator(f"#item-{item.pk}")
    expect(card).to_contain_text("53 lb → 62 lb (the next bell)")
    card.get_by_text("Edit the proposal before approving").click()
    card.get_by_label("Load", exact=True).fill("13.5")
    card.get_by_label("Unit").select_option("kg")
    page.get_by_role("button", name="Approve all").click()
    settled(page)
    expect(card).to_contain_text("Kettlebells come in 8, 12, 16, … 48 kg.")
    snap(page, "kettlebell-review-edit-refused")
    assert assignment.reviews.get(pk=review.pk).status == "pending"

    card.get_by_label("Load", exact=True).fill("62")
    card.get_by_label("Unit").select_option("lb")
    page.get_by_role("button", name="Approve all").click()
    expect(page.locator(".status-approved")).to_be_visible()
    snap(page, "kettlebell-review-approved")
    approved = version_in_force(assignment, week + dt.timedelta(days=7)).lines.get()
    assert approved.load_kg == 28
