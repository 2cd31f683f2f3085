"""The coach's browser pages (desktop and tablet)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from coaching.clients import views as coach_clients
from coaching.reviews import views as coach_reviews
from coaching.sessions import views as coach_imports
from coaching.sessions.faults import views as set_faults
from coaching.sessions.imports import views as coach_session_imports
from coaching.teams import views as teams
from coaching.threads import views as threads
from coaching.views import coach_auth, coach_dashboard, coach_programs
from coaching.webhooks import views as coach_webhooks

urlpatterns = [
    # Teams (coaching/teams/views.py)
    path("team/", teams.team_home, name="team"),
    path("team/invites/", teams.team_invite_create, name="team-invite-create"),
    path("team/invite/<str:token>/", teams.team_invite_accept, name="team-invite"),
    path("team/members/<int:member_id>/role/", teams.team_member_role, name="team-member-role"),
    path("team/members/<int:member_id>/remove/", teams.team_member_remove, name="team-member-remove"),
    path("team/cosigns/", teams.team_cosigns, name="team-cosigns"),
    path("team/reviews/<int:review_id>/", teams.team_review, name="team-review"),
    path("team/reviews/<int:review_id>/cosign/", teams.team_review_cosign, name="team-review-cosign"),
    path("team/library/", teams.team_library, name="team-library"),
    path("clients/<int:client_id>/shares/", teams.client_share, name="coach-client-share"),
    path("clients/<int:client_id>/shares/<int:member_id>/end/", teams.client_unshare, name="coach-client-unshare"),
    path("clients/<int:client_id>/transfer/", teams.client_transfer, name="coach-client-transfer"),
    # Accounts
    path("signup/", coach_auth.coach_signup, name="coach-signup"),
    path("settings/", coach_auth.coach_settings, name="coach-settings"),
    path("settings/webhooks/", coach_webhooks.webhook_list, name="coach-webhooks"),
    path("settings/webhooks/<int:endpoint_id>/", coach_webhooks.webhook_log, name="coach-webhook"),
    path("settings/webhooks/<int:endpoint_id>/delete/", coach_webhooks.webhook_delete, name="coach-webhook-delete"),
    path("settings/webhooks/<int:endpoint_id>/rotate/", coach_webhooks.webhook_rotate, name="coach-webhook-rotate"),
    path("settings/webhooks/<int:endpoint_id>/enable/", coach_webhooks.webhook_enable, name="coach-webhook-enable"),
    path(
        "settings/webhooks/<int:endpoint_id>/deliveries/<int:delivery_id>/resend/",
        coach_webhooks.webhook_resend,
        name="coach-webhook-resend",
    ),
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # Dashboard and clients
    path("dashboard/", coach_dashboard.dashboard, name="coach-dashboard"),
    path("clients/", coach_clients.client_list, name="coach-clients"),
    path("clients/new/", coach_clients.client_add, name="coach-client-add"),
    path("clients/import/", coach_clients.client_roster_import, name="coach-clients-import"),
    path("clients/import/create/", coach_clients.client_roster_commit, name="coach-clients-import-create"),
    path("clients/<int:client_id>/", coach_clients.client_detail, name="coach-client"),
    path("clients/<int:client_id>/invite/", coach_clients.client_invite, name="coach-client-invite"),
    path("clients/<int:client_id>/delete/", coach_clients.client_delete, name="coach-client-delete"),
    path("clients/<int:client_id>/import/", coach_imports.client_sessions_import, name="coach-client-import"),
    path("clients/<int:client_id>/imports/", coach_session_imports.import_upload, name="coach-client-imports"),
    path(
        "clients/<int:client_id>/imports/<int:import_id>/",
        coach_session_imports.import_dry_run,
        name="coach-client-import-dry-run",
    ),
    path(
        "clients/<int:client_id>/imports/<int:import_id>/commit/",
        coach_session_imports.import_commit,
        name="coach-client-import-commit",
    ),
    path("clients/<int:client_id>/sessions/<str:session_id>/thread/", threads.coach_thread, name="coach-thread"),
    path(
        "clients/<int:client_id>/sessions/<str:session_id>/sets/<str:set_id>/faults/",
        set_faults.coach_set_faults,
        name="coach-set-faults",
    ),
    path("clients/<int:client_id>/assign/", coach_clients.client_assign, name="coach-client-assign"),
    path(
        "clients/<int:client_id>/prescription/",
        coach_clients.prescription_edit_view,
        name="coach-prescription-edit",
    ),
    # Exercise library
    path("exercises/", coach_programs.exercise_list, name="coach-exercises"),
    path("exercises/new/", coach_programs.exercise_add, name="coach-exercise-add"),
    path("exercises/cues/", coach_programs.exercise_cues, name="coach-exercise-cues"),
    path("exercises/<slug:slug>/", coach_programs.exercise_detail, name="coach-exercise"),
    path("exercises/<slug:slug>/edit/", coach_programs.exercise_edit, name="coach-exercise-edit"),
    path("exercises/<slug:slug>/delete/", coach_programs.exercise_delete_view, name="coach-exercise-delete"),
    # Program templates
    path("programs/", coach_programs.program_list, name="coach-programs"),
    path("programs/<int:template_id>/", coach_programs.program_detail, name="coach-program"),
    path("programs/<int:template_id>/settings/", coach_programs.program_settings, name="coach-program-settings"),
    path("programs/<int:template_id>/delete/", coach_programs.program_delete, name="coach-program-delete"),
    path("programs/<int:template_id>/assign/", coach_clients.client_assign, name="coach-program-assign"),
    path("programs/<int:template_id>/days/<int:day>/edit/", coach_programs.day_edit, name="coach-day-edit"),
    path("programs/<int:template_id>/days/<int:day>/move/", coach_programs.day_move, name="coach-day-move"),
    path(
        "programs/<int:template_id>/days/<int:day>/duplicate/",
        coach_programs.day_duplicate,
        name="coach-day-duplicate",
    ),
    path("programs/<int:template_id>/days/<int:day>/delete/", coach_programs.day_delete, name="coach-day-delete"),
    path("programs/<int:template_id>/lines/new/", coach_programs.line_add_form, name="coach-line-form"),
    path("programs/<int:template_id>/lines/add/", coach_programs.line_add, name="coach-line-add"),
    path("programs/<int:template_id>/lines/restore/", coach_programs.line_restore, name="coach-line-restore"),
    path(
        "programs/<int:template_id>/days/<int:day>/lines/<int:position>/edit/",
        coach_programs.line_edit,
        name="coach-line-edit",
    ),
    path(
        "programs/<int:template_id>/days/<int:day>/lines/<int:position>/remove/",
        coach_programs.line_remove,
        name="coach-line-remove",
    ),
    path(
        "programs/<int:template_id>/days/<int:day>/lines/<int:position>/move/",
        coach_programs.line_move,
        name="coach-line-move",
    ),
    path(
        "programs/<int:template_id>/days/<int:day>/lines/<int:position>/to-day/",
        coach_programs.line_to_day,
        name="coach-line-to-day",
    ),
    # Reviews
    path("reviews/", coach_reviews.review_list, name="coach-reviews"),
    path("reviews/approve/", coach_reviews.review_bulk_approve, name="coach-reviews-bulk-approve"),
    path("reviews/<int:review_id>/", coach_reviews.review_detail, name="coach-review"),
    path("reviews/<int:review_id>/approve/", coach_reviews.review_approve_view, name="coach-review-approve"),
    path("reviews/<int:review_id>/reject/", coach_reviews.review_reject_view, name="coach-review-reject"),
    path(
        "reviews/<int:review_id>/items/<int:item_id>/referred/",
        coach_reviews.proposal_referred_view,
        name="coach-review-item-referred",
    ),
]
