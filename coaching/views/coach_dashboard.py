from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from coaching.models import Coach
from coaching.selectors_coach import dashboard_for
from coaching.threads.selectors import unread_by_client
from coaching.views.coach_common import coach_required, render_page


@require_GET
@coach_required
def dashboard(request: HttpRequest, coach: Coach) -> HttpResponse:
    unread = unread_by_client(coach)
    context = {
        "coach": coach,
        "board": dashboard_for(
            coach, attention_page=request.GET.get("attention"), all_today=request.GET.get("today") == "all"
        ),
        "unread_clients": unread,
        "unread_total": sum(row.unread for row in unread),
    }
    return render_page(request, "coaching/dashboard.html", context)
