"""Training days in the API (docs/api.md "Clients and assignments", "Weekly reviews"): programs and
assignments take and return ``days`` and each line's ``day``; ``sessions_per_week`` defaults by the
days; the client's assignment says the day due; review items carry their day."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from rest_framework.test import APIClient

from coaching.models import Assignment, LoggedSession, PrescriptionVersion, ReviewItem, WeeklyReview
from coaching.selectors import assignment_day_due, latest_session_day, version_in_force
from coaching.services.prescriptions import assignment_days_write
from programs.days import Day
from programs.lines import Line
from programs.models import ProgramTemplate
from tests.coaching.api.factories_api import WEEK, token_client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

PROGRAMS = "/api/v1/programs/"
ASSIGNMENTS = "/api/v1/assignments/"
MINE = "/api/v1/me/assignment/"
MONDAY = dt.date(2026, 11, 16)  # a Monday; the week of WEEK
EXERCISES = ["romanian-deadlift", "hip-thrust", "good-morning", "tempo-rdl", "kickstand-rdl", "single-leg-rdl"]


def line(exercise: str = "romanian-deadlift", day: int | None = None, load: float = 60, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"exercise": exercise, "sets": 3, "reps_low": 8, "reps_high": 12, "load": load, **extra}
    if day is not None:
        body["day"] = day
    return body


def week(count: int, *, pins: bool = True) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``count`` days (numbers in rotation order 1..count, the last pinned to Sunday when ``pins``)
    with two lines each."""
    days = [{"day": n, "name": f"Day {'ABCDEFG'[n - 1]}", "weekdays": []} for n in range(1, count + 1)]
    if pins:
        days[0]["weekdays"] = [0, 3]
        days[-1]["weekdays"] = days[-1]["weekdays"] or [6]
    lines = [line(EXERCISES[(n + k) % len(EXERCISES)], day=n, load=40 + n) for n in range(1, count + 1) for k in (0, 1)]
    return days, lines


def assignment_body(client_id: int, **extra: Any) -> dict[str, Any]:
    return {"client": client_id, "start_date": "2026-11-02", "unit": "kg", **extra}


@pytest.fixture
def new_client(coach: Any) -> Any:
    """A client of ``coach`` with a login and no assignment yet."""
    return ClientFactory(coach=coach, with_login=True)


# --- programs ---------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 7])
def test_a_programs_days_and_line_days_round_trip(coach_api: APIClient, count: int) -> None:
    days, lines = week(count)
    created = coach_api.post(PROGRAMS, {"name": "Split", "days": days, "lines": lines}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["days"] == days
    assert [(entry["exercise"], entry["day"]) for entry in body["lines"]] == [(e["exercise"], e["day"]) for e in lines]
    assert coach_api.get(f"{PROGRAMS}{body['id']}/").json() == body
    assert [row["id"] for row in coach_api.get(PROGRAMS).json()["results"]] == [body["id"]]
    assert coach_api.get(PROGRAMS).json()["results"][0]["days"] == days


def test_a_program_without_days_is_one_day_a(coach_api: APIClient) -> None:
    body = coach_api.post(PROGRAMS, {"name": "Plain", "lines": [line(), line("hip-thrust")]}, format="json").json()
    assert body["days"] == [{"day": 1, "name": "Day A", "weekdays": []}]
    assert [entry["day"] for entry in body["lines"]] == [1, 1]


def test_program_lines_come_in_the_days_order_then_position(coach_api: APIClient) -> None:
    days = [{"day": 2, "name": "Light"}, {"day": 1, "name": "Heavy"}]
    lines = [line(day=1, load=100), line("hip-thrust", day=2), line(day=2, load=50), line("hip-thrust", day=1)]
    body = coach_api.post(PROGRAMS, {"name": "Order", "days": days, "lines": lines}, format="json").json()
    assert [d["day"] for d in body["days"]] == [2, 1]
    assert [(entry["day"], entry["exercise"]) for entry in body["lines"]] == [
        (2, "hip-thrust"),
        (2, "romanian-deadlift"),
        (1, "romanian-deadlift"),
        (1, "hip-thrust"),
    ]
    assert body["days"][0] == {"day": 2, "name": "Light", "weekdays": []}


def test_a_days_name_left_out_or_blank_is_its_places_default(coach_api: APIClient) -> None:
    days = [{"day": 1}, {"day": 2, "name": ""}, {"day": 3, "name": "  Pull  "}]
    lines = [line(day=1), line(day=2), line(day=3)]
    body = coach_api.post(PROGRAMS, {"name": "Names", "days": days, "lines": lines}, format="json").json()
    assert [d["name"] for d in body["days"]] == ["Day A", "Day B", "Pull"]


# Each bad week: (days, lines, the field the error is under: "days", or the lines' field).
BAD_WEEKS = {
    "no days": ([], [line()], "days"),
    "eight days": ([{"day": n} for n in range(1, 8)] + [{"day": 1, "name": "Again"}], [line(day=1)], "days"),
    "a day without lines": ([{"day": 1}, {"day": 2}], [line(day=1)], "days"),
    "a line on no such day": ([{"day": 1}], [line(day=1), line("hip-thrust", day=3)], "lines"),
    "an exercise twice on a day": ([{"day": 1}], [line(day=1), line(day=1, load=80)], "lines"),
    "a weekday on two days": (
        [{"day": 1, "weekdays": [0]}, {"day": 2, "weekdays": [0, 3]}],
        [line(day=1), line(day=2)],
        "days",
    ),
    "weekday 7": ([{"day": 1, "weekdays": [7]}], [line(day=1)], "days"),
    "weekday -1": ([{"day": 1, "weekdays": [-1]}], [line(day=1)], "days"),
    "weekday Mon": ([{"day": 1, "weekdays": ["Mon"]}], [line(day=1)], "days"),
    "weekdays not a list": ([{"day": 1, "weekdays": 3}], [line(day=1)], "days"),
    "a name too long": ([{"day": 1, "name": "x" * 41}], [line(day=1)], "days"),
    "a day number 0": ([{"day": 0}], [line(day=1)], "days"),
    "a day number 8": ([{"day": 8}], [line(day=1)], "days"),
    "a day number twice": ([{"day": 1}, {"day": 1}], [line(day=1)], "days"),
    "a day without number": ([{"name": "Pull"}], [line(day=1)], "days"),
    "a line's day 9": ([{"day": 1}], [line(day=9)], "lines"),
    "a line's day a word": ([{"day": 1}], [line(day="B")], "lines"),  # type: ignore[arg-type]
    "days not a list": ({"day": 1}, [line(day=1)], "days"),
}


@pytest.mark.parametrize(("days", "lines", "field"), BAD_WEEKS.values(), ids=BAD_WEEKS.keys())
def test_a_bad_program_week_is_a_400_with_the_fields_error(
    coach_api: APIClient, coach: Any, days: Any, lines: Any, field: str
) -> None:
    response = coach_api.post(PROGRAMS, {"name": "Bad", "days": days, "lines": lines}, format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not ProgramTemplate.objects.filter(owner=coach.user).exists()


def test_a_line_on_day_two_without_days_is_a_400(coach_api: APIClient) -> None:
    response = coach_api.post(PROGRAMS, {"name": "Bad", "lines": [line(day=2)]}, format="json")
    assert response.status_code == 400
    assert "lines" in response.json()


def test_patching_days_replaces_them_and_the_lines_must_fit(coach_api: APIClient) -> None:
    days, lines = week(2)
    program = coach_api.post(PROGRAMS, {"name": "Split", "days": days, "lines": lines}, format="json").json()
    url = f"{PROGRAMS}{program['id']}/"
    renamed = [{"day": 2, "name": "Swings", "weekdays": [4]}, {"day": 1, "name": "Heavy", "weekdays": [0]}]
    response = coach_api.patch(url, {"days": renamed}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["days"] == renamed
    assert [entry["day"] for entry in response.json()["lines"]] == [2, 2, 1, 1]
    # Dropping day 2 while its lines stay: the lines do not fit, nothing changes.
    dropped = coach_api.patch(url, {"days": [{"day": 1}]}, format="json")
    assert dropped.status_code == 400
    assert "lines" in dropped.json()
    assert coach_api.get(url).json()["days"] == renamed
    # Days and lines together: one day.
    one = coach_api.patch(url, {"days": [{"day": 1}], "lines": [line(day=1)]}, format="json").json()
    assert one["days"] == [{"day": 1, "name": "Day A", "weekdays": []}]
    assert len(one["lines"]) == 1
    # Lines only keep the days; a line on a day the program lacks is a 400.
    assert coach_api.patch(url, {"lines": [line(day=1), line("hip-thrust", day=1)]}, format="json").status_code == 200
    assert coach_api.patch(url, {"lines": [line(day=2)]}, format="json").status_code == 400
    assert coach_api.get(url).json()["days"] == one["days"]


# --- assignments -------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 7])
def test_an_assignments_days_round_trip(coach_api: APIClient, new_client: Any, count: int) -> None:
    days, lines = week(count)
    response = coach_api.post(ASSIGNMENTS, assignment_body(new_client.pk, days=days, prescription=lines), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["days"] == days
    assert [(entry["exercise"], entry["day"]) for entry in created["prescription"]] == [
        (e["exercise"], e["day"]) for e in lines
    ]
    assert coach_api.get(f"{ASSIGNMENTS}{created['id']}/").json() == created
    assert coach_api.get(f"{ASSIGNMENTS}?client={new_client.pk}").json()["results"] == [created]
    mine = token_client(new_client.user).get(MINE).json()
    mine.pop("day_due")
    assert mine == created


def test_an_assignment_without_days_is_one_day_a(coach_api: APIClient, new_client: Any) -> None:
    body = assignment_body(new_client.pk, prescription=[line(), line("hip-thrust")], sessions_per_week=3)
    created = coach_api.post(ASSIGNMENTS, body, format="json").json()
    assert created["days"] == [{"day": 1, "name": "Day A", "weekdays": []}]
    assert [entry["day"] for entry in created["prescription"]] == [1, 1]
    assert created["sessions_per_week"] == 3


@pytest.mark.parametrize(("days", "lines", "field"), BAD_WEEKS.values(), ids=BAD_WEEKS.keys())
def test_a_bad_assignment_week_is_a_400_with_the_fields_error(
    coach_api: APIClient, new_client: Any, days: Any, lines: Any, field: str
) -> None:
    body = assignment_body(new_client.pk, days=days, prescription=lines)
    response = coach_api.post(ASSIGNMENTS, body, format="json")
    assert response.status_code == 400
    assert {"lines": "prescription"}.get(field, field) in response.json(), response.json()
    assert not Assignment.objects.filter(client=new_client).exists()


def test_an_assignment_from_a_program_copies_its_days(coach_api: APIClient, new_client: Any) -> None:
    days, lines = week(3)
    program = coach_api.post(PROGRAMS, {"name": "Split", "days": days, "lines": lines}, format="json").json()
    created = coach_api.post(ASSIGNMENTS, assignment_body(new_client.pk, program=program["id"]), format="json").json()
    assert created["days"] == days
    assert created["prescription"] == program["lines"]
    # Pinned Mon+Thu, one unpinned, pinned Sun: 2 + 1 + 1.
    assert created["sessions_per_week"] == 4


def test_an_assignment_from_a_program_with_days_given_puts_its_lines_on_them(
    coach_api: APIClient, new_client: Any
) -> None:
    days, lines = week(2, pins=False)
    program = coach_api.post(PROGRAMS, {"name": "Split", "days": days, "lines": lines}, format="json").json()
    pinned = [{"day": 1, "name": "Heavy", "weekdays": [1]}, {"day": 2, "name": "Light", "weekdays": [4]}]
    body = assignment_body(new_client.pk, program=program["id"], days=pinned)
    created = coach_api.post(ASSIGNMENTS, body, format="json").json()
    assert created["days"] == pinned
    assert created["prescription"] == program["lines"]
    wrong = assignment_body(new_client.pk, program=program["id"], days=[{"day": 1}])
    assert "prescription" in coach_api.post(ASSIGNMENTS, wrong, format="json").json()


def test_an_assignment_with_a_prescription_and_no_days_is_one_day_whatever_the_program(
    coach_api: APIClient, new_client: Any
) -> None:
    days, lines = week(2)
    program = coach_api.post(PROGRAMS, {"name": "Split", "days": days, "lines": lines}, format="json").json()
    body = assignment_body(new_client.pk, program=program["id"], prescription=[line()])
    created = coach_api.post(ASSIGNMENTS, body, format="json").json()
    assert created["days"] == [{"day": 1, "name": "Day A", "weekdays": []}]


@pytest.mark.parametrize(
    ("days", "lines", "given", "expected"),
    [
        (None, [line()], None, 1),
        (
            [{"day": 1, "name": "Day A", "weekdays": [0, 3]}, {"day": 2, "name": "Day B"}],
            [line(day=1), line(day=2)],
            None,
            3,
        ),
        ([{"day": 1}, {"day": 2}, {"day": 3}], [line(day=1), line(day=2), line(day=3)], None, 3),
        ([{"day": 1, "weekdays": [0, 2, 4]}], [line(day=1)], None, 3),
        (None, [line()], 5, 5),
        ([{"day": 1, "weekdays": [0, 3]}, {"day": 2}], [line(day=1), line(day=2)], 2, 2),
    ],
    ids=[
        "one day",
        "A pinned Mon+Thu, B unpinned",
        "three unpinned",
        "one day pinned thrice",
        "explicit",
        "explicit with days",
    ],
)
def test_sessions_per_week_defaults_to_pinned_weekdays_plus_one_per_unpinned_day(
    coach_api: APIClient, new_client: Any, days: Any, lines: Any, given: int | None, expected: int
) -> None:
    body = assignment_body(new_client.pk, prescription=lines)
    if days is not None:
        body["days"] = days
    if given is not None:
        body["sessions_per_week"] = given
    response = coach_api.post(ASSIGNMENTS, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["sessions_per_week"] == expected
    assert Assignment.objects.get(client=new_client).sessions_per_week == expected


def test_sessions_per_week_null_is_the_default_and_out_of_range_a_400(coach_api: APIClient, new_client: Any) -> None:
    body = assignment_body(new_client.pk, prescription=[line()], sessions_per_week=None)
    assert coach_api.post(ASSIGNMENTS, body, format="json").json()["sessions_per_week"] == 1
    bad = coach_api.post(ASSIGNMENTS, body | {"sessions_per_week": 0}, format="json")
    assert bad.status_code == 400
    assert "sessions_per_week" in bad.json()


def test_the_prescription_follows_the_assignments_day_order(coach_api: APIClient, new_client: Any) -> None:
    days = [{"day": 1, "name": "Heavy"}, {"day": 2, "name": "Light"}]
    lines = [line(day=2, load=40), line(day=1, load=100)]
    created = coach_api.post(ASSIGNMENTS, assignment_body(new_client.pk, days=days, prescription=lines), format="json")
    assert [entry["day"] for entry in created.json()["prescription"]] == [1, 2]
    # The coach reorders the days (no new version): the prescription reads in the new order.
    assignment = Assignment.objects.get(client=new_client)
    assignment_days_write(assignment=assignment, days=[Day(2, "Light"), Day(1, "Heavy")])
    again = coach_api.get(f"{ASSIGNMENTS}{assignment.pk}/").json()
    assert [d["day"] for d in again["days"]] == [2, 1]
    assert [(entry["day"], entry["load"]) for entry in again["prescription"]] == [(2, 40), (1, 100)]


# --- the day due -------------------------------------------------------------------------


def assign(coach_api: APIClient, client: Any, days: list[dict[str, Any]], start: str = "2026-11-02") -> Assignment:
    lines = [line(EXERCISES[i], day=d["day"]) for i, d in enumerate(days)]
    body = assignment_body(client.pk, days=days, prescription=lines, start_date=start)
    response = coach_api.post(ASSIGNMENTS, body, format="json")
    assert response.status_code == 201, response.json()
    return Assignment.objects.get(pk=response.json()["id"])


def log(assignment: Assignment, day: int | None, when: dt.datetime, *, deleted: bool = False) -> LoggedSession:
    return LoggedSession.objects.create(
        id=uuid.uuid4(),
        client=assignment.client,
        coach_id=assignment.client.coach_id,
        assignment=assignment,
        performed_at=when,
        client_modified_at=when,
        day=day,
        deleted_at=when if deleted else None,
    )


def due(api: APIClient, on: dt.date | str | None) -> Any:
    response = api.get(MINE if on is None else f"{MINE}?date={on}")
    assert response.status_code == 200, response.json()
    return response.json()["day_due"]


PINNED = [{"day": 1, "name": "Heavy", "weekdays": [0]}, {"day": 2, "name": "Light", "weekdays": [3]}]
ROTATION = [{"day": 1, "name": "Push"}, {"day": 2, "name": "Pull"}, {"day": 3, "name": "Legs"}]
MIXED = [{"day": 1, "name": "Heavy", "weekdays": [0]}, {"day": 2, "name": "Swings"}, {"day": 3, "name": "Single"}]


def at(day: dt.date, hour: int = 8) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def test_the_day_due_is_the_day_pinned_to_the_weekday(coach_api: APIClient, new_client: Any) -> None:
    assign(coach_api, new_client, PINNED)
    phone = token_client(new_client.user)
    assert due(phone, MONDAY) == {"day": 1, "name": "Heavy", "rest_day": False}
    assert due(phone, MONDAY + dt.timedelta(days=3)) == {"day": 2, "name": "Light", "rest_day": False}


def test_unpinned_days_rotate_after_the_latest_session_with_a_day(coach_api: APIClient, new_client: Any) -> None:
    assignment = assign(coach_api, new_client, ROTATION)
    phone = token_client(new_client.user)
    assert due(phone, MONDAY)["name"] == "Push"  # no session yet: the first day
    log(assignment, 1, at(MONDAY - dt.timedelta(days=3)))
    assert due(phone, MONDAY)["name"] == "Pull"
    log(assignment, 2, at(MONDAY - dt.timedelta(days=2)))
    log(assignment, None, at(MONDAY - dt.timedelta(days=1)))  # dayless: does not count
    assert due(phone, MONDAY)["name"] == "Legs"
    log(assignment, 3, at(MONDAY - dt.timedelta(days=1), 9))
    assert due(phone, MONDAY) == {"day": 1, "name": "Push", "rest_day": False}  # wraps around
    log(assignment, 1, at(MONDAY, 6), deleted=True)  # deleted: does not count
    log(assignment, 6, at(MONDAY, 7))  # a day the assignment does not have: dayless
    assert due(phone, MONDAY)["name"] == "Push"


def test_a_pinned_weekday_wins_and_other_days_rotate_through_the_unpinned(
    coach_api: APIClient, new_client: Any
) -> None:
    assignment = assign(coach_api, new_client, MIXED)
    phone = token_client(new_client.user)
    log(assignment, 2, at(MONDAY - dt.timedelta(days=1)))
    assert due(phone, MONDAY)["name"] == "Heavy"
    assert due(phone, MONDAY + dt.timedelta(days=1))["name"] == "Single"
    log(assignment, 1, at(MONDAY))  # after the pinned day: the first unpinned one
    assert due(phone, MONDAY + dt.timedelta(days=1))["name"] == "Swings"


def test_a_weekday_without_a_pin_is_a_rest_day_when_every_day_is_pinned(coach_api: APIClient, new_client: Any) -> None:
    assignment = assign(coach_api, new_client, PINNED)
    phone = token_client(new_client.user)
    tuesday = MONDAY + dt.timedelta(days=1)
    assert due(phone, tuesday) == {"day": 1, "name": "Heavy", "rest_day": True}
    log(assignment, 1, at(MONDAY))
    assert due(phone, tuesday) == {"day": 2, "name": "Light", "rest_day": True}


def test_before_the_start_the_day_due_is_the_first_day(coach_api: APIClient, new_client: Any) -> None:
    assign(coach_api, new_client, PINNED, start="2026-11-23")
    phone = token_client(new_client.user)
    # Thursday 19 Nov is pinned to Light, but the assignment starts on the Monday after.
    assert due(phone, MONDAY + dt.timedelta(days=3)) == {"day": 1, "name": "Heavy", "rest_day": False}


def test_without_a_date_the_day_due_is_for_today_in_the_coachs_time_zone(
    coach: Any, new_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    coach.time_zone = "Pacific/Auckland"  # UTC+13 in November
    coach.save(update_fields=["time_zone"])
    api = APIClient()
    api.force_authenticate(coach.user)
    days = [{"day": 1, "name": "Monday's", "weekdays": [0]}, {"day": 2, "name": "Tuesday's", "weekdays": [1]}]
    assign(api, new_client, days)
    phone = APIClient()
    phone.force_authenticate(new_client.user)
    # Monday 20:00 in UTC is already Tuesday 09:00 in Auckland.
    monkeypatch.setattr("django.utils.timezone.now", lambda: at(MONDAY, 20))
    assert due(phone, None)["name"] == "Tuesday's"
    coach.time_zone = "UTC"
    coach.save(update_fields=["time_zone"])
    assert due(phone, None)["name"] == "Monday's"


@pytest.mark.parametrize("value", ["2026-13-01", "tomorrow", "16/11/2026", "2026-11-16T10:00", "1999-12-31"])
def test_a_malformed_date_is_a_400_with_a_date_message(client_api: APIClient, value: str) -> None:
    response = client_api.get(f"{MINE}?date={value}")
    assert response.status_code == 400
    assert list(response.json()) == ["date"]


def test_the_day_due_is_the_clients_own(coach_api: APIClient, new_client: Any, coach: Any) -> None:
    mine = assign(coach_api, new_client, ROTATION)
    other = ClientFactory(coach=coach, with_login=True)
    theirs = assign(coach_api, other, [{"day": 1, "name": "Theirs A"}, {"day": 2, "name": "Theirs B"}])
    log(theirs, 1, at(MONDAY))  # another client's session moves only their rotation
    phone = token_client(new_client.user)
    body = phone.get(f"{MINE}?date={MONDAY}").json()
    assert body["id"] == mine.pk
    assert body["day_due"]["name"] == "Push"
    assert [d["name"] for d in body["days"]] == ["Push", "Pull", "Legs"]
    assert due(token_client(other.user), MONDAY)["name"] == "Theirs B"
    # A coach has no assignment of their own.
    assert coach_api.get(MINE).status_code == 404


def test_an_ended_assignments_sessions_do_not_move_the_new_ones_rotation(coach_api: APIClient, new_client: Any) -> None:
    first = assign(coach_api, new_client, ROTATION)
    log(first, 1, at(MONDAY - dt.timedelta(days=1)))
    second = assign(coach_api, new_client, ROTATION)
    assert latest_session_day(second) is None
    assert due(token_client(new_client.user), MONDAY)["name"] == "Push"


def test_latest_session_day_is_one_query(coach_api: APIClient, new_client: Any, django_assert_num_queries: Any) -> None:
    assignment = assign(coach_api, new_client, ROTATION)
    for i, day in enumerate([1, 2, None, 3, 2]):
        log(assignment, day, at(MONDAY - dt.timedelta(days=5 - i)))
    with django_assert_num_queries(1):
        assert latest_session_day(assignment) == 2
    with django_assert_num_queries(2):  # the days, then the latest session's day
        assert assignment_day_due(assignment, MONDAY).day.name == "Legs"


def test_my_assignment_with_the_day_due_has_a_pinned_query_count(
    coach_api: APIClient, new_client: Any, django_assert_max_num_queries: Any
) -> None:
    assign(coach_api, new_client, MIXED)
    phone = token_client(new_client.user)
    # the token (two), the client, the coach lookup, the assignment with its coach, the versions, their
    # lines, the days, the latest session's day
    with django_assert_max_num_queries(9):
        assert phone.get(f"{MINE}?date={MONDAY}").status_code == 200


# --- review items ------------------------------------------------------------------------


def day_review(assignment: Assignment) -> WeeklyReview:
    """A pending review of WEEK proposing +2.5 kg on each current line, each item on its line's day."""
    review = WeeklyReview.objects.create(assignment=assignment, week_start=WEEK, status="pending", metrics={})
    version = version_in_force(assignment, WEEK)
    assert version is not None
    names = {row.number: row.name for row in assignment.days.all()}
    rows = version.lines.select_related("exercise").order_by("position")
    ReviewItem.objects.bulk_create(
        ReviewItem(
            review=review,
            position=position,
            exercise=row.exercise,
            action="progress",
            flags=[],
            rule="progress",
            current=Line.from_row(row).to_json(),
            proposed=Line.from_row(row).to_json() | {"load": float(Line.from_row(row).load) + 2.5},
            rationale="Both last sessions qualified.",
            day=row.day,
            day_name=names[row.day],
        )
        for position, row in enumerate(rows)
    )
    return review


TWO_DEADLIFT_DAYS = [{"day": 1, "name": "Heavy"}, {"day": 2, "name": "Light"}]


@pytest.fixture
def split(coach_api: APIClient, new_client: Any) -> Assignment:
    """Romanian deadlift heavy on day 1 and light on day 2, hip thrust on day 2."""
    lines = [line(day=1, load=100), line(day=2, load=60), line("hip-thrust", day=2, load=80)]
    body = assignment_body(new_client.pk, start_date="2026-11-02", days=TWO_DEADLIFT_DAYS, prescription=lines)
    assert coach_api.post(ASSIGNMENTS, body, format="json").status_code == 201
    return Assignment.objects.get(client=new_client)


def test_review_items_carry_their_day_in_the_days_order(coach_api: APIClient, split: Assignment) -> None:
    review = day_review(split)
    items = coach_api.get(f"/api/v1/reviews/{review.pk}/").json()["items"]
    assert [(i["day"], i["day_name"], i["exercise"]) for i in items] == [
        (1, "Heavy", "romanian-deadlift"),
        (2, "Light", "romanian-deadlift"),
        (2, "Light", "hip-thrust"),
    ]
    assert [(i["current"]["day"], i["proposed"]["day"]) for i in items] == [(1, 1), (2, 2), (2, 2)]
    listed = coach_api.get("/api/v1/reviews/").json()["results"][0]["items"]
    assert [i["day"] for i in listed] == [1, 2, 2]


def test_a_stored_line_without_a_day_reads_with_its_items_day(coach_api: APIClient, split: Assignment) -> None:
    review = day_review(split)
    item = review.items.get(position=1)
    item.current = {k: v for k, v in item.current.items() if k != "day"}
    item.save(update_fields=["current"])
    body = coach_api.get(f"/api/v1/reviews/{review.pk}/").json()
    assert body["items"][1]["current"]["day"] == 2


def _loads(assignment: Assignment, on: dt.date) -> list[tuple[int, str, float]]:
    version = version_in_force(assignment, on)
    assert version is not None
    return [(e.day, e.exercise.slug, float(Line.from_row(e).load)) for e in version.lines.select_related("exercise")]


NEXT_MONDAY = WEEK + dt.timedelta(days=7)


def test_approving_one_days_proposal_changes_only_that_days_line(coach_api: APIClient, split: Assignment) -> None:
    review = day_review(split)
    light = review.items.get(day=2, exercise__slug="romanian-deadlift")
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", {"items": [{"id": light.pk}]}, format="json")
    assert response.status_code == 200, response.json()
    assert _loads(split, NEXT_MONDAY) == [
        (1, "romanian-deadlift", 100),
        (2, "romanian-deadlift", 62.5),
        (2, "hip-thrust", 80),
    ]


def test_an_edit_without_a_day_stays_on_its_items_day(coach_api: APIClient, split: Assignment) -> None:
    review = day_review(split)
    heavy, light = review.items.filter(exercise__slug="romanian-deadlift").order_by("position")
    edited = {"exercise": "romanian-deadlift", "sets": 4, "reps_low": 6, "reps_high": 8, "load": 65, "unit": "kg"}
    items = [{"id": light.pk, "proposed": edited}, {"id": heavy.pk}]
    response = coach_api.post(f"/api/v1/reviews/{review.pk}/approve/", {"items": items}, format="json")
    assert response.status_code == 200, response.json()
    assert _loads(split, NEXT_MONDAY) == [
        (1, "romanian-deadlift", 102.5),
        (2, "romanian-deadlift", 65),
        (2, "hip-thrust", 80),
    ]
    light.refresh_from_db()
    assert light.decision == ReviewItem.Decision.EDITED
    assert light.approved_line["day"] == 2
    # The same edit saying its own day is accepted as well (shown by the stored approved line).
    assert version_in_force(split, NEXT_MONDAY).source == PrescriptionVersion.Source.REVIEW  # type: ignore[union-attr]


def test_an_edit_on_another_day_is_a_400_and_nothing_is_approved(coach_api: APIClient, split: Assignment) -> None:
    review = day_review(split)
    light = review.items.get(day=2, exercise__slug="romanian-deadlift")
    edited = light.proposed | {"day": 1, "load": 65}
    response = coach_api.post(
        f"/api/v1/reviews/{review.pk}/approve/", {"items": [{"id": light.pk, "proposed": edited}]}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["items"]
    assert errors == [{"id": str(light.pk), "proposed": {"day": [errors[0]["proposed"]["day"][0]]}}]
    assert "Light" in errors[0]["proposed"]["day"][0]
    review.refresh_from_db()
    assert review.status == WeeklyReview.Status.PENDING
    assert version_in_force(split, NEXT_MONDAY).source == PrescriptionVersion.Source.ASSIGNED  # type: ignore[union-attr]
    same_day = coach_api.post(
        f"/api/v1/reviews/{review.pk}/approve/",
        {"items": [{"id": light.pk, "proposed": edited | {"day": 2}}]},
        format="json",
    )
    assert same_day.status_code == 200, same_day.json()


def test_the_review_pages_form_keeps_an_unedited_proposal_on_its_day(split: Assignment) -> None:
    from coaching.access import exercises_for
    from coaching.reviews.forms import ProposalForm

    review = day_review(split)
    light = review.items.get(day=2, exercise__slug="romanian-deadlift")
    proposed = light.proposed
    data = {
        "exercise": "romanian-deadlift",
        "sets": proposed["sets"],
        "low": proposed["reps_low"],
        "high": proposed["reps_high"],
        "load": proposed["load"],
        "unit": "kg",
    }
    exercises = exercises_for(split.client.coach.user)
    form = ProposalForm(data, proposed=proposed, exercises=exercises)
    assert form.is_valid(), form.errors
    assert form.edited_line() is None
    form = ProposalForm(data | {"load": 70}, proposed=proposed, exercises=exercises)
    assert form.is_valid(), form.errors
    assert form.edited_line()["day"] == 2  # type: ignore[index]


def test_days_of_a_program_without_lines_are_checked_too(coach_api: APIClient) -> None:
    """Found by schemathesis: a PATCH of duplicate day numbers onto a template without lines was a
    500 (the unique constraint) instead of the validator's 400."""
    created = coach_api.post("/api/v1/programs/", {"name": "Empty week"}, format="json")
    assert created.status_code == 201
    url = f"/api/v1/programs/{created.json()['id']}/"
    twice = [{"day": 1, "name": "A"}, {"day": 1, "name": "B"}]
    response = coach_api.patch(url, {"days": twice}, format="json")
    assert response.status_code == 400
    assert "days" in response.json()
    pinned_twice = [{"day": 1, "weekdays": [0]}, {"day": 2, "weekdays": [0]}]
    assert coach_api.patch(url, {"days": pinned_twice}, format="json").status_code == 400
    assert coach_api.get(url).json()["days"] == [{"day": 1, "name": "Day A", "weekdays": []}]
