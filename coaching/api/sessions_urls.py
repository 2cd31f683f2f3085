"""Logged sessions and sync (shared/API.md, "Logged sessions")."""

from __future__ import annotations

from django.urls import path

from coaching.api import sessions

urlpatterns = [
    path("sessions/", sessions.SessionFeed.as_view(), name="api-session-feed"),
    path("sessions/sync/", sessions.SessionSync.as_view(), name="api-session-sync"),
    # Any string, so a malformed or upper-case id gets the same 404 / normalization as a missing one.
    path("sessions/<str:session_id>/", sessions.SessionDetail.as_view(), name="api-session-detail"),
    path("clients/<int:client_id>/sessions.csv", sessions.ClientSessionsCSV.as_view(), name="api-client-sessions-csv"),
]
