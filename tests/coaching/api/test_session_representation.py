"""One session representation: the response serializer the OpenAPI schema documents builds every
session body the API sends, and the phone's Today page embeds the same bodies."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from django.test import Client
from referencing import Registry
from referencing.jsonschema import DRAFT4

from coaching.models import LoggedSession
from coaching.sessions.serializers import SessionOutSerializer, TombstoneSerializer, session_body
from tests.coaching.api.test_sessions_api import BASE, api_for, url
from tests.coaching.api.test_sessions_api import session_body as request_body

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return yaml.safe_load(Client().get("/api/schema/").content)


@pytest.fixture
def assignment(client_profile: Any) -> Any:
    return client_profile.assignments.get(is_active=True)


def json_schema(node: Any) -> Any:
    """OpenAPI 3.0's ``nullable`` as JSON Schema (draft 4, whose boolean ``exclusiveMaximum`` it shares)."""
    if isinstance(node, list):
        return [json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: json_schema(v) for k, v in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def check(schema: dict[str, Any], path: str, method: str, status: int, body: Any) -> None:
    """``body`` is valid against the schema's response for ``method path`` → ``status``, and a
    session or tombstone in it has every documented property and no other (no drift either way)."""
    target = schema["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    registry: Registry = Registry().with_resource("urn:api", DRAFT4.create_resource(json_schema(schema)))
    resolved = json.loads(json.dumps(json_schema(target)).replace('"#/components', '"urn:api#/components'))
    jsonschema.Draft4Validator(resolved, registry=registry).validate(body)
    if path.endswith("/sync/"):
        return
    components = schema["components"]["schemas"]
    sessions = body["results"] if isinstance(body, dict) and "results" in body else [body]
    for session in sessions:
        name = "Tombstone" if session.get("deleted") else "SessionOut"
        assert set(session) == set(components[name]["properties"]), name
        for s in session.get("sets", []):
            assert set(s) == set(components["SetOut"]["properties"])


def test_every_session_body_the_api_sends_matches_its_schema(
    client_profile: Any, assignment: Any, schema: dict[str, Any]
) -> None:
    phone = api_for(client_profile.user)
    detail = "/api/v1/sessions/{session_id}/"
    body = request_body(assignment.pk)
    body["sets"][0]["tempo_kept"] = False
    created = phone.put(url(body["id"]), body, format="json")
    check(schema, detail, "put", 201, created.json())
    check(schema, detail, "put", 200, phone.put(url(body["id"]), body, format="json").json())
    check(schema, detail, "get", 200, phone.get(url(body["id"])).json())
    older = body | {"client_modified_at": (BASE - dt.timedelta(days=1)).isoformat()}
    stale = phone.put(url(body["id"]), older, format="json")
    assert stale.status_code == 409
    check(schema, detail, "put", 409, stale.json())
    gone = request_body(assignment.pk)
    phone.put(url(gone["id"]), gone, format="json")
    assert phone.delete(url(gone["id"])).status_code == 204
    tombstone = phone.put(url(gone["id"]), gone, format="json")
    assert tombstone.status_code == 409
    assert tombstone.json()["deleted"] is True
    check(schema, detail, "put", 409, tombstone.json())
    feed = phone.get("/api/v1/sessions/").json()
    assert {bool(s.get("deleted")) for s in feed["results"]} == {True, False}
    check(schema, "/api/v1/sessions/", "get", 200, feed)


def test_sync_results_match_their_schema_even_for_an_item_that_is_not_an_object(
    client_profile: Any, assignment: Any, schema: dict[str, Any]
) -> None:
    phone = api_for(client_profile.user)
    response = phone.post(
        "/api/v1/sessions/sync/", {"sessions": [request_body(assignment.pk), None, "x"]}, format="json"
    )
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected", "rejected"]
    assert results[1]["errors"] == ["This field may not be null."]
    check(schema, "/api/v1/sessions/sync/", "post", 200, response.json())


def test_the_documented_serializers_build_the_bodies(client_profile: Any, assignment: Any) -> None:
    phone = api_for(client_profile.user)
    body = request_body(assignment.pk)
    sent = phone.put(url(body["id"]), body, format="json").json()
    stored = LoggedSession.objects.get(pk=body["id"])
    assert SessionOutSerializer(stored).data == sent
    assert session_body(stored) == sent
    phone.delete(url(body["id"]))
    stored.refresh_from_db()
    [fed] = phone.get("/api/v1/sessions/").json()["results"]
    assert session_body(stored) == TombstoneSerializer(stored).data == fed


def test_todays_recent_sessions_are_the_apis_bodies(client: Any, client_profile: Any, assignment: Any) -> None:
    phone = api_for(client_profile.user)
    body = request_body(assignment.pk)
    body["performed_at"] = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    body["client_modified_at"] = body["performed_at"]
    assert phone.put(url(body["id"]), body, format="json").status_code == 201
    client.force_login(client_profile.user)
    html = client.get("/today/").content.decode()
    data = json.loads(html.split('id="today-data" type="application/json">')[1].split("</script>")[0])
    assert data["recent"] == [phone.get(url(body["id"])).json()]


def test_the_tree_has_one_session_representation() -> None:
    """A guard: no hand-built session or set body beside the serializers (the phone's old copy
    in sessions/phone/present.py, the API's old plain functions)."""
    root = Path(__file__).resolve().parents[3]
    found = subprocess.run(
        ["git", "grep", "-n", "-E", r"def (session_as_dict|set_as_dict)\b", "--", "*.py", ":!tests"],
        cwd=root,
        capture_output=True,
        text=True,
    ).stdout
    assert found == ""
