"""The sessions CSV carries each session's training day (docs/domain.md "Training days"): a ``day``
column on export, empty for a dayless session; on import an optional ``day`` column, where an empty
cell or a file without the column is dayless and anything but a day number 1-7 is a cell error."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.models import LoggedSession
from coaching.sessions import csv_io
from tests.coaching.test_csv_io import csv_url, logged, post_csv, rows, session_body

pytestmark = pytest.mark.django_db

# The columns of a file written before days (and before the check-in columns after ``day``).
OLD_COLUMNS = [c for c in csv_io.COLUMNS if c != "day" and c not in csv_io.CHECKIN_COLUMNS]
AFTER_DAY = len(csv_io.CHECKIN_COLUMNS)
HEAD = "2026-11-19T18:05:00+00:00,2026-11-19T19:00:00+00:00"


@pytest.fixture
def assignment(client_profile: Any) -> Any:
    return client_profile.assignments.get(is_active=True)


def _row(sid: str, assignment_id: int | str, day: str, *, reps: str = "5", notes: str = "") -> str:
    return f"{sid},{assignment_id},{HEAD},{notes},deadlift,both,{reps},,100,kg,,,,,{day}"


def _file(*lines: str, columns: list[str] = csv_io.COLUMNS) -> str:
    return "\r\n".join([",".join(columns), *lines, ""])


def _without_day_column(text: str) -> str:
    """An export as it was written before days: the day and the check-in columns left out."""
    return "\r\n".join(line.rsplit(",", 1 + AFTER_DAY)[0] if line else line for line in text.split("\r\n"))


def test_export_has_the_day_column_the_sessions_day_or_empty_when_dayless(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    on_day_two = logged(coach_api, session_body(assignment.pk) | {"day": 2})
    dayless = logged(coach_api, session_body(assignment.pk))
    no_sets = logged(coach_api, session_body(assignment.pk, notes="checked in only") | {"sets": [], "day": 3})
    text = coach_api.get(csv_url(client_profile.pk)).content.decode()
    header = text.splitlines()[0].split(",")
    assert header[header.index("day") :] == ["day", *csv_io.CHECKIN_COLUMNS]  # the check-in's, after it
    days = {(row["session_id"], row["day"]) for row in rows(text)}
    assert days == {(on_day_two["id"], "2"), (dayless["id"], ""), (no_sets["id"], "3")}
    assert len(rows(text)) == 11  # five sets, five sets, and one row for the session without sets


def test_reimporting_an_export_with_days_is_all_unchanged(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    for day in (1, 2, None):
        logged(coach_api, session_body(assignment.pk) | {"day": day})
    text = coach_api.get(csv_url(client_profile.pk)).content.decode()
    assert post_csv(coach_api, client_profile.pk, text).json()["counts"] == {"unchanged": 3}
    assert coach_api.get(csv_url(client_profile.pk)).content.decode() == text


def test_an_imported_day_is_stored_an_empty_cell_is_dayless_and_a_reimport_is_unchanged(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    on_day, dayless, padded = (str(uuid.uuid4()) for _ in range(3))
    text = _file(
        _row(on_day, assignment.pk, "2"),
        _row(on_day, assignment.pk, "2", reps="4"),
        _row(dayless, assignment.pk, ""),
        _row(padded, assignment.pk, " 7 "),
    )
    report = post_csv(coach_api, client_profile.pk, text).json()
    assert report["counts"] == {"created": 3}
    stored = dict(LoggedSession.objects.values_list("id", "day"))
    assert stored == {uuid.UUID(on_day): 2, uuid.UUID(dayless): None, uuid.UUID(padded): 7}
    assert coach_api.get(f"/api/v1/sessions/{on_day}/").json()["day"] == 2
    assert post_csv(coach_api, client_profile.pk, text).json()["counts"] == {"unchanged": 3}


def test_a_file_without_the_day_column_imports_as_before_dayless(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    sid = str(uuid.uuid4())
    old = _file(f"{sid},{assignment.pk},{HEAD},,deadlift,both,5,,100,kg,,,,", columns=OLD_COLUMNS)
    report = post_csv(coach_api, client_profile.pk, old).json()
    assert report["results"] == [{"id": sid, "status": "created", "rows": [2]}]
    assert LoggedSession.objects.get(pk=sid).day is None
    assert post_csv(coach_api, client_profile.pk, old).json()["counts"] == {"unchanged": 1}
    # The same session in today's layout, its day cell empty, is the same session.
    assert post_csv(coach_api, client_profile.pk, coach_api.get(csv_url(client_profile.pk)).content.decode()).json()[
        "counts"
    ] == {"unchanged": 1}


def test_an_export_of_before_days_reimports_unchanged(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    """Sessions logged without a day hash as they always did, so a file from before the column
    existed is still all ``unchanged``."""
    for _ in range(2):
        logged(coach_api, session_body(assignment.pk))
    old = _without_day_column(coach_api.get(csv_url(client_profile.pk)).content.decode())
    assert old.splitlines()[0].split(",") == OLD_COLUMNS
    assert post_csv(coach_api, client_profile.pk, old).json()["counts"] == {"unchanged": 2}


@pytest.mark.parametrize("cell", ["0", "8", "B", "Day A", "1.5", "-1", "+2", "²", "٣", "9" * 5000])
def test_a_day_cell_that_is_not_a_day_number_rejects_its_session_and_the_rest_applies(
    coach_api: APIClient, client_profile: Any, assignment: Any, cell: str
) -> None:
    good, bad = str(uuid.uuid4()), str(uuid.uuid4())
    report = post_csv(
        coach_api, client_profile.pk, _file(_row(good, assignment.pk, "1"), _row(bad, assignment.pk, cell))
    ).json()
    assert [r["status"] for r in report["results"]] == ["created", "rejected"]
    assert report["results"][1]["errors"] == {
        "day": ["Enter the day's number, 1 to 7, or leave it empty for a session without a day."]
    }
    assert list(LoggedSession.objects.values_list("id", flat=True)) == [uuid.UUID(good)]


def test_rows_of_one_session_must_agree_on_the_day(coach_api: APIClient, client_profile: Any, assignment: Any) -> None:
    sid = str(uuid.uuid4())
    text = _file(_row(sid, assignment.pk, "1"), _row(sid, assignment.pk, "2"))
    result = post_csv(coach_api, client_profile.pk, text).json()["results"][0]
    assert result["status"] == "rejected"
    assert result["errors"] == {"day": ["Row 3 disagrees with row 2 of this session."]}
    assert not LoggedSession.objects.exists()


def test_a_reimport_that_changes_only_the_day_updates_the_session(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    """A day is not a set: changing it takes no set away, so even at the stored time it applies."""
    body = logged(coach_api, session_body(assignment.pk) | {"day": 1})
    text = coach_api.get(csv_url(client_profile.pk)).content.decode()
    no_checkin = "," * AFTER_DAY + "\r\n"
    moved = text.replace(",1" + no_checkin, ",2" + no_checkin)
    assert moved != text
    assert post_csv(coach_api, client_profile.pk, moved).json()["counts"] == {"updated": 1}
    assert LoggedSession.objects.get(pk=body["id"]).day == 2
    cleared = text.replace(",1" + no_checkin, "," + no_checkin)
    assert post_csv(coach_api, client_profile.pk, cleared).json()["counts"] == {"updated": 1}
    assert LoggedSession.objects.get(pk=body["id"]).day is None


def test_a_day_the_assignment_does_not_have_is_kept_and_counts_as_dayless(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    """As the API does (docs/api.md ``day``: unknown is dayless): the import keeps what the file says."""
    assert list(assignment.days.values_list("number", flat=True)) == [1]
    sid = str(uuid.uuid4())
    assert post_csv(coach_api, client_profile.pk, _file(_row(sid, assignment.pk, "5"))).json()["counts"] == {
        "created": 1
    }
    assert LoggedSession.objects.get(pk=sid).day == 5
