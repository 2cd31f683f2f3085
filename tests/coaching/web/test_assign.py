"""The assign form: the start date in the app's words, today by default, no needless choices."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import dateformat

from coaching.models import Assignment
from coaching.weeks import local_today
from programs.lines import Line
from programs.services import template_create
from tests.coaching.web.conftest import HTMX
from tests.factories import ClientFactory, exercise

pytestmark = pytest.mark.django_db


def _template(coach: Any, name: str = "Base") -> Any:
    return template_create(
        owner=coach.user,
        name=name,
        lines=[Line(exercise=exercise("deadlift"), sets=3, low=5, high=8, load=Decimal("100"))],
    )


def test_start_date_defaults_to_today_and_is_written_in_the_apps_words(coach_web: Any, coach: Any) -> None:
    client = ClientFactory(coach=coach)
    body = coach_web.get(reverse("coach-client-assign", args=[client.pk])).content.decode()
    today = local_today(coach)
    assert f'name="start_date" value="{today.isoformat()}"' in body
    assert f"Starts on {dateformat.format(today, 'D j M Y')}." in body
    assert "the first weekly review covers the week (Monday to Sunday) that contains it" in body


def test_the_start_date_help_follows_the_chosen_date(coach_web: Any, coach: Any) -> None:
    client = ClientFactory(coach=coach)
    url = reverse("coach-client-assign", args=[client.pk])
    fragment = coach_web.get(url, {"start_date": "2026-12-07"}, **HTMX).content.decode()
    assert fragment.lstrip().startswith('<p class="help" id="id_start_date_helptext"')
    assert "Starts on Mon 7 Dec 2026." in fragment
    nonsense = coach_web.get(url, {"start_date": "soon"}, **HTMX)
    assert nonsense.status_code == 200
    assert "Starts on" not in nonsense.content.decode()
    # Without JavaScript: a refused form says the date it was sent with.
    refused = coach_web.post(url, {"start_date": "2026-12-09", "sessions_per_week": 30}).content.decode()
    assert "Starts on Wed 9 Dec 2026." in refused


def test_from_a_clients_page_there_is_no_client_to_choose(coach_web: Any, coach: Any) -> None:
    client = ClientFactory(coach=coach, name="Maya Okafor")
    ClientFactory(coach=coach, name="Ben Ode")
    template = _template(coach)
    url = reverse("coach-client-assign", args=[client.pk])
    body = coach_web.get(url).content.decode()
    assert 'name="client"' not in body
    assert "Ben Ode" not in body
    response = coach_web.post(
        url,
        {
            "program": template.pk,
            "start_date": "2026-12-07",
            "sessions_per_week": 2,
            "unit": "kg",
            "load_increment_pct": "5",
        },
    )
    assert response["Location"] == reverse("coach-client", args=[client.pk])
    assert Assignment.objects.get(client=client).start_date == dt.date(2026, 12, 7)


def test_from_a_programs_page_the_coach_chooses_the_client(coach_web: Any, coach: Any) -> None:
    ClientFactory(coach=coach, name="Maya Okafor")
    body = coach_web.get(reverse("coach-program-assign", args=[_template(coach).pk])).content.decode()
    assert '<select name="client"' in body
    assert "Maya Okafor" in body


def _program_select(body: str) -> str:
    return re.search(r'<select id="id_program" name="program".*?</select>', body, re.S).group(0)


def test_the_only_program_is_preselected(coach_web: Any, coach: Any) -> None:
    client = ClientFactory(coach=coach)
    only = _template(coach, "Only one")
    url = reverse("coach-client-assign", args=[client.pk])
    assert f'<option value="{only.pk}" selected>' in _program_select(coach_web.get(url).content.decode())
    _template(coach, "Second")
    assert "selected" not in _program_select(coach_web.get(url).content.decode())


def test_a_template_in_kg_assigned_in_lb_is_prescribed_in_lb_and_a_bell_stays_its_bell(
    coach_web: Any, coach: Any
) -> None:
    client = ClientFactory(coach=coach)
    template = template_create(
        owner=coach.user,
        name="Mixed",
        lines=[
            Line(exercise=exercise("deadlift"), sets=3, low=5, high=8, load=Decimal("100")),
            Line(exercise=exercise("kettlebell-swing"), sets=3, low=10, high=15, load=Decimal("24")),
        ],
    )
    response = coach_web.post(
        reverse("coach-client-assign", args=[client.pk]),
        {"program": template.pk, "start_date": "2026-12-07", "sessions_per_week": 2, "unit": "lb",
         "load_increment_pct": "5"},
    )  # fmt: skip
    assert response.status_code == 302
    lines = list(Assignment.objects.get(client=client).versions.get().lines.order_by("position"))
    assert [(line.unit, line.load_display) for line in lines] == [("lb", Decimal("220.46")), ("lb", Decimal("52.91"))]
    assert lines[1].load_kg == Decimal("24")  # the 24 kg bell, shown as 53 lb
    assert lines[1].load_shown == Decimal("53")


def test_template_lines_in_the_assignments_unit(coach: Any) -> None:
    from coaching.services.prescriptions import template_lines

    template = _template(coach)
    (kept,) = template_lines(template)
    (in_lb,) = template_lines(template, unit="lb")
    assert (kept.unit, kept.load) == ("kg", Decimal("100"))
    assert (in_lb.unit, in_lb.load) == ("lb", Decimal("220.46"))
