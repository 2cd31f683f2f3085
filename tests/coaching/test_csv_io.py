"""CSV export and import of a client's logged sessions: the service and its API endpoint."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.models import LoggedSession, LoggedSet
from coaching.sessions import csv_io
from tests.coaching.api.test_sessions_api import BASE, api_for, session_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def assignment(client_profile: Any) -> Any:
    return client_profile.assignments.get(is_active=True)


def csv_url(client_id: int) -> str:
    return f"/api/v1/clients/{client_id}/sessions.csv"


def logged(api: APIClient, body: dict[str, Any]) -> dict[str, Any]:
    response = api.put(f"/api/v1/sessions/{body['id']}/", body, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def post_csv(api: APIClient, client_id: int, text: str) -> Any:
    return api.post(csv_url(client_id), text.encode(), content_type="text/csv")


def test_export_has_one_row_per_set_with_the_documented_columns(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    body = session_body(assignment.pk, notes="=SUM(A1:A9) is not a formula here")
    body["sets"][0] |= {"tempo_kept": True}
    logged(coach_api, body)
    response = coach_api.get(csv_url(client_profile.pk))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode()
    assert text.splitlines()[0].split(",") == csv_io.COLUMNS
    table = rows(text)
    assert len(table) == 5
    first = table[0]
    assert first["session_id"] == body["id"]
    assert first["assignment"] == str(assignment.pk)
    assert first["performed_at"] == "2026-11-17T07:42:00+01:00"
    assert first["notes"] == "'=SUM(A1:A9) is not a formula here"  # defused for spreadsheets
    assert (first["exercise"], first["side"]) == ("romanian-deadlift", "both")
    assert (first["reps"], first["seconds"]) == ("10", "")
    assert (first["load"], first["unit"], first["rpe"], first["tempo_kept"]) == ("135", "lb", "7.5", "true")
    assert table[1]["faults"] == "knees_too_bent"
    assert table[1]["rpe"] == "8"
    assert table[3]["pain"] == "1"
    assert (table[4]["seconds"], table[4]["load"], table[4]["unit"]) == ("15", "61.25", "kg")


def test_reimporting_an_export_is_all_unchanged(coach_api: APIClient, client_profile: Any, assignment: Any) -> None:
    for n in range(3):
        body = session_body(assignment.pk, notes=f'Line one\nline two, with a comma and "quotes" {n}')
        body["sets"][1]["faults"] = ["knees_too_bent", "core_lost"]
        logged(coach_api, body)
    empty = session_body(assignment.pk, notes="no sets today") | {"sets": []}
    logged(coach_api, empty)
    text = coach_api.get(csv_url(client_profile.pk)).content.decode()
    response = post_csv(coach_api, client_profile.pk, text)
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["counts"] == {"unchanged": 4}
    assert len(report["results"]) == 4
    assert coach_api.get(csv_url(client_profile.pk)).content.decode() == text


def test_importing_a_new_file_creates_sessions_that_read_back_the_same(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    sid = str(uuid.uuid4())
    text = (
        ",".join(csv_io.COLUMNS)
        + "\r\n"
        + f"{sid},{assignment.pk},2026-11-19T18:05:00-05:00,2026-11-19T23:40:00+00:00,Evening,"
        "kettlebell-swing,both,15,,24,kg,,,,\r\n"
        + f"{sid},{assignment.pk},2026-11-19T18:05:00-05:00,2026-11-19T23:40:00+00:00,Evening,"
        "single-leg-rdl,left,8,,25,lb,8.5,false,bar_drift;core_lost,2\r\n"
    )
    report = post_csv(coach_api, client_profile.pk, text).json()
    assert report["results"] == [{"id": sid, "status": "created", "rows": [2, 3]}]
    session = coach_api.get(f"/api/v1/sessions/{sid}/").json()
    assert session["performed_at"] == "2026-11-19T18:05:00-05:00"
    second = session["sets"][1]
    assert second.pop("id")  # the server's, as the file has no set ids
    assert second == {
        "exercise": "single-leg-rdl",
        "side": "left",
        "reps": 8,
        "seconds": None,
        "load": 25,
        "unit": "lb",
        "rpe": 8.5,
        "tempo_kept": False,
        "faults": ["bar_drift", "core_lost"],
        "pain": 2,
    }
    assert post_csv(coach_api, client_profile.pk, text).json()["counts"] == {"unchanged": 1}


def test_an_import_without_assignment_uses_the_active_one(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    sid = str(uuid.uuid4())
    text = ",".join(csv_io.COLUMNS) + f"\n{sid},,2026-11-19T18:05:00+00:00,2026-11-19T19:00:00+00:00,,,,,,,,,,,\n"
    report = post_csv(coach_api, client_profile.pk, text).json()
    assert report["results"][0]["status"] == "created"
    assert LoggedSession.objects.get(pk=sid).assignment_id == assignment.pk


def test_bad_rows_reject_their_session_with_row_numbers_and_the_rest_applies(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    good, bad, domain = (str(uuid.uuid4()) for _ in range(3))
    head = f"{assignment.pk},2026-11-19T18:05:00+00:00,2026-11-19T19:00:00+00:00,"
    text = "\n".join(
        [
            ",".join(csv_io.COLUMNS),
            f"{good},{head},deadlift,both,5,,100,kg,,,,",
            f"{bad},{head},deadlift,both,lots,,100,kg,7.3,maybe,,11",
            f"{domain},{head},single-leg-rdl,both,5,,5000,kg,,,wobbly,",
            f"not-a-uuid,{head},deadlift,both,5,,100,kg,,,,",
        ]
    )
    report = post_csv(coach_api, client_profile.pk, text).json()
    results = report["results"]
    assert [r["status"] for r in results] == ["created", "rejected", "rejected", "rejected"]
    assert set(results[1]["errors"]["rows"]["3"]) == {"reps", "rpe", "tempo_kept", "pain"}
    assert set(results[2]["errors"]["rows"]["4"]) == {"side", "faults", "load"}
    assert results[3] == {
        "id": None,
        "status": "rejected",
        "rows": [5],
        "errors": {"session_id": ["Must be a valid UUID."]},
    }
    assert list(LoggedSession.objects.values_list("id", flat=True)) == [uuid.UUID(good)]


def test_rows_of_one_session_must_agree_on_the_session_columns(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    sid = str(uuid.uuid4())
    text = "\n".join(
        [
            ",".join(csv_io.COLUMNS),
            f"{sid},{assignment.pk},2026-11-19T18:05:00+00:00,2026-11-19T19:00:00+00:00,a,deadlift,both,5,,100,kg,,,,",
            f"{sid},{assignment.pk},2026-11-20T18:05:00+00:00,2026-11-19T19:00:00+00:00,a,deadlift,both,5,,100,kg,,,,",
        ]
    )
    result = post_csv(coach_api, client_profile.pk, text).json()["results"][0]
    assert result["status"] == "rejected"
    assert result["errors"] == {"performed_at": ["Row 3 disagrees with row 2 of this session."]}


def test_an_assignment_of_another_client_of_the_same_coach_is_refused(
    coach_api: APIClient, coach: Any, client_profile: Any
) -> None:
    from tests import factories

    sibling = factories.ClientFactory(coach=coach, with_assignment=True)
    theirs = sibling.assignments.get().pk
    text = (
        ",".join(csv_io.COLUMNS)
        + f"\n{uuid.uuid4()},{theirs},2026-11-19T18:05:00+00:00,2026-11-19T19:00:00+00:00,,deadlift,both,5,,100,kg,,,,"
    )
    result = post_csv(coach_api, client_profile.pk, text).json()["results"][0]
    assert result["errors"] == {"assignment": ["Not one of this client's assignments."]}
    assert not LoggedSession.objects.exists()


def test_a_file_without_our_columns_is_400(coach_api: APIClient, client_profile: Any) -> None:
    response = post_csv(coach_api, client_profile.pk, "date,weight\n2026-11-19,100\n")
    assert response.status_code == 400
    assert "Missing columns" in response.json()["csv"][0]


@pytest.mark.parametrize(
    ("raw", "content_type", "code"),
    [
        (b"\xff\xfe\x00\x01", "text/csv", 400),
        (b"", "text/csv", 400),
        (b'{"sessions": []}', "application/json", 415),
        (b"a,b", "text/plain", 415),
    ],
)
def test_undecodable_or_non_csv_bodies_are_4xx(
    coach_api: APIClient, client_profile: Any, raw: bytes, content_type: str, code: int
) -> None:
    response = coach_api.post(csv_url(client_profile.pk), raw, content_type=content_type)
    assert response.status_code == code


def test_csv_endpoints_are_for_the_clients_own_coach_only(
    client_profile: Any, other_coach: Any, assignment: Any
) -> None:
    logged(api_for(client_profile.user), session_body(assignment.pk))
    header = ",".join(csv_io.COLUMNS)
    for api in (api_for(other_coach.user), api_for(client_profile.user)):
        assert api.get(csv_url(client_profile.pk)).status_code == 404
        assert post_csv(api, client_profile.pk, header).status_code == 404
    assert APIClient().get(csv_url(client_profile.pk)).status_code == 401


def test_export_leaves_out_deleted_sessions_and_an_old_reimport_of_them_is_stale(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    body = session_body(assignment.pk)
    logged(coach_api, body)
    text = coach_api.get(csv_url(client_profile.pk)).content.decode()
    coach_api.delete(f"/api/v1/sessions/{body['id']}/")
    assert rows(coach_api.get(csv_url(client_profile.pk)).content.decode()) == []
    assert post_csv(coach_api, client_profile.pk, text).json()["counts"] == {"stale": 1}


def test_import_costs_a_constant_number_of_queries(
    coach_api: APIClient, client_profile: Any, assignment: Any, django_assert_max_num_queries: Any
) -> None:
    lines = [",".join(csv_io.COLUMNS)]
    for n in range(200):
        sid = uuid.uuid4()
        when = (BASE + dt.timedelta(days=n % 9)).isoformat()
        for _ in range(3):
            lines.append(f"{sid},{assignment.pk},{when},{when},,deadlift,both,5,,100,kg,8,,,")
    with django_assert_max_num_queries(25):
        report = post_csv(coach_api, client_profile.pk, "\n".join(lines)).json()
    assert report["counts"] == {"created": 200}
    assert LoggedSet.objects.count() == 600
    with django_assert_max_num_queries(12):
        assert len(rows(coach_api.get(csv_url(client_profile.pk)).content.decode())) == 600


def test_the_service_writes_to_any_text_stream(client_profile: Any, assignment: Any) -> None:
    logged(api_for(client_profile.user), session_body(assignment.pk))
    text = csv_io.sessions_csv_text(client=client_profile)
    assert len(rows(text)) == 5
    assert text.endswith("\r\n")


def _without_rows(text: str, drop: set[int]) -> str:
    """The file with some data rows left out (1 = the first row after the header)."""
    lines = text.split("\r\n")
    return "\r\n".join(line for n, line in enumerate(lines) if n not in drop)


def _with_modified(text: str, modified: str) -> str:
    table = list(csv.reader(io.StringIO(text, newline="")))
    at = table[0].index("client_modified_at")
    for row in table[1:]:
        row[at] = modified
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(table)
    return out.getvalue()


def test_a_reimport_that_lost_set_rows_at_the_same_time_is_a_conflict_and_keeps_the_sets(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    body = session_body(assignment.pk)
    kept = session_body(assignment.pk, notes="untouched")
    logged(coach_api, body)
    logged(coach_api, kept)
    text = coach_api.get(csv_url(client_profile.pk)).content.decode()
    first_rows = [n for n, row in enumerate(rows(text), start=1) if row["session_id"] == body["id"]]
    truncated = _without_rows(text, set(first_rows[-2:]))  # two of its five sets are missing
    response = post_csv(coach_api, client_profile.pk, truncated)
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["counts"] == {"conflict": 1, "unchanged": 1}
    [conflict] = [r for r in report["results"] if r["id"] == body["id"]]
    assert conflict["status"] == "conflict"
    assert conflict["rows"] == [n + 1 for n in first_rows[:-2]]
    [message] = conflict["errors"]["client_modified_at"]
    assert "2 of the 5 stored sets" in message
    assert "later client_modified_at" in message
    assert LoggedSet.objects.filter(session_id=body["id"]).count() == 5
    assert coach_api.get(csv_url(client_profile.pk)).content.decode() == text


def test_a_reimport_with_an_edited_set_at_the_same_time_is_a_conflict(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    body = session_body(assignment.pk)
    logged(coach_api, body)
    text = coach_api.get(csv_url(client_profile.pk)).content.decode()
    edited = text.replace(",10,,135,lb,7.5,", ",12,,135,lb,7.5,", 1)
    assert edited != text
    result = post_csv(coach_api, client_profile.pk, edited).json()["results"][0]
    assert result["status"] == "conflict"
    assert "1 of the 5 stored sets" in result["errors"]["client_modified_at"][0]
    stored = LoggedSet.objects.filter(session_id=body["id"]).order_by("position")
    assert list(stored.values_list("reps", flat=True)) == [10, 10, 8, 8, None]


def test_a_reimport_that_only_adds_rows_at_the_same_time_keeps_every_set_and_applies(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    body = session_body(assignment.pk)
    logged(coach_api, body)
    text = coach_api.get(csv_url(client_profile.pk)).content.decode()
    lines = text.split("\r\n")
    added = "\r\n".join([*lines[:-1], lines[1].replace(",10,,135,lb,7.5,", ",9,,135,lb,9,"), ""])
    result = post_csv(coach_api, client_profile.pk, added).json()["results"][0]
    assert result["status"] == "updated"
    assert LoggedSet.objects.filter(session_id=body["id"]).count() == 6


def test_a_later_reimport_may_remove_sets(coach_api: APIClient, client_profile: Any, assignment: Any) -> None:
    body = session_body(assignment.pk)
    logged(coach_api, body)
    text = coach_api.get(csv_url(client_profile.pk)).content.decode()
    later = _with_modified(_without_rows(text, {4, 5}), "2026-11-17T09:00:00+00:00")
    result = post_csv(coach_api, client_profile.pk, later).json()["results"][0]
    assert result["status"] == "updated"
    assert LoggedSet.objects.filter(session_id=body["id"]).count() == 3


def test_the_sync_api_still_applies_a_write_of_the_same_time(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    """docs/api.md: a write applies when it is newer than or equal to the stored one; only the CSV
    re-import refuses to remove sets without a later time."""
    body = session_body(assignment.pk)
    logged(coach_api, body)
    body["sets"] = body["sets"][:3]
    response = coach_api.post("/api/v1/sessions/sync/", {"sessions": [body]}, format="json")
    assert response.json()["results"][0]["status"] == "updated"
    assert LoggedSet.objects.filter(session_id=body["id"]).count() == 3


@pytest.mark.parametrize("odd", ["²", "٣", "9" * 5000])
def test_odd_digits_in_number_cells_are_cell_errors_not_a_server_error(
    coach_api: APIClient, client_profile: Any, assignment: Any, odd: str
) -> None:
    head = "2026-11-19T18:05:00+00:00,2026-11-19T19:00:00+00:00,"
    text = "\n".join(
        [
            ",".join(csv_io.COLUMNS),
            f"{uuid.uuid4()},{assignment.pk},{head},deadlift,both,{odd},,100,kg,,,,{odd}",
            f"{uuid.uuid4()},{assignment.pk},{head},rdl-isometric-hold,both,,{odd},40,kg,,,,",
            f"{uuid.uuid4()},{odd},{head},deadlift,both,5,,100,kg,,,,",
        ]
    )
    response = post_csv(coach_api, client_profile.pk, text)
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert set(results[0]["errors"]["rows"]["2"]) == {"reps", "pain"}
    assert set(results[1]["errors"]["rows"]["3"]) == {"seconds"}
    assert results[2]["errors"] == {"assignment": ["Not one of this client's assignments."]}
    assert not LoggedSession.objects.exists()


def test_a_session_of_more_than_200_sets_in_a_file_says_so_for_the_session(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    sid = uuid.uuid4()
    head = f"{sid},{assignment.pk},2026-11-19T18:05:00+00:00,2026-11-19T19:00:00+00:00,"
    text = "\n".join([",".join(csv_io.COLUMNS), *[f"{head},deadlift,both,5,,100,kg,,,," for _ in range(201)]])
    result = post_csv(coach_api, client_profile.pk, text).json()["results"][0]
    assert result["status"] == "rejected"
    assert result["errors"] == {"sets": ["At most 200 sets per session."]}
    assert not LoggedSession.objects.exists()
