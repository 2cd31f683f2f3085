"""Odd ids, numbers and text in the coach pages' query strings and posts: a page or a form error, never a 500.

``str.isdigit()`` accepts "²", which ``int()`` then refuses; a NUL byte in a lookup is refused by
PostgreSQL. Run these on PostgreSQL too (DATABASE_URL).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from coaching.models import Assignment, WeeklyReview
from programs.lines import Line
from programs.services import template_create
from tests.coaching.web.conftest import HTMX, active_assignment, make_review
from tests.factories import ClientFactory, exercise

pytestmark = pytest.mark.django_db
# Superscript two, Arabic-Indic three, a 5,000-digit number and one past the 64-bit ids.
WEEK = dt.date(2026, 11, 16)
ODD_NUMBERS = ["²", "٣", "9" * 5000, str(2**63)]


@pytest.fixture
def template(coach: Any) -> Any:
    line = Line(exercise=exercise("deadlift"), sets=3, low=5, high=8, load=Decimal("100"))
    return template_create(owner=coach.user, name="Base", lines=[line])


@pytest.mark.parametrize("raw", ODD_NUMBERS)
def test_review_queue_ignores_a_client_filter_that_is_not_an_id(coach_web: Any, client_profile: Any, raw: str) -> None:
    make_review(active_assignment(client_profile), WEEK)
    response = coach_web.get(reverse("coach-reviews"), {"client": raw})
    assert response.status_code == 200
    assert response.context["client_id"] is None
    assert len(response.context["rows"]) == 1


@pytest.mark.parametrize("raw", ODD_NUMBERS)
def test_bulk_approve_with_a_review_that_is_not_an_id_approves_nothing(
    coach_web: Any, client_profile: Any, raw: str
) -> None:
    review = make_review(active_assignment(client_profile), WEEK)
    response = coach_web.post(reverse("coach-reviews-bulk-approve"), {"review": [raw]})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Tick at least one pending review to approve."]
    review.refresh_from_db()
    assert review.status == WeeklyReview.Status.PENDING


def test_bulk_approve_skips_odd_ids_and_approves_the_real_ones(coach_web: Any, client_profile: Any) -> None:
    review = make_review(active_assignment(client_profile), WEEK)
    response = coach_web.post(reverse("coach-reviews-bulk-approve"), {"review": ["²", str(review.pk)]})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == WeeklyReview.Status.APPROVED


@pytest.mark.parametrize("raw", [*ODD_NUMBERS, "-1"])
def test_program_page_ignores_an_edit_position_that_is_not_a_number(coach_web: Any, template: Any, raw: str) -> None:
    response = coach_web.get(reverse("coach-program", args=[template.pk]), {"edit": raw})
    assert response.status_code == 200
    assert response.context["edit"] is None
    # A day that is not a number is the first day.
    odd_day = coach_web.get(reverse("coach-program", args=[template.pk]), {"edit": "0", "day": raw})
    assert odd_day.status_code == 200
    assert odd_day.context["edit"] == (1, 0)


def test_program_page_still_opens_a_line_for_editing(coach_web: Any, template: Any) -> None:
    response = coach_web.get(reverse("coach-program", args=[template.pk]), {"edit": "0"})
    assert response.context["edit"] == (1, 0)  # (day, position within the day)


@pytest.mark.parametrize("raw", ODD_NUMBERS)
def test_assigning_with_a_program_that_is_not_an_id_is_a_form_error(
    coach_web: Any, client_profile: Any, template: Any, raw: str
) -> None:
    before = Assignment.objects.count()
    response = coach_web.post(
        reverse("coach-client-assign", args=[client_profile.pk]),
        {
            "program": raw,
            "client": client_profile.pk,
            "start_date": "2026-12-07",
            "sessions_per_week": 2,
            "unit": "kg",
            "deload_every_weeks": 4,
            "load_increment_pct": "5",
        },
    )
    assert response.status_code == 400
    assert "Choose the program to assign." in response.content.decode()
    assert Assignment.objects.count() == before


def test_client_search_with_a_nul_ignores_the_search(coach_web: Any, coach: Any) -> None:
    ClientFactory(coach=coach, name="Maya Okafor")
    response = coach_web.get(reverse("coach-clients"), {"q": "Maya\x00"})
    assert response.status_code == 200
    assert response.context["q"] == ""
    assert "Maya Okafor" in response.content.decode()


def test_client_search_htmx_fragment_with_a_nul_is_not_a_500(coach_web: Any, coach: Any) -> None:
    ClientFactory(coach=coach, name="Maya Okafor")
    response = coach_web.get(reverse("coach-clients"), {"q": "\x00"}, **HTMX)
    assert response.status_code == 200
    assert "Maya Okafor" in response.content.decode()


@pytest.mark.parametrize("headers", [{}, HTMX])
def test_exercise_preview_of_a_slug_with_a_nul_is_404(coach_web: Any, headers: dict[str, str]) -> None:
    response = coach_web.get(reverse("coach-exercise-cues"), {"exercise": "deadlift\x00"}, **headers)
    assert response.status_code == 404


def test_program_page_with_a_nul_in_the_new_line_exercise_is_not_a_500(coach_web: Any, template: Any) -> None:
    response = coach_web.get(reverse("coach-program", args=[template.pk]), {"new-exercise": "deadlift\x00"})
    assert response.status_code == 200
