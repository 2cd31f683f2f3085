"""Weekly reviews: the queue (filters, bulk approve) and one review (approve all, some, edited, reject)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from coaching.access import access_proposal, access_review, access_review_to_decide, exercises_for, visible_clients
from coaching.models import Coach, WeeklyReview
from coaching.parsing import parse_id, query_text
from coaching.reviews.decisions import (
    ReviewAlreadyDecided,
    ReviewInputError,
    ReviewUpdated,
    proposal_mark_referred,
    review_approve,
    review_check_current,
    review_reject,
    reviews_bulk_approve,
)
from coaching.reviews.forms import BaseProposalFormSet, ProposalForm, ProposalFormSet, posted_item_ids
from coaching.reviews.present import approval_message, line_changes, proposal_reason
from coaching.reviews.recompute import cause_text
from coaching.reviews.selectors import action_counts, queue_page_rows, review_flags, review_weeks, reviews_queue
from coaching.sessions.faults.selectors import fault_choices, review_week_sessions
from coaching.teams.selectors import review_cosign_state
from coaching.teams.services import CosignMissing
from coaching.threads.selectors import unread_total
from coaching.videos.selectors import review_week_videos
from coaching.views.coach_common import coach_required, invalid_status, is_htmx, render_page
from programs.models import range_text
from programs.progression.text import flag_label, fmt_rounded, fmt_value
from programs.progression.units import from_kg

REVIEWS_PER_PAGE = 50


def _parse_week(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@require_GET
@coach_required
def review_list(request: HttpRequest, coach: Coach) -> HttpResponse:
    status = request.GET.get("status", "pending")
    status = status if status in {*WeeklyReview.Status.values, "all"} else "pending"
    client_raw = request.GET.get("client", "")
    client_id = parse_id(client_raw)
    # A client picked by id (the client list's links) or found by name: no list of the whole roster.
    who = "" if client_id is not None else (query_text(request.GET.get("who", "")[:100]) or "").strip()
    week = _parse_week(request.GET.get("week", ""))
    queue = reviews_queue(coach, status=status, client_id=client_id, week=week)
    if who:
        queue = queue.filter(assignment__client__name__icontains=who)
    page = Paginator(queue_page_rows(queue), REVIEWS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {"review": r, "flags": [(f, flag_label(f)) for f in review_flags(r)], "counts": action_counts(r)}
        for r in page.object_list
    ]
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {
        "coach": coach,
        "page": page,
        "rows": rows,
        "status": status,
        "client_id": client_id,
        "client_name": (
            visible_clients(coach.user).filter(pk=client_id).values_list("name", flat=True).first()
            if client_id is not None
            else None
        ),
        "who": who,
        "week": week,
        "pager_query": kept.urlencode(),
        "weeks": review_weeks(coach),
        "statuses": [("pending", "Pending"), ("approved", "Approved"), ("rejected", "Rejected"), ("all", "All")],
    }
    return render_page(request, "coaching/reviews.html", context, fragment="queue")


@require_POST
@coach_required
def review_bulk_approve(request: HttpRequest, coach: Coach) -> HttpResponse:
    ids = [pk for pk in map(parse_id, request.POST.getlist("review")) if pk is not None]
    result = reviews_bulk_approve(user=request.user, review_ids=ids)
    if not result.approved and not result.skipped:
        messages.warning(request, "Tick at least one pending review to approve.")
    else:
        approved = result.approved
        messages.success(request, f"Approved {approved} review{'s' if approved != 1 else ''}.")
        if result.skipped:
            messages.warning(request, f"Not approved (already decided or invalid): {', '.join(result.skipped)}.")
    query = request.POST.get("return_query", "")
    return redirect(f"{reverse('coach-reviews')}{'?' + query if query else ''}")


# --- one review --------------------------------------------------------------------------------


def _or_dash(value: Any) -> str:
    """A figure as the page writes it (``fmt_value``); a dash for none."""
    return "–" if value is None or value == "" else fmt_value(value)


def line_rows(current: dict[str, Any], proposed: dict[str, Any], names: dict[str, str]) -> list[dict[str, Any]]:
    """Current → proposed, field by field, in the coach's words."""

    def described(line: dict[str, Any]) -> dict[str, str]:
        is_hold = "seconds_low" in line
        low = line.get("seconds_low" if is_hold else "reps_low")
        high = line.get("seconds_high" if is_hold else "reps_high")
        return {
            "Exercise": names.get(line.get("exercise", ""), line.get("exercise", "")),
            "Sets": _or_dash(line.get("sets")),
            "Range": range_text(_or_dash(low), _or_dash(high), hold=is_hold),
            "Load": f"{_or_dash(line.get('load'))} {line.get('unit', '')}".strip(),
            "Tempo": line.get("tempo") or "–",
            "Target RPE": _or_dash(line.get("target_rpe")),
        }

    before, after = described(current), described(proposed)
    return [
        {"label": key, "current": before[key], "proposed": after[key], "changed": before[key] != after[key]}
        for key in before
    ]


def _proposal_cards(
    request: HttpRequest, review: WeeklyReview, data: Any = None
) -> tuple[BaseProposalFormSet, list[dict[str, Any]]]:
    """The review's proposal formset, and one card per proposal with its form."""
    exercises = exercises_for(request.user)
    names = {e.slug: e.name for e in exercises}
    by_exercise = review.metrics.get("exercises") or {}
    proposals = list(review.items.select_related("exercise", "referred_by").order_by("position"))
    formset = ProposalFormSet(data, proposals=proposals, exercises=exercises)
    return formset, [
        {
            "proposal": proposal,
            "form": form,
            "rows": line_rows(proposal.current, proposal.approved_line or proposal.proposed, names),
            "flags": [(flag, flag_label(flag)) for flag in proposal.flags],
            "reason": proposal_reason(proposal, by_exercise.get(proposal.exercise.slug)),
            "serious": bool({"pain", "refer"} & set(proposal.flags)),
        }
        for proposal, form in zip(proposals, formset.forms, strict=True)
    ]


def _in_unit(kg: Any, unit: str) -> str:
    """A kg figure of the week's metrics in the assignment's unit, to one decimal."""
    try:
        value = Decimal(str(kg))
    except (InvalidOperation, ValueError):
        return _or_dash(kg)
    if not value.is_finite():
        return "–"
    return fmt_rounded(from_kg(value, unit), 1)  # 2700, never 2.7e+03


def _metrics_rows(review: WeeklyReview, names: dict[str, str]) -> list[dict[str, Any]]:
    unit = review.assignment.unit
    rows = []
    for slug, m in (review.metrics.get("exercises") or {}).items():
        fault_share = m.get("fault_share")
        rows.append(
            {
                "name": names.get(slug, slug),
                "sets": m.get("sets", "–"),
                "volume": _in_unit(m.get("volume_load_kg"), unit),
                "e1rm": _in_unit(m.get("best_e1rm_kg"), unit),
                "rpe": _or_dash(m.get("mean_rpe")),
                "faults": "–" if fault_share is None else f"{float(fault_share) * 100:.0f}%",
                "pain": _or_dash(m.get("max_pain")),
                "sides": _or_dash(m.get("weaker_side_pct")) + ("%" if m.get("weaker_side_pct") is not None else ""),
            }
        )
    return rows


def day_groups(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cards by training day, in the review's order (day, then position): one group per day,
    ``{"day", "name", "cards"}``."""
    groups: list[dict[str, Any]] = []
    for card in cards:
        proposal = card["proposal"]
        if not groups or groups[-1]["day"] != proposal.day:
            groups.append({"day": proposal.day, "name": proposal.day_name, "cards": []})
        groups[-1]["cards"].append(card)
    return groups


def _review_context(request: HttpRequest, review: WeeklyReview, data: Any = None) -> dict[str, Any]:
    names = {e.slug: e.name for e in exercises_for(request.user)}
    formset, cards = _proposal_cards(request, review, data)
    groups = day_groups(cards)
    return {
        "cosign": review_cosign_state(review),
        "day_groups": groups,
        "by_day": len(groups) > 1,  # a one-day review reads as before: no heading
        "review": review,
        "names": names,
        "client": review.assignment.client,
        "formset": formset,
        "cards": cards,
        "metrics": review.metrics,
        "metric_rows": _metrics_rows(review, names),
        "unit": review.assignment.unit,
        "applies_from": review.week_start + dt.timedelta(days=7),
        "unread_replies": unread_total(request.user, review.assignment.client),
        "recomputed_cause": cause_text(review) if review.recomputed_at else "",
        # The week's sets, each with its faults and the coach's tag form (docs/domain.md "Conversation and form").
        "week_sessions": review_week_sessions(review, request.user),
        "fault_choices": fault_choices(),
        "week_videos": review_week_videos(review),
    }


@require_GET
@coach_required
def review_detail(request: HttpRequest, coach: Coach, review_id: int) -> HttpResponse:
    review = access_review(request.user, review_id)
    return render_page(request, "coaching/review.html", _review_context(request, review))


@require_POST
@coach_required
def review_approve_view(request: HttpRequest, coach: Coach, review_id: int) -> HttpResponse:
    review = access_review_to_decide(request.user, review_id)
    context = _review_context(request, review, request.POST)
    if review.status != WeeklyReview.Status.PENDING:
        messages.warning(request, f"This review was already {review.get_status_display().lower()}.")
        return _after_decision(request, review, status=409)
    seen = posted_item_ids(request.POST)
    try:
        review_check_current(review=review, seen_item_ids=seen)
    except ReviewUpdated as exc:
        return _updated(request, review, exc)
    formset: BaseProposalFormSet = context["formset"]
    proposals, valid = formset.approval(only=request.POST.get("only", ""), mode=request.POST.get("mode", "all"))
    for card in context["cards"]:
        card["ticked"] = card["form"].ticked
    if valid and proposals == []:
        context["form_error"] = "Tick at least one proposal, or reject the review."
        valid = False
    if valid and request.POST.get("back"):
        valid = False  # back from the confirmation: the form again, as the coach left it
    elif valid and request.POST.get("confirm") != "refer" and _ask_to_confirm_refer(request, context):
        return render_page(request, "coaching/review.html", context, fragment="review-body")
    if valid:
        try:
            review_approve(review=review, user=request.user, items=proposals, seen_item_ids=seen)
        except ReviewAlreadyDecided as exc:
            messages.warning(request, str(exc))
            return _after_decision(request, review, status=409)
        except ReviewUpdated as exc:
            return _updated(request, review, exc)
        except CosignMissing as exc:
            # Said on the page (htmx swaps only a 2xx answer in); the API's answer is a 409.
            messages.warning(request, str(exc))
            return _after_decision(request, review)
        except ReviewInputError as exc:
            context["form_error"] = _errors_onto_cards(context["cards"], exc.errors)
        except ValidationError as exc:
            # A line the service could not read back (e.g. a current line it no longer accepts).
            context["form_error"] = "This review cannot be approved as it is: " + " ".join(exc.messages)
        else:
            decided = review.items.order_by("position")
            messages.success(request, approval_message(decided, context["names"], context["applies_from"]))
            return _after_decision(request, review)
    status = 200 if request.POST.get("back") else invalid_status(request)
    return render_page(request, "coaching/review.html", context, fragment="review-body", status=status)


def _updated(request: HttpRequest, review: WeeklyReview, exc: ReviewUpdated) -> HttpResponse:
    """A form posted with proposals a recompute replaced: the review as it is now, with why (htmx
    swaps only 2xx answers in; a plain post is redirected to the page)."""
    messages.warning(request, str(exc))
    return _after_decision(request, review, status=invalid_status(request))


def _ask_to_confirm_refer(request: HttpRequest, context: dict[str, Any]) -> bool:
    """Approving a proposal flagged ``refer`` loads again what the rules say a clinician should see
    first: one more, deliberate step. Fills ``context`` for it (the posted form, to send again)."""
    flagged = [card for card in context["cards"] if card["ticked"] and "refer" in card["proposal"].flags]
    if not flagged:
        return False
    for card in flagged:
        line = card["form"].edited_line() or card["proposal"].proposed
        card["changes"] = ", ".join(line_changes(card["proposal"].current, line)) or "no change"
    skip = {"csrfmiddlewaretoken", "confirm"}
    context["replay"] = [(key, value) for key, values in request.POST.lists() if key not in skip for value in values]
    context["confirm"] = flagged
    return True


# The service names the range by the exercise's measure; the review form has one pair of fields.
SERVICE_FIELDS = {"reps_low": "low", "seconds_low": "low", "reps_high": "high", "seconds_high": "high"}


def _messages(value: Any) -> list[str]:
    """Every message in a piece of an API-shaped error body (a string, a list or a dict of them)."""
    if isinstance(value, dict):
        return [message for part in value.values() for message in _messages(part)]
    if isinstance(value, list | tuple):
        return [message for part in value for message in _messages(part)]
    return [str(value)] if value not in (None, "") else []


def _errors_onto_cards(cards: list[dict[str, Any]], errors: dict[str, Any]) -> str | None:
    """Put a ``ReviewInputError``'s messages under the fields they name, on the proposal's card.

    Returns, as one sentence for the top of the form, what names no proposal or no field.
    """
    by_id = {card["proposal"].pk: card for card in cards}
    loose: list[str] = []
    for key, value in errors.items():
        if key != "items" or not isinstance(value, list):
            loose += _messages(value)
            continue
        for entry in value:
            proposal_id = entry.get("id") if isinstance(entry, dict) else None
            card = by_id.get(proposal_id) if isinstance(proposal_id, int) else None
            if card is None:
                loose += _messages(entry)
                continue
            form: ProposalForm = card["form"]
            for part, detail in entry.items():
                if part == "id":
                    continue
                fields = detail if part == "proposed" and isinstance(detail, dict) else {None: detail}
                for name, said in fields.items():
                    target = SERVICE_FIELDS.get(name, name)
                    for message in _messages(said):
                        form.add_error(target if target in form.fields else None, message)
    return " ".join(loose) or None


def _after_decision(request: HttpRequest, review: WeeklyReview, status: int = 200) -> HttpResponse:
    if is_htmx(request):
        review = access_review(request.user, review.pk)
        return render_page(
            request, "coaching/review.html", _review_context(request, review), fragment="review-body", status=status
        )
    return redirect("coach-review", review_id=review.pk)


@require_POST
@coach_required
def review_reject_view(request: HttpRequest, coach: Coach, review_id: int) -> HttpResponse:
    review = access_review_to_decide(request.user, review_id)
    try:
        review_reject(review=review, user=request.user)
    except ReviewAlreadyDecided as exc:
        messages.warning(request, str(exc))
        return _after_decision(request, review, status=409)
    messages.info(request, "Rejected. The prescription stays as it is.")
    return _after_decision(request, review)


@require_POST
@coach_required
def proposal_referred_view(request: HttpRequest, coach: Coach, review_id: int, item_id: int) -> HttpResponse:
    proposal = access_proposal(request.user, review_id, item_id)
    try:
        proposal_mark_referred(proposal=proposal, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        context = _review_context(request, access_review(request.user, review_id))
        status = invalid_status(request)
        return render_page(request, "coaching/review.html", context, fragment="review-body", status=status)
    messages.success(request, f"Marked as referred to a clinician: {proposal.exercise.name}.")
    return _after_decision(request, access_review(request.user, review_id))
