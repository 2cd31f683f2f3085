"""The served schema is what generated clients need (issue 15, "An API that generated clients can use
fully"): typed errors and metrics, a union that narrows, limits, words on every operation, the 429/503
and RateLimit headers; it validates (openapi-spec-validator) and lints clean (Spectral, spectral:oas)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from django.conf import settings
from django.test import Client
from openapi_spec_validator import validate
from referencing import Registry
from referencing.jsonschema import DRAFT4
from rest_framework.test import APIClient

from programs.progression.metrics import ADHERENCE_BANDS
from programs.progression.text import FLAG_ORDER
from tests.coaching.api.test_session_representation import check, json_schema
from tests.coaching.api.test_sessions_api import session_body, url
from tests.conftest import require_service

pytestmark = pytest.mark.django_db

SPECTRAL = Path(settings.BASE_DIR) / "var/spectral/node_modules/.bin/spectral"
REF = "#/components/schemas/"
VERBS = ("list", "retrieve", "create", "update", "partial_update", "destroy")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, item in schema["paths"].items() for method, op in item.items()]


def components(schema: dict[str, Any]) -> dict[str, Any]:
    return schema["components"]["schemas"]


# --- it validates, and Spectral finds nothing --------------------------------------------


def test_the_served_schema_is_a_valid_openapi_document(schema: dict[str, Any]) -> None:
    validate(schema)  # raises with the first error
    broken = json.loads(json.dumps(schema))
    broken["paths"]["/api/v1/sessions/"]["get"]["responses"] = "none"
    with pytest.raises(Exception, match="none"):
        validate(broken)


def spectral(document: Path) -> tuple[list[dict[str, Any]], subprocess.CompletedProcess[str]]:
    """Spectral's findings on ``document`` (every severity, hints too) and how it ended."""
    ruleset = Path(settings.BASE_DIR) / ".spectral.yaml"
    found = document.with_suffix(".findings.json")
    command = [str(SPECTRAL), "lint", str(document), "-r", str(ruleset), "-f", "json", "-o", str(found)]
    result = subprocess.run([*command, "--fail-severity", "hint"], capture_output=True, text=True, timeout=300)
    return json.loads(found.read_text()), result


def test_spectral_oas_ruleset_reports_nothing(schema: dict[str, Any], tmp_path: Path) -> None:
    require_service("npm (to install Spectral: make test)", bool(shutil.which("npm")))
    if not SPECTRAL.exists():
        pytest.fail("Spectral is not installed: `make var/spectral/node_modules/.bin/spectral` (make test does it)")
    served = tmp_path / "schema.json"
    served.write_text(json.dumps(schema))
    findings, result = spectral(served)
    assert [(f["code"], f["message"], f["path"]) for f in findings] == []
    assert result.returncode == 0, result.stderr
    # The linter does find things: an operation without a description is a warning.
    undescribed = json.loads(json.dumps(schema))
    del undescribed["paths"]["/api/v1/sessions/"]["get"]["description"]
    served.write_text(json.dumps(undescribed))
    findings, result = spectral(served)
    assert "operation-description" in {f["code"] for f in findings}
    assert result.returncode != 0


# --- errors, metrics, the union -----------------------------------------------------------


def test_every_400_refers_to_the_one_field_errors_component(schema: dict[str, Any]) -> None:
    seen = 0
    for path, method, op in operations(schema):
        if "400" not in op["responses"]:
            continue
        seen += 1
        body = op["responses"]["400"]["content"]["application/json"]["schema"]
        expected = "SessionErrors" if (path, method) == ("/api/v1/sessions/{session_id}/", "put") else "FieldErrors"
        assert body == {"$ref": REF + expected}, (path, method)
    assert seen >= 18
    found = components(schema)
    assert found["FieldErrors"]["additionalProperties"] == {"$ref": REF + "FieldErrorValue"}
    sets = found["SessionErrors"]["properties"]["sets"]["anyOf"]
    assert {"type": "array", "items": {"$ref": REF + "SetErrors"}} in sets
    assert {"exercise", "reps", "load", "faults", "non_field_errors"} <= set(found["SetErrors"]["properties"])
    result_errors = found["SyncResult"]["properties"]["errors"]["anyOf"]
    assert {"$ref": REF + "SessionErrors"} in result_errors


def valid(schema: dict[str, Any], path: str, method: str, status: int, body: Any) -> None:
    """``body`` is valid against the schema's response for ``method path`` → ``status``."""
    target = schema["paths"][path][method]["responses"][str(status)]["content"]["application/json"]["schema"]
    registry: Registry = Registry().with_resource("urn:api", DRAFT4.create_resource(json_schema(schema)))
    resolved = json.loads(json.dumps(json_schema(target)).replace('"#/components', '"urn:api#/components'))
    jsonschema.Draft4Validator(resolved, registry=registry).validate(body)


def test_a_rejected_sync_item_matches_session_errors_with_sets_aligned(
    client_api: APIClient, client_profile: Any, schema: dict[str, Any]
) -> None:
    good = session_body(client_profile.assignments.get(is_active=True).pk)
    bad = {**good, "id": good["id"].replace(good["id"][:8], "00000000")}
    bad["sets"] = [good["sets"][0], {**good["sets"][1], "reps": -1, "unit": "stone"}]
    response = client_api.post("/api/v1/sessions/sync/", {"sessions": [good, bad, 7]}, format="json")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["created", "rejected", "rejected"]
    assert results[1]["errors"]["sets"][0] == {}
    assert set(results[1]["errors"]["sets"][1]) == {"reps", "unit"}
    check(schema, "/api/v1/sessions/sync/", "post", 200, response.json())
    put = client_api.put(url(bad["id"]), bad, format="json")
    assert put.status_code == 400
    assert put.json()["sets"][0] == {}
    valid(schema, "/api/v1/sessions/{session_id}/", "put", 400, put.json())
    wrong = {"sets": [{"reps": "not a list of messages"}]}
    with pytest.raises(jsonschema.ValidationError):
        valid(schema, "/api/v1/sessions/{session_id}/", "put", 400, wrong)


def test_review_metrics_flags_and_bands_are_typed(schema: dict[str, Any]) -> None:
    found = components(schema)
    assert found["Review"]["properties"]["metrics"] == {"$ref": REF + "ReviewMetrics"}
    metrics = found["ReviewMetrics"]["properties"]
    assert metrics["exercises"]["additionalProperties"] == {"$ref": REF + "ExerciseWeekMetrics"}
    assert metrics["adherence_band"]["allOf"] == [{"$ref": REF + "AdherenceBand"}]
    assert found["AdherenceBand"]["enum"] == list(ADHERENCE_BANDS)
    exercise = found["ExerciseWeekMetrics"]["properties"]
    expected = {"sets", "volume_load_kg", "best_e1rm_kg", "mean_rpe", "fault_share", "max_pain", "weaker_side_pct"}
    assert set(exercise) == expected
    assert exercise["sets"]["type"] == exercise["max_pain"]["type"] == "integer"
    assert found["ReviewItem"]["properties"]["flags"]["items"] == {"$ref": REF + "ReviewFlag"}
    assert found["ReviewFlag"]["enum"] == list(FLAG_ORDER)


def test_session_or_tombstone_narrows_on_a_boolean_literal(schema: dict[str, Any]) -> None:
    found = components(schema)
    union = found["SessionOrTombstone"]["oneOf"]
    assert union == [{"$ref": REF + "SessionOut"}, {"$ref": REF + "Tombstone"}]
    for name, literal in (("SessionOut", False), ("Tombstone", True)):
        assert "deleted" in found[name]["required"], name
        enum = found[name]["properties"]["deleted"]["allOf"][0]["$ref"].removeprefix(REF)
        assert found[enum] == {"type": "boolean", "enum": [literal]}, name
    feed = found["Feed"]["properties"]["results"]["items"]
    assert feed == {"$ref": REF + "SessionOrTombstone"}


def test_the_feed_sends_deleted_false_for_a_live_session_and_true_for_a_tombstone(
    client_api: APIClient, client_profile: Any, schema: dict[str, Any]
) -> None:
    kept, gone = (session_body(client_profile.assignments.get(is_active=True).pk) for _ in range(2))
    for body in (kept, gone):
        client_api.put(url(body["id"]), body, format="json")
    assert client_api.get(url(kept["id"])).json()["deleted"] is False
    assert client_api.delete(url(gone["id"])).status_code == 204
    feed = client_api.get("/api/v1/sessions/").json()
    assert {r["id"]: r["deleted"] for r in feed["results"]} == {kept["id"]: False, gone["id"]: True}
    check(schema, "/api/v1/sessions/", "get", 200, feed)


def test_delete_documents_its_optional_body_its_409_and_idempotence(schema: dict[str, Any]) -> None:
    delete = schema["paths"]["/api/v1/sessions/{session_id}/"]["delete"]
    body = delete["requestBody"]
    assert body["required"] is False
    ref = body["content"]["application/json"]["schema"]["$ref"].removeprefix(REF)
    assert set(components(schema)[ref]["properties"]) == {"client_modified_at"}
    assert {"204", "409"} <= set(delete["responses"])
    assert "Idempotent" in delete["description"]
    assert "already deleted" in delete["responses"]["204"]["description"]


# --- limits ----------------------------------------------------------------------------------


def test_limits_are_in_the_schema(schema: dict[str, Any]) -> None:
    found = components(schema)
    assert found["SyncRequestRequest"]["properties"]["sessions"]["maxItems"] == 500
    assert found["SessionRequest"]["properties"]["sets"]["maxItems"] == 200
    for name in ("ProgramWriteRequest", "AssignmentCreateRequest", "Program"):
        days = found[name]["properties"]["days"]
        assert (days["minItems"], days["maxItems"]) == (1, 7), name
    day = found["DayInputRequest"]["properties"]
    assert (day["day"]["minimum"], day["day"]["maximum"]) == (1, 7)
    assert day["weekdays"]["items"] == {"type": "integer", "minimum": 0, "maximum": 6}
    feed = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/sessions/"]["get"]["parameters"]}
    assert feed["limit"] == {"type": "integer", "minimum": 1, "maximum": 500, "default": 200}
    reviews = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/reviews/"]["get"]["parameters"]}
    assert (reviews["page"]["minimum"], reviews["page_size"]["minimum"], reviews["page_size"]["maximum"]) == (1, 1, 200)


def test_the_feed_limit_and_page_size_bounds_are_the_servers(client_api: APIClient) -> None:
    assert client_api.get("/api/v1/sessions/", {"limit": 501}).status_code == 400
    assert client_api.get("/api/v1/sessions/", {"limit": 0}).status_code == 400
    assert client_api.get("/api/v1/sessions/", {"limit": 500}).status_code == 200


# --- words, tags, servers, ids, security ---------------------------------------------------


def test_every_operation_has_a_summary_a_description_and_a_declared_tag(schema: dict[str, Any]) -> None:
    declared = {tag["name"]: tag for tag in schema["tags"]}
    assert all(tag.get("description") for tag in declared.values())
    for path, method, op in operations(schema):
        assert op.get("summary"), (path, method)
        assert len(op.get("description", "")) > 15, (path, method)
        assert op["tags"], (path, method)
        assert set(op["tags"]) <= set(declared), (path, method)
    assert schema["servers"] == [{"url": "/", "description": "The server this schema was read from."}]


def test_operation_ids_are_in_one_style(schema: dict[str, Any]) -> None:
    ids = [op["operationId"] for _, _, op in operations(schema)]
    assert len(ids) == len(set(ids))
    for (path, _, _), op_id in zip(operations(schema), ids, strict=True):
        words = [w.replace("-", "_").replace(".", "_") for w in path.split("/")[3:] if w and "{" not in w]
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", op_id), op_id
        assert op_id.startswith("_".join(words) + "_"), (path, op_id)
        assert op_id.removeprefix("_".join(words) + "_") in VERBS, (path, op_id)


def test_429_and_503_with_retry_after_and_ratelimit_headers_where_they_can_happen(schema: dict[str, Any]) -> None:
    unsafe = 0
    for path, method, op in operations(schema):
        responses = op["responses"]
        assert responses["503"]["headers"]["Retry-After"] == {"$ref": "#/components/headers/Retry-After"}
        if method == "get":
            assert "429" not in responses, path  # reads are not throttled
            continue
        unsafe += 1
        assert responses["429"]["headers"]["Retry-After"] == {"$ref": "#/components/headers/Retry-After"}
        for code, response in responses.items():
            if code in {"401", "403"}:  # answered before the throttle counts
                assert "RateLimit" not in response.get("headers", {}), (path, method, code)
                continue
            assert set(response["headers"]) >= {"RateLimit-Policy", "RateLimit"}, (path, method, code)
    assert unsafe > 20
    assert set(schema["components"]["headers"]) == {"Retry-After", "RateLimit-Policy", "RateLimit"}


def test_the_token_prefix_is_said_and_no_internal_notes_are_published(schema: dict[str, Any]) -> None:
    knox = schema["components"]["securitySchemes"]["knoxApiToken"]
    assert "`Authorization: Token <token>`" in knox["description"]
    text = json.dumps(schema)
    assert "Needs context" not in text
    assert "context[" not in text
    invite = components(schema)["Client"]["properties"]["invite_url"]
    assert invite["nullable"] is True
    assert "null once the client has accepted" in invite["description"]


def test_invite_url_is_sent_until_the_client_accepts_then_null(coach_api: APIClient, anon: APIClient) -> None:
    created = coach_api.post("/api/v1/clients/", {"name": "Ana", "email": "ana@example.com"}, format="json").json()
    assert created["invite_url"].startswith("http://testserver/invite/")
    token = created["invite_url"].rstrip("/").rsplit("/", 1)[1]
    accepted = anon.post(f"/api/v1/invites/{token}/accept/", {"password": "a long pass phrase 2026"}, format="json")
    assert accepted.status_code == 201
    assert coach_api.get(f"/api/v1/clients/{created['id']}/").json()["invite_url"] is None


def test_a_body_that_is_not_json_gets_a_400_the_schema_describes(
    client_api: APIClient, coach_api: APIClient, schema: dict[str, Any]
) -> None:
    sid = "6f1c3c2a-9a3e-4c1e-9a6e-0a7c2f6e8e11"
    for api, path, method in (
        (client_api, "/api/v1/sessions/{session_id}/", "put"),
        (coach_api, "/api/v1/programs/", "post"),
    ):
        response = api.generic(
            method.upper(), path.format(session_id=sid), "{not json", content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["detail"].startswith("JSON parse error")
        valid(schema, path, method, 400, response.json())
    with pytest.raises(jsonschema.ValidationError):
        valid(schema, "/api/v1/programs/", "post", 400, {"detail": ["not a sentence"]})
