"""A logged set's form video and its poster frame (imported by coaching.models).

Keyed by (session, set uid), not by a ``LoggedSet`` row: a session's sets are deleted and
re-created on every write, while a set's uid stays. A write that drops a set's uid deletes its
video (``coaching.videos.services.videos_drop_missing``). The files live in the "videos" storage
(``settings.STORAGES``): never under STATIC, never a public URL.
"""

from __future__ import annotations

from django.core.files.storage import Storage, storages
from django.db import models


def video_storage() -> Storage:
    """The one storage of videos and posters (file system under var/ by default, S3 in production)."""
    return storages["videos"]


class SetVideo(models.Model):
    session = models.ForeignKey("coaching.LoggedSession", on_delete=models.CASCADE, related_name="videos")
    set_uid = models.UUIDField()
    file = models.FileField(storage=video_storage, max_length=255)
    content_type = models.CharField(max_length=20)
    bytes = models.PositiveBigIntegerField()
    duration_seconds = models.FloatField()
    # Made after the upload by a Celery task (coaching.videos.tasks); empty until then.
    poster = models.FileField(storage=video_storage, max_length=255, blank=True)
    uploaded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "set_uid"], name="set_video_session_set_unique"),
        ]

    def __str__(self) -> str:
        return f"video of set {self.set_uid} in {self.session_id}"
