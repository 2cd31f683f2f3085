"""The client page's prescription history: the latest versions, and all of them on "show all"
(a link that works without htmx, an htmx fragment with it); the upcoming versions and the one in
force, read alone whatever the history's length."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from coaching.clients.views import VERSIONS_SHOWN
from coaching.services.prescriptions import prescription_version_write
from coaching.weeks import local_today, monday_of
from programs.lines import Line
from tests import factories
from tests.coaching.web.conftest import active_assignment

pytestmark = pytest.mark.django_db


def _versions(assignment: Any, coach: Any, weeks: range) -> list[dt.date]:
    """A review-approved version a week, the first line's load moving on (``62 + week`` kg)."""
    monday = monday_of(local_today(coach))
    dates = []
    for week in weeks:
        lines = factories.default_lines()
        lines[0] = Line(**{**lines[0].__dict__, "load": Decimal(62 + week)})
        effective = monday + dt.timedelta(weeks=week)
        prescription_version_write(
            assignment=assignment, lines=lines, effective_from=effective, source="review", changed_by=coach.user
        )
        dates.append(effective)
    return dates


def _history(body: str) -> str:
    return body[body.index('id="prescription-history"') :].split("</section>")[0]


def test_the_latest_versions_show_and_all_open_with_and_without_htmx(
    coach_web: Any, coach: Any, client_profile: Any
) -> None:
    assignment = active_assignment(client_profile)
    _versions(assignment, coach, range(-8, 0))  # 8 past versions, and the assigned one: 9 in all
    url = reverse("coach-client", args=[client_profile.pk])
    history = _history(coach_web.get(url).content.decode())
    assert history.count('<div class="history-head">') == VERSIONS_SHOWN
    assert "<summary>9 versions, the latest from" in history
    assert f'href="{url}?versions=all#prescription-history"' in history
    assert f'data-hx-get="{url}?versions=all"' in history
    assert "Show all 9 versions" in history
    everything = _history(coach_web.get(url, {"versions": "all"}).content.decode())
    assert everything.count('<div class="history-head">') == 9
    assert '<details class="history-all" open>' in everything
    assert "Show all" not in everything
    fragment = coach_web.get(url, {"versions": "all"}, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<section class="card" id="prescription-history"')
    assert fragment.count('<div class="history-head">') == 9
    assert "<html" not in fragment


def test_a_short_history_shows_every_version_without_a_link(coach_web: Any, coach: Any, client_profile: Any) -> None:
    assignment = active_assignment(client_profile)
    _versions(assignment, coach, range(-2, 0))
    history = _history(coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode())
    assert history.count('<div class="history-head">') == 3
    assert "Show all" not in history


def test_the_version_in_force_and_the_upcoming_ones_come_from_a_long_history(
    coach_web: Any, coach: Any, client_profile: Any
) -> None:
    assignment = active_assignment(client_profile)
    dates = _versions(assignment, coach, range(-20, 3))  # this week's is week 0: 82 kg; two upcoming
    body = coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    current = body[body.index('aria-labelledby="presc-h"') :].split("</section>")[0]
    assert f"since {dates[20]:%-d %b %Y}" in current
    assert current.count('<span class="badge info">Upcoming</span>') == 2
    assert f"From {dates[21]:%A %-d %b}" in current
    assert f"From {dates[22]:%A %-d %b}" in current


def test_another_coachs_client_history_is_not_found(coach_web: Any, other_client: Any) -> None:
    url = reverse("coach-client", args=[other_client.pk])
    assert coach_web.get(url, {"versions": "all"}, HTTP_HX_REQUEST="true").status_code == 404
