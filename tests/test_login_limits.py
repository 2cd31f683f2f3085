"""Sign-in limits per address: which address counts (proxies), and the HTML form's own limit.

Attackers send any ``X-Forwarded-For`` they like. Only the proxies the operator declares
(``TRUSTED_PROXY_COUNT``, default 0) may name the client's address; otherwise a forged header
would give a fresh throttle bucket (and a fresh lockout counter) on every request.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client as WebClient
from django.test import override_settings
from rest_framework.test import APIClient

from config.settings.base import REST_FRAMEWORK as BASE_REST
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def _fresh_counters() -> Any:
    cache.clear()
    yield
    cache.clear()


def _rest(**changes: Any) -> dict[str, Any]:
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **changes.pop("rates", {})}
    return {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates, **changes}


def _token_login(api: APIClient, email: str, forwarded_for: str, password: str = PASSWORD) -> Any:
    return api.post(
        TOKEN_URL,
        {"email": email, "password": password},
        format="json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_the_default_trusts_no_forwarded_for_header() -> None:
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0
    assert settings.AXES_CLIENT_IP_CALLABLE == "accounts.lockout.client_ip"


def test_forged_forwarded_for_headers_do_not_escape_the_login_throttle(coach: Any) -> None:
    api = APIClient()
    with override_settings(REST_FRAMEWORK=_rest(rates={"login": "3/min"})):
        token = [_token_login(api, coach.user.email, f"203.0.113.{i}").status_code for i in range(6)]
        invite = [
            api.post(
                "/api/v1/invites/no-such-token/accept/",
                {"password": "a-long-new-password"},
                format="json",
                REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR=f"198.51.100.{i}",
            ).status_code
            for i in range(2)
        ]
    assert token == [201, 201, 201, 429, 429, 429]
    assert invite == [429, 429]  # same address, same "login" bucket


def test_behind_one_proxy_the_throttle_counts_the_address_the_proxy_saw(coach: Any) -> None:
    api = APIClient()
    with override_settings(REST_FRAMEWORK=_rest(NUM_PROXIES=1, rates={"login": "3/min"})):
        # The client forges the left part; the proxy appends the address it saw.
        phone = [_token_login(api, coach.user.email, f"203.0.113.{i}, 198.51.100.7").status_code for i in range(4)]
        other = _token_login(api, coach.user.email, "198.51.100.8").status_code
    assert phone == [201, 201, 201, 429]
    assert other == 201


def test_forged_forwarded_for_headers_do_not_escape_the_account_lockout(coach: Any) -> None:
    web = WebClient()
    for i in range(settings.AXES_FAILURE_LIMIT):
        web.post(
            "/accounts/login/",
            {"username": coach.user.email, "password": "guess"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    locked = web.post(
        "/accounts/login/",
        {"username": coach.user.email, "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.99",
    )
    assert locked.status_code == 429
    assert "_auth_user_id" not in web.session


def test_behind_one_proxy_the_lockout_is_for_the_address_the_proxy_saw(coach: Any) -> None:
    with override_settings(REST_FRAMEWORK=_rest(NUM_PROXIES=1)):
        attacker = APIClient()
        for i in range(settings.AXES_FAILURE_LIMIT):
            _token_login(attacker, coach.user.email, f"203.0.113.{i}, 198.51.100.66", password="guess")
        assert _token_login(attacker, coach.user.email, "198.51.100.66").status_code == 429
        # The coach, behind the same proxy at another address, is not locked out by the attacker.
        assert _token_login(APIClient(), coach.user.email, "198.51.100.8").status_code == 201


# --- the HTML sign-in form: attempts per address ------------------------------------------

FORM_RATE = BASE_REST["DEFAULT_THROTTLE_RATES"]["login_form"]


def _form_login(web: WebClient, email: str, address: str, password: str = "guess") -> Any:
    return web.post("/accounts/login/", {"username": email, "password": password}, REMOTE_ADDR=address)


def test_the_sign_in_form_allows_30_attempts_per_address_in_ten_minutes_by_default() -> None:
    assert FORM_RATE == "30/10m"
    assert int(FORM_RATE.split("/")[0]) > settings.AXES_FAILURE_LIMIT  # above the per-email lockout


def test_one_address_trying_many_emails_is_stopped_with_a_clear_page(coach: Any) -> None:
    web = WebClient()
    with override_settings(REST_FRAMEWORK=_rest(rates={"login_form": FORM_RATE})):
        tried = [_form_login(web, f"someone{i}@example.com", "203.0.113.5").status_code for i in range(30)]
        stopped = _form_login(web, coach.user.email, "203.0.113.5", password=PASSWORD)
        elsewhere = _form_login(WebClient(), coach.user.email, "198.51.100.9", password=PASSWORD)
        still_a_page = web.get("/accounts/login/", REMOTE_ADDR="203.0.113.5")
    assert tried == [200] * 30  # each one the form with "wrong email or password"
    assert stopped.status_code == 429
    assert 0 < int(stopped["Retry-After"]) <= 600
    body = stopped.content.decode()
    assert "Too many sign-in attempts from your network" in body
    assert 'role="alert"' in body
    assert "_auth_user_id" not in web.session  # even the right password waits
    assert elsewhere.status_code == 302  # another address signs in as usual
    assert still_a_page.status_code == 200  # only attempts count, not visits


def test_forged_forwarded_for_headers_do_not_escape_the_sign_in_form_limit(db: Any) -> None:
    web = WebClient()
    with override_settings(REST_FRAMEWORK=_rest(rates={"login_form": "3/10m"})):
        statuses = [
            web.post(
                "/accounts/login/",
                {"username": f"someone{i}@example.com", "password": "guess"},
                REMOTE_ADDR=PROXY,
                HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
            ).status_code
            for i in range(5)
        ]
    assert statuses == [200, 200, 200, 429, 429]
