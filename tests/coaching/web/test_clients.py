from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import kombu.exceptions
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from coaching.clients.tasks import send_client_invite
from coaching.models import Assignment, Client, PrescriptionVersion
from coaching.weeks import monday_of
from programs.lines import Line
from programs.services import template_create
from tests.coaching.web.conftest import HTMX, active_assignment, log_session, many_clients
from tests.factories import ClientFactory, exercise

pytestmark = pytest.mark.django_db


def test_adding_a_client_emails_the_invite_and_shows_the_link_to_copy(
    coach_web: Any, coach: Any, django_capture_on_commit_callbacks: Any, queued_invites: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_web.post(reverse("coach-client-add"), {"name": "Maya Okafor", "email": "Maya@Example.com"})
    client = Client.objects.get(coach=coach, email="maya@example.com")
    assert response["Location"] == f"{reverse('coach-client', args=[client.pk])}?invited=1"
    page = coach_web.get(response["Location"]).content.decode()
    link = f"http://testserver/invite/{client.invite_token}/"
    assert f'value="{link}"' in page
    assert 'data-copy="invite-link"' in page
    # The request only hands the email to Celery, after the commit; a worker sends it.
    assert mail.outbox == []
    assert queued_invites == [(client.pk, "http://testserver/")]
    assert send_client_invite.apply(args=queued_invites[0]).get() is True
    [email] = mail.outbox
    assert email.to == ["maya@example.com"]
    assert link in email.body
    assert send_client_invite.apply(args=queued_invites[0]).get() is False  # a duplicate delivery
    assert len(mail.outbox) == 1


def test_adding_a_client_while_the_broker_is_down_still_adds_them_and_shows_the_link(
    coach_web: Any, coach: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any, caplog: Any
) -> None:
    def broker_down(*args: Any) -> None:
        raise kombu.exceptions.OperationalError("Error 111 connecting to redis")

    monkeypatch.setattr(send_client_invite, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_web.post(reverse("coach-client-add"), {"name": "Maya Okafor", "email": "maya@example.com"})
    assert response.status_code == 302
    client = Client.objects.get(coach=coach, email="maya@example.com")
    assert f"/invite/{client.invite_token}/" in coach_web.get(response["Location"]).content.decode()
    assert "Invite email for client" in caplog.text


def test_renewing_the_invite_emails_the_new_link_once(
    coach_web: Any, coach: Any, django_capture_on_commit_callbacks: Any, queued_invites: list[Any]
) -> None:
    client = ClientFactory(coach=coach, invite_token="old-token", invite_expires_at=timezone.now(),
                           invite_sent_at=timezone.now())  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        coach_web.post(reverse("coach-client-invite", args=[client.pk]))
    client.refresh_from_db()
    assert mail.outbox == []
    assert queued_invites == [(client.pk, "http://testserver/")]
    send_client_invite.apply(args=queued_invites[0])
    send_client_invite.apply(args=queued_invites[0])
    [email] = mail.outbox
    assert f"http://testserver/invite/{client.invite_token}/" in email.body


def test_adding_a_client_twice_says_so_and_saves_nothing(coach_web: Any, client_profile: Any) -> None:
    response = coach_web.post(reverse("coach-client-add"), {"name": "Again", "email": client_profile.email.upper()})
    assert response.status_code == 400
    assert "You already have a client with this email." in response.content.decode()
    assert Client.objects.filter(coach=client_profile.coach).count() == 1


def test_adding_a_client_with_bad_input_htmx_gets_the_form_fragment(coach_web: Any) -> None:
    response = coach_web.post(reverse("coach-client-add"), {"name": "", "email": "not-an-email"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<form id="add-form"')
    assert "Enter a valid email address." in body
    assert "This field is required." in body


def test_renewing_the_invite_changes_the_link(coach_web: Any, coach: Any) -> None:
    client = ClientFactory(coach=coach, invite_token="old-token", invite_expires_at=timezone.now())
    response = coach_web.post(reverse("coach-client-invite", args=[client.pk]), **HTMX)
    client.refresh_from_db()
    assert client.invite_token != "old-token"
    assert f"/invite/{client.invite_token}/" in response.content.decode()


def test_client_list_search_and_filters_update_in_place(coach_web: Any, coach: Any) -> None:
    ClientFactory(coach=coach, name="Maya Okafor", with_assignment=True)
    ClientFactory(coach=coach, name="Jonas Berg")
    page = coach_web.get(reverse("coach-clients")).content.decode()
    assert 'data-hx-get="/clients/"' in page
    assert "Maya Okafor" in page
    assert "Jonas Berg" in page
    fragment = coach_web.get(reverse("coach-clients"), {"q": "maya"}, **HTMX)
    body = fragment.content.decode()
    assert body.lstrip().startswith('<section id="client-rows"')
    assert "Maya Okafor" in body
    assert "Jonas Berg" not in body
    assert "HX-Request" in fragment["Vary"]
    no_program = coach_web.get(reverse("coach-clients"), {"status": "no_program"}, **HTMX).content.decode()
    assert "Jonas Berg" in no_program
    assert "Maya Okafor" not in no_program


def test_client_list_queries_do_not_grow_with_clients(
    coach_web: Any, coach: Any, django_assert_max_num_queries: Any
) -> None:
    many_clients(coach, 1)
    with django_assert_max_num_queries(10) as small:
        coach_web.get(reverse("coach-clients"))
    many_clients(coach, 199)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = coach_web.get(reverse("coach-clients"))
    assert response.context["page"].paginator.count == 200


def _this_week(days: int) -> dt.datetime:
    day = monday_of(timezone.localdate()) - dt.timedelta(weeks=1) + dt.timedelta(days=days)
    return dt.datetime.combine(day, dt.time(8, 30), tzinfo=dt.UTC)


def test_client_page_shows_prescription_charts_timeline_and_csv_link(
    coach_web: Any, coach: Any, client_profile: Any
) -> None:
    assignment = active_assignment(client_profile)
    log_session(coach.user, assignment, _this_week(0) - dt.timedelta(weeks=1), reps=8)
    log_session(coach.user, assignment, _this_week(1), reps=10, pain=3, faults=("bar_drift",))
    body = coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    assert "Current prescription" in body
    assert "Romanian deadlift" in body
    assert "3 × 8–10 reps" in body
    assert body.count('<svg class="chart"') == 3  # adherence + e1RM and volume of the one exercise logged
    assert '<title id="adherence-t">Adherence per week</title>' in body
    assert "Pain 3/10" in body
    assert "Bar drifted away from the legs" in body
    assert f'href="/api/v1/clients/{client_profile.pk}/sessions.csv"' in body
    # The faulty week has no e1RM; the clean week's 60 kg × 8 reps = 60 × (1 + 8/30) = 76.
    assert "<td>76.0</td><td>1440.0</td>" in body
    assert "<td>–</td><td>1800.0</td>" in body


def test_client_page_sessions_read_one_line_per_exercise_that_opens_to_its_sets(
    coach_web: Any, coach: Any, client_profile: Any
) -> None:
    assignment = active_assignment(client_profile)
    log_session(coach.user, assignment, _this_week(0), reps=8, pain=3, faults=("bar_drift",))
    log_session(coach.user, assignment, _this_week(2), reps=10)
    body = coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    sessions = body[body.index('id="sessions"') : body.index('aria-labelledby="history-h"')]
    assert sessions.count('<details class="exercise-sets">') == 2  # one exercise in each of two sessions
    assert sessions.count("<tr>") == 2 + 6  # in the folds: a header row each and the six sets
    assert '<span class="ex-dose">3 × 10 @ 60 kg</span>' in sessions
    assert '<span class="ex-dose">3 × 8 @ 60 kg</span>' in sessions
    assert "e1RM 80.0 kg" in sessions  # 60 × (1 + 10/30)
    assert "Fault: Bar drifted away from the legs ×3" in sessions
    assert "Pain 3/10" in sessions


def _weeks_ago(weeks: int) -> dt.date:
    return monday_of(timezone.localdate()) - dt.timedelta(weeks=weeks)


def _at_monday(weeks: int) -> dt.datetime:
    return dt.datetime.combine(_weeks_ago(weeks), dt.time(8, 30), tzinfo=dt.UTC)


def test_the_client_page_without_sessions_says_so_instead_of_empty_charts(coach_web: Any, client_profile: Any) -> None:
    body = coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    assert '<svg class="chart"' not in body
    progress = body[body.index('id="charts-h"') : body.index('id="sessions"')]
    assert "No sessions yet" in progress
    assert "weeks of" not in progress


def test_the_client_page_charts_span_from_the_first_session(coach_web: Any, coach: Any, client_profile: Any) -> None:
    log_session(coach.user, active_assignment(client_profile), _at_monday(2))
    body = coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    assert body.count('<svg class="chart"') == 3
    assert f"weeks of {_weeks_ago(2):%-d %b} to {_weeks_ago(0):%-d %b %Y}" in body
    earlier = _weeks_ago(3)
    assert f">{earlier:%d %b}</text>" not in body  # no axis label before the first session


def test_client_sessions_are_paged_and_htmx_gets_the_fragment(coach_web: Any, coach: Any, client_profile: Any) -> None:
    assignment = active_assignment(client_profile)
    for i in range(12):
        log_session(coach.user, assignment, _this_week(0) - dt.timedelta(days=i))
    url = reverse("coach-client", args=[client_profile.pk])
    first = coach_web.get(url).content.decode()
    assert "Page 1 of 2" in first
    assert 'href="?page=2#sessions"' in first
    second = coach_web.get(url, {"page": 2}, **HTMX).content.decode()
    assert second.lstrip().startswith('<section class="card" id="sessions"')
    assert "Page 2 of 2" in second


def test_assigning_a_template_copies_its_lines_in_the_assignments_unit(coach_web: Any, coach: Any) -> None:
    client = ClientFactory(coach=coach)
    template = template_create(
        owner=coach.user,
        name="Base",
        lines=[Line(exercise=exercise("deadlift"), sets=3, low=5, high=8, load=Decimal("100"))],
    )
    response = coach_web.post(
        reverse("coach-program-assign", args=[template.pk]),
        {
            "client": client.pk,
            "start_date": "2026-12-07",
            "sessions_per_week": 2,
            "unit": "lb",
            "deload_every_weeks": 4,
            "load_increment_pct": "5",
        },
    )
    assert response["Location"] == reverse("coach-client", args=[client.pk])
    assignment = Assignment.objects.get(client=client)
    assert (assignment.sessions_per_week, assignment.unit, assignment.deload_every_weeks) == (2, "lb", 4)
    [line] = assignment.versions.get().lines.all()
    assert line.unit == "lb"
    assert line.load_display == Decimal("220.46")


def test_assign_form_errors_are_in_the_coachs_terms(coach_web: Any, coach: Any, client_profile: Any) -> None:
    template = template_create(owner=coach.user, name="Empty")
    response = coach_web.post(
        reverse("coach-client-assign", args=[client_profile.pk]),
        {"program": template.pk, "client": client_profile.pk, "start_date": "soon", "sessions_per_week": 30},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a valid date." in body
    assert "Ensure this value is less than or equal to 14." in body
    assert Assignment.objects.filter(client=client_profile).count() == 1


def test_assigning_an_empty_template_is_refused(coach_web: Any, coach: Any, client_profile: Any) -> None:
    template = template_create(owner=coach.user, name="Empty")
    response = coach_web.post(
        reverse("coach-client-assign", args=[client_profile.pk]),
        {
            "program": template.pk,
            "client": client_profile.pk,
            "start_date": "2026-12-07",
            "sessions_per_week": 3,
            "unit": "kg",
            "load_increment_pct": "5",
        },
    )
    assert response.status_code == 400
    assert "has no exercises yet" in response.content.decode()


def _formset(lines: list[dict[str, Any]], **meta: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "line-TOTAL_FORMS": len(lines),
        "line-INITIAL_FORMS": len(lines) - 1,
        "line-MIN_NUM_FORMS": 1,
        "line-MAX_NUM_FORMS": 1000,
    }
    for i, line in enumerate(lines):
        data |= {f"line-{i}-{k}": v for k, v in line.items()}
    return data | meta


RDL = {"exercise": "romanian-deadlift", "sets": 3, "low": 8, "high": 10, "load": "65", "unit": "kg"}
SLRDL = {"exercise": "single-leg-rdl", "sets": 3, "low": 8, "high": 12, "load": "12", "unit": "kg"}
HOLD = {"exercise": "rdl-isometric-hold", "sets": 2, "low": 10, "high": 20, "load": "40", "unit": "kg"}
BLANK = {"exercise": "", "sets": 3, "low": 8, "high": 12, "load": "0", "unit": "kg"}


def test_editing_the_prescription_records_a_version_shown_on_the_client_page(
    coach_web: Any, client_profile: Any
) -> None:
    url = reverse("coach-prescription-edit", args=[client_profile.pk])
    assert 'name="line-0-exercise"' in coach_web.get(url).content.decode()
    response = coach_web.post(
        url, _formset([RDL, SLRDL, {**HOLD, "DELETE": "on"}, BLANK], effective_from="2026-11-30", reason="Heavier RDL")
    )
    assert response.status_code == 302
    version = active_assignment(client_profile).versions.order_by("-id").first()
    assert version.source == PrescriptionVersion.Source.COACH_EDIT
    assert [line.exercise.slug for line in version.lines.all()] == ["romanian-deadlift", "single-leg-rdl"]
    body = coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    assert "Heavier RDL" in body
    assert "Edited by the coach" in body
    assert "65 kg" in body


def test_prescription_edit_field_errors_save_nothing(coach_web: Any, client_profile: Any) -> None:
    url = reverse("coach-prescription-edit", args=[client_profile.pk])
    bad = {**RDL, "low": 12, "high": 8, "tempo": "slow", "target_rpe": "7.3"}
    response = coach_web.post(url, _formset([bad, SLRDL, HOLD, BLANK], effective_from="2026-11-30"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "The range starts above its end (12 &gt; 8 reps)." in body
    assert "Write the tempo as seconds down-pause-up, e.g. 3-2-1." in body
    assert "Use whole or half RPE values" in body
    assert active_assignment(client_profile).versions.count() == 1


def test_a_bodyweight_exercise_cannot_carry_a_load(coach_web: Any, client_profile: Any) -> None:
    url = reverse("coach-prescription-edit", args=[client_profile.pk])
    bridge = {"exercise": "glute-bridge", "sets": 3, "low": 8, "high": 12, "load": "20", "unit": "kg"}
    response = coach_web.post(url, _formset([bridge, SLRDL, HOLD, BLANK], effective_from="2026-11-30"))
    assert response.status_code == 400
    assert "Bodyweight exercises carry no load: use 0." in response.content.decode()


def test_the_prescription_editor_refuses_a_kettlebell_load_that_is_no_bell(coach_web: Any, client_profile: Any) -> None:
    url = reverse("coach-prescription-edit", args=[client_profile.pk])
    bell = {"exercise": "kettlebell-swing", "sets": 3, "low": 8, "high": 12, "load": "13.5", "unit": "kg"}
    response = coach_web.post(url, _formset([RDL, bell, HOLD, BLANK], effective_from="2026-11-30"))
    assert response.status_code == 400
    assert "Kettlebells come in 8, 12, 16, … 48 kg." in response.content.decode()
    assert active_assignment(client_profile).versions.count() == 1
