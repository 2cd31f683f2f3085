from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from coaching.access import client_for, coach_for, membership_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """A coach goes to the dashboard, a client to today's training, a reviewer to their co-signs."""
    if coach_for(request.user) is not None:
        return redirect("coach-dashboard")
    if client_for(request.user) is not None:
        return redirect("client-today")
    if membership_for(request.user) is not None:
        return redirect("team-cosigns")  # a reviewer: what awaits their co-sign
    return render(request, "coaching/home.html", {})
