from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.selectors_coach import dashboard_for, monday_of
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from tests.coaching.web.conftest import active_assignment, log_session, make_review, many_clients

pytestmark = pytest.mark.django_db


def _last_week_day(coach: Any, weekday: int) -> dt.datetime:
    this_monday = monday_of(timezone.localdate())
    day = this_monday - dt.timedelta(days=7 - weekday)
    return dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC)


def test_dashboard_lists_pending_reviews_with_links(coach_web: Any, client_profile: Any) -> None:
    review = make_review(active_assignment(client_profile), dt.date(2026, 11, 16), flags=["pain", "refer"])
    body = coach_web.get(reverse("coach-dashboard")).content.decode()
    assert reverse("coach-review", args=[review.pk]) in body
    assert '1</span><span class="stat-label">review waiting' in body
    assert "See a clinician" in body


def test_dashboard_flags_low_adherence_pain_and_no_data(coach_web: Any, coach: Any, client_profile: Any) -> None:
    log_session(coach.user, active_assignment(client_profile), _last_week_day(coach, 1), pain=4)
    board = dashboard_for(coach)
    [row] = board.attention
    assert row.client == client_profile
    assert {"adherence", "pain", "no_data"} <= row.kinds
    body = coach_web.get(reverse("coach-dashboard")).content.decode()
    assert "Adherence 33.3% last week (1 of 3 sessions)" in body
    assert "Pain 4/10 on Romanian deadlift" in body
    assert reverse("coach-client", args=[client_profile.pk]) in body


def test_dashboard_refer_flag_links_to_the_review(coach: Any, client_profile: Any) -> None:
    review = make_review(active_assignment(client_profile), dt.date(2026, 11, 16), flags=["refer"])
    [row] = dashboard_for(coach).attention
    assert "refer" in row.kinds
    assert row.link == reverse("coach-review", args=[review.pk])


def test_dashboard_shows_recent_sessions(coach_web: Any, coach: Any, client_profile: Any) -> None:
    log_session(coach.user, active_assignment(client_profile), _last_week_day(coach, 2))
    body = coach_web.get(reverse("coach-dashboard")).content.decode()
    assert client_profile.name in body
    assert "Recent sessions" in body


def test_dashboard_queries_do_not_grow_with_clients(
    coach_web: Any, coach: Any, django_assert_max_num_queries: Any
) -> None:
    [first] = many_clients(coach, 1)
    log_session(coach.user, active_assignment(first), _last_week_day(coach, 1), pain=2)
    make_review(active_assignment(first), dt.date(2026, 11, 16))
    with django_assert_max_num_queries(13) as small:  # 13: the recent sessions of shared clients apart
        coach_web.get(reverse("coach-dashboard"))
    for extra in many_clients(coach, 199)[:20]:
        log_session(coach.user, active_assignment(extra), _last_week_day(coach, 1), pain=1)
        make_review(active_assignment(extra), dt.date(2026, 11, 16), flags=["refer"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = coach_web.get(reverse("coach-dashboard"))
    assert response.context["board"].clients_count == 200


def test_weeks_follow_the_coachs_time_zone(coach: Any, client_profile: Any) -> None:
    """A set at 23:30 UTC on a Sunday is Monday morning in Auckland: it counts for the new week."""
    coach.time_zone = "Pacific/Auckland"
    coach.save(update_fields=["time_zone"])
    now = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)  # Monday 16:00 in Auckland
    sunday_late_utc = dt.datetime(2026, 11, 22, 23, 30, tzinfo=dt.UTC)
    log_session(coach.user, active_assignment(client_profile), sunday_late_utc)
    board = dashboard_for(coach, now=now)
    assert board.this_week == dt.date(2026, 11, 23)
    [row] = board.attention
    assert "no_data" not in row.kinds
    assert "adherence" in row.kinds  # nothing in last week (16–22 Nov, Auckland time)


def _log_sides(coach: Any, client: Any, when: dt.datetime, left_kg: str, right_kg: str) -> None:
    sets = tuple(
        SetInput(exercise="single-leg-rdl", side=side, reps=8, load=Decimal(load))
        for side, load in (("left", left_kg), ("right", right_kg))
        for _ in range(3)
    )
    item = SessionInput(
        id=uuid.uuid4(),
        assignment_id=active_assignment(client).pk,
        performed_at=when,
        client_modified_at=when,
        sets=sets,
    )
    [result] = sessions_apply(user=coach.user, items=[item])
    assert result.status == "created", result.errors


def test_dashboard_flags_a_weaker_side_last_week(coach_web: Any, coach: Any, client_profile: Any) -> None:
    """docs/domain.md's asymmetry: the weaker side under 90% of the stronger's volume load last week."""
    _log_sides(coach, client_profile, _last_week_day(coach, 1), left_kg="20", right_kg="16")
    [row] = dashboard_for(coach).attention
    assert row.client == client_profile
    assert ("asymmetry", "Single-leg Romanian deadlift: weaker side at 80% of the stronger last week") in row.reasons
    body = coach_web.get(reverse("coach-dashboard")).content.decode()
    assert "Single-leg Romanian deadlift: weaker side at 80% of the stronger last week" in body


def test_dashboard_leaves_a_side_at_90_percent_of_the_other_unflagged(coach: Any, client_profile: Any) -> None:
    _log_sides(coach, client_profile, _last_week_day(coach, 1), left_kg="20", right_kg="18")
    [row] = dashboard_for(coach).attention
    assert "asymmetry" not in row.kinds
    assert {"adherence", "no_data"} <= row.kinds  # the row is there, for its other reasons


def test_needs_attention_pages_through_every_flagged_client(coach_web: Any, coach: Any) -> None:
    """The card shows 20 flagged clients at a time, counted in full, with links to the rest."""
    clients = many_clients(coach, 23)  # none has logged anything: each needs attention
    names = sorted(c.name for c in clients)
    url = reverse("coach-dashboard")
    first = coach_web.get(url).content.decode()
    assert '23</span><span class="stat-label">clients needing attention' in first
    assert "1–20 of 23" in first
    assert "?attention=2#attention" in first
    assert all(name in first for name in names[:20])
    assert names[20] not in first.split('id="attention"')[1].split("</section>")[0]
    second = coach_web.get(url, {"attention": "2"}).content.decode()
    assert "21–23 of 23" in second
    assert "?attention=1#attention" in second
    assert all(name in second for name in names[20:])
    assert coach_web.get(url, {"attention": "99"}).content.decode().count("21–23 of 23") == 1  # the last page
    for garbage in ("x", "-1", "0", "9" * 30, "1\x00"):
        response = coach_web.get(url, {"attention": garbage})
        assert response.status_code == 200
        assert "1–20 of 23" in response.content.decode()
    board = dashboard_for(coach, attention_page=2)
    assert [row.client.name for row in board.attention] == names[20:]
    assert board.attention_count == 23


def test_a_waiting_review_card_counts_its_proposals_and_badges_its_flags(coach_web: Any, client_profile: Any) -> None:
    assignment = active_assignment(client_profile)
    make_review(assignment, dt.date(2026, 11, 16), flags=["pain"])
    board = dashboard_for(client_profile.coach)
    [review] = board.pending_reviews
    assert review.proposals == review.items.count() >= 1
    body = coach_web.get(reverse("coach-dashboard")).content.decode()
    assert f"{review.proposals} proposal" in body
    assert 'class="badge warn">' in body.split('id="pending-h"')[1].split("</section>")[0]


@pytest.mark.parametrize(("left_kg", "flagged"), [("17.99", False), ("17.989", True)])
def test_asymmetry_is_judged_on_the_rounded_percentage(
    coach: Any, client_profile: Any, left_kg: str, flagged: bool
) -> None:
    """89.95% rounds to 90% (not under it); 89.945% to 89.9%: the SQL check agrees with the words."""
    _log_sides(coach, client_profile, _last_week_day(coach, 1), left_kg=left_kg, right_kg="20")
    [row] = dashboard_for(coach).attention
    assert ("asymmetry" in row.kinds) is flagged
    if flagged:
        assert (
            "asymmetry",
            "Single-leg Romanian deadlift: weaker side at 89.9% of the stronger last week",
        ) in row.reasons
