"""The builder's days through its pages: every day action with htmx (the builder fragment) and
without (a redirect, refusals as messages), refusals in the coach's words, query counts pinned."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from programs.days import Day
from programs.lines import Line
from programs.models import ProgramTemplate
from programs.services import template_create, template_days
from tests.coaching.web.conftest import HTMX
from tests.factories import exercise

pytestmark = pytest.mark.django_db

BUILDER = '<div id="builder"'


def line(slug: str, day: int = 1, load: str = "40") -> Line:
    return Line(exercise=exercise(slug), sets=3, low=8, high=10, load=Decimal(load), day=day)


@pytest.fixture
def week(coach: Any) -> ProgramTemplate:
    return template_create(
        owner=coach.user,
        name="Two days",
        days=[Day(1, "Day A", (0,)), Day(2, "Day B")],
        lines=[line("deadlift", 1, "120"), line("hip-thrust", 1, "80"), line("kettlebell-swing", 2, "24")],
    )


def shape(template: ProgramTemplate) -> list[tuple[Any, ...]]:
    rows = list(template.lines.select_related("exercise").order_by("position"))
    return [
        (day.number, day.name, day.weekdays, [row.exercise.slug for row in rows if row.day == day.number])
        for day in template_days(template)
    ]


def url(name: str, template: ProgramTemplate, *args: int) -> str:
    return reverse(name, args=[template.pk, *args])


NEW_LINE = {
    "new-exercise": "romanian-deadlift",
    "new-sets": 3,
    "new-low": 8,
    "new-high": 10,
    "new-load": "60",
    "new-unit": "kg",
}


def test_the_builder_shows_each_day_with_its_pins_and_lines(coach_web: Any, week: ProgramTemplate) -> None:
    body = coach_web.get(url("coach-program", week)).content.decode()
    assert '<h3 id="day-1-h">Day A</h3>' in body
    assert "pinned to Mon" in body
    assert '<h3 id="day-2-h">Day B</h3>' in body
    assert "in rotation" in body
    assert (
        body.index("Deadlift") < body.index("Hip thrust") < body.index('id="day-2-h"') < body.index("Kettlebell swing")
    )
    assert 'id="line-2-0"' in body
    assert 'aria-label="Remove Kettlebell swing on Day B"' in body
    assert '<option value="new">A new day (Day C)</option>' in body
    assert "Duplicate Day B" in body


def test_a_one_day_builder_names_no_day_on_its_buttons(coach_web: Any, coach: Any) -> None:
    template = template_create(owner=coach.user, name="One", lines=[line("deadlift")])
    body = coach_web.get(url("coach-program", template)).content.decode()
    assert 'aria-label="Remove Deadlift"' in body
    assert "Delete day" not in body  # the only day cannot go
    assert '<option value="new">A new day (Day B)</option>' in body


def test_a_line_goes_on_the_chosen_day(coach_web: Any, week: ProgramTemplate) -> None:
    response = coach_web.post(url("coach-line-add", week), {**NEW_LINE, "new-day": "2"}, **HTMX)
    assert response.content.decode().lstrip().startswith(BUILDER)
    assert shape(week)[1][3] == ["kettlebell-swing", "romanian-deadlift"]
    plain = coach_web.post(url("coach-line-add", week), {**NEW_LINE, "new-day": "1"})
    assert plain["Location"] == url("coach-program", week)
    assert shape(week)[0][3] == ["deadlift", "hip-thrust", "romanian-deadlift"]


def test_an_exercise_twice_on_a_day_or_an_unknown_day_is_a_form_error(coach_web: Any, week: ProgramTemplate) -> None:
    twice = coach_web.post(url("coach-line-add", week), {**NEW_LINE, "new-exercise": "deadlift", "new-day": "1"})
    assert twice.status_code == 400
    assert "Deadlift is twice on Day A: an exercise is on a day once at most." in twice.content.decode()
    unknown = coach_web.post(url("coach-line-add", week), {**NEW_LINE, "new-day": "5"}, **HTMX)
    assert unknown.status_code == 200
    assert "Select a valid choice. 5 is not one of the available choices." in unknown.content.decode()
    assert shape(week)[0][3] == ["deadlift", "hip-thrust"]


def test_a_new_day_starts_with_its_first_exercise(coach_web: Any, week: ProgramTemplate) -> None:
    response = coach_web.post(url("coach-line-add", week), {**NEW_LINE, "new-day": "new"}, **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith(BUILDER)
    assert '<h3 id="day-3-h">Day C</h3>' in body
    assert shape(week)[2] == (3, "Day C", (), ["romanian-deadlift"])


def test_the_add_link_of_a_day_chooses_that_day(coach_web: Any, week: ProgramTemplate) -> None:
    page = coach_web.get(url("coach-program", week)).content.decode()
    assert 'href="?new-day=2#add-line"' in page
    body = coach_web.get(url("coach-program", week), {"new-day": "2"}).content.decode()
    assert '<option value="2" selected>Day B</option>' in body
    picker = coach_web.get(url("coach-line-form", week), {"new-exercise": "deadlift", "new-day": "new"}, **HTMX)
    assert '<option value="new" selected>A new day (Day C)</option>' in picker.content.decode()


def test_renaming_and_pinning_a_day(coach_web: Any, week: ProgramTemplate) -> None:
    data = {"day2-name": "Swing day", "day2-weekdays": ["3", "5"]}
    response = coach_web.post(url("coach-day-edit", week, 2), data, **HTMX)
    assert response.content.decode().lstrip().startswith(BUILDER)
    assert shape(week)[1][:3] == (2, "Swing day", (3, 5))
    plain = coach_web.post(url("coach-day-edit", week, 2), {"day2-name": "Light"})
    assert plain["Location"] == url("coach-program", week)
    assert shape(week)[1][:3] == (2, "Light", ())


def test_a_weekday_pinned_to_another_day_is_a_form_error_naming_that_day(coach_web: Any, week: ProgramTemplate) -> None:
    data = {"day2-name": "Day B", "day2-weekdays": ["0"]}
    plain = coach_web.post(url("coach-day-edit", week, 2), data)
    assert plain.status_code == 400
    body = plain.content.decode()
    assert "Monday is already pinned to Day A: unpin it there first." in body
    assert '<details class="day-edit" open>' in body
    htmx = coach_web.post(url("coach-day-edit", week, 2), data, **HTMX)
    assert htmx.status_code == 200
    assert "Monday is already pinned to Day A" in htmx.content.decode()
    assert shape(week)[1][2] == ()


def test_a_day_without_a_name_is_a_form_error(coach_web: Any, week: ProgramTemplate) -> None:
    response = coach_web.post(url("coach-day-edit", week, 1), {"day1-name": " ", "day1-weekdays": ["9"]})
    assert response.status_code == 400
    body = response.content.decode()
    assert "This field is required." in body
    assert "Select a valid choice. 9 is not one of the available choices." in body


def test_reordering_duplicating_and_deleting_days(coach_web: Any, week: ProgramTemplate) -> None:
    coach_web.post(url("coach-day-move", week, 2), {"direction": "up"}, **HTMX)
    assert [d[0] for d in shape(week)] == [2, 1]
    coach_web.post(url("coach-day-move", week, 2), {"direction": "down"})
    assert [d[0] for d in shape(week)] == [1, 2]
    response = coach_web.post(url("coach-day-duplicate", week, 1), **HTMX)
    assert response.content.decode().lstrip().startswith(BUILDER)
    assert shape(week)[1] == (3, "Day C", (), ["deadlift", "hip-thrust"])
    plain = coach_web.post(url("coach-day-delete", week, 1))
    assert plain["Location"] == url("coach-program", week)
    assert [d[0] for d in shape(week)] == [3, 2]


def test_the_only_day_cannot_be_deleted_and_the_builder_says_why(coach_web: Any, coach: Any) -> None:
    template = template_create(owner=coach.user, name="One", lines=[line("deadlift")])
    htmx = coach_web.post(url("coach-day-delete", template, 1), **HTMX).content.decode()
    assert "Day A is the program&#x27;s only day: a program needs at least one day." in htmx
    plain = coach_web.post(url("coach-day-delete", template, 1))
    page = coach_web.get(plain["Location"]).content.decode()
    assert "Day A is the program&#x27;s only day" in page
    assert shape(template) == [(1, "Day A", (), ["deadlift"])]


def test_a_day_that_is_gone_says_so(coach_web: Any, week: ProgramTemplate) -> None:
    body = coach_web.post(url("coach-day-duplicate", week, 6), **HTMX).content.decode()
    assert "That day is no longer in the program: reload the page." in body


def test_lines_are_edited_reordered_and_removed_within_their_day(coach_web: Any, week: ProgramTemplate) -> None:
    edit = coach_web.get(url("coach-line-edit", week, 1, 1), **HTMX).content.decode()
    assert 'name="line1-exercise"' in edit
    assert 'value="80"' in edit
    data = {"line1-exercise": "hip-thrust", "line1-sets": 4, "line1-low": 6, "line1-high": 10}
    coach_web.post(url("coach-line-edit", week, 1, 1), {**data, "line1-load": "90", "line1-unit": "kg"}, **HTMX)
    assert week.lines.get(day=1, exercise__slug="hip-thrust").load_kg == Decimal("90")
    coach_web.post(url("coach-line-move", week, 1, 1), {"direction": "up"}, **HTMX)
    assert shape(week)[0][3] == ["hip-thrust", "deadlift"]
    coach_web.post(url("coach-line-remove", week, 1, 0))
    assert shape(week)[0][3] == ["deadlift"]
    assert shape(week)[1][3] == ["kettlebell-swing"]


def test_the_edit_link_without_javascript_opens_the_line_of_its_day(coach_web: Any, week: ProgramTemplate) -> None:
    page = coach_web.get(url("coach-program", week)).content.decode()
    assert 'href="?day=2&amp;edit=0#line-2-0"' in page
    editing = coach_web.get(url("coach-program", week), {"day": "2", "edit": "0"}).content.decode()
    assert 'name="line0-exercise"' in editing
    assert 'value="24"' in editing


def test_the_last_line_of_a_day_cannot_be_removed(coach_web: Any, week: ProgramTemplate) -> None:
    body = coach_web.post(url("coach-line-remove", week, 2, 0), **HTMX).content.decode()
    assert "Day B has no lines: give every day at least one line, or delete it." in body
    assert "Removed" not in body
    assert shape(week)[1][3] == ["kettlebell-swing"]


def test_a_removed_line_is_put_back_on_its_day(coach_web: Any, week: ProgramTemplate) -> None:
    coach_web.post(url("coach-line-add", week), {**NEW_LINE, "new-day": "2"}, **HTMX)
    removed = coach_web.post(url("coach-line-remove", week, 2, 0), **HTMX).content.decode()
    assert "Removed Kettlebell swing" in removed
    coach_web.post(url("coach-line-restore", week), **HTMX)
    assert shape(week)[1][3] == ["kettlebell-swing", "romanian-deadlift"]


def test_undo_after_its_day_was_deleted_says_why_it_cannot(coach_web: Any, week: ProgramTemplate) -> None:
    coach_web.post(url("coach-line-add", week), {**NEW_LINE, "new-day": "2"}, **HTMX)
    coach_web.post(url("coach-line-remove", week, 2, 1), **HTMX)
    coach_web.post(url("coach-day-delete", week, 2), **HTMX)
    body = coach_web.post(url("coach-line-restore", week), **HTMX).content.decode()
    assert "Romanian deadlift could not be put back: A line&#x27;s day 2 is not one of the program&#x27;s days" in body
    assert shape(week) == [(1, "Day A", (0,), ["deadlift", "hip-thrust"])]


def test_moving_a_line_to_another_day(coach_web: Any, week: ProgramTemplate) -> None:
    response = coach_web.post(url("coach-line-to-day", week, 1, 1), {"to_day": "2"}, **HTMX)
    assert response.content.decode().lstrip().startswith(BUILDER)
    assert shape(week)[1][3] == ["kettlebell-swing", "hip-thrust"]
    plain = coach_web.post(url("coach-line-to-day", week, 2, 1), {"to_day": "1"})
    assert plain["Location"] == url("coach-program", week)
    assert shape(week)[0][3] == ["deadlift", "hip-thrust"]


def test_moving_a_line_to_a_day_with_its_exercise_is_refused_with_a_message(
    coach_web: Any, week: ProgramTemplate
) -> None:
    coach_web.post(url("coach-line-add", week), {**NEW_LINE, "new-exercise": "deadlift", "new-day": "2"}, **HTMX)
    htmx = coach_web.post(url("coach-line-to-day", week, 1, 0), {"to_day": "2"}, **HTMX).content.decode()
    assert "Deadlift is already on Day B: an exercise is on a day once at most." in htmx
    plain = coach_web.post(url("coach-line-to-day", week, 1, 0), {"to_day": "2"})
    assert "Deadlift is already on Day B" in coach_web.get(plain["Location"]).content.decode()
    nonsense = coach_web.post(url("coach-line-to-day", week, 1, 0), {"to_day": "x"}, **HTMX).content.decode()
    assert "Choose the day to move the line to." in nonsense
    assert shape(week)[0][3] == ["deadlift", "hip-thrust"]


def test_day_and_line_actions_refuse_get(coach_web: Any, week: ProgramTemplate) -> None:
    for name in ("coach-day-edit", "coach-day-move", "coach-day-duplicate", "coach-day-delete"):
        assert coach_web.get(url(name, week, 1)).status_code == 405, name
    assert coach_web.get(url("coach-line-to-day", week, 1, 0)).status_code == 405


def _big_week(coach: Any, n_days: int, per_day: int) -> ProgramTemplate:
    slugs = [
        "deadlift",
        "romanian-deadlift",
        "hip-thrust",
        "kettlebell-swing",
        "single-leg-rdl",
        "glute-bridge",
        "good-morning",
    ]
    days = [Day(number, f"Day {'ABCDEFG'[number - 1]}", (number - 1,)) for number in range(1, n_days + 1)]
    lines = [line(slug, number) for number in range(1, n_days + 1) for slug in slugs[:per_day]]
    return template_create(owner=coach.user, name=f"{n_days} days", days=days, lines=lines)


@pytest.mark.parametrize(("n_days", "per_day"), [(1, 3), (7, 3)])
def test_the_builder_page_makes_the_same_few_queries_whatever_the_week(
    coach_web: Any, coach: Any, django_assert_max_num_queries: Any, n_days: int, per_day: int
) -> None:
    template = _big_week(coach, n_days, per_day)
    coach_web.get(url("coach-program", template))  # warm the session and caches
    with django_assert_max_num_queries(7):
        response = coach_web.get(url("coach-program", template))
    assert response.content.decode().count('class="builder-line"') == n_days * per_day
    with django_assert_max_num_queries(15):
        coach_web.post(url("coach-line-move", template, 1, 1), {"direction": "up"}, **HTMX)
