"""REST API v1 except logged sessions (those are in ``coaching.sessions.api_urls``).

Object ids are matched as any string, so a malformed id (``/programs/abc/``) reaches the view and
gets the API's JSON 404 from ``coaching.access`` rather than Django's HTML page; the schema still
types them as integers (``schema.ID_PARAMETER``).
"""

from __future__ import annotations

from django.urls import path

from coaching.api import assignments, auth, library
from coaching.calendar_feed import api as calendar
from coaching.clients import api as clients
from coaching.push import api as push
from coaching.reviews import api as reviews
from coaching.teams import api as teams
from coaching.webhooks import api as webhooks

urlpatterns = [
    path("auth/token/", auth.TokenLoginView.as_view(), name="api-token"),
    path("auth/logout/", auth.TokenLogoutView.as_view(), name="api-logout"),
    path("auth/logoutall/", auth.TokenLogoutAllView.as_view(), name="api-logout-all"),
    path("exercises/", library.ExerciseListView.as_view(), name="api-exercises"),
    path("programs/", library.ProgramListView.as_view(), name="api-programs"),
    path("programs/<str:pk>/", library.ProgramDetailView.as_view(), name="api-program"),
    path("clients/", clients.ClientListView.as_view(), name="api-clients"),
    # Before clients/<pk>/, which would take "import" for an id.
    path("clients/import/", clients.RosterImportView.as_view(), name="api-clients-import"),
    path("clients/<str:pk>/", clients.ClientDetailView.as_view(), name="api-client"),
    path("clients/<str:pk>/shares/", teams.ClientSharesView.as_view(), name="api-client-shares"),
    path("clients/<str:pk>/shares/<str:member>/", teams.ClientShareDetailView.as_view(), name="api-client-share"),
    path("clients/<str:pk>/transfer/", teams.ClientTransferView.as_view(), name="api-client-transfer"),
    path("invites/<str:token>/accept/", clients.InviteAcceptView.as_view(), name="api-invite-accept"),
    path("assignments/", assignments.AssignmentListView.as_view(), name="api-assignments"),
    path("assignments/<str:pk>/", assignments.AssignmentDetailView.as_view(), name="api-assignment"),
    path("me/assignment/", assignments.MyAssignmentView.as_view(), name="api-my-assignment"),
    path("me/calendar/", calendar.MyCalendarView.as_view(), name="api-my-calendar"),
    path("me/calendar/reset/", calendar.MyCalendarResetView.as_view(), name="api-my-calendar-reset"),
    path("clients/<str:pk>/calendar/", calendar.ClientCalendarView.as_view(), name="api-client-calendar"),
    path(
        "clients/<str:pk>/calendar/reset/", calendar.ClientCalendarResetView.as_view(), name="api-client-calendar-reset"
    ),
    path("reviews/", reviews.ReviewListView.as_view(), name="api-reviews"),
    path("reviews/<str:pk>/", reviews.ReviewDetailView.as_view(), name="api-review"),
    path("reviews/<str:pk>/approve/", reviews.ReviewApproveView.as_view(), name="api-review-approve"),
    path("reviews/<str:pk>/reject/", reviews.ReviewRejectView.as_view(), name="api-review-reject"),
    path("push/subscriptions/", push.PushSubscriptionListView.as_view(), name="api-push-subscriptions"),
    path("push/subscriptions/unsubscribe/", push.PushUnsubscribeView.as_view(), name="api-push-unsubscribe"),
    path("reviews/<str:pk>/cosign/", teams.ReviewCosignView.as_view(), name="api-review-cosign"),
    path("team/", teams.TeamView.as_view(), name="api-team"),
    path("team/members/", teams.TeamMembersView.as_view(), name="api-team-members"),
    path("team/members/<str:pk>/", teams.TeamMemberDetailView.as_view(), name="api-team-member"),
    path("team-invites/<str:token>/accept/", teams.TeamInviteAcceptView.as_view(), name="api-team-invite-accept"),
    path("webhooks/", webhooks.WebhookListView.as_view(), name="api-webhooks"),
    path("webhooks/<str:pk>/", webhooks.WebhookDetailView.as_view(), name="api-webhook"),
    path("webhooks/<str:pk>/rotate-secret/", webhooks.WebhookRotateSecretView.as_view(), name="api-webhook-rotate"),
    path("webhooks/<str:pk>/enable/", webhooks.WebhookEnableView.as_view(), name="api-webhook-enable"),
    path("webhooks/<str:pk>/deliveries/", webhooks.WebhookDeliveryListView.as_view(), name="api-webhook-deliveries"),
    path(
        "webhooks/<str:pk>/deliveries/<str:delivery>/resend/",
        webhooks.WebhookResendView.as_view(),
        name="api-webhook-resend",
    ),
]
