from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from coaching.access import client_for, coach_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    coach = coach_for(request.user)
    client = client_for(request.user)
    context = {
        "coach": coach,
        "client": client,
        "clients_count": coach.clients.count() if coach else 0,
    }
    return render(request, "coaching/home.html", context)
