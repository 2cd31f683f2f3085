"""A big session import committed through the API and written by a real Celery worker."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker

from coaching.models import LoggedSession, SessionImport
from config.celery import app
from tests.coaching.api.factories_api import token_client
from tests.coaching.api.test_session_imports import _strong_file, commit, upload, url
from tests.factories import ClientFactory, CoachFactory


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_writes_a_big_import_in_chunks_after_the_commit(settings: Any) -> None:
    settings.IMPORTS_INLINE_MAX_SESSIONS = 3
    settings.IMPORTS_CHUNK_SESSIONS = 4
    coach = CoachFactory()
    client = ClientFactory(coach=coach, with_assignment=True)
    api = token_client(coach.user)
    dry = upload(api, client, _strong_file(30), format="strong").json()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        response = commit(api, client, dry["id"], {"Deadlift (Barbell)": "deadlift"})
        assert response.status_code == 202, response.content
        body: dict[str, Any] = {}
        for _ in range(240):
            body = api.get(f"{url(client)}{dry['id']}/").json()
            if body["status"] != "committing":
                break
            threading.Event().wait(0.25)
    assert (body["status"], body["progress"]) == ("committed", {"done": 30, "total": 30}), body
    assert body["report"]["counts"] == {"created": 30}
    assert LoggedSession.objects.filter(client=client).count() == 30
    assert SessionImport.objects.get().error == ""
