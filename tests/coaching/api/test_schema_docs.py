from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from django.test import Client, RequestFactory

from coaching.api.schema import LocalRedocView

pytestmark = pytest.mark.django_db

CORE_PATHS = {
    "/api/v1/auth/token/": {"post"},
    "/api/v1/auth/logout/": {"post"},
    "/api/v1/exercises/": {"get", "post"},
    "/api/v1/programs/": {"get", "post"},
    "/api/v1/programs/{id}/": {"get", "patch", "delete"},
    "/api/v1/clients/": {"get", "post"},
    "/api/v1/invites/{token}/accept/": {"post"},
    "/api/v1/assignments/": {"get", "post"},
    "/api/v1/assignments/{id}/": {"get"},
    "/api/v1/me/assignment/": {"get"},
    "/api/v1/reviews/": {"get"},
    "/api/v1/reviews/{id}/": {"get"},
    "/api/v1/reviews/{id}/approve/": {"post"},
    "/api/v1/reviews/{id}/reject/": {"post"},
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def _assert_local_assets_only(html: str) -> None:
    assets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert any("/static/drf_spectacular_sidecar/" in a for a in assets), assets
    assert not [a for a in assets if re.match(r"^(https?:)?//", a)], assets
    assert not re.search(r"https?://(?!testserver)[\w.-]+", html)


def test_swagger_docs_load_their_assets_from_our_static_files(client: Client) -> None:
    response = client.get("/api/docs/")
    assert response.status_code == 200
    _assert_local_assets_only(response.content.decode())


def test_local_redoc_page_loads_its_assets_from_our_static_files(rf: RequestFactory) -> None:
    # drf-spectacular's own Redoc template links Google Fonts; /api/redoc/ should route to this view.
    response = LocalRedocView.as_view(url_name="api-schema")(rf.get("/api/redoc/"))
    assert response.status_code == 200
    _assert_local_assets_only(response.content.decode())


def test_schema_describes_every_core_endpoint_with_its_errors(schema: dict[str, Any]) -> None:
    paths = schema["paths"]
    for path, methods in CORE_PATHS.items():
        assert methods <= set(paths[path]), path
        for method in methods:
            operation = paths[path][method]
            codes = set(operation["responses"])
            assert codes & {"200", "201", "204"}, (path, method)
            if path not in {"/api/v1/auth/token/", "/api/v1/invites/{token}/accept/"}:
                assert "401" in codes, (path, method)
                assert operation.get("security"), (path, method)
            if method in {"post", "patch"} and path.endswith(("/", "approve/")) and "requestBody" in operation:
                assert "400" in codes, (path, method)


def test_schema_has_request_and_response_components(schema: dict[str, Any]) -> None:
    components = schema["components"]["schemas"]
    assert {"Line", "LineRequest", "Review", "ReviewItem", "Assignment", "AssignmentCreateRequest"} <= set(components)
    token = schema["paths"]["/api/v1/auth/token/"]["post"]
    assert token["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/LoginRequest")
    assert {"token", "expiry"} <= set(components["Token"]["properties"])
    listing = schema["paths"]["/api/v1/reviews/"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"status", "client", "week", "page"}
    page = listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert set(components[page.rsplit("/", 1)[1]]["properties"]) == {"count", "next", "previous", "results"}
