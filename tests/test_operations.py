"""Operations: the health endpoint, request ids and structured logs."""

from __future__ import annotations

import json
import logging
from logging.config import DictConfigurator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections
from django_guid.context import guid

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
    """The filter and the formatter exactly as settings.LOGGING configures them."""
    config = DictConfigurator(settings.LOGGING)
    formatter = config.configure_formatter(dict(settings.LOGGING["formatters"]["json"]))
    request_id = config.configure_filter(dict(settings.LOGGING["filters"]["request_id"]))
    record = logging.LogRecord("hinge.request", logging.INFO, __file__, 1, "GET %s", ("/x",), None)
    record.status = 200
    token = guid.set("abc12345")
    try:
        request_id.filter(record)
    finally:
        guid.reset(token)
    line = json.loads(formatter.format(record))
    assert line["request_id"] == "abc12345"
    assert line["message"] == "GET /x"
    assert line["status"] == 200
    assert line["level"] == "INFO"
    assert line["logger"] == "hinge.request"
    assert "time" in line


def test_the_request_log_line_of_a_request_carries_its_id(client: Any, caplog: Any) -> None:
    config = DictConfigurator(settings.LOGGING)
    request_id = config.configure_filter(dict(settings.LOGGING["filters"]["request_id"]))
    caplog.handler.addFilter(request_id)  # as the console handler has it: at the time of the call
    with caplog.at_level(logging.INFO, logger="hinge.request"):
        response = client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-1234567890")
    (record,) = [r for r in caplog.records if r.name == "hinge.request"]
    assert response["X-Request-ID"] == "lb-1234567890"
    assert record.request_id == "lb-1234567890"
    assert (record.method, record.path, record.status) == ("GET", "/accounts/login/", 200)


def test_a_task_sent_while_answering_a_request_logs_under_that_request_id() -> None:
    """django-guid's Celery integration: the id rides in the task's headers and the worker takes it."""
    from celery.signals import before_task_publish, task_postrun, task_prerun
    from django_guid import get_guid

    headers: dict[str, Any] = {}
    token = guid.set("req-abcdef12")
    try:
        before_task_publish.send(sender="coaching.tasks.send_invite_email", headers=headers, body=None)
    finally:
        guid.reset(token)
    assert headers["X-Request-ID"] == "req-abcdef12"

    class Task:
        request = headers  # a task's request context reads its headers with .get()

    task_prerun.send(sender=Task, task=Task, task_id="t-1")
    try:
        assert get_guid() == "req-abcdef12"
    finally:
        task_postrun.send(sender=Task, task=Task, task_id="t-1")
    assert get_guid() is None
