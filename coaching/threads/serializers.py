"""The API's thread bodies (docs/api.md, "Conversation and form"). Serializers check; services decide."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from coaching.threads.models import COMMENT_MAX_CHARS, SessionComment
from coaching.threads.selectors import role_of


class AuthorSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The author's name (or email when they gave no name).")
    role = serializers.ChoiceField(choices=[("coach", "coach"), ("client", "client")])


class CommentSerializer(serializers.Serializer):
    # Give it context["session"]; ``is_read`` comes from ``thread_comments`` (or ``read`` in the
    # context). A comment, not a docstring: the schema would publish it.

    id = serializers.IntegerField()
    author = serializers.SerializerMethodField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    read = serializers.SerializerMethodField(help_text="Whether you have read it (your own replies are read).")

    @extend_schema_field(AuthorSerializer)
    def get_author(self, comment: SessionComment) -> dict[str, str]:
        user = comment.author
        return {"name": user.name or user.email, "role": role_of(self.context["session"], comment.author_id)}

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_read(self, comment: SessionComment) -> bool:
        return bool(getattr(comment, "is_read", self.context.get("read", True)))


class NotesSerializer(serializers.Serializer):
    author = AuthorSerializer()
    body = serializers.CharField()
    created_at = serializers.DateTimeField(help_text="When the session was performed.")


class ThreadSerializer(serializers.Serializer):
    """The paged envelope of a thread: the session's notes open it, then the comments."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    unread = serializers.IntegerField(help_text="Comments by the other side you have not marked read.")
    notes = NotesSerializer(
        allow_null=True, help_text="The client's session notes, the thread's first message (null without notes)."
    )
    results = CommentSerializer(many=True)


class CommentCreateSerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=COMMENT_MAX_CHARS,
        trim_whitespace=True,
        help_text=f"The reply, at most {COMMENT_MAX_CHARS:,} characters.",
        error_messages={"blank": "Write a reply first."},
    )


class ThreadReadSerializer(serializers.Serializer):
    last_read_id = serializers.IntegerField(help_text="The newest comment now read (0: the thread has none).")
    unread = serializers.IntegerField()


def notes_body(session: Any) -> dict[str, Any] | None:
    if not session.notes:
        return None
    return {
        "author": {"name": session.client.name, "role": "client"},
        "body": session.notes,
        "created_at": session.performed_at,
    }
