from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttles() -> Any:
    """Throttle counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


# A set's video is a raw body (docs/api.md): schemathesis sends fuzzed bytes as they are (415).
for _video_type in ("video/mp4", "video/quicktime", "video/webm"):
    schemathesis.serializer.alias(_video_type, "application/octet-stream")
