"""Today with training days: the day due on the phone's date (docs/domain.md "The day due"), the
header, the switcher, the rest day, and what the client did last time on each line."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coaching.services.prescriptions import assignment_create
from coaching.sessions.services import SetInput
from programs.days import Day
from programs.lines import Line
from tests import factories
from tests.coaching.client.conftest import log_session, rdl

pytestmark = pytest.mark.django_db

TODAY = "/today/"
MONDAY, TUESDAY, WEDNESDAY, THURSDAY = "2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12"
UTC = dt.UTC


def page_data(html: str) -> dict[str, Any]:
    match = re.search(r'<script id="today-data" type="application/json">(.*?)</script>', html, re.S)
    assert match
    return json.loads(match.group(1))


def day_div(html: str, number: int) -> str:
    match = re.search(rf'<div class="day" id="day-{number}" data-day="{number}"[^>]*>', html)
    assert match, f"day {number} is on the page"
    return match.group(0)


def shown_days(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<div class="day" id="day-(\d)" data-day="\d">', html)]


def title(html: str) -> str:
    match = re.search(r'<h1 class="page-title" id="day-title"><span id="day-name">(.*?)</span>', html)
    assert match
    return match.group(1)


def two_day_client(coach: Any, pins: tuple[tuple[int, ...], ...] = ((), ()), third: bool = False) -> Any:
    """Day A: a heavy Romanian deadlift (100 kg) and hip thrust; Day B: swings and a light
    Romanian deadlift (60 kg); optionally Day C, a glute bridge."""
    person = factories.ClientFactory(coach=coach, with_login=True)
    ex = factories.exercise
    lines = [
        Line(exercise=ex("romanian-deadlift"), sets=3, low=5, high=6, load=Decimal("100"), day=1),
        Line(exercise=ex("hip-thrust"), sets=3, low=8, high=10, load=Decimal("80"), day=1),
        Line(exercise=ex("kettlebell-swing"), sets=5, low=15, high=20, load=Decimal("24"), day=2),
        Line(exercise=ex("romanian-deadlift"), sets=3, low=10, high=12, load=Decimal("60"), day=2),
    ]
    days = [Day(1, "Day A", pins[0]), Day(2, "Day B", pins[1])]
    if third:
        lines.append(Line(exercise=ex("glute-bridge"), sets=2, low=12, high=15, day=3))
        days.append(Day(3, "Day C", pins[2] if len(pins) > 2 else ()))
    assignment_create(client=person, start_date=dt.date(2026, 10, 5), changed_by=coach.user, lines=lines, days=days)
    return person


def at(date: str, hour: int = 9) -> dt.datetime:
    return dt.datetime.fromisoformat(date).replace(hour=hour, tzinfo=UTC)


@pytest.fixture
def person(coach: Any) -> Any:
    return two_day_client(coach)


@pytest.fixture
def phone(client: Any, person: Any) -> Any:
    client.force_login(person.user)
    return client


def get(phone: Any, **params: str) -> str:
    response = phone.get(TODAY, params)
    assert response.status_code == 200
    return response.content.decode()


# --- the day due -------------------------------------------------------------------------


def test_unpinned_days_open_on_the_first_day_without_a_session(phone: Any) -> None:
    html = get(phone, date=THURSDAY)
    assert title(html) == "Day A · Thursday"
    assert shown_days(html) == [1]
    assert "hidden" in day_div(html, 2)
    assert "Kettlebell swing" in html, "every day is on the page for the switcher"


@pytest.mark.parametrize(("last", "due"), [(1, "Day B"), (2, "Day A")])
def test_unpinned_days_go_round_after_the_latest_sessions_day(phone: Any, person: Any, last: int, due: str) -> None:
    assignment = person.assignments.get()
    log_session(person.user, assignment.pk, at(MONDAY), [rdl(5, "100")], day=2 if last == 1 else 1)
    log_session(person.user, assignment.pk, at(TUESDAY), [rdl(5, "100")], day=last)
    log_session(person.user, assignment.pk, at(TUESDAY, 12), [rdl(5, "100")])  # dayless: does not count
    assert title(get(phone, date=THURSDAY)) == f"{due} · Thursday"


def test_a_day_pinned_to_the_weekday_is_due_whatever_came_before(client: Any, coach: Any) -> None:
    person = two_day_client(coach, pins=((0,), (3,)))
    assignment = person.assignments.get()
    log_session(person.user, assignment.pk, at(TUESDAY), [rdl(5, "100")], day=2)
    client.force_login(person.user)
    assert title(get(client, date=MONDAY)) == "Day A · Monday"
    assert title(get(client, date=THURSDAY)) == "Day B · Thursday"


def test_unpinned_days_fill_the_weekdays_without_a_pin(client: Any, coach: Any) -> None:
    person = two_day_client(coach, pins=((0,), (), ()), third=True)
    assignment = person.assignments.get()
    log_session(person.user, assignment.pk, at(MONDAY), [rdl(5, "100")], day=1)
    client.force_login(person.user)
    assert title(get(client, date=TUESDAY)) == "Day B · Tuesday"
    log_session(person.user, assignment.pk, at(TUESDAY), [rdl(10, "60")], day=2)
    assert title(get(client, date=WEDNESDAY)) == "Day C · Wednesday"


def test_every_day_pinned_and_none_today_is_a_rest_day_offering_the_next_day(client: Any, coach: Any) -> None:
    person = two_day_client(coach, pins=((0,), (3,)))
    assignment = person.assignments.get()
    log_session(person.user, assignment.pk, at(MONDAY), [rdl(5, "100")], day=1)
    client.force_login(person.user)
    html = get(client, date=WEDNESDAY)
    assert title(html) == "Rest day · Wednesday"
    rest = html.split('id="rest-day"')[1].split("</section>")[0]
    assert "hidden" not in rest.split(">")[0]
    assert "Nothing is planned for" in rest
    train = '<a class="button primary" id="train-anyway" href="?day=2&amp;date=2026-11-11" data-day="2">'
    assert f"{train}Train Day B anyway</a>" in rest
    assert shown_days(html) == [], "no day's lines until the client picks one"
    assert re.search(r'<section class="card finish"[^>]* hidden>', html)
    data = page_data(html)
    assert (data["shown"], data["picked"]) == (2, False)


def test_training_anyway_on_a_rest_day_shows_the_day_offered(client: Any, coach: Any) -> None:
    person = two_day_client(coach, pins=((0,), (3,)))
    client.force_login(person.user)
    html = get(client, date=WEDNESDAY, day="2")
    assert title(html) == "Day B · Wednesday"
    assert shown_days(html) == [2]
    assert re.search(r'<section class="card rest-day" id="rest-day"[^>]* hidden>', html)
    assert page_data(html)["picked"] is True


def test_before_the_start_the_first_day_is_due(client: Any, coach: Any) -> None:
    person = two_day_client(coach, pins=((), (1,)))
    client.force_login(person.user)
    assert title(get(client, date="2026-09-29")) == "Day A · Tuesday", "a Tuesday, pinned to Day B, before the start"


# --- switching day -----------------------------------------------------------------------


def test_the_switcher_links_every_day_and_picking_one_shows_its_lines(phone: Any) -> None:
    html = get(phone, date=THURSDAY)
    switcher = html.split('<nav class="day-switch"')[1].split("</nav>")[0]
    assert re.findall(r'<a href="([^"]+)" data-day="(\d)"', switcher) == [
        ("?day=1&amp;date=2026-11-12", "1"),
        ("?day=2&amp;date=2026-11-12", "2"),
    ]
    assert 'data-day="1" aria-current="true"' in switcher
    picked = get(phone, date=THURSDAY, day="2")
    assert title(picked) == "Day B · Thursday"
    assert shown_days(picked) == [2]
    day_b = picked.split('id="day-2"')[1].split('<section class="card finish"')[0]
    assert "Kettlebell swing" in day_b
    assert "3 × 10–12 reps" in day_b
    assert "Hip thrust" not in day_b


def test_a_day_no_longer_in_the_prescription_opens_the_day_due(phone: Any) -> None:
    html = get(phone, date=THURSDAY, day="5")
    assert title(html) == "Day A · Thursday"
    assert page_data(html)["picked"] is False


@pytest.mark.parametrize("params", [{"day": "B"}, {"day": "9"}, {"date": "2026-13-01"}, {"date": "12/11/2026"}])
def test_a_malformed_day_or_date_is_a_400_with_the_field(phone: Any, params: dict[str, str]) -> None:
    response = phone.get(TODAY, params)
    assert response.status_code == 400
    assert next(iter(params)) in response.content.decode()


def test_the_phones_date_decides_and_without_it_the_coachs_today(
    phone: Any, coach: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A phone ahead of its coach (Auckland and London): its Thursday is the coach's Wednesday."""
    monkeypatch.setattr("coaching.sessions.phone.views._local_today", lambda _client: dt.date(2026, 11, 11))
    assert page_data(get(phone))["day"] == WEDNESDAY
    html = get(phone, date=THURSDAY)
    assert page_data(html)["day"] == THURSDAY
    assert title(html) == "Day A · Thursday"


def test_the_page_gives_the_script_the_days_and_the_latest_days_session(phone: Any, person: Any) -> None:
    assignment = person.assignments.get()
    log_session(person.user, assignment.pk, at(TUESDAY), [rdl(5, "100")], day=1)
    data = page_data(get(phone, date=THURSDAY))
    assert data["days"] == [{"day": 1, "name": "Day A", "weekdays": []}, {"day": 2, "name": "Day B", "weekdays": []}]
    assert data["last_day"] == {"day": 1, "performed_at": "2026-11-10T09:00:00+00:00"}
    assert data["start"] == "2026-10-05"
    assert [(line["key"], line["exercise"], line["day"]) for line in data["lines"]] == [
        (0, "romanian-deadlift", 1),
        (1, "hip-thrust", 1),
        (2, "kettlebell-swing", 2),
        (3, "romanian-deadlift", 2),
    ]


def test_a_one_day_program_has_no_switcher_and_no_rest_day(signed_in: Any) -> None:
    html = signed_in.get(TODAY, {"date": WEDNESDAY}).content.decode()
    assert '<h1 class="page-title">Today <span class="muted">Wed 11 Nov</span></h1>' in html
    assert "day-switch" not in html
    assert "rest-day" not in html
    assert shown_days(html) == [1]


# --- last time ---------------------------------------------------------------------------


def last_time(html: str, key: int) -> str:
    section = html.split(f'id="ex-{key}"')[1].split("</section>")[0]
    match = re.search(r'<p class="last-time"[^>]*>(.*?)</p>', section, re.S)
    assert match
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).replace(" :", ":").strip()


def test_last_time_comes_from_each_lines_own_latest_session(phone: Any, person: Any) -> None:
    """The heavy and the light Romanian deadlift each show their own day's session."""
    assignment = person.assignments.get()
    log_session(person.user, assignment.pk, at(MONDAY), [rdl(5, "100"), rdl(5, "100"), rdl(4, "100")], day=1)
    swing = SetInput(exercise="kettlebell-swing", reps=20, load=Decimal("24"))
    log_session(person.user, assignment.pk, at(TUESDAY), [swing, rdl(12, "60"), rdl(10, "60")], day=2)
    html = get(phone, date=THURSDAY)
    assert last_time(html, 0) == "Last time, 9 Nov: 5 × 100 kg 5 × 100 kg 4 × 100 kg"
    assert last_time(html, 3) == "Last time, 10 Nov: 12 × 60 kg 10 × 60 kg"
    assert last_time(html, 2) == "Last time, 10 Nov: 20 × 24 kg"
    assert re.search(r'<p class="last-time" data-line="1" hidden>', html), "no hip thrust yet"
    rdl_a = page_data(html)["lines"][0]["last"][0]
    assert rdl_a["date"] == MONDAY
    assert rdl_a["sets"][2] == {"side": "both", "amount": 4, "load": 100, "text": "4 × 100 kg"}


def test_dayless_sets_go_to_the_line_nearest_their_load(phone: Any, person: Any) -> None:
    assignment = person.assignments.get()
    log_session(person.user, assignment.pk, at(MONDAY), [rdl(5, "100")], day=1)
    log_session(person.user, assignment.pk, at(TUESDAY), [rdl(10, "60")], day=2)
    log_session(person.user, assignment.pk, at(WEDNESDAY), [rdl(10, "65")])  # an import: no day
    html = get(phone, date=THURSDAY)
    assert last_time(html, 0) == "Last time, 9 Nov: 5 × 100 kg"
    assert last_time(html, 3) == "Last time, 11 Nov: 10 × 65 kg"


def test_sets_of_an_exercise_not_on_the_sessions_day_are_dayless(phone: Any, person: Any) -> None:
    """Hip thrust logged in a Day B session still counts for Day A's hip thrust."""
    assignment = person.assignments.get()
    thrust = SetInput(exercise="hip-thrust", reps=10, load=Decimal("82.5"))
    log_session(person.user, assignment.pk, at(TUESDAY), [thrust], day=2)
    assert last_time(get(phone, date=THURSDAY), 1) == "Last time, 10 Nov: 10 × 82.5 kg"


def test_last_time_is_never_todays_session_being_logged(phone: Any, person: Any) -> None:
    assignment = person.assignments.get()
    log_session(person.user, assignment.pk, at(MONDAY), [rdl(5, "100")], day=1)
    log_session(person.user, assignment.pk, at(THURSDAY, 8), [rdl(6, "102.5")], day=1)
    html = get(phone, date=THURSDAY)
    assert last_time(html, 0) == "Last time, 9 Nov: 5 × 100 kg"
    dates = [last["date"] for last in page_data(html)["lines"][0]["last"]]
    assert dates == [THURSDAY, MONDAY], "the phone picks the latest before its own today"


def test_last_time_of_a_per_side_hold_names_sides_and_seconds(
    signed_in: Any, client_profile: Any, assignment: Any
) -> None:
    sets = [
        SetInput(exercise="single-leg-rdl", side="left", reps=10, load=Decimal("12")),
        SetInput(exercise="single-leg-rdl", side="right", reps=9, load=Decimal("12")),
        SetInput(exercise="rdl-isometric-hold", seconds=20, load=Decimal("40")),
    ]
    log_session(client_profile.user, assignment.pk, at(MONDAY), sets)
    html = signed_in.get(TODAY, {"date": THURSDAY}).content.decode()
    assert last_time(html, 1) == "Last time, 9 Nov: left 10 × 12 kg right 9 × 12 kg"
    assert last_time(html, 2) == "Last time, 9 Nov: 20 s × 40 kg"
    assert 'aria-label="Fill set with left 10 × 12 kg, as last time"' in html


def test_todays_query_count_stays_flat_as_history_grows(phone: Any, person: Any) -> None:
    assignment = person.assignments.get()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            get(phone, date=THURSDAY)
        return len(queries)

    log_session(person.user, assignment.pk, at(MONDAY), [rdl(5, "100")] * 3, day=1)
    few = count()
    start = at("2026-10-05")
    for n in range(60):
        day = 1 + n % 2
        log_session(
            person.user, assignment.pk, start + dt.timedelta(days=n % 35, hours=n % 5), [rdl(5, "100")] * 3, day=day
        )
    assert count() == few
    # 19: +3 for the latest session and its thread (coaching/threads) and the header's unread badge;
    # +1 the latest sessions' coach tags, +1 which sets have a form video.
    assert few <= 21


# --- History with days -------------------------------------------------------------------


def test_history_labels_each_session_with_its_day(phone: Any, person: Any, django_assert_max_num_queries: Any) -> None:
    assignment = person.assignments.get()
    log_session(person.user, assignment.pk, at("2026-11-16"), [rdl(5, "100")], day=1)
    log_session(person.user, assignment.pk, at("2026-11-17"), [rdl(10, "60")], day=2)
    log_session(person.user, assignment.pk, at("2026-11-18"), [rdl(10, "60")])  # dayless: no label
    for n in range(20):
        log_session(person.user, assignment.pk, at("2026-10-05") + dt.timedelta(days=n), [rdl(5, "100")], day=1)
    # +1: the sessions' thread counts (coaching/threads), +1 the header's unread badge, +1 coach tags,
    # +1 which sets have a form video; +8 the months' lines, the exercises, best sets and weekly
    # e1RMs, and the latest changes' count and start (tests/coaching/client/test_history_page.py).
    with django_assert_max_num_queries(23):
        html = phone.get("/history/").content.decode()
    assert re.search(r'data-day="1">\s*<h3>Day A · Mon 16 Nov', html)
    assert re.search(r'data-day="2">\s*<h3>Day B · Tue 17 Nov', html)
    assert "<h3>Wednesday 18 Nov" in html
    data = json.loads(re.search(r'<script id="history-data" type="application/json">(.*?)</script>', html, re.S)[1])
    assert data["day_names"] == {str(assignment.pk): {"1": "Day A", "2": "Day B"}}
    assert data["rendered_at"]


def test_history_of_a_one_day_program_has_no_day_labels(signed_in: Any, client_profile: Any, assignment: Any) -> None:
    log_session(client_profile.user, assignment.pk, at("2026-11-16"), [rdl(5, "100")], day=1)
    html = signed_in.get("/history/").content.decode()
    assert "<h3>Monday 16 Nov" in html
    assert "Day A" not in html
