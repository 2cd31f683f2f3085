"""The client page's training days: the week grid of the prescription and the training calendar."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.selectors_calendar import client_calendar
from coaching.services.prescriptions import assignment_create, assignment_days
from coaching.weeks import monday_of
from programs.days import Day
from programs.lines import Line
from tests import factories
from tests.coaching.web.two_days import at, log_day, two_day_client, two_day_lines
from tests.factories import exercise

pytestmark = pytest.mark.django_db

THIS_MONDAY = monday_of(timezone.localdate())
LAST_MONDAY = THIS_MONDAY - dt.timedelta(weeks=1)


def page(coach_web: Any, client: Any, **params: Any) -> str:
    return coach_web.get(reverse("coach-client", args=[client.pk]), params).content.decode()


def columns(body: str) -> list[str]:
    grid = body[body.index('class="week-grid"') :]
    grid = grid[: grid.index("</section>")]
    return re.split(r'<div class="week-col', grid)[1:8]


def calendar_rows(body: str) -> list[str]:
    table = body[body.index('<table class="calendar">') :]
    table = table[: table.index("</table>")]
    return table.split("<tr>")[2:]  # after the header row


def test_the_week_grid_puts_each_pinned_day_with_its_lines_on_its_weekday(coach_web: Any, coach: Any) -> None:
    client = two_day_client(coach)
    body = page(coach_web, client)
    cols = columns(body)
    assert len(cols) == 7
    monday, tuesday, thursday = cols[0], cols[1], cols[3]
    assert "Monday" in monday
    assert "Heavy" in monday
    assert "Deadlift" in monday
    assert "3 × 3–5 reps @ 100 kg" in monday
    assert "3 × 8–12 reps @ 80 kg" in monday  # the hip thrust
    assert "Light" not in monday
    assert "Light" in thursday
    assert "3 × 8–10 reps @ 70 kg" in thursday
    assert "4 × 10–15 reps @ 24 kg" in thursday
    assert tuesday.startswith(' rest"')
    assert "Rest" in tuesday
    assert "In rotation" not in body  # every day is pinned


def test_a_day_pinned_to_two_weekdays_is_in_both_columns(coach_web: Any, coach: Any) -> None:
    client = factories.ClientFactory(coach=coach)
    lines = [Line(exercise=exercise("deadlift"), sets=3, low=3, high=5, load=Decimal("100"), unit="kg", day=1)]
    assignment_create(
        client=client,
        start_date=dt.date(2026, 10, 5),
        lines=lines,
        days=[Day(1, "Full", (0, 3))],
        changed_by=coach.user,
    )
    cols = columns(page(coach_web, client))
    assert ["Full" in col for col in cols] == [True, False, False, True, False, False, False]


def test_unpinned_days_are_listed_in_rotation_in_their_order(coach_web: Any, coach: Any) -> None:
    client = factories.ClientFactory(coach=coach)
    lines = [
        Line(exercise=exercise("deadlift"), sets=3, low=3, high=5, load=Decimal("100"), unit="kg", day=1),
        Line(exercise=exercise("kettlebell-swing"), sets=4, low=10, high=15, load=Decimal("24"), unit="kg", day=3),
        Line(exercise=exercise("hip-thrust"), sets=3, low=8, high=12, load=Decimal("80"), unit="kg", day=2),
    ]
    days = [Day(1, "Heavy", (0,)), Day(3, "Swings"), Day(2, "Thrusts")]
    assignment_create(client=client, start_date=dt.date(2026, 10, 5), lines=lines, days=days, changed_by=coach.user)
    body = page(coach_web, client)
    assert "Heavy" in columns(body)[0]
    rotation = body[body.index("In rotation") : body.index('id="calendar"')]
    assert rotation.index("Swings") < rotation.index("Thrusts")  # the days' order, not their numbers
    assert "Kettlebell swing" in rotation
    assert "Heavy" not in rotation
    assert "3 sessions a week" in body  # the Monday pin plus one for each unpinned day


def test_a_one_day_program_reads_as_before(coach_web: Any, client_profile: Any) -> None:
    body = page(coach_web, client_profile)
    assert 'class="week-grid"' not in body
    assert "In rotation" not in body
    assert "3 × 8–10 reps" in body
    assert "Day A" not in body[body.index('id="presc-h"') : body.index('id="calendar"')]


def test_the_week_grid_shows_loads_in_the_assignments_unit(coach_web: Any, coach: Any) -> None:
    client = factories.ClientFactory(coach=coach)
    lines = [Line(exercise=exercise("deadlift"), sets=3, low=3, high=5, load=Decimal("225"), unit="lb", day=1)]
    assignment_create(
        client=client, start_date=dt.date(2026, 10, 5), lines=lines, days=[Day(1, "Heavy", (0,))],
        unit="lb", changed_by=coach.user,
    )  # fmt: skip
    assert "3 × 3–5 reps @ 225 lb" in columns(page(coach_web, client))[0]


# --- the calendar ---------------------------------------------------------------------------------


def test_the_calendar_marks_days_done_moved_and_missed_and_links_each_session(coach_web: Any, coach: Any) -> None:
    client = two_day_client(coach)
    heavy = log_day(client, at(LAST_MONDAY), 1)
    light = log_day(client, at(LAST_MONDAY + dt.timedelta(days=4)), 2, load="70")  # Friday, not Thursday
    body = page(coach_web, client)
    rows = calendar_rows(body)
    assert len(rows) == 12
    last, this = rows[-2], rows[-1]
    assert f">{LAST_MONDAY.day} {LAST_MONDAY:%b}</th>" in last
    cells = last.split('<td class="cal-day')[1:]
    assert f'<a href="#session-{heavy}">✓ Heavy</a>' in cells[0]  # the done mark links to its session
    assert 'class="cal-session"' not in cells[0]  # and the session is not listed twice
    assert "↔ Light moved to Fri" in cells[3]
    assert f'href="#session-{light}"' in cells[4]
    assert "(for Thu)" in cells[4]
    assert "✗ Heavy missed" in rows[-3]
    assert "✗ Light missed" in rows[-3]
    assert f'id="session-{heavy}"' in body  # the anchor the calendar links to
    assert "so far" in this


def test_a_dayless_session_is_linked_but_does_no_pinned_day(coach: Any, coach_web: Any) -> None:
    client = two_day_client(coach)
    dayless = log_day(client, at(LAST_MONDAY), None)
    body = page(coach_web, client)
    cells = calendar_rows(body)[-2].split('<td class="cal-day')[1:]
    assert "✗ Heavy missed" in cells[0]
    assert f'<a class="cal-session" href="#session-{dayless}">Session</a>' in cells[0]


def test_the_heat_map_colours_each_finished_week_by_band_and_says_the_percentage(coach_web: Any, coach: Any) -> None:
    client = two_day_client(coach)
    log_day(client, at(LAST_MONDAY), 1)
    log_day(client, at(LAST_MONDAY - dt.timedelta(weeks=1)), 1)
    log_day(client, at(LAST_MONDAY - dt.timedelta(weeks=1) + dt.timedelta(days=3)), 2)
    rows = calendar_rows(page(coach_web, client))
    last_week, week_before, two_before = rows[-2], rows[-3], rows[-4]
    assert 'class="heat heat-fair"' in last_week
    assert f'title="Week of {LAST_MONDAY.day} {LAST_MONDAY:%b}: 1 of 2 sessions, 50% (fair)"' in last_week
    assert '<span class="heat-pct">50%</span> <span class="heat-of">1/2</span>' in last_week
    assert 'class="heat heat-good"' in week_before
    assert "100%" in week_before
    assert 'class="heat heat-low"' in two_before
    assert "0%" in two_before
    assert 'class="heat heat-current"' in rows[-1]


def test_the_calendar_starts_with_the_assignments_first_week(coach_web: Any, coach: Any) -> None:
    client = two_day_client(coach, start=LAST_MONDAY + dt.timedelta(days=2))  # a Wednesday
    rows = calendar_rows(page(coach_web, client))
    assert len(rows) == 2
    cells = rows[0].split('<td class="cal-day')[1:]
    assert "Heavy" not in cells[0]  # Monday was before the start: not planned
    assert "before-start" in cells[0].split(">")[0]
    assert "✗ Light missed" in cells[3]


def test_a_program_that_has_not_started_says_when_the_calendar_begins(coach_web: Any, coach: Any) -> None:
    client = two_day_client(coach, start=THIS_MONDAY + dt.timedelta(weeks=2))
    body = page(coach_web, client)
    assert '<table class="calendar">' not in body
    assert "the calendar begins that week" in body


def test_calendar_links_name_the_page_of_the_session_list(coach_web: Any, coach: Any) -> None:
    client = two_day_client(coach)
    ids = [log_day(client, at(LAST_MONDAY - dt.timedelta(days=i)), None) for i in range(12)]
    body = page(coach_web, client)
    assert f'href="#session-{ids[0]}"' in body  # the newest ten are on the first page
    assert f'href="?page=2#session-{ids[11]}"' in body
    assert f'id="session-{ids[11]}"' in page(coach_web, client, page=2)


def test_the_calendar_follows_the_coachs_time_zone(coach: Any) -> None:
    """A Thursday session at 23:30 UTC on Wednesday is Thursday morning in Auckland: Light is done."""
    coach.time_zone = "Pacific/Auckland"
    coach.save(update_fields=["time_zone"])
    client = two_day_client(coach)
    monday = dt.date(2026, 11, 16)
    log_day(client, dt.datetime(2026, 11, 18, 23, 30, tzinfo=dt.UTC), 2)
    assignment = client.assignments.get()
    calendar = client_calendar(
        coach, client, assignment, assignment_days(assignment), now=dt.datetime(2026, 11, 30, 3, tzinfo=dt.UTC)
    )
    row = next(r for r in calendar.rows if r.week.monday == monday)
    assert [(m.day.name, m.status) for m in row.week.marks] == [("Heavy", "missed"), ("Light", "done")]


def test_sessions_of_an_earlier_assignment_do_no_day_of_this_one(coach: Any, coach_web: Any) -> None:
    client = two_day_client(coach)
    earlier = log_day(client, at(LAST_MONDAY), 1)
    assignment_create(
        client=client, start_date=LAST_MONDAY - dt.timedelta(weeks=2), lines=two_day_lines(),
        days=[Day(1, "Heavy", (0,)), Day(2, "Light", (3,))], changed_by=coach.user,
    )  # fmt: skip
    cells = calendar_rows(page(coach_web, client))[-2].split('<td class="cal-day')[1:]
    assert "✗ Heavy missed" in cells[0]
    assert f'href="#session-{earlier}">Session<' in cells[0]


# --- queries --------------------------------------------------------------------------------------


def test_client_page_queries_do_not_grow_with_clients(
    coach_web: Any, coach: Any, django_assert_max_num_queries: Any
) -> None:
    client = two_day_client(coach)
    log_day(client, at(LAST_MONDAY), 1)
    # 18: +1 for the shown sessions' thread counts (coaching/threads); 19: +1 the shown sets' coach
    # tags; 20: +1 which sets have a form video; 21: +1 for the Team card (coaching/teams: is the
    # coach in a team; a coach in none sees no card).
    with django_assert_max_num_queries(21) as small:
        page(coach_web, client)
    for _ in range(199):
        other = two_day_client(coach)
    log_day(other, at(LAST_MONDAY), 1)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = page(coach_web, client)
    assert "✓ Heavy" in body


def test_client_page_queries_do_not_grow_with_weeks_of_sessions(
    coach_web: Any, coach: Any, django_assert_max_num_queries: Any
) -> None:
    client = two_day_client(coach)
    for week in range(2):
        log_day(client, at(LAST_MONDAY - dt.timedelta(weeks=week)), 1)
        log_day(client, at(LAST_MONDAY - dt.timedelta(weeks=week) + dt.timedelta(days=3)), 2)
    with django_assert_max_num_queries(21) as two_weeks:  # as above
        page(coach_web, client)
    for week in range(2, 20):
        log_day(client, at(LAST_MONDAY - dt.timedelta(weeks=week)), 1)
        log_day(client, at(LAST_MONDAY - dt.timedelta(weeks=week) + dt.timedelta(days=4)), 2)
    with django_assert_max_num_queries(len(two_weeks.captured_queries)):
        body = page(coach_web, client)
    assert body.count("✓ Heavy") == 11  # every finished week of the twelve shown
    print(f"client page: {len(two_weeks.captured_queries)} queries")


def _mixed_week_client(coach: Any) -> Any:
    client = factories.ClientFactory(coach=coach)
    lines = [
        Line(exercise=exercise("deadlift"), sets=3, low=3, high=5, load=Decimal("100"), unit="kg", day=1),
        Line(exercise=exercise("kettlebell-swing"), sets=4, low=10, high=15, load=Decimal("24"), unit="kg", day=2),
        Line(exercise=exercise("hip-thrust"), sets=3, low=8, high=12, load=Decimal("80"), unit="kg", day=3),
    ]
    days = [Day(1, "Heavy", (0,)), Day(2, "Swings"), Day(3, "Thrusts")]
    assignment_create(
        client=client, start_date=THIS_MONDAY - dt.timedelta(weeks=4), lines=lines, days=days, changed_by=coach.user
    )
    return client


def test_the_rotation_is_counted_against_sessions_per_week_beside_the_pins(coach_web: Any, coach: Any) -> None:
    client = _mixed_week_client(coach)  # 3 a week: the Monday pin and two rotation sessions
    log_day(client, at(LAST_MONDAY), 1)
    swings = log_day(client, at(LAST_MONDAY + dt.timedelta(days=2)), 2)
    last = calendar_rows(page(coach_web, client))[-2]
    assert '<span class="heat-of">2/3</span>' in last
    assert "rotation 1/2, 1 missed" in last
    assert f'<a class="cal-session" href="#session-{swings}">Swings</a>' in last


def test_a_week_without_pins_lists_its_days_in_order_and_no_grid(coach_web: Any, coach: Any) -> None:
    client = factories.ClientFactory(coach=coach)
    lines = [
        Line(exercise=exercise("deadlift"), sets=3, low=3, high=5, load=Decimal("100"), unit="kg", day=1),
        Line(exercise=exercise("hip-thrust"), sets=3, low=8, high=12, load=Decimal("80"), unit="kg", day=2),
    ]
    assignment_create(
        client=client, start_date=THIS_MONDAY - dt.timedelta(weeks=4), lines=lines,
        days=[Day(2, "Thrusts"), Day(1, "Pulls")], changed_by=coach.user,
    )  # fmt: skip
    body = page(coach_web, client)
    assert 'class="week-grid"' not in body
    assert "No day is pinned to a weekday: the client does these days in this order, 2 sessions a week." in body
    assert body.index(">Thrusts<") < body.index(">Pulls<")
    assert "rotation " not in calendar_rows(body)[-2]  # nothing pinned: the rotation is the whole week
