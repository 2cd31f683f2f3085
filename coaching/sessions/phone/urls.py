"""The client's phone pages; the service worker and manifest live at the site root."""

from __future__ import annotations

from django.urls import path

from coaching.sessions.phone import views as client
from coaching.threads import views as threads

urlpatterns = [
    path("today/", client.today, name="client-today"),
    path("history/", client.history, name="client-history"),
    path("history/<str:session_id>/thread/", threads.client_thread, name="client-thread"),
    path("invite/<str:token>/", client.invite, name="client-invite"),
    path("sw.js", client.service_worker, name="client-sw"),
    path("manifest.webmanifest", client.manifest, name="client-manifest"),
]
