"""Session threads in the API: read, reply, mark read (docs/api.md, "Conversation and form")."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from coaching.access import access_thread
from coaching.api.schema import LIST_ERRORS, WRITE_ERRORS, errors, field_errors
from coaching.api.views import ApiListView, ApiView
from coaching.threads import selectors, services
from coaching.threads.serializers import (
    CommentCreateSerializer,
    CommentSerializer,
    ThreadReadSerializer,
    ThreadSerializer,
    notes_body,
)

TAG = ["threads"]
SESSION_PARAMETER = OpenApiParameter("session_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
WHO = (
    "Only the session's client, their coach, the team members the client is shared with and the team's owner reach "
    "a thread; for anyone else, and for a deleted session, it is a 404."
)
BODY_ERRORS = field_errors({"body": "Empty, or longer than 5,000 characters."})


def _unread(session: Any, user: Any) -> int:
    return selectors.thread_counts(user, [session.pk]).get(session.pk, selectors.ThreadCount()).unread


@extend_schema(parameters=[SESSION_PARAMETER], tags=TAG)
class CommentListView(ApiListView):
    serializer_class = CommentSerializer

    @extend_schema(
        summary="A session's thread",
        description="The client's session notes open the thread (`notes`, not a comment), then the "
        "comments oldest first, paged. Each comment says whether you have `read` it; reading does not "
        f"mark it read (POST `.../comments/read/` does). {WHO}",
        responses={200: ThreadSerializer, **errors(*LIST_ERRORS)},
    )
    def get(self, request: Any, session_id: str) -> Response:
        session = access_thread(request.user, session_id)
        page = self.paginate_queryset(selectors.thread_comments(session, request.user))
        response = self.get_paginated_response(CommentSerializer(page, many=True, context={"session": session}).data)
        response.data = {
            **response.data,
            "unread": _unread(session, request.user),
            "notes": notes_body(session),
        }
        return response

    @extend_schema(
        summary="Reply in a session's thread",
        description="Adds a comment by you (the client or their coach); the thread is then read by you up "
        "to it. When it waits unread for an hour the other side is emailed (at most once a day per "
        f"thread). {WHO}",
        request=CommentCreateSerializer,
        responses={201: CommentSerializer, **errors(*WRITE_ERRORS, bad_input=BODY_ERRORS)},
    )
    def post(self, request: Any, session_id: str) -> Response:
        session = access_thread(request.user, session_id)
        serializer = CommentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_add(session=session, author=request.user, body=serializer.validated_data["body"])
        body = CommentSerializer(comment, context={"session": session, "read": True}).data
        return Response(body, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[SESSION_PARAMETER], tags=TAG)
class ThreadReadView(ApiView):
    @extend_schema(
        summary="Mark a session's thread read",
        description="Every comment so far is read by you: unread counts drop, and no reminder email "
        f"goes to you about them. {WHO}",
        request=None,
        responses={200: ThreadReadSerializer, **errors(401, 403, 404, 429)},
    )
    def post(self, request: Any, session_id: str) -> Response:
        session = access_thread(request.user, session_id)
        last = services.thread_mark_read(session=session, user=request.user)
        return Response({"last_read_id": last, "unread": _unread(session, request.user)})
