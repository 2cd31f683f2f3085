from __future__ import annotations

from typing import Any

import pytest

from coaching.clients.services import client_create
from tests import factories

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "gym-bag-kettlebell-42"


@pytest.fixture
def invited(coach: Any) -> Any:
    return client_create(coach=coach, name="Maya Okafor", email="maya@example.com")


def url(person: Any) -> str:
    return f"/invite/{person.invite_token}/"


def test_invite_page_greets_the_client_and_asks_for_a_password(client: Any, invited: Any) -> None:
    response = client.get(url(invited))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Welcome, Maya Okafor" in html
    assert "maya@example.com" in html
    assert 'autocomplete="new-password"' in html


def test_accepting_an_invite_signs_the_client_in_and_opens_today(client: Any, invited: Any) -> None:
    response = client.post(url(invited), {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/today/"
    invited.refresh_from_db()
    assert invited.user.check_password(GOOD_PASSWORD)
    assert invited.invite_token is None
    assert client.get("/today/").status_code == 200


def test_the_session_cookie_lasts_thirty_days(client: Any, invited: Any) -> None:
    client.post(url(invited), {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD})
    assert client.session.get_expiry_age() == 30 * 24 * 3600


def test_two_different_passwords_are_refused_in_plain_words(client: Any, invited: Any) -> None:
    response = client.post(url(invited), {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD + "x"})
    assert response.status_code == 200
    assert "The two passwords are not the same." in response.content.decode()
    invited.refresh_from_db()
    assert invited.user is None


def test_a_weak_password_gets_the_validators_message(client: Any, invited: Any) -> None:
    response = client.post(url(invited), {"password": "password123", "password_again": "password123"})
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()


def test_an_empty_form_asks_for_the_password(client: Any, invited: Any) -> None:
    response = client.post(url(invited), {})
    assert "Choose a password." in response.content.decode()


def test_an_unknown_or_used_invite_is_404_with_a_way_forward(client: Any, invited: Any) -> None:
    link = url(invited)
    client.post(link, {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD})
    client.logout()
    for target in (link, "/invite/not-a-token/"):
        response = client.get(target)
        assert response.status_code == 404
        assert "Ask your coach to send you a new one" in response.content.decode()


def test_an_existing_account_with_the_same_email_is_told_to_sign_in(client: Any, coach: Any) -> None:
    factories.UserFactory(email="taken@example.com")
    person = client_create(coach=coach, name="Taken", email="taken@example.com")
    response = client.post(url(person), {"password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD})
    assert response.status_code == 200
    assert "Sign in instead" in response.content.decode()


def test_invite_answers_405_to_put(client: Any, invited: Any) -> None:
    assert client.put(url(invited)).status_code == 405
