"""``versions_in_force``: the version in force per assignment, read alone with its lines (two
queries, rows flat in the number of versions)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from coaching.models import Assignment
from coaching.seed import coach_seed, roster_seed, seed_lines, versions_seed
from coaching.selectors import version_ids_in_force, versions_in_force
from coaching.services.prescriptions import prescription_version_write
from tests.rows import count_rows

pytestmark = pytest.mark.django_db
START = dt.date(2025, 1, 6)  # a Monday


def _assignments(n: int = 1) -> list[Assignment]:
    return roster_seed(coach_seed(), clients=n, weeks=0, start=START, logins=False).assignments


def _version(assignment: Assignment, on: dt.date) -> Any:
    return prescription_version_write(
        assignment=assignment, lines=seed_lines(), effective_from=on, source="coach_edit",
        changed_by=assignment.client.coach.user,
    )  # fmt: skip


def test_the_latest_version_on_or_before_the_date_wins_and_a_tie_goes_to_the_latest_written() -> None:
    (a,) = _assignments()
    first = a.versions.get()
    later = _version(a, START + dt.timedelta(weeks=2))
    tie = _version(a, START + dt.timedelta(weeks=2))
    _version(a, START + dt.timedelta(weeks=5))
    assert versions_in_force([a.pk], START + dt.timedelta(weeks=1))[a.pk] == first
    assert versions_in_force([a.pk], START + dt.timedelta(weeks=2))[a.pk] == tie != later
    assert versions_in_force([a.pk], START + dt.timedelta(weeks=4, days=6))[a.pk] == tie


def test_before_the_first_versions_date_the_first_version_applies() -> None:
    (a,) = _assignments()
    first = a.versions.get()
    _version(a, START + dt.timedelta(weeks=1))
    assert versions_in_force([a.pk], START - dt.timedelta(days=30))[a.pk] == first


def test_each_assignment_gets_its_own_version_and_one_without_any_is_missing() -> None:
    one, two = _assignments(2)
    mine = _version(one, START + dt.timedelta(weeks=1))
    got = versions_in_force([one.pk, two.pk, 999_999], START + dt.timedelta(weeks=3))
    assert got == {one.pk: mine, two.pk: two.versions.get()}


def test_only_the_version_in_force_and_its_lines_are_read(django_assert_num_queries: Any) -> None:
    (a,) = _assignments()
    versions_seed([a], weeks=60, start=START)
    assert a.versions.count() == 60
    with django_assert_num_queries(2), count_rows() as counted:
        got = versions_in_force([a.pk], START + dt.timedelta(weeks=30))
        lines = list(got[a.pk].lines.all())
    assert got[a.pk].effective_from == START + dt.timedelta(weeks=30)
    assert [line.exercise.slug for line in lines] == ["romanian-deadlift", "kettlebell-swing", "hip-thrust"]
    assert counted.rows == 1 + len(lines), counted.top()


def test_version_ids_in_force_answers_the_same_versions_in_one_query_of_one_row_each(
    django_assert_num_queries: Any,
) -> None:
    """``version_ids_in_force``: the ids of ``versions_in_force``'s versions (a tie, before the
    first date, an assignment without any missing), one query, one row per assignment."""
    one, two = _assignments(2)
    versions_seed([one], weeks=20, start=START)
    _version(two, START + dt.timedelta(weeks=3))
    _version(two, START + dt.timedelta(weeks=3))
    for on in (START - dt.timedelta(days=3), START + dt.timedelta(weeks=3), START + dt.timedelta(weeks=9)):
        expected = {pk: version.pk for pk, version in versions_in_force([one.pk, two.pk, 999_999], on).items()}
        with django_assert_num_queries(1), count_rows() as counted:
            got = version_ids_in_force([one.pk, two.pk, 999_999], on)
        assert got == expected
        assert counted.rows == 2, counted.top()
    assert version_ids_in_force([one.pk], START + dt.timedelta(weeks=9)) == {
        one.pk: one.versions.get(effective_from=START + dt.timedelta(weeks=9)).pk
    }
