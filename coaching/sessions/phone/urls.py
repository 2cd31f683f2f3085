"""The client's phone pages; the service worker and manifest live at the site root."""

from __future__ import annotations

from django.urls import path, re_path

from coaching.calendar_feed import views as calendar
from coaching.sessions.phone import views as client
from coaching.threads import views as threads
from coaching.videos import views as videos

urlpatterns = [
    path("today/", client.today, name="client-today"),
    path("history/", client.history, name="client-history"),
    path("calendar/", calendar.calendar, name="client-calendar"),
    path("calendar/reset/", calendar.calendar_reset, name="client-calendar-reset"),
    # The feed needs no login: the token in its URL is the credential (coaching/calendar_feed/).
    re_path(r"^calendar/(?P<token>[A-Za-z0-9_-]{43})\.ics$", calendar.feed, name="client-calendar-feed"),
    path("history/<str:session_id>/thread/", threads.client_thread, name="client-thread"),
    path("history/<str:session_id>/sets/<str:set_id>/video/", videos.client_set_video, name="client-set-video"),
    path("invite/<str:token>/", client.invite, name="client-invite"),
    path("sw.js", client.service_worker, name="client-sw"),
    path("manifest.webmanifest", client.manifest, name="client-manifest"),
]
