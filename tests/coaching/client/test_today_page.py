from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.services.prescriptions import assignment_create, prescription_version_write
from programs.lines import Line
from tests import factories
from tests.coaching.client.conftest import log_session, rdl

pytestmark = pytest.mark.django_db

TODAY = "/today/"


def page_data(response: Any) -> dict[str, Any]:
    match = re.search(
        r'<script id="today-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "the page embeds today's data for the logging script"
    return json.loads(match.group(1))


def test_today_url_is_named_client_today() -> None:
    assert reverse("client-today") == TODAY


def test_today_shows_each_exercise_with_sets_reps_load_rest_and_cues(signed_in: Any) -> None:
    response = signed_in.get(TODAY)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Romanian deadlift" in html
    assert "3 × 8–10 reps" in html
    assert "60 kg" in html
    assert "3 × 8–12 reps</strong> each side" in html
    assert "2 × 10–20 s" in html
    assert "rest 90 s" in html
    assert "<summary>Form cues</summary>" in html
    assert "Spine stays neutral" in html
    assert "Weight on the heels" in html


def test_today_prefills_the_prescription_and_uses_numeric_keypads(signed_in: Any) -> None:
    html = signed_in.get(TODAY).content.decode()
    assert 'id="amount-0" name="amount" inputmode="numeric"' in html
    assert re.search(r'id="amount-0"[^>]*value="10"', html)
    assert re.search(r'id="load-0" name="load" inputmode="decimal"[^>]*value="60"', html)
    assert "Log set 1 of 3" in html


def test_per_side_exercise_logs_left_and_right_and_hold_has_a_countdown(signed_in: Any) -> None:
    html = signed_in.get(TODAY).content.decode()
    form_1 = html.split('id="form-1"')[1].split("</form>")[0]
    assert 'value="left" checked' in form_1
    assert 'value="right"' in form_1
    form_2 = html.split('id="form-2"')[1].split("</form>")[0]
    assert "Seconds held" in form_2
    assert 'class="timer" data-seconds="20"' in form_2


def test_today_offers_the_article_faults_in_plain_words_and_a_pain_prompt(signed_in: Any) -> None:
    html = signed_in.get(TODAY).content.decode()
    assert "Knees too bent (squatting the hinge)" in html
    assert "Upper back rounding (no upper-body / lat tension)" in html
    assert 'name="pain"' in html
    assert "Tell your coach" in html


def test_tempo_and_target_rpe_appear_when_prescribed(client: Any, coach: Any) -> None:
    person = factories.ClientFactory(coach=coach, with_login=True)
    assignment_create(
        client=person,
        start_date=dt.date(2026, 1, 5),
        unit="lb",
        changed_by=coach.user,
        lines=[
            Line(
                exercise=factories.exercise("tempo-rdl"),
                sets=3,
                low=8,
                high=10,
                load=Decimal("95"),
                unit="lb",
                tempo="3-2-1",
                target_rpe=Decimal("7.5"),
                rest_seconds=120,
            )
        ],
    )
    client.force_login(person.user)
    response = client.get(TODAY)
    html = response.content.decode()
    assert "tempo 3-2-1" in html
    assert "RPE 7.5" in html
    assert "rest 120 s" in html
    assert "I kept the tempo 3-2-1" in html
    assert "95 lb" in html
    assert "Load (lb)" in html
    line = page_data(response)["lines"][0]
    assert line["step"] == 5
    assert line["unit"] == "lb"
    assert line["tempo"] == "3-2-1"


def test_dowel_drill_shows_its_three_contact_points(client: Any, coach: Any) -> None:
    person = factories.ClientFactory(coach=coach, with_login=True)
    assignment_create(
        client=person,
        start_date=dt.date(2026, 1, 5),
        changed_by=coach.user,
        lines=[Line(exercise=factories.exercise("dowel-hip-hinge"), sets=2, low=8, high=12)],
    )
    client.force_login(person.user)
    html = client.get(TODAY).content.decode()
    for point in ("back of the head", "between the shoulder blades", "just above the tailbone"):
        assert point in html
    assert 'name="load"' not in html, "a dowel drill has no load to enter"


def test_today_embeds_the_clients_own_sessions_of_today_only(
    signed_in: Any, client_profile: Any, assignment: Any, other_client: Any, now: dt.datetime
) -> None:
    mine = log_session(client_profile.user, assignment.pk, now - dt.timedelta(hours=1), [rdl(10, "60")])
    other_assignment = other_client.assignments.get()
    theirs = log_session(other_client.user, other_assignment.pk, now, [rdl(8, "100")])
    data = page_data(signed_in.get(TODAY))
    ids = [s["id"] for s in data["recent"]]
    assert ids == [str(mine)]
    assert str(theirs) not in signed_in.get(TODAY).content.decode()
    # The API's session body (one representation): every field, null where not given.
    (recent_set,) = data["recent"][0]["sets"]
    assert uuid.UUID(recent_set.pop("id"))
    assert [recent_set] == [
        {
            "coach_faults": [],
            "video": None,
            "exercise": "romanian-deadlift",
            "side": "both",
            "reps": 10,
            "seconds": None,
            "load": 60,
            "unit": "kg",
            "rpe": None,
            "tempo_kept": None,
            "faults": [],
            "pain": None,
        }
    ]
    assert data["assignment"] == assignment.pk
    # The outbox's API paths come from the page (made with {% url %}): docs/api.md's fixed paths.
    html = signed_in.get(TODAY).content.decode()
    assert 'data-api-session="/api/v1/sessions/SESSION_ID/"' in html
    assert 'data-api-sync="/api/v1/sessions/sync/"' in html


def test_today_never_shows_another_clients_prescription(signed_in: Any, other_client: Any, coach: Any) -> None:
    assignment_create(
        client=other_client,
        start_date=dt.date(2026, 1, 5),
        changed_by=other_client.coach.user,
        lines=[Line(exercise=factories.exercise("kettlebell-swing"), sets=5, low=15, high=20, load=Decimal("24"))],
    )
    html = signed_in.get(TODAY).content.decode()
    assert "Kettlebell swing" not in html


def test_opening_today_keeps_the_client_signed_in_for_another_thirty_days(signed_in: Any) -> None:
    response = signed_in.get(TODAY)
    cookie = response.cookies["sessionid"]
    assert cookie["max-age"] == 30 * 24 * 3600
    assert signed_in.session.get_expiry_age() == 30 * 24 * 3600


def test_a_coach_opening_today_gets_404(client: Any, coach: Any) -> None:
    client.force_login(coach.user)
    assert client.get(TODAY).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client: Any) -> None:
    response = client.get(TODAY)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/today/")


def test_today_answers_405_to_a_post(signed_in: Any) -> None:
    assert signed_in.post(TODAY).status_code == 405


def test_today_without_an_assignment_says_the_program_is_coming(client: Any, coach: Any) -> None:
    person = factories.ClientFactory(coach=coach, with_login=True)
    client.force_login(person.user)
    response = client.get(TODAY)
    assert response.status_code == 200
    assert "Your coach has not set your program yet" in response.content.decode()
    assert b"today-data" not in response.content


def test_today_shows_the_coachs_recent_approved_change(signed_in: Any, assignment: Any, coach: Any) -> None:
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    lines = factories.default_lines()
    lines[0] = Line(**{**lines[0].__dict__, "load": Decimal("62.5")})
    prescription_version_write(
        assignment=assignment, lines=lines, effective_from=monday, source="review", changed_by=coach.user
    )
    html = signed_in.get(TODAY).content.decode()
    assert "New from your coach" in html
    assert "Romanian deadlift: 60 → 62.5 kg" in html
    assert re.search(r'id="load-0"[^>]*value="62.5"', html), "today's prescription is the approved one"


def test_today_runs_a_bounded_number_of_queries(
    signed_in: Any, client_profile: Any, assignment: Any, now: dt.datetime, django_assert_max_num_queries: Any
) -> None:
    for hours in range(1, 6):
        log_session(client_profile.user, assignment.pk, now - dt.timedelta(hours=hours), [rdl(10, "60")] * 6)
    # Session, user, client, assignment, its days, prescription in force (2), history of versions
    # (2), the latest sessions with their sets (2: last time and today's), the latest session's day,
    # and the session's new expiry: never per set or session.
    # +3: the latest session and its thread (coaching/threads), the header's unread badge.
    # +1: the latest sessions' coach tags (the page's session bodies carry them), +1 which sets have a form video.
    with django_assert_max_num_queries(21):
        assert signed_in.get(TODAY).status_code == 200


def test_pages_have_no_inline_script_or_style(signed_in: Any) -> None:
    """A strict CSP comes later: JavaScript and CSS only as static files."""
    for url in (TODAY, "/history/"):
        html = signed_in.get(url).content.decode()
        scripts = re.findall(r"<script\b[^>]*>", html)
        assert scripts, url
        for tag in scripts:
            assert " src=" in tag or 'type="application/json"' in tag, tag
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url
        assert "<style" not in html
        assert "//cdn" not in html
        assert "https://" not in html.replace("https://www.w3.org", "")


def _client_starting(coach: Any, start: dt.date) -> Any:
    person = factories.ClientFactory(coach=coach, with_login=True)
    assignment_create(client=person, start_date=start, changed_by=coach.user, lines=factories.default_lines())
    return person


def test_today_before_the_start_date_says_when_the_program_starts(
    client: Any, coach: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("coaching.sessions.phone.views._local_today", lambda _client: dt.date(2026, 12, 1))
    person = _client_starting(coach, dt.date(2026, 12, 7))
    client.force_login(person.user)
    html = client.get(TODAY).content.decode()
    assert "Your program starts on Mon 7 Dec 2026" in html
    assert "Romanian deadlift" in html, "the client can look through the program before it starts"


@pytest.mark.parametrize("start", [dt.date(2026, 12, 1), dt.date(2026, 11, 30)])
def test_today_on_or_after_the_start_date_has_no_start_notice(
    client: Any, coach: Any, monkeypatch: pytest.MonkeyPatch, start: dt.date
) -> None:
    monkeypatch.setattr("coaching.sessions.phone.views._local_today", lambda _client: dt.date(2026, 12, 1))
    person = _client_starting(coach, start)
    client.force_login(person.user)
    html = client.get(TODAY).content.decode()
    assert "Your program starts on" not in html
    assert "Log set 1 of 3" in html


def _kettlebell_client(coach: Any, unit: str, load: str) -> Any:
    person = factories.ClientFactory(coach=coach, with_login=True)
    assignment_create(
        client=person,
        start_date=dt.date(2026, 1, 5),
        unit=unit,
        changed_by=coach.user,
        lines=[
            Line(
                exercise=factories.exercise("kettlebell-swing"), sets=3, low=15, high=20, load=Decimal(load), unit=unit
            )
        ],
    )
    return person


def test_kettlebell_in_lb_steps_through_the_real_bells_shown_whole_logged_exact(client: Any, coach: Any) -> None:
    person = _kettlebell_client(coach, "lb", "52.91")
    client.force_login(person.user)
    response = client.get(TODAY)
    line = page_data(response)["lines"][0]
    # The bells 8, 12, ... 48 kg: shown as whole lb, logged at the bell's exact lb weight.
    assert line["bells"] == [18, 26, 35, 44, 53, 62, 71, 79, 88, 97, 106]
    assert line["bell_loads"] == [17.64, 26.46, 35.27, 44.09, 52.91, 61.73, 70.55, 79.37, 88.18, 97.0, 105.82]
    html = response.content.decode()
    assert re.search(r'id="load-0" name="load" inputmode="decimal"[^>]*value="53"', html)
    assert re.search(r"20 reps</strong>\s*·\s*53 lb", html)


def test_kettlebell_in_kg_steps_through_the_same_bells(client: Any, coach: Any) -> None:
    person = _kettlebell_client(coach, "kg", "24")
    client.force_login(person.user)
    line = page_data(client.get(TODAY))["lines"][0]
    assert line["bells"] == [8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48]
    assert line["bell_loads"] == line["bells"]


def test_seconds_held_starts_empty_with_the_target_as_placeholder(signed_in: Any) -> None:
    html = signed_in.get(TODAY).content.decode()
    amount = re.search(r'<input id="amount-2"[^>]*>', html)
    assert amount, "the hold has a seconds input"
    assert 'placeholder="20"' in amount.group(0)
    assert not re.search(r'value="[^"]+"', amount.group(0)), "nothing was held yet"
    assert re.search(r'id="amount-0"[^>]*value="10"', html), "reps stay prefilled for a one-tap log"
