"""The daily purge of expired session imports (their parsed rows), by the beat task."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from coaching.models import LoggedSession, SessionImport
from coaching.sessions.imports.services import import_commit, import_dry_run, imports_purge
from coaching.sessions.imports.tasks import purge_expired_imports
from config.celery import app
from tests.coaching.api.test_authz_matrix import HEVY

pytestmark = pytest.mark.django_db


def _import(coach: Any, client: Any, *, expired_days_ago: float, status: str = "pending") -> SessionImport:
    made = import_dry_run(user=coach.user, client=client, data=HEVY, format="hevy")
    if status == "committed":
        import_commit(user=coach.user, session_import=made)
    fields: dict[str, Any] = {"expires_at": timezone.now() - dt.timedelta(days=expired_days_ago)}
    if status not in ("pending", "committed"):
        fields["status"] = status
    SessionImport.objects.filter(pk=made.pk).update(**fields)
    return made


def test_imports_expired_longer_than_the_setting_are_deleted_and_their_sessions_stay(
    coach: Any, client_profile: Any, settings: Any
) -> None:
    settings.IMPORTS_PURGE_AFTER_DAYS = 7
    old_dry_run = _import(coach, client_profile, expired_days_ago=8)
    old_failed = _import(coach, client_profile, expired_days_ago=30, status="failed")
    old_committed = _import(coach, client_profile, expired_days_ago=8, status="committed")
    recent = _import(coach, client_profile, expired_days_ago=6)  # 404 already, kept for a week
    live = _import(coach, client_profile, expired_days_ago=-1)
    running = _import(coach, client_profile, expired_days_ago=30, status="committing")
    assert purge_expired_imports.apply().get() == 3
    kept = set(SessionImport.objects.values_list("pk", flat=True))
    assert kept == {recent.pk, live.pk, running.pk}
    assert {old_dry_run.pk, old_failed.pk, old_committed.pk}.isdisjoint(kept)
    assert LoggedSession.objects.filter(client=client_profile).count() == 1  # what was imported stays


def test_the_age_is_a_setting(coach: Any, client_profile: Any, settings: Any) -> None:
    _import(coach, client_profile, expired_days_ago=2)
    settings.IMPORTS_PURGE_AFTER_DAYS = 3
    assert imports_purge() == 0
    settings.IMPORTS_PURGE_AFTER_DAYS = 1
    assert imports_purge() == 1


def test_beat_runs_the_purge_daily() -> None:
    entries = {entry["task"]: entry for entry in app.conf.beat_schedule.values()}
    assert entries["coaching.imports.purge_expired_imports"]["schedule"] == 24 * 3600.0
    assert "coaching.imports.purge_expired_imports" in app.tasks
