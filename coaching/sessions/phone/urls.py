"""The client's phone pages; the service worker and manifest live at the site root."""

from __future__ import annotations

from django.urls import path

from coaching.sessions.phone import views as client

urlpatterns = [
    path("today/", client.today, name="client-today"),
    path("history/", client.history, name="client-history"),
    path("invite/<str:token>/", client.invite, name="client-invite"),
    path("sw.js", client.service_worker, name="client-sw"),
    path("manifest.webmanifest", client.manifest, name="client-manifest"),
]
