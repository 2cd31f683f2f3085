"""Team pages: the team (members, invites, roles), accepting an invite, the reviewer's co-sign
queue and their read of a review, the shared library, and a client's share and hand-over forms.

Thin: access through ``coaching.access``, reads in ``coaching.teams.selectors``, writes in
``coaching.teams.services``. A forbidden action on what the user sees is a 403 (the services say).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching.access import (
    access_review,
    access_review_to_cosign,
    access_team_coach,
    access_team_member,
    access_visible_client,
    coach_for,
    membership_for,
    require_coach,
    require_member,
    require_staff,
)
from coaching.models import Coach
from coaching.reviews.decisions import ReviewAlreadyDecided
from coaching.teams import selectors, services
from coaching.teams.forms import AcceptForm, CosignForm, InviteForm, RoleForm, TeamForm
from coaching.teams.models import TeamMembership
from coaching.views.coach_common import coach_required, invalid_status, render_page


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in, and a coach or a team member (a reviewer); anyone else gets 404."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        require_staff(request.user)
        return view(request, *args, **kwargs)

    return wrapped


def _frame(request: HttpRequest) -> dict[str, Any]:
    """A coach sees the team pages in the coach's frame; a reviewer in the team's."""
    is_coach = coach_for(request.user) is not None
    membership = membership_for(request.user)
    return {
        "base": "coaching/_coach_base.html" if is_coach else "coaching/_team_base.html",
        "is_coach": is_coach,
        "is_reviewer": membership is not None and membership.role == "reviewer",
    }


def _errors_to(form: Any, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _team_page(request: HttpRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    context = {
        "page": selectors.team_page(request.user),
        "team_form": TeamForm(),
        "invite_form": InviteForm(),
        **_frame(request),
        **extra,
    }
    return render_page(request, "coaching/team.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def team_home(request: HttpRequest) -> HttpResponse:
    """The team: its members and invites; for a coach in no team, the form to create one."""
    if request.method == "POST":
        require_coach(request.user)
        form = TeamForm(request.POST)
        if form.is_valid():
            try:
                services.team_create(user=request.user, name=form.cleaned_data["name"])
            except ValidationError as exc:
                _errors_to(form, exc)
            else:
                messages.success(request, f"Team {form.cleaned_data['name']} created: you are its owner.")
                return redirect("team")
        return _team_page(request, team_form=form, status=400)
    return _team_page(request)


@require_POST
@staff_required
def team_invite_create(request: HttpRequest) -> HttpResponse:
    membership = require_member(request.user)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invite = services.member_invite(team=membership.team, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            messages.success(request, f"Invite emailed to {invite.email}.")
            return _team_page(request, new_invite_url=services.invite_url(invite), new_invite=invite)
    return _team_page(request, invite_form=form, status=invalid_status(request))


@require_POST
@staff_required
def team_member_role(request: HttpRequest, member_id: int) -> HttpResponse:
    membership = access_team_member(request.user, member_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.member_update(membership=membership, by=request.user, role=form.cleaned_data["role"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{membership.user.name or membership.user.email} is now {membership.role}.")
    return redirect("team")


@require_POST
@staff_required
def team_member_remove(request: HttpRequest, member_id: int) -> HttpResponse:
    membership = access_team_member(request.user, member_id)
    try:
        services.member_remove(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{membership.user.email} removed; their clients are back with you.")
    return redirect("team")


@require_http_methods(["GET", "POST"])
def team_invite_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invite link: signed in as the invited email, accept; else set a name and password."""
    invite = services.invite_for_token(token)
    if invite is None:
        return render(request, "coaching/team_invite.html", {"invite": None}, status=404)
    signed_in = request.user.is_authenticated
    form = AcceptForm(request.POST or None, signed_in=signed_in)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.invite_accept(
                token=token, user=request.user if signed_in else None, **form.cleaned_data
            )
        except ValidationError as exc:
            _errors_to(form, exc)
        else:
            if not signed_in:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {invite.team.name}.")
            return redirect("team-cosigns" if membership.role == "reviewer" else "team")
    status = 400 if request.method == "POST" else 200
    return render(request, "coaching/team_invite.html", {"invite": invite, "form": form}, status=status)


@require_GET
@staff_required
def team_cosigns(request: HttpRequest) -> HttpResponse:
    """The reviewer's queue: pending reviews of their shared clients with pain or refer proposals."""
    return render_page(
        request, "coaching/team_cosigns.html", {"queue": selectors.cosign_queue(request.user), **_frame(request)}
    )


@require_GET
@staff_required
def team_review(request: HttpRequest, review_id: int) -> HttpResponse:
    """A review as a team member reads it (a reviewer: read and co-sign, never decide)."""
    review = access_review(request.user, review_id)
    return render_page(request, "coaching/team_review.html", _review_context(request, review))


def _review_context(request: HttpRequest, review: Any, form: CosignForm | None = None) -> dict[str, Any]:
    return {**selectors.team_review_page(request.user, review), "form": form or CosignForm(), **_frame(request)}


@require_POST
@staff_required
def team_review_cosign(request: HttpRequest, review_id: int) -> HttpResponse:
    review = access_review_to_cosign(request.user, review_id)
    form = CosignForm(request.POST)
    if form.is_valid():
        try:
            services.review_cosign(review=review, reviewer=request.user, note=form.cleaned_data["note"])
        except ValidationError as exc:
            _errors_to(form, exc)
        except ReviewAlreadyDecided as exc:
            messages.warning(request, str(exc))
            return redirect("team-review", review_id=review.pk)
        else:
            messages.success(request, f"Co-signed {review.assignment.client.name}'s review.")
            return redirect("team-cosigns")
    context = _review_context(request, review, form)
    return render_page(request, "coaching/team_review.html", context, status=invalid_status(request))


@require_GET
@coach_required
def team_library(request: HttpRequest, coach: Coach) -> HttpResponse:
    return render_page(request, "coaching/team_library.html", {"library": selectors.team_library(request.user)})


def _member_from(request: HttpRequest, key: str) -> TeamMembership:
    value = request.POST.get(key, "")
    return access_team_member(request.user, value)


@require_POST
@coach_required
def client_share(request: HttpRequest, coach: Coach, client_id: int) -> HttpResponse:
    client = access_visible_client(request.user, client_id)
    try:
        share = services.client_share(client=client, by=request.user, member=_member_from(request, "member"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{client.name} is shared with {share.member.name or share.member.email}.")
    return redirect("coach-client", client_id=client.pk)


@require_POST
@coach_required
def client_unshare(request: HttpRequest, coach: Coach, client_id: int, member_id: int) -> HttpResponse:
    client = access_visible_client(request.user, client_id)
    membership = access_team_member(request.user, member_id)
    services.client_unshare(client=client, by=request.user, member=membership)
    messages.success(
        request, f"{client.name} is no longer shared with {membership.user.name or membership.user.email}."
    )
    return redirect("coach-client", client_id=client.pk)


@require_POST
@coach_required
def client_transfer(request: HttpRequest, coach: Coach, client_id: int) -> HttpResponse:
    client = access_visible_client(request.user, client_id)
    to = access_team_coach(request.user, request.POST.get("coach", ""))
    try:
        services.client_transfer(client=client, by=request.user, to=to)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("coach-client", client_id=client.pk)
    messages.success(request, f"{client.name} is now coached by {to.user.name or to.user.email}.")
    return redirect("coach-clients")
