"""Deciding reviews: ``reviews_bulk_approve`` (the queue's bulk approval) and the review page's
proposal formset."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import QueryDict

from coaching.models import ReviewItem, WeeklyReview
from coaching.reviews.decisions import BulkApproval, review_reject, reviews_bulk_approve
from coaching.reviews.forms import ProposalFormSet
from programs.models import Exercise
from tests.coaching.web.conftest import active_assignment, make_review
from tests.factories import ClientFactory, CoachFactory

pytestmark = pytest.mark.django_db
WEEK = dt.date(2026, 11, 16)
NEXT = dt.date(2026, 11, 23)


# --- reviews_bulk_approve ----------------------------------------------------------------------


def test_bulk_approve_approves_each_pending_review_whole(coach: Any) -> None:
    first = make_review(active_assignment(ClientFactory(coach=coach, with_assignment=True, name="Ada")), WEEK)
    second = make_review(active_assignment(ClientFactory(coach=coach, with_assignment=True, name="Bo")), WEEK)
    result = reviews_bulk_approve(user=coach.user, review_ids=[first.pk, second.pk])
    assert result == BulkApproval(approved=2, skipped=[])
    assert set(WeeklyReview.objects.values_list("status", flat=True)) == {"approved"}
    assert not ReviewItem.objects.filter(decision="pending").exists()


def test_bulk_approve_skips_decided_and_others_reviews(coach: Any) -> None:
    mine = make_review(active_assignment(ClientFactory(coach=coach, with_assignment=True, name="Ada")), WEEK)
    decided = make_review(active_assignment(ClientFactory(coach=coach, with_assignment=True, name="Bo")), WEEK)
    review_reject(review=decided, user=coach.user)
    other_coach = CoachFactory()
    theirs = make_review(active_assignment(ClientFactory(coach=other_coach, with_assignment=True)), WEEK)
    result = reviews_bulk_approve(user=coach.user, review_ids=[mine.pk, decided.pk, theirs.pk])
    # A decided review is not pending: it is not picked; another coach's review is not seen.
    assert result == BulkApproval(approved=1, skipped=[])
    assert WeeklyReview.objects.get(pk=theirs.pk).status == "pending"
    assert WeeklyReview.objects.get(pk=decided.pk).status == "rejected"


def test_bulk_approve_names_a_review_that_cannot_be_approved_and_approves_the_rest(coach: Any) -> None:
    good = make_review(active_assignment(ClientFactory(coach=coach, with_assignment=True, name="Ada")), WEEK)
    bad = make_review(active_assignment(ClientFactory(coach=coach, with_assignment=True, name="Bo")), WEEK)
    item = bad.items.order_by("position").first()
    item.proposed = {**item.proposed, "exercise": "no-such-exercise"}
    item.save(update_fields=["proposed"])
    result = reviews_bulk_approve(user=coach.user, review_ids=[good.pk, bad.pk])
    assert result == BulkApproval(approved=1, skipped=["Bo"])
    assert WeeklyReview.objects.get(pk=good.pk).status == "approved"
    assert WeeklyReview.objects.get(pk=bad.pk).status == "pending"
    assert not bad.items.exclude(decision="pending").exists()  # all or nothing


def test_bulk_approve_with_no_pending_review_approves_nothing(coach: Any) -> None:
    assert reviews_bulk_approve(user=coach.user, review_ids=[]) == BulkApproval(approved=0, skipped=[])


# --- the proposal formset ----------------------------------------------------------------------


def _posted(review: WeeklyReview, **extra: str) -> QueryDict:
    data = QueryDict(mutable=True)
    for item in review.items.order_by("position"):
        p, line = f"item-{item.pk}", item.proposed
        data.update(
            {
                f"{p}-approve": "on", f"{p}-exercise": line["exercise"], f"{p}-sets": str(line["sets"]),
                f"{p}-low": str(line.get("reps_low", line.get("seconds_low"))),
                f"{p}-high": str(line.get("reps_high", line.get("seconds_high"))),
                f"{p}-load": str(line["load"]), f"{p}-unit": line["unit"],
                f"{p}-tempo": line.get("tempo") or "", f"{p}-target_rpe": str(line.get("target_rpe") or ""),
            }
        )  # fmt: skip
    data.update(extra)
    return data


def _formset(review: WeeklyReview, data: Any = None) -> Any:
    proposals = list(review.items.select_related("exercise").order_by("position"))
    return ProposalFormSet(data, proposals=proposals, exercises=Exercise.objects.filter(owner__isnull=True))


def test_formset_has_one_form_per_proposal_named_by_its_id(client_profile: Any) -> None:
    review = make_review(active_assignment(client_profile), WEEK)
    formset = _formset(review)
    ids = list(review.items.order_by("position").values_list("pk", flat=True))
    assert [form.prefix for form in formset.forms] == [f"item-{pk}" for pk in ids]
    # The review, not the post, says how many proposals there are: no management form to post.
    assert _formset(review, _posted(review)).is_bound
    assert len(_formset(review, _posted(review, **{"item-TOTAL_FORMS": "0"})).forms) == len(ids)


def test_formset_all_as_proposed_is_everything(client_profile: Any) -> None:
    review = make_review(active_assignment(client_profile), WEEK)
    assert _formset(review, _posted(review)).approval(mode="all") == (None, True)


def test_formset_only_one(client_profile: Any) -> None:
    review = make_review(active_assignment(client_profile), WEEK)
    first, *rest = review.items.order_by("position")
    formset = _formset(review, _posted(review))
    assert formset.approval(only=str(first.pk)) == ([{"id": first.pk}], True)
    assert [form.ticked for form in formset.forms] == [True] + [False] * len(rest)


def test_formset_ticked_with_an_edit(client_profile: Any) -> None:
    review = make_review(active_assignment(client_profile), WEEK)
    first, second, *_ = review.items.order_by("position")
    data = _posted(review, **{f"item-{first.pk}-sets": "4"})
    del data[f"item-{second.pk}-approve"]
    items, valid = _formset(review, data).approval(mode="ticked")
    assert valid
    assert [entry["id"] for entry in items] == [
        pk for pk in review.items.order_by("position").values_list("pk", flat=True) if pk != second.pk
    ]
    assert items[0]["proposed"]["sets"] == 4


def test_formset_validates_only_the_ticked_proposals(client_profile: Any) -> None:
    review = make_review(active_assignment(client_profile), WEEK)
    first, second, *_ = review.items.order_by("position")
    data = _posted(review, **{f"item-{second.pk}-sets": "lots"})
    assert _formset(review, data).approval(only=str(first.pk)) == ([{"id": first.pk}], True)
    formset = _formset(review, data)
    assert formset.approval(mode="all") == (None, False)
    assert formset.forms[1].errors["sets"]
