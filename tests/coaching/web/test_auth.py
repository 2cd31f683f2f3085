from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from coaching.models import Coach
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = {
    "name": "Ada Coach",
    "email": "ada@example.com",
    "password": "hinge-strong-pass-42",
    "password_again": "hinge-strong-pass-42",
    "time_zone": "Europe/Berlin",
    "review_weekday": "1",
    "review_time": "07:30",
}


def test_coach_signup_creates_coach_with_review_settings_and_signs_in(client: Any) -> None:
    response = client.post(reverse("coach-signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("coach-dashboard")
    coach = Coach.objects.get(user__email="ada@example.com")
    assert (coach.time_zone, coach.review_weekday, coach.review_time.strftime("%H:%M")) == ("Europe/Berlin", 1, "07:30")
    assert client.get(reverse("coach-dashboard")).status_code == 200


def test_signup_shows_field_errors_and_saves_nothing(client: Any, coach: Any) -> None:
    bad = {**SIGNUP, "email": coach.user.email, "password_again": "different", "time_zone": "Mars/Olympus"}
    response = client.post(reverse("coach-signup"), bad)
    assert response.status_code == 400
    body = response.content.decode()
    assert "The two passwords differ." in body
    assert "Mars/Olympus is not one of the available choices" in body
    assert User.objects.filter(email="ada@example.com").count() == 0


def test_signup_refuses_an_email_already_used(client: Any, coach: Any) -> None:
    response = client.post(reverse("coach-signup"), {**SIGNUP, "email": coach.user.email})
    assert response.status_code == 400
    assert "already exists" in response.content.decode()


def test_signup_refuses_a_weak_password(client: Any) -> None:
    response = client.post(reverse("coach-signup"), {**SIGNUP, "password": "12345678", "password_again": "12345678"})
    assert response.status_code == 400
    assert "too common" in response.content.decode()
    assert not User.objects.filter(email="ada@example.com").exists()


def test_sign_in_sends_a_coach_to_the_dashboard_and_a_client_to_today(client: Any, client_profile: Any) -> None:
    coach_user = client_profile.coach.user
    response = client.post(reverse("login"), {"username": coach_user.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("coach-dashboard")
    client.post(reverse("logout"))
    client.force_login(client_profile.user)
    assert client.get("/")["Location"] == "/today/"


def test_sign_out_is_post_only_and_ends_the_session(coach_web: Any) -> None:
    assert coach_web.get(reverse("logout")).status_code == 405
    assert coach_web.post(reverse("logout")).status_code == 302
    assert coach_web.get(reverse("coach-dashboard")).status_code == 302


def test_wrong_password_shows_an_error(client: Any, coach: Any) -> None:
    response = client.post(reverse("login"), {"username": coach.user.email, "password": "nope"})
    assert response.status_code == 200
    assert "correct email and password" in response.content.decode().lower()


def test_password_reset_emails_a_link_that_sets_a_new_password(client: Any, coach: Any) -> None:
    response = client.post(reverse("password_reset"), {"email": coach.user.email})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "brand-new-hinge-77", "new_password2": "brand-new-hinge-77"}
    )
    assert done["Location"] == reverse("password_reset_complete")
    coach.user.refresh_from_db()
    assert coach.user.check_password("brand-new-hinge-77")


def test_password_reset_for_an_unknown_email_looks_the_same_and_sends_nothing(client: Any) -> None:
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
