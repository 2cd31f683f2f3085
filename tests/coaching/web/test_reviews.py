from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from coaching.models import PrescriptionVersion, ReviewItem, WeeklyReview
from coaching.selectors import version_in_force
from tests.coaching.web.conftest import HTMX, active_assignment, make_review, many_clients
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db
WEEK = dt.date(2026, 11, 16)
NEXT = dt.date(2026, 11, 23)


@pytest.fixture
def review(client_profile: Any) -> WeeklyReview:
    return make_review(active_assignment(client_profile), WEEK, flags=["pain", "refer"])


def _items(review: WeeklyReview) -> list[ReviewItem]:
    return list(review.items.order_by("position"))


def _form_data(review: WeeklyReview, **overrides: Any) -> dict[str, Any]:
    """What the review page's form posts: every proposal ticked, with its proposed values."""
    data: dict[str, Any] = {}
    for item in _items(review):
        p = f"item-{item.pk}"
        line = item.proposed
        low = line.get("reps_low", line.get("seconds_low"))
        high = line.get("reps_high", line.get("seconds_high"))
        data |= {
            f"{p}-approve": "on",
            f"{p}-exercise": line["exercise"],
            f"{p}-sets": line["sets"],
            f"{p}-low": low,
            f"{p}-high": high,
            f"{p}-load": line["load"],
            f"{p}-unit": line["unit"],
            f"{p}-tempo": line.get("tempo") or "",
            f"{p}-target_rpe": line.get("target_rpe") or "",
        }
    return data | overrides


def _loads(assignment: Any, on: dt.date) -> list[Decimal]:
    return [line.load_display for line in version_in_force(assignment, on).lines.order_by("position")]


def test_review_page_shows_metrics_flags_in_words_and_current_to_proposed(coach_web: Any, review: WeeklyReview) -> None:
    body = coach_web.get(reverse("coach-review", args=[review.pk])).content.decode()
    assert "66.7 %" in body
    assert "2 / 3" in body
    assert "1224.7" in body
    assert "⚠ See a clinician:" in body
    assert "⚠ Pain reported" in body
    assert '<td>60 kg</td><td>65 kg <span class="changed-tag">changed</span></td>' in body
    assert "Both of the last two sessions qualified" in body


def test_approve_all_makes_the_proposals_the_prescription_for_next_week(
    coach_web: Any, coach: Any, review: WeeklyReview
) -> None:
    # The first proposal is flagged "see a clinician": approving it is confirmed (test_review_page.py).
    data = _form_data(review, mode="all", confirm="refer")
    response = coach_web.post(reverse("coach-review-approve", args=[review.pk]), data)
    assert response["Location"] == reverse("coach-review", args=[review.pk])
    review.refresh_from_db()
    assert review.status == "approved"
    assert review.decided_by == coach.user
    assert _loads(review.assignment, NEXT) == [Decimal(65), Decimal(17), Decimal(45)]
    assert set(review.items.values_list("decision", flat=True)) == {"approved"}
    client_page = coach_web.get(reverse("coach-client", args=[review.assignment.client_id])).content.decode()
    assert "Approved review" in client_page
    assert "65 kg" in client_page


def test_approve_only_one_keeps_the_other_lines(coach_web: Any, review: WeeklyReview) -> None:
    first = _items(review)[0]
    data = _form_data(review, only=first.pk, confirm="refer")  # confirmed: first is flagged "see a clinician"
    coach_web.post(reverse("coach-review-approve", args=[review.pk]), data)
    assert _loads(review.assignment, NEXT) == [Decimal(65), Decimal(12), Decimal(40)]
    assert list(review.items.order_by("position").values_list("decision", flat=True)) == ["approved", "kept", "kept"]


def test_approve_ticked_only(coach_web: Any, review: WeeklyReview) -> None:
    items = _items(review)
    data = _form_data(review, mode="ticked")
    del data[f"item-{items[0].pk}-approve"]
    coach_web.post(reverse("coach-review-approve", args=[review.pk]), data)
    assert _loads(review.assignment, NEXT) == [Decimal(60), Decimal(17), Decimal(45)]


def test_edit_a_proposed_value_before_approving(coach_web: Any, review: WeeklyReview) -> None:
    first = _items(review)[0]
    edits = {f"item-{first.pk}-load": "62.5", f"item-{first.pk}-sets": "4"}
    data = _form_data(review, **edits, mode="all", confirm="refer")  # confirmed: first is flagged "see a clinician"
    response = coach_web.post(reverse("coach-review-approve", args=[review.pk]), data, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="review-body"')
    first.refresh_from_db()
    assert first.decision == "edited"
    assert first.approved_line["load"] == 62.5
    line = version_in_force(review.assignment, NEXT).lines.get(position=0)
    assert (line.sets, line.load_display) == (4, Decimal("62.5"))
    version = review.assignment.versions.get(source=PrescriptionVersion.Source.REVIEW)
    assert version.review == review
    assert version.effective_from == NEXT


def test_invalid_edit_shows_the_error_on_the_card_and_changes_nothing(coach_web: Any, review: WeeklyReview) -> None:
    first = _items(review)[0]
    data = _form_data(review, **{f"item-{first.pk}-low": "12", f"item-{first.pk}-high": "8"}, mode="all")
    response = coach_web.post(reverse("coach-review-approve", args=[review.pk]), data)
    assert response.status_code == 400
    assert "The range starts above its end (12 &gt; 8 reps)." in response.content.decode()
    review.refresh_from_db()
    assert review.status == "pending"
    assert review.assignment.versions.count() == 1


def test_approving_nothing_ticked_asks_to_tick_or_reject(coach_web: Any, review: WeeklyReview) -> None:
    data = {k: v for k, v in _form_data(review, mode="ticked").items() if not k.endswith("-approve")}
    response = coach_web.post(reverse("coach-review-approve", args=[review.pk]), data)
    assert response.status_code == 400
    assert "Tick at least one proposal, or reject the review." in response.content.decode()


def test_reject_keeps_the_prescription(coach_web: Any, review: WeeklyReview) -> None:
    response = coach_web.post(reverse("coach-review-reject", args=[review.pk]), **HTMX)
    assert response.status_code == 200
    review.refresh_from_db()
    assert review.status == "rejected"
    assert review.assignment.versions.count() == 1
    assert "did not change" in response.content.decode()


def test_deciding_a_decided_review_is_409_and_changes_nothing(coach_web: Any, review: WeeklyReview) -> None:
    coach_web.post(reverse("coach-review-reject", args=[review.pk]))
    again = coach_web.post(reverse("coach-review-approve", args=[review.pk]), _form_data(review), **HTMX)
    assert again.status_code == 409
    assert "already rejected" in again.content.decode()
    plain = coach_web.post(reverse("coach-review-reject", args=[review.pk]))
    assert plain.status_code == 302
    review.refresh_from_db()
    assert review.status == "rejected"


def test_queue_filters_by_client_and_week_htmx_fragment(coach_web: Any, coach: Any, review: WeeklyReview) -> None:
    other = ClientFactory(coach=coach, name="Zed Other", with_assignment=True)
    make_review(active_assignment(other), NEXT)
    page = coach_web.get(reverse("coach-reviews")).content.decode()
    assert review.assignment.client.name in page
    assert "Zed Other" in page
    by_client = coach_web.get(reverse("coach-reviews"), {"client": other.pk}, **HTMX).content.decode()
    assert by_client.lstrip().startswith('<section id="queue"')
    assert "Zed Other" in by_client
    assert review.assignment.client.name not in by_client
    by_week = coach_web.get(reverse("coach-reviews"), {"week": "2026-11-16"}).content.decode()
    assert "<strong>Zed Other</strong>" not in by_week
    garbage = coach_web.get(reverse("coach-reviews"), {"week": "soon", "client": "x", "status": "??"})
    assert garbage.status_code == 200


def test_bulk_approve_from_the_queue(coach_web: Any, coach: Any, review: WeeklyReview) -> None:
    other = ClientFactory(coach=coach, with_assignment=True)
    second = make_review(active_assignment(other), WEEK)
    untouched = make_review(active_assignment(other), NEXT)
    response = coach_web.post(reverse("coach-reviews-bulk-approve"), {"review": [review.pk, second.pk]}, follow=True)
    assert "Approved 2 reviews." in response.content.decode()
    statuses = dict(WeeklyReview.objects.values_list("pk", "status"))
    assert statuses == {review.pk: "approved", second.pk: "approved", untouched.pk: "pending"}


def test_bulk_approve_with_nothing_ticked_says_so(coach_web: Any) -> None:
    response = coach_web.post(reverse("coach-reviews-bulk-approve"), {}, follow=True)
    assert "Tick at least one pending review to approve." in response.content.decode()


def test_review_queue_queries_do_not_grow_with_clients(
    coach_web: Any, coach: Any, django_assert_max_num_queries: Any
) -> None:
    [first] = many_clients(coach, 1)
    make_review(active_assignment(first), WEEK, flags=["pain"])
    with django_assert_max_num_queries(10) as small:
        coach_web.get(reverse("coach-reviews"))
    for extra in many_clients(coach, 199)[:49]:
        make_review(active_assignment(extra), WEEK, flags=["refer"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = coach_web.get(reverse("coach-reviews"))
    assert response.context["page"].paginator.count == 50


def test_an_edited_kettlebell_load_must_be_a_bell(coach_web: Any, review: WeeklyReview) -> None:
    first = _items(review)[0]
    p = f"item-{first.pk}"
    edit = {f"{p}-exercise": "kettlebell-deadlift", f"{p}-low": "8", f"{p}-high": "12", f"{p}-load": "13.5"}
    response = coach_web.post(reverse("coach-review-approve", args=[review.pk]), _form_data(review, **edit, mode="all"))
    assert response.status_code == 400
    assert "Kettlebells come in 8, 12, 16, … 48 kg." in response.content.decode()
    review.refresh_from_db()
    assert review.status == "pending"


def test_queue_finds_a_client_by_name_and_names_a_client_picked_by_id(
    coach_web: Any, coach: Any, review: WeeklyReview
) -> None:
    """The client filter is a name search (a roster of 500 is not listed in a select); the client
    list's "n waiting" link picks one client by id, named on the page with a way back to all."""
    other = ClientFactory(coach=coach, name="Zed Other", with_assignment=True)
    make_review(active_assignment(other), NEXT)
    mine = review.assignment.client.name
    page = coach_web.get(reverse("coach-reviews"), {"who": "zed"}).content.decode()
    assert "<strong>Zed Other</strong>" in page
    assert f"<strong>{mine}</strong>" not in page
    assert 'name="who" value="zed"' in page
    picked = coach_web.get(reverse("coach-reviews"), {"client": other.pk, "who": mine}).content.decode()
    assert f'<input type="hidden" name="client" value="{other.pk}">' in picked
    assert "<strong>Zed Other</strong> · <a" in picked
    assert f"<strong>{mine}</strong>" not in picked  # the id wins over the name
    stranger = ClientFactory(name="Not Mine", with_assignment=True)
    make_review(active_assignment(stranger), WEEK)
    foreign = coach_web.get(reverse("coach-reviews"), {"client": stranger.pk}).content.decode()
    assert "Not Mine" not in foreign
    assert "0 reviews" in foreign
    for garbage in ("\x00", "x" * 500, "%"):
        assert coach_web.get(reverse("coach-reviews"), {"who": garbage}).status_code == 200


def test_queue_pages_keep_the_filters(coach_web: Any, coach: Any) -> None:
    for name in ("Pager Ann", "Pager Bo", "Pager Cy"):
        c = ClientFactory(coach=coach, name=name, with_assignment=True)
        for weeks in range(20):
            make_review(active_assignment(c), WEEK - dt.timedelta(weeks=weeks))
    body = coach_web.get(reverse("coach-reviews"), {"status": "pending", "who": "pager"}).content.decode()
    assert "60 reviews" in body
    assert "Page 1 of 2" in body
    assert "?status=pending&amp;who=pager&amp;page=2" in body
    second = coach_web.get(reverse("coach-reviews"), {"status": "pending", "who": "pager", "page": "2"}).content
    assert "Page 2 of 2" in second.decode()
    assert "?status=pending&amp;who=pager&amp;page=1" in second.decode()
    assert "3 reviews" in coach_web.get(reverse("coach-reviews"), {"who": "pager", "week": WEEK}).content.decode()
