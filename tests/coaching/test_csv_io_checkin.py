"""The CSV carries each session's readiness check-in (docs/domain.md "Readiness check-in"): in the
export, back in through an import, refused cell by cell in the user's terms."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.models import LoggedSession
from coaching.sessions import csv_io
from coaching.sessions.services.inputs import CHECKIN_EMPTY
from tests.coaching.test_csv_io import csv_url, logged, post_csv, rows, session_body

pytestmark = pytest.mark.django_db

CHECKIN = {"sleep": 2, "soreness": 4, "stress": 5, "low_back": "painful", "cut_taken": True}
HEAD = "2026-11-19T18:05:00+00:00,2026-11-19T19:00:00+00:00"


@pytest.fixture
def assignment(client_profile: Any) -> Any:
    return client_profile.assignments.get(is_active=True)


def _file(sid: str, assignment_id: int, checkin: str) -> str:
    row = f"{sid},{assignment_id},{HEAD},,deadlift,both,5,,100,kg,,,,,1,{checkin}"
    return "\r\n".join([",".join(csv_io.COLUMNS), row, ""])


def test_the_export_carries_the_check_in_and_reimports_unchanged(
    coach_api: APIClient, client_profile: Any, assignment: Any
) -> None:
    checked = logged(coach_api, session_body(assignment.pk) | {"checkin": CHECKIN})
    only = logged(coach_api, session_body(assignment.pk) | {"sets": [], "checkin": {"low_back": "tight"}})
    plain = logged(coach_api, session_body(assignment.pk))
    text = coach_api.get(csv_url(client_profile.pk)).content.decode()
    by_session = {r["session_id"]: r for r in rows(text)}
    assert {c: by_session[checked["id"]][c] for c in csv_io.CHECKIN_COLUMNS} == {
        "checkin_sleep": "2",
        "checkin_soreness": "4",
        "checkin_stress": "5",
        "checkin_low_back": "painful",
        "checkin_cut_taken": "true",
    }
    assert by_session[only["id"]]["checkin_low_back"] == "tight"
    assert by_session[only["id"]]["exercise"] == ""  # a check-in without training: one row, no set
    assert all(by_session[plain["id"]][c] == "" for c in csv_io.CHECKIN_COLUMNS)
    assert post_csv(coach_api, client_profile.pk, text).json()["counts"] == {"unchanged": 3}


def test_an_imported_check_in_is_stored(coach_api: APIClient, client_profile: Any, assignment: Any) -> None:
    sid = str(uuid.uuid4())
    report = post_csv(coach_api, client_profile.pk, _file(sid, assignment.pk, "3,2,2,fine,false")).json()
    assert report["counts"] == {"created": 1}
    checkin = LoggedSession.objects.get(pk=sid).checkin
    assert (checkin.sleep, checkin.soreness, checkin.stress, checkin.low_back, checkin.cut_taken) == (
        3,
        2,
        2,
        "fine",
        False,
    )


@pytest.mark.parametrize(
    ("cells", "errors"),
    [
        ("6,,,,", {"checkin_sleep": ["Ensure this value is less than or equal to 5."]}),
        ("x,,,,", {"checkin_sleep": ["Enter a whole number."]}),
        (",,,sore,", {"checkin_low_back": ['"sore" is not a valid choice.']}),
        (",,,,maybe", {"checkin_cut_taken": ["Enter true or false."]}),
        (",,,,true", {"checkin": [CHECKIN_EMPTY]}),
    ],
)
def test_a_check_in_cell_that_cannot_be_read_rejects_its_session_with_the_column(
    coach_api: APIClient, client_profile: Any, assignment: Any, cells: str, errors: dict[str, list[str]]
) -> None:
    sid = str(uuid.uuid4())
    report = post_csv(coach_api, client_profile.pk, _file(sid, assignment.pk, cells)).json()
    assert [r["status"] for r in report["results"]] == ["rejected"]
    assert report["results"][0]["errors"] == errors
    assert not LoggedSession.objects.filter(pk=sid).exists()
