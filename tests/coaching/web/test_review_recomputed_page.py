"""The review page after late data: it says when and why the review was updated, and a form posted
with the proposals of before shows that instead of approving (DOMAIN.md "Late data")."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse

from coaching.models import Client, WeeklyReview
from tests.coaching.test_review_generation import WEEK, log, rdl
from tests.coaching.test_review_recompute import _item, _review, _sync, queued  # noqa: F401 - a fixture
from tests.coaching.web.conftest import HTMX
from tests.coaching.web.test_reviews import _form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def stale_post(client_profile: Client, queued: list[list[int]]) -> tuple[WeeklyReview, dict[str, Any]]:  # noqa: F811
    """A review, the approve form as the coach's page had it, then a late session's recompute."""
    from coaching.reviews.tasks import recompute_reviews

    log(client_profile, WEEK, rdl(10))
    review = _review(client_profile)
    data = _form_data(review, mode="all")
    _sync(client_profile, [_item(client_profile, WEEK + dt.timedelta(days=2))])
    assert recompute_reviews(queued[0]) == 1
    return review, data


def test_a_review_never_recomputed_says_nothing_of_it(coach_web: Any, client_profile: Client) -> None:
    log(client_profile, WEEK, rdl(10))
    review = _review(client_profile)
    body = coach_web.get(reverse("coach-review", args=[review.pk])).content.decode()
    assert 'id="review-recomputed"' not in body


def test_the_page_says_it_was_updated_with_a_session_synced_late(
    coach_web: Any, stale_post: tuple[WeeklyReview, dict[str, Any]]
) -> None:
    review, _ = stale_post
    review.refresh_from_db()
    body = coach_web.get(reverse("coach-review", args=[review.pk])).content.decode()
    assert review.recomputed_at is not None
    assert re.search(
        r"Updated on <time datetime=\"[^\"]+\">\d{1,2} \w{3} \d{4}</time> with a session synced late", body
    )


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_a_form_with_the_proposals_of_before_shows_the_update_and_approves_nothing(
    coach_web: Any, stale_post: tuple[WeeklyReview, dict[str, Any]], htmx: bool
) -> None:
    review, data = stale_post
    response = coach_web.post(reverse("coach-review-approve", args=[review.pk]), data, **(HTMX if htmx else {}))
    if htmx:
        assert response.status_code == 200  # htmx swaps only 2xx answers in
        body = response.content.decode()
    else:
        assert response.status_code == 302
        body = coach_web.get(response["Location"]).content.decode()
    assert "This review was updated on" in body
    assert "Reload it and decide on what it proposes now." in body
    review.refresh_from_db()
    assert review.status == "pending"
    # The page now shows the new proposals: their form approves.
    fresh = coach_web.post(reverse("coach-review-approve", args=[review.pk]), _form_data(review, mode="all"))
    assert fresh.status_code == 302
    review.refresh_from_db()
    assert review.status == "approved"


def test_the_queue_marks_a_recomputed_review(coach_web: Any, stale_post: tuple[WeeklyReview, dict[str, Any]]) -> None:
    review, _ = stale_post
    body = coach_web.get(reverse("coach-reviews")).content.decode()
    assert re.search(r'<span class="badge warn"[^>]*>updated \d{1,2} \w{3}</span>', body)
