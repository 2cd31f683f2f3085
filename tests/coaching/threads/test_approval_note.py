"""The approval note: kept with the approved proposal (web and API), shown beside the change on
the phone's Today and History."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone

from coaching.models import ReviewItem
from tests.coaching.api.factories_api import make_review

pytestmark = pytest.mark.django_db
NOTE = "the extra 2.5 kg is earned"


@pytest.fixture
def review(client_profile: Any) -> Any:
    assignment = client_profile.assignments.get(is_active=True)
    # The week before this one: the approved change applies from this Monday, so Today shows it.
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    return make_review(assignment, week_start=monday - dt.timedelta(days=7))


def _phone(client_profile: Any) -> WebClient:
    web = WebClient()
    web.force_login(client_profile.user)
    return web


def test_the_api_keeps_the_note_and_the_phone_shows_it(coach_api: Any, review: Any, client_profile: Any) -> None:
    item = review.items.order_by("position").first()
    response = coach_api.post(
        f"/api/v1/reviews/{review.pk}/approve/", {"items": [{"id": item.pk, "note": NOTE}]}, format="json"
    )
    assert response.status_code == 200, response.content
    assert ReviewItem.objects.get(pk=item.pk).note == NOTE
    shown = coach_api.get(f"/api/v1/reviews/{review.pk}/").json()
    assert [i["note"] for i in shown["items"] if i["id"] == item.pk] == [NOTE]
    phone = _phone(client_profile)
    for page in ("client-today", "client-history"):
        body = phone.get(reverse(page)).content.decode()
        assert f"Your coach: {NOTE}" in body, page


def test_a_note_too_long_is_a_400(coach_api: Any, review: Any) -> None:
    item = review.items.first()
    response = coach_api.post(
        f"/api/v1/reviews/{review.pk}/approve/", {"items": [{"id": item.pk, "note": "x" * 1001}]}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["items"]["0"]["note"] == ["Ensure this field has no more than 1000 characters."]
    assert review.items.exclude(note="").count() == 0


def test_the_review_page_approves_all_with_a_note(coach: Any, review: Any, client_profile: Any) -> None:
    web = WebClient()
    web.force_login(coach.user)
    page = web.get(reverse("coach-review", args=[review.pk])).content.decode()
    item = review.items.order_by("position").first()
    assert f'name="item-{item.pk}-note"' in page
    from coaching.access import exercises_for
    from coaching.reviews.forms import ProposalFormSet

    formset = ProposalFormSet(proposals=list(review.items.order_by("position")), exercises=exercises_for(coach.user))
    data = {}
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    data[f"item-{item.pk}-note"] = NOTE
    data["mode"] = "all"
    response = web.post(reverse("coach-review-approve", args=[review.pk]), data)
    assert response.status_code in (200, 302), response.content.decode()[:500]
    item.refresh_from_db()
    assert item.decision == "approved"
    assert item.note == NOTE
    assert NOTE in web.get(reverse("coach-review", args=[review.pk])).content.decode()
    assert f"Your coach: {NOTE}" in _phone(client_profile).get(reverse("client-today")).content.decode()


def test_no_note_no_line_on_the_phone(coach_api: Any, review: Any, client_profile: Any) -> None:
    assert coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", {}, format="json").status_code == 200
    assert "Your coach:" not in _phone(client_profile).get(reverse("client-history")).content.decode()
