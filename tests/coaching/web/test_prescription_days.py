"""The coach's prescription edit with days: each line keeps its day (a select moves it), the days'
names and pins are the assignment's (no new version), adding or deleting a day writes a new
version whose reason says so, and the history keeps who and why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coaching.models import PrescriptionVersion
from coaching.services.prescriptions import assignment_create, assignment_days, prescription_week_edit
from programs.days import Day
from programs.lines import Line
from tests.factories import ClientFactory, exercise

pytestmark = pytest.mark.django_db

DAYS = [Day(1, "Day A", (0,)), Day(2, "Day B")]


def line(slug: str, day: int, load: str = "24") -> Line:
    return Line(exercise=exercise(slug), sets=3, low=8, high=10, load=Decimal(load), day=day)


@pytest.fixture
def assignment(coach: Any) -> Any:
    client = ClientFactory(coach=coach)
    return assignment_create(
        client=client,
        start_date=dt.date(2026, 10, 5),
        days=DAYS,
        lines=[line("deadlift", 1, "100"), line("hip-thrust", 1, "80"), line("kettlebell-swing", 2)],
        changed_by=coach.user,
    )


def url(assignment: Any) -> str:
    return reverse("coach-prescription-edit", args=[assignment.client_id])


def lines_form(lines: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {"line-TOTAL_FORMS": len(lines), "line-INITIAL_FORMS": len(lines),
                            "line-MIN_NUM_FORMS": 1, "line-MAX_NUM_FORMS": 1000}  # fmt: skip
    for i, values in enumerate(lines):
        data |= {f"line-{i}-{k}": v for k, v in values.items()}
    return data


def days_form(days: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {"day-TOTAL_FORMS": len(days), "day-INITIAL_FORMS": len(days),
                            "day-MIN_NUM_FORMS": 0, "day-MAX_NUM_FORMS": 1000}  # fmt: skip
    for i, values in enumerate(days):
        data |= {f"day-{i}-{k}": v for k, v in values.items()}
    return data


DEADLIFT = {"exercise": "deadlift", "sets": 3, "low": 8, "high": 10, "load": "100", "unit": "kg", "day": "1"}
THRUST = {"exercise": "hip-thrust", "sets": 3, "low": 8, "high": 10, "load": "80", "unit": "kg", "day": "1"}
SWING = {"exercise": "kettlebell-swing", "sets": 3, "low": 8, "high": 10, "load": "24", "unit": "kg", "day": "2"}
A = {"name": "Day A", "weekdays": ["0"]}
B = {"name": "Day B"}
META = {"effective_from": "2026-11-30"}


def latest(assignment: Any) -> Any:
    return assignment.versions.order_by("-id").first()


def stored_lines(version: Any) -> list[tuple[int, str]]:
    return [(row.day, row.exercise.slug) for row in version.lines.select_related("exercise").order_by("position")]


def test_the_edit_page_shows_each_lines_day_and_the_days_names_and_pins(coach_web: Any, assignment: Any) -> None:
    body = coach_web.get(url(assignment)).content.decode()
    assert 'name="day-0-name" value="Day A"' in body
    assert 'name="day-0-weekdays" value="0" id="id_day-0-weekdays_0" checked' in body
    assert '<option value="2" selected>Day B</option>' in body  # the swing's day
    assert '<option value="new">A new day (Day C)</option>' in body
    assert "Delete Day B and its lines" in body


def test_renaming_and_pinning_days_writes_no_version(coach_web: Any, assignment: Any) -> None:
    data = lines_form([DEADLIFT, THRUST, SWING]) | days_form([A, {"name": "Swings", "weekdays": ["3"]}]) | META
    response = coach_web.post(url(assignment), data)
    assert response.status_code == 302
    assert assignment_days(assignment) == [Day(1, "Day A", (0,)), Day(2, "Swings", (3,))]
    assert assignment.versions.count() == 1
    page = coach_web.get(response["Location"]).content.decode()
    assert "Day names and pins saved; the prescription&#x27;s lines are unchanged." in page


def test_moving_a_line_to_another_day_writes_a_version(coach_web: Any, assignment: Any) -> None:
    data = lines_form([DEADLIFT, {**THRUST, "day": "2"}, SWING]) | days_form([A, B]) | META | {"reason": "Split"}
    assert coach_web.post(url(assignment), data).status_code == 302
    version = latest(assignment)
    assert stored_lines(version) == [(1, "deadlift"), (2, "hip-thrust"), (2, "kettlebell-swing")]
    assert (version.reason, version.source) == ("Split", PrescriptionVersion.Source.COACH_EDIT)


def test_a_line_on_a_new_day_adds_the_day_and_the_reason_says_so(coach_web: Any, coach: Any, assignment: Any) -> None:
    data = lines_form([DEADLIFT, {**THRUST, "day": "new"}, SWING]) | days_form([A, B]) | META
    assert coach_web.post(url(assignment), data).status_code == 302
    assert [d.number for d in assignment_days(assignment)] == [1, 2, 3]
    assert assignment_days(assignment)[2].name == "Day C"
    version = latest(assignment)
    assert stored_lines(version) == [(1, "deadlift"), (2, "kettlebell-swing"), (3, "hip-thrust")]
    assert version.reason == "Added Day C."
    assert version.changed_by == coach.user


def test_deleting_a_day_drops_its_lines_and_writes_a_version_with_the_reason(coach_web: Any, assignment: Any) -> None:
    data = lines_form([DEADLIFT, THRUST, SWING]) | days_form([A, {**B, "DELETE": "on"}]) | META
    data |= {"reason": "Two sessions only"}
    assert coach_web.post(url(assignment), data).status_code == 302
    assert assignment_days(assignment) == [Day(1, "Day A", (0,))]
    version = latest(assignment)
    assert stored_lines(version) == [(1, "deadlift"), (1, "hip-thrust")]
    assert version.reason == "Two sessions only Deleted Day B."
    page = coach_web.get(reverse("coach-client", args=[assignment.client_id])).content.decode()
    assert "Two sessions only Deleted Day B." in page


def test_a_weekday_on_two_days_is_refused_naming_both_and_saves_nothing(coach_web: Any, assignment: Any) -> None:
    data = lines_form([DEADLIFT, THRUST, SWING]) | days_form([A, {"name": "Day B", "weekdays": ["0"]}]) | META
    response = coach_web.post(url(assignment), data)
    assert response.status_code == 400
    assert "Monday is pinned to Day A and to Day B: pin it to one." in response.content.decode()
    assert assignment_days(assignment) == DAYS
    assert assignment.versions.count() == 1


def test_an_exercise_twice_on_a_day_is_refused_and_saves_nothing(coach_web: Any, assignment: Any) -> None:
    data = lines_form([DEADLIFT, {**DEADLIFT, "load": "60"}, SWING]) | days_form([A, {"name": "Light"}]) | META
    response = coach_web.post(url(assignment), data)
    assert response.status_code == 400
    assert "Deadlift is twice on Day A: an exercise is on a day once at most." in response.content.decode()
    assert assignment_days(assignment) == DAYS
    assert assignment.versions.count() == 1


def test_a_day_left_without_lines_is_refused(coach_web: Any, assignment: Any) -> None:
    data = lines_form([DEADLIFT, THRUST, {**SWING, "day": "1"}]) | days_form([A, B]) | META
    response = coach_web.post(url(assignment), data)
    assert response.status_code == 400
    assert "Day B has no lines: give every day at least one line, or delete it." in response.content.decode()


def test_deleting_every_day_is_refused(coach_web: Any, assignment: Any) -> None:
    data = lines_form([DEADLIFT, THRUST, SWING]) | days_form([{**A, "DELETE": "on"}, {**B, "DELETE": "on"}]) | META
    response = coach_web.post(url(assignment), data)
    assert response.status_code == 400
    assert assignment.versions.count() == 1


def test_a_post_without_the_days_keeps_them(coach_web: Any, assignment: Any) -> None:
    """An older page (no days' forms, no line days) edits lines on the first day as before."""
    data = lines_form([{k: v for k, v in DEADLIFT.items() if k != "day"}, THRUST, SWING]) | META
    assert coach_web.post(url(assignment), data).status_code == 302
    assert assignment_days(assignment) == DAYS
    assert stored_lines(latest(assignment)) == [(1, "deadlift"), (1, "hip-thrust"), (2, "kettlebell-swing")]


def test_the_week_edit_service_is_atomic(coach: Any, assignment: Any) -> None:
    with pytest.raises(ValidationError):
        prescription_week_edit(
            assignment=assignment,
            days=[Day(1, "Renamed"), Day(2, "Day B")],
            lines=[line("deadlift", 1), line("deadlift", 1)],
            effective_from=dt.date(2026, 11, 30),
            changed_by=coach.user,
        )
    assert assignment_days(assignment) == DAYS
    assert assignment.versions.count() == 1


def test_another_coachs_client_is_404(coach_web: Any, other_client: Any) -> None:
    response = coach_web.get(reverse("coach-prescription-edit", args=[other_client.pk]))
    assert response.status_code == 404
