from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.coaching.api.factories_api import token_client


@pytest.fixture(autouse=True)
def _fresh_throttles() -> Any:
    """Throttle counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def coach_api(coach: Any) -> APIClient:
    return token_client(coach.user)


@pytest.fixture
def other_coach_api(other_coach: Any) -> APIClient:
    return token_client(other_coach.user)


@pytest.fixture
def client_api(client_profile: Any) -> APIClient:
    return token_client(client_profile.user)


@pytest.fixture
def other_client_api(other_client: Any) -> APIClient:
    return token_client(other_client.user)
