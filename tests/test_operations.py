"""Operations: the health endpoint, request ids and structured logs."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from config.logging import JsonFormatter, RequestIdFilter, request_id_var
from tests.conftest import free_port

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client: Any) -> None:
    """Both probes run for real against the configured services (the embedded broker or Redis)."""
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok", body
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["broker"]["ms"] >= 0
    assert body["database"]["ms"] >= 0


def test_healthz_stays_up_but_degraded_when_the_broker_is_down(client: Any, monkeypatch: Any) -> None:
    from config import health

    monkeypatch.setattr(health, "_broker", lambda: {"ok": False, "error": "OperationalError"})
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["database"]["ok"] is True


def test_healthz_is_503_when_the_database_is_down(client: Any, tmp_path: Path) -> None:
    """The real probe against a database that cannot be reached: PostgreSQL on a closed port,
    SQLite in a file that cannot be opened. The test's own connection is put back afterwards."""
    working = connections["default"]
    unreachable_settings = {**working.settings_dict}
    if working.vendor == "postgresql":
        options = {**unreachable_settings.get("OPTIONS", {}), "connect_timeout": 2}
        unreachable_settings |= {"HOST": "127.0.0.1", "PORT": str(free_port()), "OPTIONS": options}
    else:
        unreachable_settings["NAME"] = str(tmp_path / "no-such-folder" / "db.sqlite3")
    unreachable = working.__class__(unreachable_settings, "default")
    connections["default"] = unreachable
    try:
        response = client.get("/healthz")
    finally:
        connections["default"] = working
        unreachable.close()
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["database"] == {"ok": False, "error": "OperationalError"}
    assert body["broker"]["ok"] is True
    with connection.cursor() as cursor:  # the test's database is back
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_healthz_refuses_other_methods(client: Any) -> None:
    assert client.post("/healthz").status_code == 405


def test_every_response_carries_a_request_id_and_a_sane_incoming_one_is_kept(client: Any) -> None:
    made = client.get("/accounts/login/")
    assert len(made["X-Request-ID"]) == 32
    kept = client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-1234567890")
    assert kept["X-Request-ID"] == "lb-1234567890"
    replaced = client.get("/accounts/login/", HTTP_X_REQUEST_ID="<script>")
    assert replaced["X-Request-ID"] != "<script>"


def test_json_log_lines_carry_the_request_id() -> None:
    record = logging.LogRecord("hinge.request", logging.INFO, __file__, 1, "GET %s", ("/x",), None)
    record.status = 200
    token = request_id_var.set("abc12345")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "abc12345"
    assert line["message"] == "GET /x"
    assert line["status"] == 200
