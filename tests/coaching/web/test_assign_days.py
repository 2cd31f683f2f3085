"""The assign page shows the program's week (the day on each weekday, the days in turn), prefills
sessions per week with the program's default, and assigning copies the days."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from coaching.models import Assignment
from coaching.services.prescriptions import assignment_days
from coaching.weeks import local_today
from programs.days import Day
from programs.lines import Line
from programs.services import template_create
from tests.coaching.web.conftest import HTMX
from tests.factories import ClientFactory, exercise

pytestmark = pytest.mark.django_db


def line(slug: str, day: int) -> Line:
    return Line(exercise=exercise(slug), sets=3, low=5, high=8, load=Decimal("24"), day=day)


def _week(coach: Any, name: str = "Three days") -> Any:
    """Day A pinned to Monday and Thursday, Day B and Day C in turn: 2 + 1 + 1 = 4 sessions."""
    return template_create(
        owner=coach.user,
        name=name,
        days=[Day(1, "Day A", (0, 3)), Day(2, "Day B"), Day(3, "Day C")],
        lines=[line("deadlift", 1), line("hip-thrust", 1), line("kettlebell-swing", 2), line("single-leg-rdl", 3)],
    )


def test_the_assign_page_shows_the_week_and_the_default_sessions(coach_web: Any, coach: Any) -> None:
    template = _week(coach)
    body = coach_web.get(reverse("coach-program-assign", args=[template.pk])).content.decode()
    assert '<li class="pinned"><span class="wd">Mon</span> <span class="wd-day">Day A</span></li>' in body
    assert '<li class="pinned"><span class="wd">Thu</span> <span class="wd-day">Day A</span></li>' in body
    assert '<li class="free"><span class="wd">Tue</span>' in body
    assert "On the other days, in turn: <strong>Day B</strong> → <strong>Day C</strong>, then again from Day B." in body
    assert "<strong>Day A · Mon, Thu</strong>: Deadlift, Hip thrust" in body
    assert 'name="sessions_per_week" value="4"' in body
    assert f'name="start_date" value="{local_today(coach).isoformat()}"' in body


def test_a_one_day_program_needs_no_weekday_strip(coach_web: Any, coach: Any) -> None:
    template = template_create(owner=coach.user, name="One", lines=[line("deadlift", 1)])
    body = coach_web.get(reverse("coach-program-assign", args=[template.pk])).content.decode()
    assert "weekday-strip" not in body
    assert "The days, in turn: <strong>Day A</strong>." in body
    assert 'name="sessions_per_week" value="1"' in body


def test_choosing_a_program_on_the_clients_assign_page_shows_its_week(coach_web: Any, coach: Any) -> None:
    client = ClientFactory(coach=coach)
    template = _week(coach)
    template_create(owner=coach.user, name="Other", lines=[line("deadlift", 1)])
    url = reverse("coach-client-assign", args=[client.pk])
    assert "Choose a program to see its week." in coach_web.get(url).content.decode()
    fragment = coach_web.get(url, {"program": template.pk}, **HTMX).content.decode()
    assert fragment.lstrip().startswith('<div id="week"')
    assert "Day B</strong> → <strong>Day C" in fragment
    assert 'value="4"' in fragment
    # Without JavaScript the same query opens the page with that program chosen.
    page = coach_web.get(url, {"program": template.pk}).content.decode()
    assert f'<option value="{template.pk}" selected>' in page
    assert 'name="sessions_per_week" value="4"' in page
    nonsense = coach_web.get(url, {"program": "x"}, **HTMX)
    assert nonsense.status_code == 200
    assert "Choose a program to see its week." in nonsense.content.decode()


def test_assigning_copies_the_days_and_an_empty_sessions_field_takes_the_default(coach_web: Any, coach: Any) -> None:
    client = ClientFactory(coach=coach)
    template = _week(coach)
    response = coach_web.post(
        reverse("coach-client-assign", args=[client.pk]),
        {"program": template.pk, "start_date": "2026-12-07", "sessions_per_week": "", "unit": "kg",
         "load_increment_pct": "5"},
    )  # fmt: skip
    assert response.status_code == 302
    assignment = Assignment.objects.get(client=client)
    assert assignment.sessions_per_week == 4
    assert assignment_days(assignment) == [Day(1, "Day A", (0, 3)), Day(2, "Day B"), Day(3, "Day C")]
    lines = list(assignment.versions.get().lines.select_related("exercise").order_by("position"))
    assert [(row.day, row.exercise.slug) for row in lines] == [
        (1, "deadlift"), (1, "hip-thrust"), (2, "kettlebell-swing"), (3, "single-leg-rdl"),
    ]  # fmt: skip


def test_the_coach_may_set_other_sessions_per_week(coach_web: Any, coach: Any) -> None:
    client = ClientFactory(coach=coach)
    template = _week(coach)
    coach_web.post(
        reverse("coach-client-assign", args=[client.pk]),
        {"program": template.pk, "start_date": "2026-12-07", "sessions_per_week": "3", "unit": "kg",
         "load_increment_pct": "5"},
    )  # fmt: skip
    assert Assignment.objects.get(client=client).sessions_per_week == 3


def test_another_coachs_program_shows_no_week(coach_web: Any, coach: Any, other_coach: Any) -> None:
    client = ClientFactory(coach=coach)
    theirs = _week(other_coach, "Theirs")
    body = coach_web.get(reverse("coach-client-assign", args=[client.pk]), {"program": theirs.pk}).content.decode()
    assert "Theirs" not in body
    assert "Day B</strong>" not in body
