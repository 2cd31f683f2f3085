"""The coach's review page: errors under the right field, referrals, units, what changed, reasons."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from coaching.models import ReviewItem, WeeklyReview
from coaching.reviews import decisions as review_service
from coaching.reviews.generation import reviews_generate_batch
from coaching.reviews.present import approval_message, proposal_reason
from coaching.services.prescriptions import assignment_create
from programs.lines import Line
from tests.coaching.web.conftest import HTMX, active_assignment, log_session, make_review
from tests.coaching.web.test_reviews import _form_data, _items
from tests.factories import ClientFactory, default_lines

pytestmark = pytest.mark.django_db
WEEK = dt.date(2026, 11, 16)


@pytest.fixture
def review(client_profile: Any) -> WeeklyReview:
    return make_review(active_assignment(client_profile), WEEK)


def _field_errors(body: str, field_id: str) -> list[str]:
    """The messages rendered under one field (``_field.html``'s error paragraphs)."""
    return [
        html.unescape(re.sub(r"<[^>]+>|⚠", "", m)).strip()
        for m in re.findall(rf'<p class="field-error" id="{re.escape(field_id)}_error">(.*?)</p>', body)
    ]


# --- 1. errors reach the page under the right field ---------------------------------------------


def test_an_edit_of_reps_to_below_reps_from_is_reported_under_reps_to(coach_web: Any, review: WeeklyReview) -> None:
    first = _items(review)[0]
    data = _form_data(review, **{f"item-{first.pk}-high": "5"}, mode="all")
    response = coach_web.post(reverse("coach-review-approve", args=[review.pk]), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert _field_errors(body, f"id_item-{first.pk}-high") == ["The range starts above its end (8 > 5 reps)."]
    assert _field_errors(body, f"id_item-{first.pk}-low") == []
    review.refresh_from_db()
    assert review.status == "pending"


@pytest.fixture
def service_refuses_25_kg(monkeypatch: pytest.MonkeyPatch) -> str:
    """A check only the service makes (as the kettlebell check does): 25 kg is refused."""
    message = "Kettlebells come in fixed sizes: 24 kg or 28 kg."
    real = Line.from_json

    def checked(cls: type[Line], data: Any, exercises: Any) -> Any:
        if str(data.get("load")) == "25":
            raise ValidationError({"load": [message]})
        return real(data, exercises)

    monkeypatch.setattr(Line, "from_json", classmethod(checked))
    return message


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_an_edit_the_service_refuses_shows_its_message_under_that_field(
    coach_web: Any, review: WeeklyReview, service_refuses_25_kg: str, htmx: bool
) -> None:
    second = _items(review)[1]
    data = _form_data(review, **{f"item-{second.pk}-load": "25"}, mode="all")
    response = coach_web.post(reverse("coach-review-approve", args=[review.pk]), data, **(HTMX if htmx else {}))
    assert response.status_code == (200 if htmx else 400)
    body = response.content.decode()
    if htmx:
        assert body.lstrip().startswith('<div id="review-body"')
    assert _field_errors(body, f"id_item-{second.pk}-load") == [service_refuses_25_kg]
    assert "Please check the fields marked below." in body
    review.refresh_from_db()
    assert review.status == "pending"
    assert review.assignment.versions.count() == 1


def test_a_service_error_about_no_field_is_shown_on_the_page(
    coach_web: Any, review: WeeklyReview, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**kwargs: Any) -> Any:
        raise review_service.ReviewInputError({"items": [{"id": ["No item 999 in this review."]}]})

    monkeypatch.setattr("coaching.reviews.views.review_approve", refuse)
    response = coach_web.post(reverse("coach-review-approve", args=[review.pk]), _form_data(review, mode="all"))
    assert response.status_code == 400
    assert "No item 999 in this review." in response.content.decode()


def test_a_current_line_the_service_cannot_read_again_is_an_error_not_a_500(
    coach_web: Any, review: WeeklyReview
) -> None:
    """Approving one proposal rewrites the others' current lines; a broken one is said, not crashed on."""
    first, second = _items(review)[:2]
    ReviewItem.objects.filter(pk=second.pk).update(current={**second.current, "sets": 0})
    response = coach_web.post(
        reverse("coach-review-approve", args=[review.pk]), _form_data(review, only=first.pk), **HTMX
    )
    assert response.status_code == 200
    assert "Sets must be a whole number from 1 to 20." in response.content.decode()
    review.refresh_from_db()
    assert review.status == "pending"


def test_bulk_approve_skips_a_review_the_service_refuses(
    coach_web: Any, review: WeeklyReview, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(**kwargs: Any) -> Any:
        raise review_service.ReviewInputError({"items": [{"id": 1, "proposed": {"load": ["No."]}}]})

    monkeypatch.setattr(review_service, "review_approve", refuse)  # the loop is the service's
    response = coach_web.post(reverse("coach-reviews-bulk-approve"), {"review": [review.pk]}, follow=True)
    assert response.status_code == 200
    assert "Not approved (already decided or invalid)" in response.content.decode()


# --- 3. the week in numbers in the assignment's unit ---------------------------------------------


def test_the_week_in_numbers_is_shown_in_the_assignments_unit(coach_web: Any, coach: Any) -> None:
    client = ClientFactory(coach=coach)
    assignment = assignment_create(
        client=client, start_date=dt.date(2026, 10, 5), lines=default_lines("lb"), changed_by=coach.user, unit="lb"
    )
    review = make_review(assignment, WEEK)  # volume 1224.7 kg, best e1RM 81.6 kg
    body = coach_web.get(reverse("coach-review", args=[review.pk])).content.decode()
    assert '<th scope="col">Volume load (lb)</th><th scope="col">Best e1RM (lb)</th>' in body
    assert "<td>6</td><td>2700</td><td>179.9</td>" in body
    assert "(kg)" not in body


def test_the_week_in_numbers_stays_in_kg_for_a_kg_assignment(coach_web: Any, review: WeeklyReview) -> None:
    body = coach_web.get(reverse("coach-review", args=[review.pk])).content.decode()
    assert '<th scope="col">Volume load (kg)</th><th scope="col">Best e1RM (kg)</th>' in body
    assert "<td>6</td><td>1224.7</td><td>81.6</td>" in body


# --- 4. the approval says what changed ---------------------------------------------------------


def _done(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_approving_says_what_changed_and_from_when(coach_web: Any, review: WeeklyReview) -> None:
    response = coach_web.post(
        reverse("coach-review-approve", args=[review.pk]), _form_data(review, mode="all"), follow=True
    )
    assert _done(response) == [
        "Approved. Romanian deadlift: 60 → 65 kg; Single-leg Romanian deadlift: 12 → 17 kg; "
        "RDL isometric hold: 40 → 45 kg, from Mon 23 Nov."
    ]


def test_approving_an_edit_names_every_changed_value(coach_web: Any, review: WeeklyReview) -> None:
    first = _items(review)[0]
    data = _form_data(review, **{f"item-{first.pk}-sets": "4", f"item-{first.pk}-high": "12"}, only=first.pk)
    response = coach_web.post(reverse("coach-review-approve", args=[review.pk]), data, **HTMX)
    assert response.status_code == 200
    assert "Approved. Romanian deadlift: 3 → 4 sets, 8–10 → 8–12 reps, 60 → 65 kg, from Mon 23 Nov." in (
        html.unescape(response.content.decode())
    )


def test_approving_only_holds_says_nothing_changed(coach_web: Any, review: WeeklyReview) -> None:
    for item in _items(review):
        ReviewItem.objects.filter(pk=item.pk).update(action="hold", rule="hold", proposed=item.current)
    response = coach_web.post(
        reverse("coach-review-approve", args=[review.pk]), _form_data(review, mode="all"), follow=True
    )
    assert _done(response) == ["Approved: no change to the prescription."]
    assert "new prescription is in force" not in response.content.decode()


def test_a_move_to_a_variant_names_both_exercises() -> None:
    current = {"exercise": "romanian-deadlift", "sets": 3, "reps_low": 8, "reps_high": 10, "load": 60, "unit": "kg"}
    moved = {**current, "exercise": "rdl-isometric-hold", "reps_low": None, "reps_high": None}
    moved |= {"seconds_low": 10, "seconds_high": 20, "load": 40}
    item = ReviewItem(current=current, approved_line=moved)
    names = {"romanian-deadlift": "Romanian deadlift", "rdl-isometric-hold": "RDL isometric hold"}
    assert approval_message([item], names, dt.date(2026, 12, 7)) == (
        "Approved. Romanian deadlift → RDL isometric hold: 8–10 reps → 10–20 s, 60 → 40 kg, from Mon 7 Dec."
    )


# --- 5. the reason in a coach's words -------------------------------------------------------------


def _generated(coach: Any, client_profile: Any, sessions: list[tuple[dt.datetime, dict[str, Any]]]) -> WeeklyReview:
    assignment = active_assignment(client_profile)
    for when, kwargs in sessions:
        log_session(coach.user, assignment, when, **kwargs)
    reviews_generate_batch(week_start=WEEK, assignment_ids=[assignment.pk], notify=False)
    return WeeklyReview.objects.get(assignment=assignment, week_start=WEEK)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(7, 30), tzinfo=dt.UTC)


def _rdl_reason(coach_web: Any, review: WeeklyReview) -> tuple[ReviewItem, str]:
    item = review.items.get(exercise__slug="romanian-deadlift")
    body = coach_web.get(reverse("coach-review", args=[review.pk])).content.decode()
    card = body[body.index(f'id="item-{item.pk}"') :]
    return item, html.unescape(re.search(r'<span class="proposal-reason">(.*?)</span>', card).group(1))


def test_a_return_from_a_break_is_named_with_its_days(coach_web: Any, coach: Any, client_profile: Any) -> None:
    review = _generated(coach, client_profile, [(_at(dt.date(2026, 10, 31)), {}), (_at(dt.date(2026, 11, 17)), {})])
    item, reason = _rdl_reason(coach_web, review)
    assert (item.rule, item.action) == ("data", "regress")
    assert reason == "Back from a 17-day break"
    body = coach_web.get(reverse("coach-review", args=[review.pk])).content.decode()
    assert "Enough data" not in body
    assert item.rationale in html.unescape(body)  # the rationale stays


def test_faults_are_named_with_their_share_of_sets(coach_web: Any, coach: Any, client_profile: Any) -> None:
    days = [dt.date(2026, 11, 16), dt.date(2026, 11, 18), dt.date(2026, 11, 20)]
    sessions = [(_at(day), {"faults": ("bar_drift",)} if day.day == 18 else {}) for day in days]
    review = _generated(coach, client_profile, [(_at(dt.date(2026, 11, 13)), {}), *sessions])
    item, reason = _rdl_reason(coach_web, review)
    assert item.rule == "technique"
    assert reason == "Faults on 3 of 9 sets"


def test_pain_is_named_and_asks_for_a_clinician(coach_web: Any, coach: Any, client_profile: Any) -> None:
    review = _generated(
        coach, client_profile, [(_at(dt.date(2026, 11, 13)), {}), (_at(dt.date(2026, 11, 17)), {"pain": 4})]
    )
    item, reason = _rdl_reason(coach_web, review)
    assert "refer" in item.flags
    assert reason == "Pain 4/10 reported: see a clinician"


def test_two_good_sessions_are_ready_to_progress(coach_web: Any, coach: Any, client_profile: Any) -> None:
    review = _generated(coach, client_profile, [(_at(dt.date(2026, 11, 17)), {}), (_at(dt.date(2026, 11, 19)), {})])
    item, reason = _rdl_reason(coach_web, review)
    assert item.action == "progress"
    assert reason == "Ready to progress"


@pytest.mark.parametrize(
    ("rule", "action", "flags", "rationale", "reason"),
    [
        ("data", "hold", ["no_data"], "Data: no set of X was logged in the week of 16 Nov.",
         "No sets logged this week"),
        ("safety", "hold", ["pain"], "Safety: hold at 60 kg, pain 2/10 reported on 17 Nov.", "Pain 2/10 reported"),
        (
            "safety", "regress", ["pain", "refer"],
            "Safety: pain in 2 sessions this week (1/10 on 17 Nov; 2/10 on 19 Nov). Regress ...",
            "Pain in 2 sessions: see a clinician",
        ),
        (
            "technique", "regress", [],
            "Technique: a fault in each of the last two sessions (17 Nov: bar drift; 19 Nov: core lost).",
            "Faults in each of the last two sessions",
        ),
        ("deload", "deload", [], "Deload: next week, week 4 (from 23 Nov), is a scheduled deload week (every 4 weeks).",
         "Scheduled deload week next"),
        ("deload", "deload", [], "Deload: the best e1RM this week, 70 kg, is 8.2% below the best of the three weeks "
         "before, 76.3 kg. For one week, ...", "Best e1RM down 8.2%"),
        ("deload", "hold", [], "Deload: back from deload. The deload week is over.", "Back from a deload week"),
        ("too_hard", "regress", [], "Too hard: a set under 8 reps in each of the last two sessions (6 on 17 Nov, "
         "7 on 19 Nov).", "Under 8 reps in the last two sessions"),
        ("too_hard", "regress", [], "Too hard: the mean RPE this week, 9.5, is 2.5 above the target 7.",
         "RPE 9.5, 2.5 above target"),
        ("progress", "hold", ["asymmetry"], "Progress held for asymmetry: the left side's volume load (kg) this week "
         "is 800, 80% of the right side's 1000, under 90%.", "Sides uneven: left at 80%"),
        ("hold", "hold", [], "Hold at 60 kg: the only session so far does not qualify.",
         "Keep building toward 10 reps"),
    ],
)  # fmt: skip
def test_each_rule_is_named_in_a_coachs_words(
    rule: str, action: str, flags: list[str], rationale: str, reason: str
) -> None:
    current = {"exercise": "romanian-deadlift", "sets": 3, "reps_low": 8, "reps_high": 10, "load": 60, "unit": "kg"}
    item = ReviewItem(rule=rule, action=action, flags=flags, rationale=rationale, current=current, proposed=current)
    assert proposal_reason(item) == reason


# --- 2. a "see a clinician" review: confirm before approving, mark as referred ----------------


@pytest.fixture
def refer_review(client_profile: Any) -> WeeklyReview:
    """The first proposal is flagged pain and refer (see a clinician)."""
    return make_review(active_assignment(client_profile), WEEK, flags=["pain", "refer"])


def _hidden(body: str) -> dict[str, str]:
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body))


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_approve_all_on_a_see_a_clinician_review_asks_to_confirm_first(
    coach_web: Any, refer_review: WeeklyReview, htmx: bool
) -> None:
    url = reverse("coach-review-approve", args=[refer_review.pk])
    first = _items(refer_review)[0]
    data = _form_data(refer_review, **{f"item-{first.pk}-load": "62.5"}, mode="all")
    response = coach_web.post(url, data, **(HTMX if htmx else {}))
    assert response.status_code == 200
    body = html.unescape(response.content.decode())
    if htmx:
        assert body.lstrip().startswith('<div id="review-body"')
    assert "Approve despite “see a clinician”?" in body
    assert "Romanian deadlift" in body
    refer_review.refresh_from_db()
    assert refer_review.status == "pending"
    assert refer_review.assignment.versions.count() == 1
    # The confirmation form carries what was posted (the edit included) and the confirmation.
    hidden = _hidden(body)
    assert hidden[f"item-{first.pk}-load"] == "62.5"
    assert hidden["mode"] == "all"
    assert hidden["confirm"] == "refer"
    assert f'action="{url}"' in body
    confirmed = coach_web.post(url, {k: v for k, v in hidden.items()}, **(HTMX if htmx else {}))
    assert confirmed.status_code == (200 if htmx else 302)
    refer_review.refresh_from_db()
    assert refer_review.status == "approved"
    first.refresh_from_db()
    assert first.approved_line["load"] == 62.5


def test_approving_only_a_see_a_clinician_proposal_also_asks(coach_web: Any, refer_review: WeeklyReview) -> None:
    first = _items(refer_review)[0]
    response = coach_web.post(
        reverse("coach-review-approve", args=[refer_review.pk]), _form_data(refer_review, only=first.pk)
    )
    assert "Approve despite “see a clinician”?" in html.unescape(response.content.decode())
    refer_review.refresh_from_db()
    assert refer_review.status == "pending"


def test_approving_proposals_without_the_flag_needs_no_confirmation(coach_web: Any, refer_review: WeeklyReview) -> None:
    second = _items(refer_review)[1]
    response = coach_web.post(
        reverse("coach-review-approve", args=[refer_review.pk]), _form_data(refer_review, only=second.pk)
    )
    assert response.status_code == 302
    refer_review.refresh_from_db()
    assert refer_review.status == "approved"


def test_mark_as_referred_records_who_and_when_and_shows_it(
    coach_web: Any, coach: Any, refer_review: WeeklyReview
) -> None:
    first = _items(refer_review)[0]
    url = reverse("coach-review-item-referred", args=[refer_review.pk, first.pk])
    page = coach_web.get(reverse("coach-review", args=[refer_review.pk])).content.decode()
    assert f'action="{url}"' in page
    assert "Mark as referred" in page
    response = coach_web.post(url)
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.referred_by == coach.user
    assert first.referred_at is not None
    when = first.referred_at
    page = coach_web.get(reverse("coach-review", args=[refer_review.pk])).content.decode()
    day = timezone.localtime(when)
    assert f"Referred to a clinician by Coach A on {day.day} {day:%b}" in re.sub(r"<[^>]+>", "", page)
    assert "Mark as referred" not in page
    again = coach_web.post(url, **HTMX)  # twice: the first record stays
    assert again.status_code == 200
    assert again.content.decode().lstrip().startswith('<div id="review-body"')
    first.refresh_from_db()
    assert (first.referred_by, first.referred_at) == (coach.user, when)


def test_mark_as_referred_is_only_for_a_see_a_clinician_proposal(coach_web: Any, refer_review: WeeklyReview) -> None:
    second = _items(refer_review)[1]
    response = coach_web.post(reverse("coach-review-item-referred", args=[refer_review.pk, second.pk]))
    assert response.status_code == 400
    assert "Only a proposal flagged “see a clinician” can be marked as referred." in html.unescape(
        response.content.decode()
    )
    second.refresh_from_db()
    assert second.referred_at is None


def test_mark_as_referred_is_404_for_another_coach_and_405_for_get(
    client: Any, other_coach: Any, coach_web: Any, refer_review: WeeklyReview
) -> None:
    first = _items(refer_review)[0]
    url = reverse("coach-review-item-referred", args=[refer_review.pk, first.pk])
    assert coach_web.get(url).status_code == 405
    other = make_review(
        active_assignment(ClientFactory(coach=other_coach, with_assignment=True)), WEEK, flags=["refer"]
    )
    other_item = _items(other)[0]
    assert coach_web.post(reverse("coach-review-item-referred", args=[other.pk, other_item.pk])).status_code == 404
    # An item of another review under this review's URL is not found either.
    assert (
        coach_web.post(reverse("coach-review-item-referred", args=[refer_review.pk, other_item.pk])).status_code == 404
    )
    other_item.refresh_from_db()
    assert other_item.referred_at is None


def test_going_back_from_the_confirmation_keeps_the_edits(coach_web: Any, refer_review: WeeklyReview) -> None:
    first = _items(refer_review)[0]
    data = _form_data(refer_review, **{f"item-{first.pk}-load": "62.5"}, mode="all", back="1", confirm="refer")
    response = coach_web.post(reverse("coach-review-approve", args=[refer_review.pk]), data, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'name="item-{first.pk}-load" value="62.5"' in body
    assert 'name="mode" value="all"' in body  # the form to approve again
    refer_review.refresh_from_db()
    assert refer_review.status == "pending"


def test_the_database_refuses_a_referral_without_its_time(coach: Any, refer_review: WeeklyReview) -> None:
    first = _items(refer_review)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        ReviewItem.objects.filter(pk=first.pk).update(referred_by=coach.user, referred_at=None)
