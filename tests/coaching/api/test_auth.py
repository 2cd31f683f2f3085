from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LOGOUT_URL = "/api/v1/auth/logout/"


def login(api: APIClient, email: str, password: str = PASSWORD) -> Any:
    return api.post(TOKEN_URL, {"email": email, "password": password}, format="json")


def test_token_login_answers_201_with_token_and_expiry(anon: APIClient, coach: Any) -> None:
    response = login(anon, "Coach.A@example.com")
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"token", "expiry"}
    expiry = dt.datetime.fromisoformat(body["expiry"])
    assert expiry.utcoffset() is not None
    assert dt.timedelta(days=29) < expiry - timezone.now() <= dt.timedelta(days=30)
    anon.credentials(HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert anon.get("/api/v1/programs/").status_code == 200


def test_tokens_are_stored_hashed_and_one_per_device(anon: APIClient, coach: Any) -> None:
    first = login(anon, coach.user.email).json()["token"]
    second = login(anon, coach.user.email).json()["token"]
    assert first != second
    stored = list(AuthToken.objects.filter(user=coach.user).values_list("digest", flat=True))
    assert len(stored) == 2
    assert first not in stored
    assert second not in stored


def test_wrong_password_is_a_400_with_a_message(anon: APIClient, coach: Any) -> None:
    response = login(anon, coach.user.email, "not-the-password")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Email or password is wrong."]}


def test_login_without_fields_names_the_missing_fields(anon: APIClient, db: Any) -> None:
    response = anon.post(TOKEN_URL, {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"email", "password"}


def test_login_ignores_a_stale_authorization_header(anon: APIClient, coach: Any) -> None:
    anon.credentials(HTTP_AUTHORIZATION="Token deadbeef")
    assert login(anon, coach.user.email).status_code == 201


def test_login_get_is_405(anon: APIClient, db: Any) -> None:
    assert anon.get(TOKEN_URL).status_code == 405


def test_logout_revokes_only_this_devices_token(anon: APIClient, coach: Any) -> None:
    phone, laptop = APIClient(), APIClient()
    phone.credentials(HTTP_AUTHORIZATION=f"Token {login(anon, coach.user.email).json()['token']}")
    laptop.credentials(HTTP_AUTHORIZATION=f"Token {login(anon, coach.user.email).json()['token']}")
    assert phone.post(LOGOUT_URL).status_code == 204
    assert phone.get("/api/v1/programs/").status_code == 401
    assert laptop.get("/api/v1/programs/").status_code == 200


def test_logoutall_revokes_every_token(anon: APIClient, coach: Any) -> None:
    phone, laptop = APIClient(), APIClient()
    phone.credentials(HTTP_AUTHORIZATION=f"Token {login(anon, coach.user.email).json()['token']}")
    laptop.credentials(HTTP_AUTHORIZATION=f"Token {login(anon, coach.user.email).json()['token']}")
    assert phone.post("/api/v1/auth/logoutall/").status_code == 204
    assert laptop.get("/api/v1/programs/").status_code == 401
    assert not AuthToken.objects.filter(user=coach.user).exists()


def test_logout_anonymous_is_401(anon: APIClient, db: Any) -> None:
    assert anon.post(LOGOUT_URL).status_code == 401


def test_logout_get_is_405(coach_api: APIClient) -> None:
    assert coach_api.get(LOGOUT_URL).status_code == 405


def test_expired_token_is_401_and_removed(anon: APIClient, coach: Any) -> None:
    token = login(anon, coach.user.email).json()["token"]
    AuthToken.objects.filter(user=coach.user).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    anon.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = anon.get("/api/v1/programs/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert not AuthToken.objects.filter(user=coach.user).exists()


def test_garbage_token_is_401(anon: APIClient, db: Any) -> None:
    anon.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert anon.get("/api/v1/programs/").status_code == 401


def test_session_auth_is_accepted_and_writes_need_csrf(coach: Any) -> None:
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(coach.user)
    assert browser.get("/api/v1/programs/").status_code == 200
    body = {"name": "Hinge basics"}
    assert browser.post("/api/v1/programs/", body, format="json").status_code == 403
    browser.get("/accounts/login/")  # sets the csrftoken cookie
    csrf = browser.cookies["csrftoken"].value
    assert browser.post("/api/v1/programs/", body, format="json", HTTP_X_CSRFTOKEN=csrf).status_code == 201


def test_login_throttle_answers_429_with_retry_after(anon: APIClient, coach: Any) -> None:
    rates = {"login": "3/min", "writes": "1000/min"}
    with override_settings(REST_FRAMEWORK={**_rest(), "DEFAULT_THROTTLE_RATES": rates}):
        statuses = [login(anon, coach.user.email).status_code for _ in range(4)]
        assert statuses == [201, 201, 201, 429]
        response = login(anon, coach.user.email)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_writes_throttle_is_per_user_and_spares_reads(coach_api: APIClient, other_coach_api: APIClient) -> None:
    rates = {"login": "1000/min", "writes": "2/min"}
    with override_settings(REST_FRAMEWORK={**_rest(), "DEFAULT_THROTTLE_RATES": rates}):
        created = [coach_api.post("/api/v1/programs/", {"name": f"P{i}"}, format="json").status_code for i in range(3)]
        assert created == [201, 201, 429]
        throttled = coach_api.post("/api/v1/programs/", {"name": "P9"}, format="json")
        assert int(throttled["Retry-After"]) > 0
        assert "detail" in throttled.json()
        assert coach_api.get("/api/v1/programs/").status_code == 200
        assert other_coach_api.post("/api/v1/programs/", {"name": "Q"}, format="json").status_code == 201


def test_axes_locks_out_after_repeated_failures_even_with_the_right_password(
    anon: APIClient, coach: Any, settings: Any
) -> None:
    settings.AXES_FAILURE_LIMIT = 3
    assert [login(anon, coach.user.email, "wrong").status_code for _ in range(2)] == [400, 400]
    third = login(anon, coach.user.email, "wrong")
    assert third.status_code == 429
    locked = login(anon, coach.user.email)
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert int(locked["Retry-After"]) > 0
    # Another account from the same address is not locked (failures count per username + IP).
    assert login(anon, "someone.else@example.com", "wrong").status_code == 400


def _rest() -> dict[str, Any]:
    from django.conf import settings

    return dict(settings.REST_FRAMEWORK)
