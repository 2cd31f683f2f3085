from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttles() -> Any:
    """Throttle counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()
