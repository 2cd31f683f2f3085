"""The client's calendar feed (coaching/calendar_feed/): the .ics of the pinned days for 8 weeks,
read back with the icalendar library, its secret URL, its reset, and who it never shows."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import icalendar
import pytest
from django.db import connection
from django.test import Client as WebClient
from django.test.utils import CaptureQueriesContext

from coaching.calendar_feed.models import CalendarFeed
from coaching.calendar_feed.services import calendar_feed_for, calendar_feed_reset
from coaching.models import Coach
from coaching.selectors import versions_from
from coaching.services.prescriptions import assignment_create, prescription_version_write
from programs.days import Day
from programs.lines import Line
from tests import factories
from tests.coaching.web.two_days import log_day, two_day_client, two_day_lines

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 9)
START = dt.date(2026, 10, 5)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set the clock: ``at(datetime)`` (UTC)."""

    def set_clock(moment: dt.datetime) -> None:
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return set_clock


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def feed_url(person: Any) -> str:
    _, token = calendar_feed_for(client=person)
    return f"/calendar/{token}.ics"


def fetch(url: str) -> icalendar.Calendar:
    response = WebClient().get(url)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def write_version(assignment: Any, coach: Any, effective_from: dt.date, lines: list[Line]) -> None:
    """A coach's edit of the prescription, in force from ``effective_from``."""
    prescription_version_write(
        assignment=assignment, lines=lines, effective_from=effective_from, source="coach_edit", changed_by=coach.user
    )


def events(cal: icalendar.Calendar) -> list[Any]:
    return sorted(cal.events, key=lambda event: (event.start, str(event["uid"])))


def dates(cal: icalendar.Calendar) -> list[dt.date]:
    return [event.start for event in events(cal)]


def test_feed_lists_the_pinned_days_with_their_lines(coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    person = two_day_client(coach, start=START)
    cal = fetch(feed_url(person))
    first, second = events(cal)[:2]
    assert first.start == MONDAY
    assert not isinstance(first.start, dt.datetime)  # a date: an all-day event
    assert first.end == MONDAY + dt.timedelta(days=1)  # all day
    assert str(first["summary"]) == "Heavy: Deadlift, hip thrust"
    assert str(first["description"]).splitlines() == [
        "Deadlift: 3 × 3–5 reps, 100 kg",
        "Hip thrust: 3 × 8–12 reps, 80 kg",
    ]
    assert str(first["url"]) == "http://testserver/today/?day=1&date=2026-11-09"
    assert str(first["transp"]) == "TRANSPARENT"
    assert second.start == dt.date(2026, 11, 12)  # Thursday
    assert str(second["summary"]) == "Light: Deadlift, kettlebell swing"
    assert str(second["description"]).splitlines() == [
        "Deadlift: 3 × 8–10 reps, 70 kg",
        "Kettlebell swing: 4 × 10–15 reps, 24 kg",
    ]
    assert str(cal["version"]) == "2.0"
    assert "Hinge Coach" in str(cal["prodid"])


def test_feed_covers_exactly_eight_weeks_from_today_and_rest_days_stay_empty(coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    cal = fetch(feed_url(two_day_client(coach, start=START)))
    found = dates(cal)
    assert len(found) == 16  # 8 Mondays and 8 Thursdays
    assert found[0] == MONDAY
    assert found[-1] == MONDAY + dt.timedelta(weeks=8) - dt.timedelta(days=4)  # the 8th Thursday
    assert all(MONDAY <= on < MONDAY + dt.timedelta(weeks=8) for on in found)
    assert {on.weekday() for on in found} == {0, 3}  # nothing on the rest days
    # Every pin is a training day, so there is no rotation hint either.
    assert not [e for e in cal.events if "next up" in str(e["summary"])]


def test_uids_are_stable_across_fetches_and_unique(coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    url = feed_url(two_day_client(coach, start=START))
    first = [str(e["uid"]) for e in events(fetch(url))]
    at(noon(MONDAY) + dt.timedelta(hours=3))
    assert [str(e["uid"]) for e in events(fetch(url))] == first
    assert len(set(first)) == len(first)
    assert first[0].endswith("@hinge-coach")


def test_a_renamed_day_keeps_its_events_uids(coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    person = two_day_client(coach, start=START)
    url = feed_url(person)
    before = {str(e["uid"]): e.start for e in fetch(url).events}
    person.assignments.get().days.filter(number=1).update(name="Heavy pull")
    after = {str(e["uid"]): (e.start, str(e["summary"])) for e in fetch(url).events}
    assert set(after) == set(before)
    assert {summary for _, summary in after.values()} >= {"Heavy pull: Deadlift, hip thrust"}


def test_dates_are_the_coachs_time_zone(coach: Any, other_coach: Any, at: Any) -> None:
    # Monday 20:00 UTC is already Tuesday 09:00 in Auckland.
    at(dt.datetime(2026, 11, 9, 20, tzinfo=dt.UTC))
    Coach.objects.filter(pk=other_coach.pk).update(time_zone="Pacific/Auckland")
    other_coach.refresh_from_db()
    utc = fetch(feed_url(two_day_client(coach, start=START)))
    auckland = fetch(feed_url(two_day_client(other_coach, start=START)))
    assert dates(utc)[0] == MONDAY
    assert dates(auckland)[0] == dt.date(2026, 11, 12)  # Monday is over there: Thursday first
    assert dates(auckland)[-1] == dt.date(2027, 1, 4)  # and the 8 weeks end a day later
    assert len(dates(auckland)) == 16
    assert str(auckland["x-wr-timezone"]) == "Pacific/Auckland"
    assert str(utc["x-wr-timezone"]) == "UTC"


def test_nothing_before_the_assignments_start(coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    thursday = MONDAY + dt.timedelta(days=3)
    cal = fetch(feed_url(two_day_client(coach, start=thursday)))
    assert dates(cal)[0] == thursday
    assert len(dates(cal)) == 15


def test_each_date_carries_the_prescription_in_force_on_it(coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    person = two_day_client(coach, start=START)
    heavier = [
        Line(exercise=line.exercise, sets=line.sets, low=line.low, high=line.high, load=line.load + 10, day=line.day)
        if line.day == 1
        else line
        for line in two_day_lines()
    ]
    later = MONDAY + dt.timedelta(weeks=2)
    prescription_version_write(
        assignment=person.assignments.get(),
        lines=heavier,
        effective_from=later,
        source="coach_edit",
        changed_by=coach.user,
    )
    heavy = {
        e.start: str(e["description"]).splitlines()[0] for e in fetch(feed_url(person)).events if e.start.weekday() == 0
    }
    assert heavy[MONDAY + dt.timedelta(weeks=1)] == "Deadlift: 3 × 3–5 reps, 100 kg"
    assert heavy[later] == "Deadlift: 3 × 3–5 reps, 110 kg"


def test_the_feed_reads_the_versions_from_today_on_never_the_older_history(coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    person = two_day_client(coach, start=START)
    assignment = person.assignments.get()

    def version(weeks: int, extra: int) -> None:
        lines = [
            Line(exercise=x.exercise, sets=x.sets, low=x.low, high=x.high, load=x.load + extra, day=x.day)
            if x.day == 1
            else x
            for x in two_day_lines()
        ]
        write_version(assignment, coach, MONDAY + dt.timedelta(weeks=weeks), lines)

    for back in range(4, 0, -1):  # four older changes, then the one in force today, then a later one
        version(-back, back)
    version(0, 7)
    version(3, 20)
    read = versions_from(assignment, MONDAY)
    assert [v.effective_from for v in read] == [START, MONDAY, MONDAY + dt.timedelta(weeks=3)]
    assert len(versions_from(assignment, START - dt.timedelta(days=1))) == 7  # before the first: every one
    mondays = {
        e.start: str(e["description"]).splitlines()[0] for e in fetch(feed_url(person)).events if e.start.weekday() == 0
    }
    assert mondays[MONDAY] == "Deadlift: 3 × 3–5 reps, 107 kg"
    assert mondays[MONDAY + dt.timedelta(weeks=2)] == "Deadlift: 3 × 3–5 reps, 107 kg"
    assert mondays[MONDAY + dt.timedelta(weeks=3)] == "Deadlift: 3 × 3–5 reps, 120 kg"


def test_unpinned_days_show_one_next_up_hint_on_today(coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    person = factories.ClientFactory(coach=coach, with_login=True)
    assignment_create(
        client=person,
        start_date=START,
        lines=two_day_lines(),
        days=[Day(1, "Day A"), Day(2, "Day B")],
        changed_by=coach.user,
    )
    url = feed_url(person)
    [hint] = fetch(url).events
    assert str(hint["summary"]) == "Training: next up Day A"
    assert hint.start == MONDAY
    uid = str(hint["uid"])
    log_day(person, noon(MONDAY) - dt.timedelta(hours=2), 1)
    [hint] = fetch(url).events
    assert str(hint["summary"]) == "Training: next up Day B"
    assert str(hint["uid"]) == uid  # the hint is replaced, not added


def test_no_active_assignment_is_an_empty_calendar(coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    person = factories.ClientFactory(coach=coach, with_login=True)
    cal = fetch(feed_url(person))
    assert cal.events == []
    assert str(cal["x-wr-calname"]) == "Training plan"


def test_the_feed_needs_no_login_and_sets_no_cookie(coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    response = WebClient().get(feed_url(two_day_client(coach, start=START)))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=900"
    assert response.cookies == {}
    assert WebClient().head(feed_url(two_day_client(coach, start=START))).status_code == 200
    assert WebClient().post(feed_url(two_day_client(coach, start=START))).status_code in (403, 405)


@pytest.mark.parametrize(
    "token",
    ["A" * 43, "short", "A" * 44, "../../etc/passwd", "%00" * 15],
)
def test_unknown_or_malformed_tokens_are_404(coach: Any, token: str) -> None:
    two_day_client(coach, start=START)
    feed_url(factories.ClientFactory(coach=coach))  # a feed exists, so no token is "the only one"
    assert WebClient().get(f"/calendar/{token}.ics").status_code == 404


def test_a_reset_link_answers_404_and_the_new_one_works(coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    person = two_day_client(coach, start=START)
    old = feed_url(person)
    _, token = calendar_feed_reset(client=person)
    assert WebClient().get(old).status_code == 404
    assert len(fetch(f"/calendar/{token}.ics").events) == 16
    assert feed_url(person) == f"/calendar/{token}.ics"  # the phone shows the new link from now on


def test_another_clients_token_never_shows_this_client(coach: Any, other_coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    mine = two_day_client(coach, start=START)
    theirs = two_day_client(other_coach, start=START)
    mine_uids = {str(e["uid"]) for e in fetch(feed_url(mine)).events}
    their_uids = {str(e["uid"]) for e in fetch(feed_url(theirs)).events}
    assert not mine_uids & their_uids
    assert all(f"plan-{mine.assignments.get().pk}-" in uid for uid in mine_uids)
    assert all(f"plan-{theirs.assignments.get().pk}-" in uid for uid in their_uids)
    assert feed_url(mine) != feed_url(theirs)


def test_an_inactive_client_has_no_feed(coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    person = two_day_client(coach, start=START)
    url = feed_url(person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert WebClient().get(url).status_code == 404


def test_only_a_hash_of_the_token_is_stored(coach: Any) -> None:
    person = two_day_client(coach, start=START)
    _, token = calendar_feed_for(client=person)
    row = CalendarFeed.objects.values().get(client=person)
    assert token not in {str(value) for value in row.values()}
    assert len(row["token_hash"]) == 64


def test_a_new_secret_key_moves_the_link(coach: Any, settings: Any, at: Any) -> None:
    at(noon(MONDAY))
    person = two_day_client(coach, start=START)
    old = feed_url(person)
    settings.SECRET_KEY = "another-" + "k" * 60
    new = feed_url(person)
    assert new != old
    assert WebClient().get(old).status_code == 404
    assert len(fetch(new).events) == 16


def test_first_use_makes_one_feed(coach: Any) -> None:
    person = two_day_client(coach, start=START)
    first = feed_url(person)
    person.refresh_from_db()
    assert feed_url(person) == first
    assert CalendarFeed.objects.filter(client=person).count() == 1


def test_feed_query_count_is_constant(coach: Any, at: Any) -> None:
    at(noon(MONDAY))
    small = two_day_client(coach, start=START)
    big = two_day_client(coach, start=START)
    assignment = big.assignments.get()
    for weeks in range(1, 6):
        lines = [
            Line(
                exercise=line.exercise,
                sets=line.sets + weeks % 2,
                low=line.low,
                high=line.high,
                load=line.load,
                day=line.day,
            )
            for line in two_day_lines()
        ]
        write_version(assignment, coach, MONDAY + dt.timedelta(weeks=weeks), lines)
    for week in range(4):
        log_day(big, noon(MONDAY) - dt.timedelta(weeks=week + 1), 1, load=str(Decimal(90) + week))
    counts = []
    for person in (small, big):
        url = feed_url(person)
        with CaptureQueriesContext(connection) as queries:
            fetch(url)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 5


def test_the_html_never_says_the_token_twice_in_a_feed(coach: Any, at: Any) -> None:
    # The feed's body never carries its own secret (a calendar app may show or share the body).
    at(noon(MONDAY))
    url = feed_url(two_day_client(coach, start=START))
    token = re.search(r"/calendar/(.+)\.ics", url).group(1)  # type: ignore[union-attr]
    assert token not in WebClient().get(url).content.decode()
