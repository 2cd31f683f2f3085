"""The OpenAPI schema documents training days (docs/api.md) with their types, and the contract's
worked examples (tests/fixtures/api-examples, written before days) stay valid against it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "api-examples"


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    response = Client().get("/api/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def _json_schema(node: Any) -> Any:
    """OpenAPI 3.0's schema dialect as JSON Schema draft 4: ``nullable`` becomes a null alternative."""
    if isinstance(node, list):
        return [_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: _json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def validator(schema: dict[str, Any], component: str) -> jsonschema.Draft4Validator:
    document = {"components": _json_schema(schema["components"]), "$ref": f"#/components/schemas/{component}"}
    return jsonschema.Draft4Validator(document)


def components(schema: dict[str, Any]) -> dict[str, Any]:
    return schema["components"]["schemas"]


def test_days_are_a_typed_component_in_programs_and_assignments(schema: dict[str, Any]) -> None:
    found = components(schema)
    day = found["Day"]
    assert set(day["required"]) == {"day", "name", "weekdays"}
    assert day["properties"]["day"] == {**day["properties"]["day"], "type": "integer", "minimum": 1, "maximum": 7}
    assert day["properties"]["weekdays"]["items"] == {"type": "integer", "minimum": 0, "maximum": 6}
    assert found["DayInputRequest"]["required"] == ["day"]
    for name in ("Program", "Assignment", "MyAssignment"):
        assert found[name]["properties"]["days"]["items"] == {"$ref": "#/components/schemas/Day"}, name
    for name in ("ProgramWriteRequest", "PatchedProgramWriteRequest", "AssignmentCreateRequest"):
        assert found[name]["properties"]["days"]["items"] == {"$ref": "#/components/schemas/DayInputRequest"}, name
        assert "days" not in found[name].get("required", []), name
    assert "sessions_per_week" not in found["AssignmentCreateRequest"]["required"]
    for name in ("Line", "LineRequest"):
        assert found[name]["properties"]["day"]["type"] == "integer", name
        assert "day" not in found[name]["required"], name  # default 1


def test_the_day_due_and_its_date_are_documented(schema: dict[str, Any]) -> None:
    found = components(schema)
    assert found["DayDue"]["properties"]["rest_day"]["type"] == "boolean"
    assert set(found["DayDue"]["required"]) == {"day", "name", "rest_day"}
    assert found["MyAssignment"]["properties"]["day_due"]["allOf"] == [{"$ref": "#/components/schemas/DayDue"}]
    assert "day_due" not in found["Assignment"]["properties"]
    get = schema["paths"]["/api/v1/me/assignment/"]["get"]
    assert [(p["name"], p["in"], p["schema"]["format"]) for p in get["parameters"]] == [("date", "query", "date")]
    assert "`date`" in get["responses"]["400"]["description"]
    ok = get["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/MyAssignment"}


def test_review_items_document_their_day(schema: dict[str, Any]) -> None:
    item = components(schema)["ReviewItem"]["properties"]
    assert item["day"]["type"] == "integer"
    assert item["day_name"]["type"] == "string"
    assert item["current"]["allOf"] == [{"$ref": "#/components/schemas/Line"}]


def test_the_week_errors_name_their_fields(schema: dict[str, Any]) -> None:
    # The body is the one FieldErrors component; the response's description names the fields.
    def bad_input(path: str, method: str) -> set[str]:
        response = schema["paths"][path][method]["responses"]["400"]
        assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/FieldErrors"}
        return set(re.findall(r"`(\w+)`: ", response["description"]))

    assert bad_input("/api/v1/programs/", "post") == {"days", "lines"}
    assert bad_input("/api/v1/programs/{id}/", "patch") == {"days", "lines"}
    assert bad_input("/api/v1/assignments/", "post") == {"days", "prescription"}
    assert bad_input("/api/v1/reviews/{id}/approve/", "post") == {"items"}


@pytest.mark.parametrize(
    ("example", "component"),
    [("review-detail.json", "Review"), ("sync-response.json", "SyncResponse")],
)
def test_the_worked_examples_stay_valid_against_the_schema(
    schema: dict[str, Any], example: str, component: str
) -> None:
    body = json.loads((EXAMPLES / example).read_text())
    errors = [error.message for error in validator(schema, component).iter_errors(body)]
    assert errors == []


def test_the_schema_validator_does_reject_a_bad_body(schema: dict[str, Any]) -> None:
    body = json.loads((EXAMPLES / "review-detail.json").read_text())
    body["items"][0]["day"] = "Day A"
    assert list(validator(schema, "Review").iter_errors(body))


def test_responses_with_seven_days_and_the_day_due_match_the_schema(
    schema: dict[str, Any], coach_api: APIClient, coach: Any
) -> None:
    days = [{"day": n, "name": f"D{n}", "weekdays": [n - 1]} for n in range(1, 8)]
    lines = [{"exercise": "romanian-deadlift", "load": 40 + n, "day": n} for n in range(1, 8)]
    program = coach_api.post("/api/v1/programs/", {"name": "Seven", "days": days, "lines": lines}, format="json")
    assert list(validator(schema, "Program").iter_errors(program.json())) == []
    client = ClientFactory(coach=coach, with_login=True)
    body = {"client": client.pk, "program": program.json()["id"], "start_date": "2026-11-02"}
    assignment = coach_api.post("/api/v1/assignments/", body, format="json")
    assert list(validator(schema, "Assignment").iter_errors(assignment.json())) == []
    phone = APIClient()
    phone.force_authenticate(client.user)
    mine = phone.get("/api/v1/me/assignment/?date=2026-11-18").json()
    assert mine["day_due"] == {"day": 3, "name": "D3", "rest_day": False}
    assert list(validator(schema, "MyAssignment").iter_errors(mine)) == []
