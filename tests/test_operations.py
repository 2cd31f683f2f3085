"""Operations: the health endpoint, request ids and structured logs."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from config.logging import JsonFormatter, RequestIdFilter, request_id_var

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client: Any) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert "ok" in body["broker"]
    assert body["status"] in {"ok", "degraded"}


def test_healthz_stays_up_but_degraded_when_the_broker_is_down(client: Any, monkeypatch: Any) -> None:
    from config import health

    monkeypatch.setattr(health, "_broker", lambda: {"ok": False, "error": "OperationalError"})
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["database"]["ok"] is True


def test_healthz_is_503_when_the_database_is_down(client: Any, monkeypatch: Any) -> None:
    from config import health

    monkeypatch.setattr(health, "_database", lambda: {"ok": False, "error": "OperationalError"})
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "down"


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
