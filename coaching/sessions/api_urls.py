"""Logged sessions and sync (docs/api.md, "Logged sessions")."""

from __future__ import annotations

from django.urls import path

from coaching.sessions import api as sessions
from coaching.sessions.faults import api as coach_faults
from coaching.sessions.imports import api as imports
from coaching.threads import api as threads
from coaching.videos import api as videos

urlpatterns = [
    path("sessions/", sessions.SessionFeed.as_view(), name="api-session-feed"),
    path("sessions/sync/", sessions.SessionSync.as_view(), name="api-session-sync"),
    # Ids as any string: a malformed one gets the API's JSON 404 from the view (through
    # coaching.access), not Django's HTML page; an upper-case UUID is the same session.
    path("sessions/<str:session_id>/", sessions.SessionDetail.as_view(), name="api-session-detail"),
    path("clients/<str:pk>/imports/", imports.SessionImportView.as_view(), name="api-client-imports"),
    path(
        "clients/<str:pk>/imports/<str:import_id>/",
        imports.SessionImportDetailView.as_view(),
        name="api-client-import-detail",
    ),
    path(
        "clients/<str:pk>/imports/<str:import_id>/commit/",
        imports.SessionImportCommitView.as_view(),
        name="api-client-import-commit",
    ),
    path("sessions/<str:session_id>/comments/", threads.CommentListView.as_view(), name="api-session-comments"),
    path(
        "sessions/<str:session_id>/sets/<str:set_id>/coach-faults/",
        coach_faults.CoachFaultsView.as_view(),
        name="api-set-coach-faults",
    ),
    path("sessions/<str:session_id>/comments/read/", threads.ThreadReadView.as_view(), name="api-session-thread-read"),
    path(
        "sessions/<str:session_id>/sets/<str:set_id>/video/",
        videos.SetVideoView.as_view(),
        name="api-set-video",
    ),
    path(
        "sessions/<str:session_id>/sets/<str:set_id>/video/poster/",
        videos.SetVideoPosterView.as_view(),
        name="api-set-video-poster",
    ),
    path("clients/<str:client_id>/sessions.csv", sessions.ClientSessionsCSV.as_view(), name="api-client-sessions-csv"),
]
