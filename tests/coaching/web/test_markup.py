"""Markup the HTML spec and axe require: valid ``<time datetime>`` values, no empty table headers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.coaching.web.conftest import active_assignment, log_session, make_review

pytestmark = pytest.mark.django_db
# HTML's valid date string, or global date and time string: fractions of a second have 1-3 digits.
VALID_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:?\d{2})?)?$")


def _time_values(body: str) -> list[str]:
    return re.findall(r'<time datetime="([^"]*)"', body)


def test_times_on_the_client_page_carry_valid_datetime_values(coach_web: Any, coach: Any, client_profile: Any) -> None:
    # A phone's clock has microseconds; Django's "c" format would print all six digits.
    when = timezone.now().replace(microsecond=123456) - dt.timedelta(days=2)
    log_session(coach.user, active_assignment(client_profile), when, pain=2)
    body = coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    values = _time_values(body)
    assert len(values) >= 2  # the pain timeline and the session list
    assert [v for v in values if not VALID_DATETIME.match(v)] == []
    assert when.replace(microsecond=0).isoformat() in values


def test_review_tables_have_no_empty_header_cell(coach_web: Any, client_profile: Any) -> None:
    review = make_review(active_assignment(client_profile), dt.date(2026, 11, 16))
    body = coach_web.get(reverse("coach-review", args=[review.pk])).content.decode()
    headers = re.findall(r"<th\b[^>]*>(.*?)</th>", body, flags=re.S)
    assert headers
    assert [h for h in headers if not re.sub(r"<[^>]+>", "", h).strip()] == []
    queue = coach_web.get(reverse("coach-reviews")).content.decode()
    queue_headers = re.findall(r"<th\b[^>]*>(.*?)</th>", queue, flags=re.S)
    assert queue_headers
    assert [h for h in queue_headers if not re.sub(r"<[^>]+>", "", h).strip()] == []


def test_times_on_a_decided_review_carry_valid_datetime_values(coach_web: Any, client_profile: Any) -> None:
    review = make_review(active_assignment(client_profile), dt.date(2026, 11, 16), flags=["refer"])
    first = review.items.order_by("position").first()
    coach_web.post(reverse("coach-review-item-referred", args=[review.pk, first.pk]))
    coach_web.post(reverse("coach-review-reject", args=[review.pk]))
    body = coach_web.get(reverse("coach-review", args=[review.pk])).content.decode()
    values = _time_values(body)
    assert len(values) == 2  # decided, referred
    assert [v for v in values if not VALID_DATETIME.match(v)] == []
