"""Weekly reviews (coach): the queue, one review, and deciding it."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.response import Response

from coaching.access import access_review, access_review_to_decide, exercise_map, reviews_of
from coaching.api.permissions import IsCoachOrMember
from coaching.api.schema import (
    ID_PARAMETER,
    LIST_ERRORS,
    READ_ERRORS,
    WRITE_ERRORS,
    DetailSerializer,
    errors,
    field_errors,
)
from coaching.api.views import ApiListView, ApiView
from coaching.models import ReviewCosign, ReviewItem, WeeklyReview
from coaching.reviews import decisions as reviews
from coaching.reviews.selectors import reviews_queue
from coaching.reviews.serializers import ReviewApproveSerializer, ReviewFilterSerializer, ReviewSerializer

APPROVE_ERRORS = field_errors(
    {
        "items": "Per listed item: an id not in the review, or the edited `proposed` line's field errors "
        "(its `day`, when given, must be the item's: an edit cannot move a line to another day)."
    }
)

APPROVE_CONFLICT = OpenApiResponse(
    response=DetailSerializer,
    description="The review is decided already, or it was updated (recomputed after a late session or a coach's "
    'fault tag) since it was read and a listed id is one of its items of before: `{"detail": "This review was '
    'updated on ... reload it ..."}`.',
)


def _reviews(user: Any) -> QuerySet[WeeklyReview]:
    proposals = ReviewItem.objects.select_related("exercise").order_by("position")
    cosigns = ReviewCosign.objects.select_related("reviewer").order_by("at")
    return (
        reviews_of(user)
        .select_related("assignment__client")
        .prefetch_related(Prefetch("items", queryset=proposals), Prefetch("cosigns", queryset=cosigns))
    )


def _render(user: Any, review: WeeklyReview) -> Any:
    return ReviewSerializer(_reviews(user).get(pk=review.pk)).data


@extend_schema(tags=["reviews"])
class ReviewListView(ApiListView):
    permission_classes = [IsCoachOrMember]
    serializer_class = ReviewSerializer

    @extend_schema(
        summary="The review queue",
        description="Newest week first. Rows carry the detail's fields.",
        parameters=[ReviewFilterSerializer],
        responses={200: ReviewSerializer(many=True), **errors(*LIST_ERRORS)},
    )
    def get(self, request: Any) -> Response:
        filters = ReviewFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        # The queue's selector; the API keeps its own paging order (newest week, then id).
        queryset = reviews_queue(
            request.user,  # a coach, or a team member (their shared clients' reviews)
            status=wanted.get("status", "all"),
            client_id=wanted.get("client"),
            week=wanted.get("week"),
        ).order_by("-week_start", "id")
        return self.paged(queryset, lambda page: ReviewSerializer(page, many=True).data)


@extend_schema(parameters=[ID_PARAMETER], tags=["reviews"])
class ReviewDetailView(ApiView):
    permission_classes = [IsCoachOrMember]

    @extend_schema(
        summary="One review with its proposals",
        description="The week's metrics and one proposal per prescription line, ordered by day then position; "
        "`recomputed_at` is set when a late session or a coach's tag changed the pending review.",
        responses={200: ReviewSerializer, **errors(*READ_ERRORS)},
    )
    def get(self, request: Any, pk: str) -> Response:
        return Response(_render(request.user, access_review(request.user, pk)))


@extend_schema(parameters=[ID_PARAMETER], tags=["reviews"])
class ReviewApproveView(ApiView):
    permission_classes = [IsCoachOrMember]

    @extend_schema(
        summary="Approve a review",
        description="Every item, or only the items listed (each optionally with an edited `proposed` line); "
        "the others keep their current line. The result is the prescription from the Monday after the week. "
        "409 when the review is decided already, or when a listed id is one a recompute replaced (a late "
        "session or a coach's fault tag changed the review: reload it).",
        request=ReviewApproveSerializer,
        responses={200: ReviewSerializer, **errors(*WRITE_ERRORS, bad_input=APPROVE_ERRORS), 409: APPROVE_CONFLICT},
    )
    def post(self, request: Any, pk: str) -> Response:
        review = access_review_to_decide(request.user, pk)
        context = {
            "item_ids": set(review.items.values_list("pk", flat=True)),
            "replaced_ids": set(review.replaced_item_ids or []),
            "exercises": exercise_map(request.user),
            "unit": review.assignment.unit,
        }
        serializer = ReviewApproveSerializer(data=request.data, context=context)
        serializer.is_valid(raise_exception=True)
        reviews.review_approve(review=review, user=request.user, items=serializer.service_proposals())
        return Response(_render(request.user, review))


@extend_schema(parameters=[ID_PARAMETER], tags=["reviews"])
class ReviewRejectView(ApiView):
    permission_classes = [IsCoachOrMember]

    @extend_schema(
        summary="Reject a review",
        description="Nothing changes in the prescription.",
        request=None,
        responses={200: ReviewSerializer, **errors(401, 403, 404, 409, 429)},
    )
    def post(self, request: Any, pk: str) -> Response:
        review = reviews.review_reject(review=access_review_to_decide(request.user, pk), user=request.user)
        return Response(_render(request.user, review))
