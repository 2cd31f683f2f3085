"""Weekly reviews: deciding them (approve all, some, with edits, or reject).

Generation lives in ``coaching.reviews.generation``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from coaching.access import decidable_reviews, exercise_map
from coaching.models import PrescriptionVersion, ReviewItem, WeeklyReview
from coaching.reviews.recompute import updated_message
from coaching.services.prescriptions import prescription_version_write
from coaching.teams.services import CosignMissing, cosigns_missing, needs_cosign
from coaching.threads.models import NOTE_MAX_CHARS
from coaching.webhooks.services import events_record, iso
from programs.lines import Line


class ReviewAlreadyDecided(Exception):
    """Deciding a review that is no longer pending (the API answers 409)."""


class ReviewUpdated(Exception):
    """Approving with proposals a recompute replaced since the coach loaded the review (the API
    answers 409; the page shows the message instead of approving)."""


class ReviewInputError(Exception):
    """Listed proposals that are not in the review, or edited lines that are invalid.

    ``errors`` is shaped like a DRF error body (the API answers 400 with it), e.g.
    ``{"items": [{"id": 5120, "proposed": {"sets": ["..."]}}]}``.
    """

    def __init__(self, errors: dict[str, Any]):
        super().__init__(errors)
        self.errors = errors


def _decided(review: WeeklyReview) -> None:
    """The ``review.decided`` webhook event, in the deciding transaction."""
    assert review.decided_at is not None
    data = {
        "review_id": review.pk,
        "client_id": review.assignment.client_id,
        "assignment_id": review.assignment_id,
        "week_start": review.week_start.isoformat(),
        "status": review.status,
        "decided_at": iso(review.decided_at),
    }
    events_record(coach=review.assignment.client.coach_id, type="review.decided", data=data)


def review_check_current(*, review: WeeklyReview, seen_item_ids: Iterable[int]) -> None:
    """Raise ``ReviewUpdated`` when proposals the coach saw were replaced by a recompute since."""
    if set(review.replaced_item_ids or []) & set(seen_item_ids):
        raise ReviewUpdated(updated_message(review))


def _lock_pending(review: WeeklyReview) -> WeeklyReview:
    # NO KEY UPDATE: it excludes a recompute of the review (coaching/reviews/recompute.py) but not a
    # session write's recompute request, whose foreign key only needs the review's key.
    locked = (
        WeeklyReview.objects.select_for_update(no_key=True)
        .select_related("assignment__client__coach")
        .get(pk=review.pk)
    )
    if locked.status != WeeklyReview.Status.PENDING:
        raise ReviewAlreadyDecided(f"This review was already {locked.status}.")
    return locked


@transaction.atomic
def review_approve(
    *,
    review: WeeklyReview,
    user: Any,
    items: Sequence[Mapping[str, Any]] | None = None,
    seen_item_ids: Iterable[int] = (),
) -> WeeklyReview:
    """Approve every proposal, or only those in ``items`` (optionally with an edited ``proposed`` line
    and a ``note`` to the client, kept with the proposal and shown beside the change on the phone).

    Raises ``ReviewAlreadyDecided`` (409), ``ReviewUpdated`` (409: an id of ``items`` or of
    ``seen_item_ids``, the proposals the coach's page showed, was replaced by a recompute),
    ``CosignMissing`` (409: a shared client's ``pain`` or ``refer`` proposal waits for a reviewer)
    or ``ReviewInputError`` (400); nothing is written then.

    Proposals not listed keep their current line. What is approved becomes the prescription from
    the Monday after the reviewed week, recorded with who, when and which rule.
    """
    review = _lock_pending(review)
    listed = [entry["id"] for entry in items or [] if isinstance(entry.get("id"), int)]
    review_check_current(review=review, seen_item_ids=[*seen_item_ids, *listed])
    proposals = list(review.items.select_related("exercise").order_by("position"))
    by_id = {proposal.pk: proposal for proposal in proposals}
    chosen: dict[int, Mapping[str, Any] | None] = {}
    notes: dict[int, str] = {}
    errors: list[dict[str, Any]] = []
    if items is None:
        chosen = {proposal.pk: None for proposal in proposals}
    else:
        for entry in items:
            proposal_id = entry.get("id")
            if proposal_id not in by_id:
                errors.append({"id": [f"No item {proposal_id} in this review."]})
                continue
            chosen[proposal_id] = entry.get("proposed")
            note = str(entry.get("note") or "").strip()
            if len(note) > NOTE_MAX_CHARS:
                errors.append({"note": [f"Keep a note to {NOTE_MAX_CHARS:,} characters."]})
                continue
            notes[proposal_id] = note
            errors.append({})
    if any(errors):
        raise ReviewInputError({"items": errors})
    flagged = any(needs_cosign(by_id[pk].flags or []) for pk in chosen)
    missing = cosigns_missing(review, flagged=flagged)
    if missing:
        raise CosignMissing(missing)
    exercises = exercise_map(user)
    lines: list[Line] = []
    edit_errors: list[dict[str, Any]] = []
    summary: list[str] = []
    for proposal in proposals:
        if proposal.pk in chosen:
            edited = chosen[proposal.pk]
            if edited is not None:
                # An edit changes the proposal's own line: on its day (docs/api.md), which it may leave out.
                if edited.get("day", proposal.day) != proposal.day:
                    message = "An edit keeps the line on its day: this proposal is for "
                    message += f"{proposal.day_name} (day {proposal.day})."
                    edit_errors.append({"id": proposal.pk, "proposed": {"day": [message]}})
                    continue
                edited = {**edited, "day": proposal.day}
            source = edited if edited is not None else {"day": proposal.day, **proposal.proposed}
            try:
                line = Line.from_json(source, exercises)
            except ValidationError as exc:
                edit_errors.append({"id": proposal.pk, "proposed": exc.message_dict})
                continue
            if proposal.action == ReviewItem.Action.DELOAD and edited is None:
                line = replace(line, pre_deload=proposal.current)
            proposal.decision = ReviewItem.Decision.EDITED if edited is not None else ReviewItem.Decision.APPROVED
            proposal.approved_line = dict(source)
            proposal.note = notes.get(proposal.pk, "")
            summary.append(f"{proposal.exercise.name}: {proposal.action} ({proposal.rule})")
        else:
            line = Line.from_json({"day": proposal.day, **proposal.current}, exercises)
            proposal.decision = ReviewItem.Decision.KEPT
        lines.append(line)
    if edit_errors:
        raise ReviewInputError({"items": edit_errors})
    ReviewItem.objects.bulk_update(proposals, ["decision", "approved_line", "note"])
    prescription_version_write(
        assignment=review.assignment,
        lines=lines,
        effective_from=review.week_start + dt.timedelta(days=7),
        source=PrescriptionVersion.Source.REVIEW,
        changed_by=user,
        reason=f"Review of the week of {review.week_start:%d %b %Y} approved. " + "; ".join(summary),
        review=review,
    )
    review.status = WeeklyReview.Status.APPROVED
    review.decided_by = user
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "decided_by", "decided_at"])
    _decided(review)
    return review


@dataclass(frozen=True)
class BulkApproval:
    """What a bulk approval did: how many reviews it approved, and the clients of those it could not."""

    approved: int = 0
    skipped: list[str] = field(default_factory=list)


def reviews_bulk_approve(*, user: Any, review_ids: Iterable[int]) -> BulkApproval:
    """Approve these pending reviews of the coach's, each as proposed (the queue's bulk approval).

    Each review is approved whole or not at all, in its own transaction: one decided meanwhile,
    or one whose proposals the service cannot write, is skipped and does not undo the others.
    Ids of reviews that are not the coach's, or not pending, are ignored.
    """
    pending = (
        decidable_reviews(user)
        .filter(pk__in=list(review_ids), status=WeeklyReview.Status.PENDING)
        .select_related("assignment__client")
        .order_by("pk")
    )
    approved, skipped = 0, []
    for review in pending:
        try:
            review_approve(review=review, user=user)
        except (ReviewAlreadyDecided, CosignMissing, ReviewInputError, ValidationError):
            skipped.append(review.assignment.client.name)
        else:
            approved += 1
    return BulkApproval(approved=approved, skipped=skipped)


@transaction.atomic
def review_reject(*, review: WeeklyReview, user: Any) -> WeeklyReview:
    """Reject: nothing changes in the prescription."""
    review = _lock_pending(review)
    review.items.update(decision=ReviewItem.Decision.REJECTED)
    review.status = WeeklyReview.Status.REJECTED
    review.decided_by = user
    review.decided_at = timezone.now()
    review.save(update_fields=["status", "decided_by", "decided_at"])
    _decided(review)
    return review


@transaction.atomic
def proposal_mark_referred(*, proposal: ReviewItem, user: Any) -> ReviewItem:
    """Record that the client was referred to a clinician for a ``refer`` proposal (who, when).

    Whatever the review's status; marking it again keeps the first record.
    """
    proposal = ReviewItem.objects.select_for_update().get(pk=proposal.pk)
    if "refer" not in (proposal.flags or []):
        raise ValidationError("Only a proposal flagged “see a clinician” can be marked as referred.")
    if proposal.referred_at is None:
        proposal.referred_by = user
        proposal.referred_at = timezone.now()
        proposal.save(update_fields=["referred_by", "referred_at"])
    return proposal
