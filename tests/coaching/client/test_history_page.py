from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest

from coaching.services.prescriptions import prescription_version_write
from coaching.sessions.services import SetInput
from programs.lines import Line
from tests import factories
from tests.coaching.client.conftest import log_session, rdl

pytestmark = pytest.mark.django_db

HISTORY = "/history/"


def test_history_lists_past_sessions_with_their_sets_and_notes(
    signed_in: Any, client_profile: Any, assignment: Any, now: dt.datetime
) -> None:
    log_session(
        client_profile.user,
        assignment.pk,
        now - dt.timedelta(days=2),
        [
            rdl(10, "60"),
            rdl(10, "60"),
            rdl(8, "60"),
            SetInput(exercise="single-leg-rdl", side="left", reps=8, load=Decimal("12"), pain=2),
        ],
        notes="Back felt fine.",
    )
    html = signed_in.get(HISTORY).content.decode()
    assert "Past sessions" in html
    assert "2 × 10 reps at 60 kg, 8 reps at 60 kg" in html
    assert "left 8 reps at 12 kg" in html
    assert "pain 2/10" in html
    assert "Back felt fine." in html


def test_history_shows_the_best_fault_free_set_and_an_e1rm_chart(
    signed_in: Any, client_profile: Any, assignment: Any, now: dt.datetime
) -> None:
    log_session(client_profile.user, assignment.pk, now - dt.timedelta(days=9), [rdl(10, "60")])
    log_session(
        client_profile.user,
        assignment.pk,
        now - dt.timedelta(days=2),
        [rdl(10, "62.5"), rdl(10, "80", faults=("knees_too_bent",))],
    )
    html = signed_in.get(HISTORY).content.decode()
    # Epley: 62.5 × (1 + 10/30) = 83.3; the 80 kg set had a fault and does not count.
    assert "Best: <strong>10 reps at 62.5 kg (e1RM 83.3 kg)</strong>" in html
    assert '<svg class="chart"' in html
    assert 'aria-label="Romanian deadlift: estimated 1RM, 80.0 to 83.3 kg"' in html
    assert html.count("<polyline") == 1


def test_one_session_gives_no_chart_yet(signed_in: Any, client_profile: Any, assignment: Any, now: dt.datetime) -> None:
    log_session(client_profile.user, assignment.pk, now - dt.timedelta(days=1), [rdl(10, "60")])
    html = signed_in.get(HISTORY).content.decode()
    assert "Best: <strong>10 reps at 60 kg (e1RM 80 kg)</strong>" in html
    assert "<svg" not in html


def test_history_shows_the_changes_the_coach_approved(signed_in: Any, assignment: Any, coach: Any) -> None:
    lines = factories.default_lines()
    lines[0] = Line(**{**lines[0].__dict__, "load": Decimal("62.5")})
    lines[1] = Line(**{**lines[1].__dict__, "sets": 4})
    prescription_version_write(
        assignment=assignment,
        lines=lines,
        effective_from=dt.date(2026, 11, 23),
        source="review",
        changed_by=coach.user,
    )
    # A coach's direct edit is not a review: it is not listed as an approved change.
    prescription_version_write(
        assignment=assignment,
        lines=[Line(exercise=factories.exercise("deadlift"), sets=3, low=5, high=8, load=Decimal("100"))],
        effective_from=dt.date(2026, 11, 30),
        source="coach_edit",
        changed_by=coach.user,
    )
    html = signed_in.get(HISTORY).content.decode()
    assert "Romanian deadlift: 60 → 62.5 kg" in html
    assert "Single-leg Romanian deadlift: 3 → 4 sets" in html
    assert "From Monday 23 Nov 2026" in html
    assert "Deadlift" not in html.split("Best sets")[0]


def test_a_variant_move_reads_old_exercise_to_new(signed_in: Any, assignment: Any, coach: Any) -> None:
    lines = factories.default_lines()
    lines[2] = Line(exercise=factories.exercise("tempo-rdl"), sets=2, low=8, high=12, load=Decimal("40"))
    prescription_version_write(
        assignment=assignment, lines=lines, effective_from=dt.date(2026, 11, 23), source="review", changed_by=coach.user
    )
    html = signed_in.get(HISTORY).content.decode()
    assert "RDL isometric hold → Tempo RDL (3-2-1): 2 × 8–12 reps at 40 kg" in html


def test_history_never_shows_another_clients_sessions(signed_in: Any, other_client: Any, now: dt.datetime) -> None:
    log_session(other_client.user, other_client.assignments.get().pk, now, [rdl(3, "140")], notes="Theirs")
    html = signed_in.get(HISTORY).content.decode()
    assert "140 kg" not in html
    assert "Theirs" not in html
    assert "No sessions yet." in html


def test_a_coach_opening_history_gets_404(client: Any, coach: Any) -> None:
    client.force_login(coach.user)
    assert client.get(HISTORY).status_code == 404


def test_history_queries_do_not_grow_with_the_number_of_sessions(
    signed_in: Any, client_profile: Any, assignment: Any, now: dt.datetime, django_assert_max_num_queries: Any
) -> None:
    for day in range(1, 41):
        log_session(client_profile.user, assignment.pk, now - dt.timedelta(days=day), [rdl(10, "60")] * 4)
    # +1: the shown sessions' thread counts, +1 the header's unread badge (coaching/threads),
    # +1 the shown sets' coach tags, +1 which sets have a form video; +1 the months' summary
    # lines, +5 the exercises (logged, then all), the best sets (ranked, then read) and weekly
    # e1RMs, each in SQL a row each; +2 how many changes there are and where the latest few start
    # (only those are loaded).
    with django_assert_max_num_queries(23):
        response = signed_in.get(HISTORY)
    html = response.content.decode()
    shown = html.split('id="past-sessions"')[1].split("</div>")[0].count('class="card past-session"')
    older = html.split('id="older-months"')[1] if 'id="older-months"' in html else ""
    # Every session is on the page, in full or within its month's summary line.
    assert shown + sum(int(n) for n in re.findall(r"· (\d+) sessions?<", older)) == 40


def test_history_gives_its_script_what_it_needs_for_the_sets_still_on_the_phone(
    signed_in: Any, client_profile: Any, assignment: Any, now: dt.datetime
) -> None:
    session_id = log_session(client_profile.user, assignment.pk, now - dt.timedelta(days=1), [rdl(10, "60")])
    html = signed_in.get(HISTORY).content.decode()
    assert f'data-session="{session_id}"' in html, "the phone's newer copy replaces the server's card"
    assert '<script src="/static/client/history.js" defer></script>' in html
    match = re.search(r'<script id="history-data" type="application/json">(.*?)</script>', html, re.S)
    assert match
    data = json.loads(match.group(1))
    # Every exercise of the prescription, logged yet or not, by slug.
    assert data["exercises"]["romanian-deadlift"] == {"name": "Romanian deadlift", "implement": "barbell"}
    assert data["exercises"]["rdl-isometric-hold"]["name"] == "RDL isometric hold"
    assert data["bells_lb"][4] == [53, 52.91]


def test_history_shows_a_kettlebell_in_lb_as_its_bell_in_whole_lb(
    signed_in: Any, client_profile: Any, assignment: Any, now: dt.datetime
) -> None:
    swing = SetInput(exercise="kettlebell-swing", reps=15, load=Decimal("52.91"), unit="lb")
    log_session(client_profile.user, assignment.pk, now - dt.timedelta(days=1), [swing, swing])
    html = signed_in.get(HISTORY).content.decode()
    assert "2 × 15 reps at 53 lb" in html
    assert "52.91" not in html.split('id="history-data"')[0]


def test_history_shows_what_the_coach_saw_apart_from_the_clients_ticks(
    signed_in: Any, client_profile: Any, assignment: Any, now: dt.datetime, coach: Any
) -> None:
    from coaching.models import LoggedSet
    from coaching.sessions.faults.services import coach_faults_replace

    log_session(
        client_profile.user,
        assignment.pk,
        now - dt.timedelta(days=2),
        [rdl(10, "60", faults=("core_lost",)), rdl(10, "60"), rdl(10, "60")],
    )
    second = LoggedSet.objects.get(position=1)
    coach_faults_replace(
        session=second.session, logged_set=second, user=coach.user, role="coach", faults=["upper_back_rounding"]
    )
    html = signed_in.get(HISTORY).content.decode()
    assert "<li>Coach saw: Romanian deadlift, set 2: upper back rounding</li>" in html
    assert html.count("Coach saw:") == 1  # the client's own tick is not the coach's


def _month_key(when: dt.datetime) -> str:
    return f"{when:%Y-%m}"


def test_older_months_are_a_line_each_that_opens_with_and_without_htmx(
    signed_in: Any, client_profile: Any, assignment: Any, now: dt.datetime
) -> None:
    recent = log_session(client_profile.user, assignment.pk, now - dt.timedelta(hours=2), [rdl(10, "60")] * 12)
    for _ in range(12):  # the latest month alone leaves 12 sessions: enough, older months are lines
        log_session(client_profile.user, assignment.pk, now - dt.timedelta(hours=1), [rdl(8, "60")])
    old_when = now - dt.timedelta(days=150)
    old = log_session(client_profile.user, assignment.pk, old_when, [rdl(5, "90"), rdl(5, "90")], notes="Long ago")
    key = _month_key(old_when)
    html = signed_in.get(HISTORY).content.decode()
    assert f'data-session="{recent}"' in html
    assert f'data-session="{old}"' not in html
    line = html.split(f'id="month-{key}"')[1].split("</p>")[0]
    assert f'href="?month={key}#month-{key}"' in line
    assert f'data-hx-get="?month={key}"' in line
    assert f"{old_when:%B %Y}</a> · 1 session" in line
    # Without htmx: the whole page, the month open in its place.
    opened = signed_in.get(HISTORY, {"month": key}).content.decode()
    assert f'data-session="{old}"' in opened
    assert "Long ago" in opened
    assert f'data-session="{recent}"' in opened
    # With htmx: only the month, to swap for its line.
    fragment = signed_in.get(HISTORY, {"month": key}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith(f'<section class="month-open" id="month-{key}"')
    assert "2 × 5 reps at 90 kg" in fragment
    assert "Long ago" in fragment
    assert f'data-session="{recent}"' not in fragment
    assert "<html" not in fragment


def test_a_month_of_another_client_opens_empty(
    signed_in: Any, client_profile: Any, other_client: Any, now: dt.datetime
) -> None:
    log_session(other_client.user, other_client.assignments.get().pk, now, [rdl(3, "140")], notes="Theirs")
    fragment = signed_in.get(HISTORY, {"month": _month_key(now)}, HTTP_HX_REQUEST="true").content.decode()
    assert "Theirs" not in fragment
    assert "140 kg" not in fragment
    assert "No sessions this month." in fragment


@pytest.mark.parametrize(
    "query",
    [{"month": "2026-13"}, {"month": "9999-12"}, {"month": "0001-01"}, {"month": "x" * 200}, {"changes": "some"},
     {"month": "\x00"}],
)  # fmt: skip
def test_bad_history_queries_are_refused_not_failed(signed_in: Any, query: dict[str, str]) -> None:
    assert signed_in.get(HISTORY, query).status_code == 400


def test_the_latest_changes_show_and_the_rest_open_on_demand(signed_in: Any, assignment: Any, coach: Any) -> None:
    monday = assignment.start_date + dt.timedelta(weeks=1, days=-assignment.start_date.weekday())
    when = [f"From {d:%A} {d.day} {d:%b %Y}" for d in (monday + dt.timedelta(weeks=w) for w in range(8))]
    for week in range(8):
        lines = factories.default_lines()
        lines[0] = Line(**{**lines[0].__dict__, "load": Decimal(62 + week)})
        prescription_version_write(
            assignment=assignment,
            lines=lines,
            effective_from=monday + dt.timedelta(weeks=week),
            source="review",
            changed_by=coach.user,
        )
    html = signed_in.get(HISTORY).content.decode()
    changes = html.split('id="changes"')[1].split("</section>")[0]
    assert changes.count("<h3>From") == 5
    assert "Romanian deadlift: 68 → 69 kg" in changes  # the latest
    assert when[3] in changes  # the fifth latest…
    assert when[2] not in changes  # …and not the sixth
    assert 'href="?changes=all#changes-title"' in changes
    assert "Show all 8 changes" in changes
    everything = signed_in.get(HISTORY, {"changes": "all"}).content.decode()
    assert everything.split('id="changes"')[1].split("</section>")[0].count("<h3>From") == 8
    assert "Romanian deadlift: 60 → 62 kg" in everything  # the first review, against the assigned version
    fragment = signed_in.get(HISTORY, {"changes": "all"}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section class="card changes" id="changes"')
    assert fragment.count("<h3>From") == 8
    assert "Show all" not in fragment


def test_a_review_dated_before_the_first_version_is_no_change_and_not_counted(
    signed_in: Any, assignment: Any, coach: Any
) -> None:
    lines = factories.default_lines()
    for week in range(6):
        lines[0] = Line(**{**lines[0].__dict__, "load": Decimal(70 + week)})
        prescription_version_write(
            assignment=assignment,
            lines=lines,
            # The first of them dated before the assigned version: nothing before it to compare with.
            effective_from=assignment.start_date + dt.timedelta(weeks=week - 1),
            source="review",
            changed_by=coach.user,
        )
    html = signed_in.get(HISTORY).content.decode()
    changes = html.split('id="changes"')[1].split("</section>")[0]
    assert changes.count("<h3>From") == 5
    assert "Show all" not in changes
