"""The coach sees a session's check-in and the client's choice beside it on the client page, and
the week's check-ins in the review page's metrics."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from coaching.models import WeeklyReview
from coaching.reviews.generation import reviews_generate, week_batches
from programs.progression import Checkin
from tests.coaching.test_review_generation import WEEK, rdl
from tests.coaching.test_review_readiness import log

pytestmark = pytest.mark.django_db


def test_the_client_page_shows_the_check_in_and_the_cut_taken(coach_web: Any, client_profile: Any) -> None:
    log(client_profile, WEEK, rdl(10), Checkin(sleep=2, soreness=4, stress=3, low_back="tight", cut_taken=True))
    log(client_profile, WEEK + dt.timedelta(days=2), rdl(10), Checkin(low_back="fine"))
    html = coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    assert "sleep 2/5 · soreness 4/5 · stress 3/5 · low back tight · readiness 2.3" in html
    assert "took the 10% readiness cut" in html
    assert "low back fine · readiness incomplete" in html
    assert "loads as prescribed" in html


def test_the_review_page_shows_the_weeks_check_ins(coach_web: Any, client_profile: Any) -> None:
    log(client_profile, WEEK, rdl(10))
    log(client_profile, WEEK + dt.timedelta(days=2), rdl(10), Checkin(sleep=2, soreness=4, stress=4))
    reviews_generate(week_batches(WEEK))
    review = WeeklyReview.objects.get()
    html = coach_web.get(reverse("coach-review", args=[review.pk])).content.decode()
    assert 'id="checkins"' in html
    assert "mean readiness (1–5)" in html
    assert "<td>2026-11-18</td><td>2</td><td>4</td><td>4</td><td>–</td><td>2</td><td>no</td>" in html
    assert "Low readiness" in html  # the flag's badge on the held progress
