"""The calendar feed (no login: its URL's token is the credential) and the phone's "Add to my
calendar" page with its "Reset link" button."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from coaching.access import access_calendar_feed, require_client
from coaching.calendar_feed.ics import feed_calendar
from coaching.calendar_feed.links import feed_links
from coaching.calendar_feed.selectors import feed_plan
from coaching.calendar_feed.services import calendar_feed_for, calendar_feed_reset
from coaching.views.coach_common import is_htmx, render_page
from coaching.weeks import local_today

PAGE = "client/calendar.html"
# Calendar apps poll a subscription every few hours at most; a quarter of an hour of caching in
# the app (never in a shared cache: the URL is a secret) keeps a coach's change visible soon.
FEED_CACHE_CONTROL = "private, max-age=900"


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The client's planned days for the next 8 weeks as iCalendar; 404 for any other token."""
    client = access_calendar_feed(token).client
    assignment, planned, next_up = feed_plan(client, local_today(client.coach))
    body = feed_calendar(
        assignment=assignment,
        planned=planned,
        next_up=next_up,
        time_zone=client.coach.time_zone,
        today_url=request.build_absolute_uri(reverse("client-today")),
        stamp=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = FEED_CACHE_CONTROL
    response["Content-Disposition"] = 'inline; filename="training-plan.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(request: HttpRequest, token: str, *, reset: bool = False) -> HttpResponse:
    context = {"tab": "calendar", "reset": reset, **feed_links(request, token)}
    response = render_page(request, PAGE, context, fragment="card")
    # The page carries the feed's secret URL: never kept by a browser or proxy cache.
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
@login_required
@require_safe
def calendar(request: HttpRequest) -> HttpResponse:
    """The "Add to my calendar" card; the feed is made on the first visit."""
    _, token = calendar_feed_for(client=require_client(request.user))
    return _page(request, token)


@login_required
@require_POST
def calendar_reset(request: HttpRequest) -> HttpResponse:
    """A new link; the old one answers 404 (calendars subscribed to it stop updating)."""
    _, token = calendar_feed_reset(client=require_client(request.user))
    if is_htmx(request):
        return _page(request, token, reset=True)
    messages.success(request, "Your calendar link was reset: the old link no longer works.")
    return redirect("client-calendar")
