"""REST API v1 (docs/api.md). Sessions and sync in ``coaching.sessions.api_urls``; the rest in ``core_urls``."""

from __future__ import annotations

from coaching.api.core_urls import urlpatterns as core_patterns
from coaching.sessions.api_urls import urlpatterns as session_patterns

urlpatterns = [*core_patterns, *session_patterns]
