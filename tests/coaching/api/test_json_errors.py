"""Under /api/ every error is JSON that says why, also when Django (not DRF) answers; pages keep HTML.

A body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413, an unhandled error a JSON 500, and Django's own
400, 403 and 404 answers are JSON too (docs/api.md, Errors).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client as WebClient
from django.test import RequestFactory
from rest_framework.test import APIClient

from coaching.models import LoggedSession
from config import errors
from tests.coaching.api.factories_api import token_client
from tests.coaching.api.test_sessions_api import session_body

pytestmark = pytest.mark.django_db


def _json(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert isinstance(body["detail"], str)
    assert body["detail"]
    return body


@pytest.fixture
def small_uploads(settings: Any) -> int:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    return 2_000


def test_a_sync_body_over_the_limit_is_a_json_413(
    client_api: APIClient, client_profile: Any, small_uploads: int
) -> None:
    body = {"sessions": [session_body(client_profile.assignments.get().pk, notes="x" * small_uploads)]}
    body = _json(client_api.post("/api/v1/sessions/sync/", body, format="json"), 413)
    assert "too large" in body["detail"]
    assert not LoggedSession.objects.exists()


def test_a_session_put_over_the_limit_is_a_json_413(
    client_api: APIClient, client_profile: Any, small_uploads: int
) -> None:
    body = session_body(client_profile.assignments.get().pk, notes="x" * small_uploads)
    _json(client_api.put(f"/api/v1/sessions/{body['id']}/", body, format="json"), 413)


def test_a_csv_import_over_the_limit_is_a_json_413(
    coach_api: APIClient, client_profile: Any, small_uploads: int
) -> None:
    text = "session_id\n" + f"{uuid.uuid4()}\n" * 100
    response = coach_api.post(f"/api/v1/clients/{client_profile.pk}/sessions.csv", text, content_type="text/csv")
    _json(response, 413)


def test_a_body_within_the_limit_still_works(client_api: APIClient, client_profile: Any, small_uploads: int) -> None:
    body = session_body(client_profile.assignments.get().pk, notes="short")
    assert client_api.put(f"/api/v1/sessions/{body['id']}/", body, format="json").status_code == 201


def test_an_html_form_post_over_the_limit_keeps_an_html_page(coach: Any, small_uploads: int) -> None:
    web = WebClient()
    web.force_login(coach.user)
    response = web.post("/clients/new/", {"name": "N" * small_uploads, "email": "big@example.com"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


def test_an_unknown_api_path_is_a_json_404(client_api: APIClient, anon: APIClient) -> None:
    _json(client_api.get("/api/v1/no-such-thing/"), 404)
    _json(anon.get("/api/v2/sessions/"), 404)
    _json(anon.post("/api/nothing", {}, format="json"), 404)


def test_an_unknown_page_is_still_an_html_404(client: Any) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_unhandled_error_in_the_api_is_a_json_500(
    coach: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr("coaching.clients.api.clients_of", broken)
    api = token_client(coach.user)
    api.raise_request_exception = False
    response = api.get("/api/v1/clients/", HTTP_X_REQUEST_ID="req-12345678")
    body = _json(response, 500)
    assert "a bug" not in response.content.decode()
    assert body["request_id"] == "req-12345678"
    assert any("a bug" in (r.exc_text or str(r.exc_info)) for r in caplog.records if r.levelname == "ERROR")


def test_an_unhandled_error_on_a_page_is_still_html(coach: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr("coaching.clients.views.clients_list", broken)
    web = WebClient(raise_request_exception=False)
    web.force_login(coach.user)
    response = web.get("/clients/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_a_bad_host_header_on_the_api_is_a_json_400(anon: APIClient) -> None:
    _json(anon.get("/api/v1/clients/", HTTP_HOST="evil.example"), 400)


@pytest.mark.parametrize(
    ("handler", "exception", "status"),
    [
        (errors.bad_request, SuspiciousOperation("odd"), 400),
        (errors.permission_denied, PermissionDenied("no"), 403),
        (errors.page_not_found, None, 404),
    ],
)
def test_djangos_error_handlers_answer_json_under_api_and_html_elsewhere(
    rf: RequestFactory, handler: Any, exception: Any, status: int
) -> None:
    _json(handler(rf.get("/api/v1/clients/"), exception), status)
    page = handler(rf.get("/clients/"), exception)
    assert page.status_code == status
    assert page["Content-Type"].startswith("text/html")


# With DEBUG on (a developer's server), Django answers with its debug pages instead of the handlers.


@pytest.mark.parametrize("accept", ["application/json", "text/html", None])
def test_with_debug_on_an_unknown_api_path_is_still_a_json_404(anon: APIClient, settings: Any, accept: Any) -> None:
    settings.DEBUG = True
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    _json(anon.get("/api/v1/no-such-thing/", **headers), 404)


@pytest.mark.parametrize("accept", ["application/json", None])
def test_with_debug_on_an_unhandled_error_in_the_api_is_still_a_json_500(
    coach: Any, monkeypatch: pytest.MonkeyPatch, settings: Any, accept: Any
) -> None:
    settings.DEBUG = True

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr("coaching.clients.api.clients_of", broken)
    api = token_client(coach.user)
    api.raise_request_exception = False
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    response = api.get("/api/v1/clients/", **headers)
    _json(response, 500)
    assert "Traceback" not in response.content.decode()


def test_with_debug_on_pages_keep_the_debug_page(client: Any, settings: Any) -> None:
    settings.DEBUG = True
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
