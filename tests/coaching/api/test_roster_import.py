"""POST /api/v1/clients/import/: a roster CSV as text/csv or multipart, per-row results (docs/api.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from coaching.clients import roster
from coaching.models import Client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/clients/import/"
ROSTER = "name,email,notes\r\nAna Silva,Ana@Example.com,Runner\r\n,nobody@example.com,\r\nBo Lind,bo@example.com,\r\n"


def _csv(api: APIClient, text: str | bytes, url: str = URL) -> Any:
    body = text.encode() if isinstance(text, str) else text
    return api.generic("POST", url, body, content_type="text/csv")


def _multipart(api: APIClient, text: str | bytes, url: str = URL, field: str = "file") -> Any:
    body = text.encode() if isinstance(text, str) else text
    return api.post(url, {field: SimpleUploadedFile("roster.csv", body, "text/csv")}, format="multipart")


def test_a_csv_body_creates_the_valid_rows_and_rejects_the_others(
    coach_api: APIClient, coach: Any, django_capture_on_commit_callbacks: Any, queued_invites: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _csv(coach_api, ROSTER)
    assert response.status_code == 200, response.content
    ana, bo = Client.objects.filter(coach=coach).order_by("name")
    assert response.json() == {
        "results": [
            {"row": 2, "status": "created", "email": "ana@example.com", "id": ana.pk},
            {
                "row": 3,
                "status": "rejected",
                "email": "nobody@example.com",
                "errors": {"name": ["The name is missing."]},
            },
            {"row": 4, "status": "created", "email": "bo@example.com", "id": bo.pk},
        ]
    }
    assert (ana.name, ana.email, ana.notes, ana.user) == ("Ana Silva", "ana@example.com", "Runner", None)
    # One invite per created client, after the commit, on the host the coach used.
    assert sorted(queued_invites) == [(ana.pk, "http://testserver/"), (bo.pk, "http://testserver/")]
    listed = coach_api.get("/api/v1/clients/").json()["results"]
    assert {c["email"]: c["has_login"] for c in listed} == {"ana@example.com": False, "bo@example.com": False}
    assert all(c["invite_url"] for c in listed)


def test_a_multipart_file_imports_the_same(coach_api: APIClient, coach: Any, queued_invites: list[Any]) -> None:
    response = _multipart(coach_api, ROSTER)
    assert response.status_code == 200, response.content
    assert [r["status"] for r in response.json()["results"]] == ["created", "rejected", "created"]
    assert Client.objects.filter(coach=coach).count() == 2


def test_a_dry_run_checks_every_row_and_writes_nothing(
    coach_api: APIClient, coach: Any, django_capture_on_commit_callbacks: Any, queued_invites: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = _csv(coach_api, ROSTER, url=f"{URL}?dry_run=true")
    assert response.status_code == 200
    assert [(r["status"], "id" in r) for r in response.json()["results"]] == [
        ("valid", False),
        ("rejected", False),
        ("valid", False),
    ]
    assert not Client.objects.filter(coach=coach).exists()
    assert queued_invites == []
    assert _csv(coach_api, ROSTER, url=f"{URL}?dry_run=maybe").json() == {"dry_run": ["Must be a valid boolean."]}


def test_only_your_own_clients_count_as_already_there(
    coach_api: APIClient, coach: Any, other_coach: Any, queued_invites: list[Any]
) -> None:
    ClientFactory(coach=coach, name="Mine", email="mine@example.com")
    theirs = ClientFactory(coach=other_coach, name="Theirs", email="theirs@example.com")
    response = _csv(coach_api, "name,email\nMine Again,MINE@example.com\nTheirs,theirs@example.com\n")
    mine, created = response.json()["results"]
    assert mine == {
        "row": 2,
        "status": "rejected",
        "email": "mine@example.com",
        "errors": {"email": ["Already one of your clients (Mine)."]},
    }
    assert created["status"] == "created"
    assert Client.objects.get(pk=created["id"]).coach == coach
    theirs.refresh_from_db()
    assert theirs.coach == other_coach  # untouched


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("name,phone\nAna,555\n", "must name the columns: name and email"),
        ("Ana,ana@example.com\n", "must name the columns"),
        ("", "The file is empty."),
        ("name,email\n", "a header but no clients"),
        (b"name,email\nZo\xeb,zoe@example.com\n", "not UTF-8 text"),
        (b"PK\x03\x04\x14\x00", "spreadsheet workbook"),
    ],
)
@pytest.mark.parametrize("send", [_csv, _multipart], ids=["text/csv", "multipart"])
def test_a_file_that_is_not_a_roster_is_400_under_file(
    coach_api: APIClient, coach: Any, send: Any, body: str | bytes, message: str
) -> None:
    response = send(coach_api, body)
    assert response.status_code == 400
    [text] = response.json()["file"]
    assert message in text
    assert not Client.objects.filter(coach=coach).exists()


def test_multipart_without_the_file_field_is_400(coach_api: APIClient) -> None:
    response = _multipart(coach_api, ROSTER, field="roster")
    assert response.status_code == 400
    assert response.json() == {"file": ["Send the CSV as a text/csv body, or as the multipart field “file”."]}
    empty = coach_api.generic("POST", URL)
    assert empty.status_code == 400
    assert "file" in empty.json()


@pytest.mark.parametrize("content_type", ["application/json", "text/plain", "application/x-www-form-urlencoded"])
def test_other_bodies_are_415(coach_api: APIClient, content_type: str) -> None:
    response = coach_api.generic("POST", URL, ROSTER.encode(), content_type=content_type)
    assert response.status_code == 415
    assert "Unsupported media type" in response.json()["detail"]


BIG = b"name,email,notes\n" + b"Ana,ana@example.com," + b"x" * roster.MAX_BYTES + b"\n"
MANY = b"name,email\n" + b"".join(b"A,a%d@example.com\n" % n for n in range(roster.MAX_ROWS + 1))


@pytest.mark.parametrize(("body", "message"), [(BIG, "over 1 MB"), (MANY, "At most 1,000 clients")], ids=["MB", "rows"])
@pytest.mark.parametrize("send", [_csv, _multipart], ids=["text/csv", "multipart"])
def test_over_the_limits_is_413_and_nothing_is_imported(
    coach_api: APIClient, coach: Any, send: Any, body: bytes, message: str
) -> None:
    response = send(coach_api, body)
    assert response.status_code == 413
    assert message in response.json()["detail"]
    assert not Client.objects.filter(coach=coach).exists()


def test_a_multipart_body_announced_far_over_the_limit_is_refused_before_it_is_read(
    coach_api: APIClient, coach: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rest_framework.parsers import MultiPartParser

    def unread(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(MultiPartParser, "parse", unread)
    response = _multipart(coach_api, b"name,email\n" + b"A,a@example.com\n" * 150_000)
    assert response.status_code == 413
    assert response.json() == {"detail": "The file is over 1 MB: split it."}


def test_exactly_the_limit_of_rows_imports(
    coach_api: APIClient, coach: Any, django_capture_on_commit_callbacks: Any, queued_invites: list[Any]
) -> None:
    body = b"name,email\n" + b"".join(b"A,a%d@example.com\n" % n for n in range(roster.MAX_ROWS))
    with django_capture_on_commit_callbacks(execute=True):
        response = _csv(coach_api, body)
    assert response.status_code == 200
    assert Client.objects.filter(coach=coach).count() == roster.MAX_ROWS
    assert len(queued_invites) == roster.MAX_ROWS


def test_the_import_query_count_is_flat_in_rows(
    coach_api: APIClient, coach: Any, django_assert_max_num_queries: Any, queued_invites: list[Any]
) -> None:
    def body(start: int, n: int) -> bytes:
        return b"name,email\n" + b"".join(b"A,a%d@example.com\n" % i for i in range(start, start + n))

    with django_assert_max_num_queries(14) as small:
        assert _csv(coach_api, body(0, 2)).status_code == 200
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert _csv(coach_api, body(2, 500)).status_code == 200
    assert Client.objects.filter(coach=coach).count() == 502


def test_roster_import_is_for_coaches(anon: APIClient, client_api: APIClient, coach_api: APIClient) -> None:
    assert _csv(anon, ROSTER).status_code == 401
    assert _csv(client_api, ROSTER).status_code == 404
    assert coach_api.get(URL).status_code == 405
    assert not Client.objects.filter(email="bo@example.com").exists()


def test_import_is_not_read_as_a_client_id(coach_api: APIClient) -> None:
    assert coach_api.get("/api/v1/clients/import/").status_code == 405  # not "client 'import' not found"


def test_the_schema_documents_both_bodies_the_results_and_the_errors(client: Any) -> None:
    import yaml

    schema = yaml.safe_load(client.get("/api/schema/").content)
    operation = schema["paths"]["/api/v1/clients/import/"]["post"]
    assert operation["summary"]
    assert "dry_run" in operation["description"]
    assert set(operation["requestBody"]["content"]) == {"text/csv", "multipart/form-data"}
    multipart = operation["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][multipart]["properties"]["file"]["format"] == "binary"
    assert {"200", "400", "401", "404", "413", "415", "429"} <= set(operation["responses"])
    assert [p["name"] for p in operation["parameters"]] == ["dry_run"]
    result = schema["components"]["schemas"]["RosterResult"]
    assert set(result["required"]) == {"row", "status", "email"}
    status_ref = result["properties"]["status"]["allOf"][0]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][status_ref]["enum"] == ["created", "valid", "rejected"]
