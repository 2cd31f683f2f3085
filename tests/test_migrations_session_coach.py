"""Migration 0019: sessions written before the coach was on the row get their client's coach."""

from __future__ import annotations

import datetime as dt
import importlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.test_migrations_days import _latest, _migrate

BEFORE_COACH = [("coaching", "0018_teams")]
WHEN = dt.datetime(2026, 11, 17, 7, 42, tzinfo=dt.UTC)


@pytest.fixture
def before_coach() -> Iterator[Any]:
    latest = _latest()
    try:
        yield _migrate(BEFORE_COACH)
    finally:
        _migrate(latest)


@pytest.mark.django_db(transaction=True)
def test_sessions_made_before_0019_get_their_clients_coach(before_coach: Any, monkeypatch: Any) -> None:
    migration = importlib.import_module("coaching.migrations.0019_session_coach")
    monkeypatch.setattr(migration, "BATCH", 2)  # several batches of clients
    User = before_coach.get_model("accounts", "User")
    Coach = before_coach.get_model("coaching", "Coach")
    Client = before_coach.get_model("coaching", "Client")
    Assignment = before_coach.get_model("coaching", "Assignment")
    Session = before_coach.get_model("coaching", "LoggedSession")
    made: dict[uuid.UUID, int] = {}
    for c in range(2):
        coach = Coach.objects.create(user=User.objects.create(email=f"coach-{c}@example.com", name=f"Coach {c}"))
        for n in range(3):
            client = Client.objects.create(coach=coach, name=f"Client {c}{n}", email=f"c{c}{n}@example.com")
            assignment = Assignment.objects.create(client=client, start_date=WHEN.date(), sessions_per_week=3)
            for k in range(2):
                session = Session.objects.create(
                    id=uuid.uuid4(),
                    client=client,
                    assignment=assignment,
                    performed_at=WHEN + dt.timedelta(days=k),
                    client_modified_at=WHEN + dt.timedelta(days=k),
                    change_seq=3 * n + k + 1,
                )
                made[session.pk] = coach.pk

    apps = _migrate(_latest())

    Session = apps.get_model("coaching", "LoggedSession")
    assert dict(Session.objects.values_list("pk", "coach_id")) == made
    assert Session._meta.get_field("coach").null is False
