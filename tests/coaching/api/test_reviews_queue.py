"""The API's review list reads the review queue's selector, the one the queue page reads."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from coaching.reviews import api as api_reviews
from coaching.reviews import selectors as review_selectors
from coaching.reviews.decisions import review_reject
from tests.coaching.web.conftest import active_assignment, make_review
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
WEEK = dt.date(2026, 11, 16)
NEXT = dt.date(2026, 11, 23)


def test_api_review_list_reads_the_queue_selector(coach_api: Any, coach: Any, monkeypatch: Any) -> None:
    client = ClientFactory(coach=coach, with_assignment=True)
    pending = make_review(active_assignment(client), WEEK)
    decided = make_review(active_assignment(client), NEXT)
    review_reject(review=decided, user=coach.user)
    calls: list[dict[str, Any]] = []
    real = review_selectors.reviews_queue

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(api_reviews, "reviews_queue", spy)
    everything = coach_api.get("/api/v1/reviews/").json()["results"]
    assert [r["id"] for r in everything] == [decided.pk, pending.pk]  # every status, newest week first
    assert [r["id"] for r in coach_api.get("/api/v1/reviews/?status=pending").json()["results"]] == [pending.pk]
    wednesday = (WEEK + dt.timedelta(days=2)).isoformat()
    assert [r["id"] for r in coach_api.get(f"/api/v1/reviews/?week={wednesday}").json()["results"]] == [pending.pk]
    assert [c["status"] for c in calls] == ["all", "pending", "all"]
    assert calls[2]["week"] == WEEK + dt.timedelta(days=2)
