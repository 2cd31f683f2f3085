"""Late data: pending reviews follow sessions synced late and a coach's fault tags (DOMAIN.md).

``request_recompute`` is called by the one service where a change happens, inside its
transaction: it records a request (``ReviewRecompute``, one per review: insert or refresh, so
many writes coalesce into one recompute) for every pending review of the assignment whose week
ends on or after the change's day. After the commit a Celery task recomputes each requested
review with the generation's own code (``generation.review_outcome``), replaces its items (new
ids), notes when and why, records the ``review.recomputed`` event and deletes the request, all in
one transaction. A worker killed midway rolls back and leaves the request; its message comes
back, or the beat sweep (``recompute_requests_due``) finds it. Decided reviews never change: the
review is locked and checked, as an approval locks it too.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping
from typing import Any

import kombu.exceptions
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from coaching.models import RecomputeCause, ReviewItem, ReviewRecompute, WeeklyReview
from coaching.reviews.generation import item_rows, items_insert, review_outcome
from coaching.webhooks.services import events_record, iso
from coaching.weeks import local_date

logger = logging.getLogger(__name__)

SWEEP_LIMIT = 500
WEEK_DAYS = 6  # a review's week ends six days after its Monday


def request_recompute(*, assignment_id: int, on_date: dt.date, cause: str, by: Any = None) -> list[int]:
    """Ask for every pending review of this assignment whose week ends on or after ``on_date`` to
    be recomputed after the commit; the ids of those reviews. Call it inside the write's transaction.

    ``cause``: a ``RecomputeCause`` (``"session"`` for a session created, changed or deleted;
    ``"fault_tag"`` for a coach's tag, with ``by`` the user who tagged).
    """
    return request_recompute_many(changes={assignment_id: on_date}, cause=cause, by=by)


def request_recompute_many(*, changes: Mapping[int, dt.date], cause: str, by: Any = None) -> list[int]:
    """``request_recompute`` for many assignments at once (assignment id -> the earliest day a
    change touched): two queries whatever their number, none more when no review is affected."""
    if cause not in RecomputeCause.values:
        raise ValueError(f"Unknown recompute cause: {cause!r}")
    if not changes:
        return []
    affected = Q()
    for assignment_id, on_date in changes.items():
        affected |= Q(assignment_id=assignment_id, week_start__gte=on_date - dt.timedelta(days=WEEK_DAYS))
    review_ids = list(
        WeeklyReview.objects.filter(affected, status=WeeklyReview.Status.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not review_ids:
        return []
    now = timezone.now()
    by_id = getattr(by, "pk", by)
    # Insert or refresh: a request still waiting takes the latest cause. Refreshing a row locks it,
    # so a write waits while a worker recomputes that review, then leaves a new request behind it.
    ReviewRecompute.objects.bulk_create(
        [ReviewRecompute(review_id=pk, cause=cause, by_id=by_id, requested_at=now) for pk in review_ids],
        update_conflicts=True,
        unique_fields=["review"],
        update_fields=["cause", "by", "requested_at"],
    )
    transaction.on_commit(lambda: recompute_enqueue(review_ids))
    return review_ids


def recompute_enqueue(review_ids: list[int]) -> None:
    """Hand the requests to Celery after a short wait (writes that follow soon coalesce into the same
    recompute). With the broker unreachable the rows wait for the beat sweep."""
    from coaching.reviews.tasks import recompute_reviews  # the tasks import this module

    try:
        recompute_reviews.apply_async(args=[review_ids], countdown=settings.REVIEW_RECOMPUTE_DELAY_SECONDS)
    except kombu.exceptions.OperationalError:
        logger.exception(
            "Review recomputes %s not queued: the broker is unreachable; the sweep will run them", review_ids
        )


def cause_text(review: WeeklyReview) -> str:
    """What changed the review, in the page's words: "a session synced late", "a fault tagged by Ana"."""
    if review.recomputed_cause == RecomputeCause.FAULT_TAG:
        who = review.recomputed_by
        name = (getattr(who, "name", "") or getattr(who, "email", "")) if who is not None else ""
        return f"a fault tagged by {name}" if name else "a fault tagged by a coach"
    return "a session synced late"


def updated_message(review: WeeklyReview) -> str:
    """The 409's message: the review changed since the coach loaded it (the day in the coach's zone)."""
    when = ""
    if review.recomputed_at is not None:
        day = local_date(review.assignment.client.coach, review.recomputed_at)
        when = f" on {day.day} {day:%b %Y}"
    return (
        f"This review was updated{when} with {cause_text(review)}: nothing was approved, as its proposals "
        "are new. Reload it and decide on what it proposes now."
    )


def review_recompute(*, review_id: int, now: dt.datetime | None = None) -> bool:
    """Run the request for this review if there is one and nobody holds it; True when the review's
    items were replaced. The claim, the new items, the event and the request's deletion commit
    together."""
    with transaction.atomic():
        request = ReviewRecompute.objects.select_for_update(skip_locked=True).filter(review_id=review_id).first()
        if request is None:
            return False  # done already, or another worker holds it
        # Locked as an approval locks it (NO KEY UPDATE): approving and recomputing never both win,
        # and a session write's request (its foreign key takes only a key-share lock) never waits here.
        review = (
            WeeklyReview.objects.select_for_update(no_key=True).select_related("assignment__client").get(pk=review_id)
        )
        changed = False
        if review.status == WeeklyReview.Status.PENDING:
            changed = _replace_items(review, request, now or timezone.now())
        request.delete()
        return changed


def _replace_items(review: WeeklyReview, request: ReviewRecompute, now: dt.datetime) -> bool:
    judged = review_outcome(assignment_id=review.assignment_id, week_start=review.week_start)
    if judged is None:
        return False  # inactive, or no prescription in force any more: the review stays as it was
    outcome, exercise_ids = judged
    old_ids = list(review.items.values_list("pk", flat=True))
    ReviewItem.objects.filter(review=review).delete()
    items_insert(item_rows(review.pk, outcome, exercise_ids))
    review.metrics = outcome.metrics
    review.recomputed_at = now
    review.recomputed_cause = request.cause
    review.recomputed_by_id = request.by_id
    review.replaced_item_ids = sorted({*review.replaced_item_ids, *old_ids})
    review.save(update_fields=["metrics", "recomputed_at", "recomputed_cause", "recomputed_by", "replaced_item_ids"])
    data = {
        "review_id": review.pk,
        "client_id": review.assignment.client_id,
        "assignment_id": review.assignment_id,
        "week_start": review.week_start.isoformat(),
        "recomputed_at": iso(now),
        "cause": request.cause,
    }
    events_record(coach=review.assignment.client.coach_id, type="review.recomputed", data=data, now=now)
    return True


def reviews_recompute(review_ids: Iterable[int]) -> int:
    """Run these reviews' requests, each in its own transaction; how many reviews changed."""
    return sum(review_recompute(review_id=pk) for pk in review_ids)


def recompute_requests_due(
    *, now: dt.datetime | None = None, limit: int = SWEEP_LIMIT, fresh: bool = False
) -> list[int]:
    """Reviews with a request waiting, oldest first (the beat sweep: a lost message, a killed worker).

    Only requests older than the task's delay: a fresh one's message is still on its way, and
    running it now would not let the writes that follow coalesce into it. ``fresh``: every request
    (a command that recomputes in its own process, such as the demo data)."""
    now = now or timezone.now()
    waiting = ReviewRecompute.objects.order_by("requested_at", "pk")
    if not fresh:
        waiting = waiting.filter(requested_at__lte=now - dt.timedelta(seconds=settings.REVIEW_RECOMPUTE_DELAY_SECONDS))
    return list(waiting.values_list("review_id", flat=True)[:limit])


__all__ = [
    "cause_text",
    "recompute_requests_due",
    "request_recompute",
    "request_recompute_many",
    "review_recompute",
    "reviews_recompute",
    "updated_message",
]
