"""Faults: Redis going down, the database going away in the middle of a sync batch."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connection
from rest_framework.test import APIClient

from coaching.models import LoggedSession, LoggedSet
from config.settings.base import redis_cache
from tests.coaching.api.test_sessions_api import session_body
from tests.conftest import free_port, port_open, require_service

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def private_redis(tmp_path: Path):
    """A Redis server of this test's own, so stopping it disturbs nothing else."""
    binary = shutil.which("redis-server")
    require_service("redis-server", binary is not None)
    port = free_port()
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(50):
        if port_open("127.0.0.1", port):
            break
        time.sleep(0.1)
    yield proc, f"redis://127.0.0.1:{port}/0"
    if proc.poll() is None:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def api(client_profile: Any) -> APIClient:
    api = APIClient()
    api.force_authenticate(client_profile.user)
    return api


def _sync(api: APIClient, bodies: list[dict[str, Any]]) -> Any:
    return api.post("/api/v1/sessions/sync/", {"sessions": bodies}, format="json")


def test_logging_and_sync_keep_working_while_redis_is_down(
    client_profile: Any, api: APIClient, private_redis: Any, settings: Any
) -> None:
    proc, url = private_redis
    settings.CACHES = {"default": redis_cache(url, timeout=0.5)}
    # Throttles count in this cache: make sure the API path really uses it.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"login": "5/min", "writes": "1000/min"},
    }
    assignment = client_profile.assignments.get().pk
    before = _sync(api, [session_body(assignment)])
    assert before.status_code == 200
    assert before.json()["results"][0]["status"] == "created"

    proc.terminate()
    proc.wait(10)
    during = _sync(api, [session_body(assignment), session_body(assignment)])
    assert during.status_code == 200, during.content
    assert [r["status"] for r in during.json()["results"]] == ["created", "created"]
    body = session_body(assignment)
    put = api.put(f"/api/v1/sessions/{body['id']}/", body, format="json")
    assert put.status_code == 201
    web = APIClient()
    web.force_login(client_profile.user)
    assert web.get("/today/").status_code == 200
    assert LoggedSession.objects.count() == 4


def test_the_cache_degrades_for_every_operation_incr_and_decr_included_and_logs_what_it_dropped(
    private_redis: Any, settings: Any, caplog: Any
) -> None:
    from django.core.cache import cache

    proc, url = private_redis
    settings.CACHES = {"default": redis_cache(url, timeout=0.5)}
    cache.set("hits", 1)
    assert cache.incr("hits") == 2
    assert cache.decr("hits") == 1
    assert cache.get("hits") == 1

    proc.terminate()
    proc.wait(10)
    with caplog.at_level(logging.WARNING, logger="hinge.cache"):
        assert cache.get("hits", "missed") == "missed"
        assert cache.get_many(["hits"]) == {}
        cache.set("hits", 5)
        cache.set_many({"a": 1})
        assert not cache.add("fresh", 1)
        assert not cache.has_key("hits")
        cache.incr("hits")  # a throttle or counter write is dropped, not an error
        cache.decr("hits")
        cache.delete("hits")
        cache.delete_many(["a"])
    dropped = [r for r in caplog.records if r.name == "hinge.cache"]
    assert len(dropped) >= 10
    assert all(r.exc_info for r in dropped)  # which Redis error it was, for the operator


def test_healthz_reports_the_broker_down_but_keeps_serving(client: Any, private_redis: Any, monkeypatch: Any) -> None:
    from config.celery import app

    proc, url = private_redis
    monkeypatch.setattr(app.conf, "broker_url", url)
    assert client.get("/healthz").json()["broker"]["ok"] is True
    proc.terminate()
    proc.wait(10)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() | {"database": None} == {
        "status": "degraded",
        "database": None,
        "broker": response.json()["broker"],
    }
    assert response.json()["broker"]["ok"] is False


class _DropConnectionAt:
    """Breaks the database connection at the Nth query of a request, as a server restart would.

    On PostgreSQL the server really ends the backend (pg_terminate_backend from a second
    connection); on SQLite the driver error is raised directly.
    """

    def __init__(self, at: int):
        self.at, self.count, self.fired = at, 0, False

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        self.count += 1
        if self.count == self.at and not self.fired:
            self.fired = True
            if connection.vendor == "postgresql":
                import psycopg

                pid = connection.connection.info.backend_pid
                settings_dict = connection.settings_dict
                with psycopg.connect(
                    host=settings_dict["HOST"], port=settings_dict["PORT"], dbname="postgres",
                    user=settings_dict["USER"], autocommit=True,
                ) as other:  # fmt: skip
                    other.execute("SELECT pg_terminate_backend(%s)", [pid])
            else:
                raise OperationalError("database connection lost (simulated)")
        return execute(sql, params, many, context)


@pytest.mark.parametrize("at", [2, 5, 8])
def test_database_lost_mid_batch_is_a_retryable_503_and_the_retry_stores_everything_once(
    client_profile: Any, api: APIClient, at: int
) -> None:
    assignment = client_profile.assignments.get().pk
    bodies = [session_body(assignment) for _ in range(20)]
    dropper = _DropConnectionAt(at)
    with connection.execute_wrapper(dropper):
        failed = _sync(api, bodies)
    assert dropper.fired
    assert failed.status_code == 503, failed.content
    assert int(failed["Retry-After"]) > 0
    assert "retry" in failed.json()["detail"].lower()
    # A new request starts with a fresh connection (Django's close_old_connections does this).
    connection.close()
    assert LoggedSession.objects.count() == 0
    retried = _sync(api, bodies)
    assert retried.status_code == 200
    assert {r["status"] for r in retried.json()["results"]} == {"created"}
    again = _sync(api, bodies)
    assert {r["status"] for r in again.json()["results"]} == {"unchanged"}
    assert LoggedSession.objects.count() == 20
    assert LoggedSet.objects.count() == 20 * 5


def test_performed_at_round_trips_after_a_retry(client_profile: Any, api: APIClient) -> None:
    body = session_body(client_profile.assignments.get().pk)
    dropper = _DropConnectionAt(3)
    with connection.execute_wrapper(dropper):
        assert api.put(f"/api/v1/sessions/{body['id']}/", body, format="json").status_code == 503
    connection.close()
    stored = api.put(f"/api/v1/sessions/{body['id']}/", body, format="json")
    assert stored.status_code == 201
    assert dt.datetime.fromisoformat(stored.json()["performed_at"]) == dt.datetime.fromisoformat(body["performed_at"])
