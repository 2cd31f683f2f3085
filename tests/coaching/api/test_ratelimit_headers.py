"""The IETF draft's RateLimit-Policy / RateLimit headers on throttled requests (coaching.api.throttles):
a client sees its quota and what is left of it before a 429, from the throttle's own history."""

from __future__ import annotations

import re
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.coaching.api.test_sessions_api import session_body, url

pytestmark = pytest.mark.django_db

POLICY = re.compile(r'^"(\w+)";q=(\d+);w=(\d+)$')
LEFT = re.compile(r'^"(\w+)";r=(\d+);t=(\d+)$')


def rates(settings: Any, **changes: str) -> None:
    rest = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = {**rest, "DEFAULT_THROTTLE_RATES": {**rest["DEFAULT_THROTTLE_RATES"], **changes}}


def left(response: Any) -> tuple[str, int, int]:
    match = LEFT.match(response["RateLimit"])
    assert match, response["RateLimit"]
    return match[1], int(match[2]), int(match[3])


def test_each_write_says_its_quota_and_what_is_left_until_the_429(
    client_api: APIClient, client_profile: Any, settings: Any
) -> None:
    rates(settings, writes="3/min")
    assignment = client_profile.assignments.get(is_active=True)
    body = session_body(assignment.pk)
    seen = []
    for _ in range(3):
        response = client_api.put(url(body["id"]), body, format="json")
        assert response.status_code in {200, 201}
        assert POLICY.match(response["RateLimit-Policy"]).groups() == ("writes", "3", "60")  # type: ignore[union-attr]
        seen.append(left(response))
    assert [r for _, r, _ in seen] == [2, 1, 0]
    assert all(policy == "writes" and 0 < t <= 60 for policy, _, t in seen)
    throttled = client_api.put(url(body["id"]), body, format="json")
    assert throttled.status_code == 429
    assert left(throttled)[1] == 0
    assert 0 < int(throttled["Retry-After"]) <= 60
    # Reads are not counted, so they carry no quota.
    read = client_api.get(url(body["id"]))
    assert read.status_code == 200
    assert "RateLimit" not in read
    assert "RateLimit-Policy" not in read
    # Nor does a request refused before the throttle counts it (not signed in).
    anonymous = APIClient().put(url(body["id"]), body, format="json")
    assert anonymous.status_code == 401
    assert "RateLimit" not in anonymous


def test_sign_in_counts_against_the_login_policy(anon: APIClient, coach: Any, settings: Any) -> None:
    rates(settings, login="5/min")
    first = anon.post("/api/v1/auth/token/", {"email": "nobody@example.com", "password": "x"}, format="json")
    assert first.status_code == 400
    assert first["RateLimit-Policy"] == '"login";q=5;w=60'
    assert left(first)[:2] == ("login", 4)


def test_without_a_rate_there_are_no_headers(client_api: APIClient, client_profile: Any, settings: Any) -> None:
    rest = settings.REST_FRAMEWORK
    settings.REST_FRAMEWORK = {**rest, "DEFAULT_THROTTLE_RATES": {"login": "30/min", "writes": None}}
    body = session_body(client_profile.assignments.get(is_active=True).pk)
    response = client_api.put(url(body["id"]), body, format="json")
    assert response.status_code == 201
    assert "RateLimit" not in response
