"""A logged session's thread: its comments and each reader's marker (imported by coaching.models).

The client's session notes open the thread but are not a comment: they stay the session's own
field, written by the sync. ``ThreadRead`` holds, per (user, session), the last comment the user
has seen and when they were last emailed about the thread, so "read" and unread counts are one
query per page and the reminder's claim is a conditional update of one row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

COMMENT_MAX_CHARS = 5000
# A coach's note with an approved proposal (ReviewItem.note).
NOTE_MAX_CHARS = 1000


class SessionComment(models.Model):
    session = models.ForeignKey("coaching.LoggedSession", on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_comments")
    body = models.TextField(max_length=COMMENT_MAX_CHARS)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["session", "id"]
        indexes = [
            # A thread oldest first, and the unread counts of a page's sessions.
            models.Index(fields=["session", "id"], name="session_comment_thread_idx"),
            # The reminder sweep: replies in the hour before the sweep's cut-off.
            models.Index(fields=["created_at"], name="session_comment_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.author_id} on {self.session_id}: {self.body[:40]}"


class ThreadRead(models.Model):
    """What one user has read of one session's thread, and when they were last emailed about it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_reads")
    session = models.ForeignKey("coaching.LoggedSession", on_delete=models.CASCADE, related_name="thread_reads")
    # The id of the newest comment the user has been shown (0: none). Ids only grow, so "read" is
    # ``id <= last_read_id`` however close two comments' times are.
    last_read_id = models.BigIntegerField(default=0)
    read_at = models.DateTimeField(null=True, blank=True)
    # The reminder email's claim: at most one per thread and recipient a day.
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="thread_read_user_session_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.session_id} to {self.last_read_id}"
