from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from coaching.models import Coach
from coaching.selectors_coach import dashboard_for
from coaching.views.coach_common import coach_required, render_page


@require_GET
@coach_required
def dashboard(request: HttpRequest, coach: Coach) -> HttpResponse:
    return render_page(request, "coaching/dashboard.html", {"coach": coach, "board": dashboard_for(coach)})
