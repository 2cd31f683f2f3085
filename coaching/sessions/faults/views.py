"""The coach tags faults on a set from the client page (htmx in place; a plain form post without JS)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from coaching.access import access_review, access_set_tagging, access_visible_client
from coaching.models import Client, Coach
from coaching.parsing import parse_id
from coaching.sessions.faults.forms import CoachFaultsForm
from coaching.sessions.faults.selectors import fault_choices, fault_rows
from coaching.sessions.faults.services import coach_faults_replace
from coaching.views.coach_common import coach_required, invalid_status, is_htmx, render_page


@require_http_methods(["GET", "POST"])
@coach_required
def coach_set_faults(request: HttpRequest, coach: Coach, client_id: int, session_id: str, set_id: str) -> HttpResponse:
    client = access_visible_client(request.user, client_id)
    session, logged_set, role = access_set_tagging(request.user, session_id, set_id, client=client)
    status, show_form = 200, True
    form = CoachFaultsForm(request.POST if request.method == "POST" else None)  # none ticked: an empty post
    if request.method == "POST":
        if form.is_valid():
            back = None if is_htmx(request) else _back(request, client)  # checked before anything is written
            logged_set = coach_faults_replace(
                session=session, logged_set=logged_set, user=request.user, role=role, faults=form.cleaned_data["faults"]
            )
            if back is not None:
                return redirect(back + f"#set-faults-{logged_set.uid}")
            form, show_form = CoachFaultsForm(), False  # in place: the tags, and the link to change them
        else:
            status = invalid_status(request)
    fault_rows([logged_set], request.user)
    context = {"client": client, "coach": coach, "set": logged_set, "form": form, "show_form": show_form}
    context["back_review"] = _back_review(request)
    context["fault_choices"] = fault_choices()
    return render_page(request, "coaching/set_faults.html", context, fragment="set_faults", status=status)


def _back_review(request: HttpRequest) -> int | None:
    """The review page the form was opened from (``back_review``), else None: the client page."""
    return parse_id(request.POST.get("back_review") or request.GET.get("back_review") or "")


def _back(request: HttpRequest, client: Client) -> str:
    """Where a plain form post goes back to: the coach's own review it came from, else the client page."""
    review_id = _back_review(request)
    if review_id is not None:
        review = access_review(request.user, review_id)  # another coach's review: 404
        return reverse("coach-review", args=[review.pk])
    return reverse("coach-client", args=[client.pk])
