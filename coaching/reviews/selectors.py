"""Reads of the review queue: the queue page and the API's review list both call ``reviews_queue``.

Every function takes the ``Coach`` (already resolved through ``coaching.access``) and runs a fixed
number of queries whatever the number of reviews.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, TextField
from django.db.models.functions import Cast, Coalesce

from coaching.access import visible_clients
from coaching.models import Coach, ReviewCosign, ReviewItem, WeeklyReview
from coaching.weeks import monday_of
from programs.progression.text import flags_in_order


def review_flags(review: WeeklyReview) -> list[str]:
    """Every flag of a review's proposals, each once, most serious first (uses prefetched proposals)."""
    return flags_in_order(flag for proposal in review.items.all() for flag in proposal.flags)


def _user(coach: Coach | Any) -> Any:
    return coach.user if isinstance(coach, Coach) else coach


def reviews_queue(
    coach: Coach | Any, *, status: str = "pending", client_id: int | None = None, week: dt.date | None = None
) -> QuerySet[WeeklyReview]:
    """The reviews a coach (or a team member's login) reads: their clients', those shared with
    them and, for a team's owner, the team's; newest week first: ``status`` one of the review
    statuses or "all", ``week`` any day of the week wanted. The queue page and the API's review
    list both read it."""
    qs = (
        WeeklyReview.objects.filter(assignment__client__in=visible_clients(_user(coach)))
        .select_related("assignment__client__coach__user", "decided_by")
        .prefetch_related(
            Prefetch("items", queryset=ReviewItem.objects.select_related("exercise").order_by("position")),
            Prefetch("cosigns", queryset=ReviewCosign.objects.select_related("reviewer").order_by("at")),
        )
        .order_by("-week_start", "assignment__client__name", "id")
    )
    if status in WeeklyReview.Status.values:
        qs = qs.filter(status=status)
    if client_id is not None:
        qs = qs.filter(assignment__client_id=client_id)
    if week is not None:
        qs = qs.filter(week_start=monday_of(week))
    return qs


def queue_page_rows(qs: QuerySet[WeeklyReview]) -> QuerySet[WeeklyReview]:
    """The queue page's reading of ``reviews_queue``: per review its proposals counted by action
    in SQL (``proposals_<action>``) and only its flagged proposals fetched (for ``review_flags``),
    so a page of reviews reads one row per review and one per flagged proposal."""
    counts = {
        f"proposals_{action}": Coalesce(
            Subquery(
                ReviewItem.objects.filter(review=OuterRef("pk"), action=action)
                .values("review")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        )
        for action in ReviewItem.Action.values
    }
    flagged = ReviewItem.objects.annotate(flags_text=Cast("flags", TextField())).exclude(flags_text="[]")
    return (
        qs.prefetch_related(None)
        .prefetch_related(Prefetch("items", queryset=flagged.select_related("exercise").order_by("position")))
        .annotate(**counts)
    )


def action_counts(review: WeeklyReview) -> list[tuple[str, int]]:
    """(action, proposals) of a ``queue_page_rows`` review, in the actions' order, none left at 0."""
    counts = [(action, getattr(review, f"proposals_{action}", 0)) for action in ReviewItem.Action.values]
    return [(action, n) for action, n in counts if n]


def review_weeks(coach: Coach) -> list[dt.date]:
    return list(
        WeeklyReview.objects.filter(assignment__client__in=visible_clients(coach.user))
        .order_by("-week_start")
        .values_list("week_start", flat=True)
        .distinct()[:26]
    )
