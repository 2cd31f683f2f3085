"""The coach's web import of a client's sessions CSV: the report names each session and why."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaching.models import LoggedSession, LoggedSet
from coaching.sessions import csv_io
from tests.coaching.api.test_sessions_api import api_for, session_body
from tests.coaching.web.conftest import active_assignment

pytestmark = pytest.mark.django_db


def _upload(coach_web: Any, client_id: int, text: str | bytes, name: str = "sessions.csv") -> Any:
    raw = text.encode() if isinstance(text, str) else text
    return coach_web.post(
        reverse("coach-client-import", args=[client_id]), {"file": SimpleUploadedFile(name, raw, "text/csv")}
    )


def _logged(client_profile: Any, **kwargs: Any) -> dict[str, Any]:
    body = session_body(active_assignment(client_profile).pk, **kwargs)
    response = api_for(client_profile.user).put(f"/api/v1/sessions/{body['id']}/", body, format="json")
    assert response.status_code == 201, response.content
    return body


def test_the_client_page_links_to_the_import(coach_web: Any, client_profile: Any) -> None:
    body = coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    assert f'href="{reverse("coach-client-import", args=[client_profile.pk])}"' in body


def test_a_truncated_reimport_shows_the_conflict_with_the_session_and_why(coach_web: Any, client_profile: Any) -> None:
    body = _logged(client_profile)
    text = csv_io.sessions_csv_text(client=client_profile)
    lines = text.split("\r\n")
    truncated = "\r\n".join(lines[:3] + [""])  # the header and two of the five sets
    response = _upload(coach_web, client_profile.pk, truncated)
    assert response.status_code == 200
    page = response.content.decode()
    assert body["id"] in page
    assert 'data-status="conflict"' in page
    assert "Conflict: not changed" in page
    assert "remove or change 3 of the 5 stored sets" in page
    assert "later client_modified_at" in page
    assert LoggedSet.objects.filter(session_id=body["id"]).count() == 5


def test_reimporting_the_download_says_already_up_to_date(coach_web: Any, client_profile: Any) -> None:
    _logged(client_profile)
    response = _upload(coach_web, client_profile.pk, csv_io.sessions_csv_text(client=client_profile))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-status="unchanged"' in page
    assert "1 unchanged" in page


def test_bad_rows_are_listed_by_row_and_column(coach_web: Any, client_profile: Any) -> None:
    assignment = active_assignment(client_profile)
    sid = "0b6f1f8e-3c8e-4d6a-9d7e-6f3f0c1b2a99"
    text = (
        ",".join(csv_io.COLUMNS)
        + f"\n{sid},{assignment.pk},2026-11-19T18:05:00+00:00,2026-11-19T19:00:00+00:00,,deadlift,both,lots,,100,kg,,,,"
    )
    page = _upload(coach_web, client_profile.pk, text).content.decode()
    assert 'data-status="rejected"' in page
    assert "Row 2, reps: Enter a whole number." in page


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"\xff\xfe\x00\x01", "not UTF-8 text"),
        (b"date,weight\n2026-11-19,100\n", "Missing columns"),
        (b"", "The submitted file is empty."),
    ],
)
def test_a_file_that_is_not_our_csv_is_a_form_error(
    coach_web: Any, client_profile: Any, raw: bytes, message: str
) -> None:
    response = _upload(coach_web, client_profile.pk, raw)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_no_file_is_a_form_error(coach_web: Any, client_profile: Any) -> None:
    response = coach_web.post(reverse("coach-client-import", args=[client_profile.pk]), {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_another_coachs_client_is_404(coach_web: Any, other_client: Any) -> None:
    url = reverse("coach-client-import", args=[other_client.pk])
    assert coach_web.get(url).status_code == 404
    assert _upload(coach_web, other_client.pk, ",".join(csv_io.COLUMNS)).status_code == 404


def test_wrong_method_is_405(coach_web: Any, client_profile: Any) -> None:
    assert coach_web.put(reverse("coach-client-import", args=[client_profile.pk])).status_code == 405


def _day_file(sid: str, assignment_id: int, day: str) -> str:
    row = (
        f"{sid},{assignment_id},2026-11-19T18:05:00+00:00,2026-11-19T19:00:00+00:00,,deadlift,both,5,,100,kg,,,,,{day}"
    )
    return ",".join(csv_io.COLUMNS) + "\r\n" + row + "\r\n"


def test_the_import_page_says_what_is_wrong_with_a_day_cell(coach_web: Any, client_profile: Any) -> None:
    assignment = active_assignment(client_profile)
    sid = str(uuid.uuid4())
    response = _upload(coach_web, client_profile.pk, _day_file(sid, assignment.pk, "Monday"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-status="rejected"' in page
    assert "day: Enter the day&#x27;s number, 1 to 7, or leave it empty for a session without a day." in page


def test_the_import_page_imports_days(coach_web: Any, client_profile: Any) -> None:
    assignment = active_assignment(client_profile)
    sid = str(uuid.uuid4())
    response = _upload(coach_web, client_profile.pk, _day_file(sid, assignment.pk, "3"))
    assert 'data-status="created"' in response.content.decode()
    assert LoggedSession.objects.get(pk=sid).day == 3
