from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from tests.coaching.teams.team_world import TeamWorld, team_world


@pytest.fixture(autouse=True)
def _fresh_throttles() -> Any:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tw(coach: Any, client_profile: Any, other_coach: Any) -> TeamWorld:
    return team_world(coach, client_profile, other_coach)


@pytest.fixture
def queued_team_mail(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[Any, ...]]]:
    """Team emails handed to Celery, not sent: ``[(task name, args)]``."""
    from coaching.teams import tasks

    queued: list[tuple[str, tuple[Any, ...]]] = []
    monkeypatch.setattr(tasks.send_team_invite, "delay", lambda *args: queued.append(("invite", args)))
    monkeypatch.setattr(tasks.send_cosign_requests, "delay", lambda *args: queued.append(("cosign", args)))
    return queued
