"""Storing, replacing and deleting a set's form video, and making its poster frame.

An upload is spooled to a temporary file (never past the size limit), checked by its content and
by ffprobe, and only then saved in the videos storage: a file that fails a check leaves nothing
behind. Stored files go whenever their row goes (the ``post_delete`` receiver below, after the
commit), so a set, a session or a client's data deleted by any path takes its videos with it.
"""

from __future__ import annotations

import logging
import secrets
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import kombu.exceptions
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from coaching.models import LoggedSession
from coaching.videos.models import SetVideo, video_storage
from coaching.videos.probe import HEAD_BYTES, content_type_of, poster_frame, probe

logger = logging.getLogger(__name__)

CHUNK_BYTES = 256 * 1024
EXTENSIONS = {"video/mp4": ".mp4", "video/quicktime": ".mov", "video/webm": ".webm"}
NOT_A_VIDEO = "This file is not a video: send an MP4, QuickTime (.mov) or WebM file."
UNREADABLE = "This file could not be read as a video (no video stream found): record it again."


class VideoTooBig(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"The video is larger than {limit // (1024 * 1024)} MB: record a shorter clip.")


class VideoNotAVideo(Exception):
    def __init__(self) -> None:
        super().__init__(NOT_A_VIDEO)


def _spool(body: IO[bytes], path: Path, limit: int) -> int:
    """Copy the body to ``path``, reading at most one chunk past ``limit``; its size."""
    size = 0
    with path.open("wb") as out:
        while True:
            chunk = body.read(CHUNK_BYTES)
            if not chunk:
                return size
            size += len(chunk)
            if size > limit:
                raise VideoTooBig(limit)
            out.write(chunk)


def _checked(path: Path, size: int) -> tuple[str, float]:
    """(content type, duration) of a file that is a video of at most the allowed length."""
    with path.open("rb") as f:
        content_type = content_type_of(f.read(HEAD_BYTES))
    if content_type is None or size == 0:
        raise VideoNotAVideo()
    probed = probe(path)
    if not probed.has_video or probed.duration_seconds is None:
        raise ValidationError({"video": [UNREADABLE]})
    limit = settings.VIDEO_MAX_SECONDS
    if probed.duration_seconds > limit:
        seconds = f"{probed.duration_seconds:.0f} s long; at most {limit:.0f} s"
        raise ValidationError({"video": [f"The video is {seconds}: trim it or record again."]})
    return content_type, probed.duration_seconds


def video_put(*, session: LoggedSession, set_uid: uuid.UUID, body: IO[bytes], length: int | None = None) -> SetVideo:
    """Store (or replace) the set's video from a raw body; raises VideoTooBig (413),
    VideoNotAVideo (415), ValidationError (400) or ProbeUnavailable, keeping nothing then."""
    limit = settings.VIDEO_MAX_BYTES
    if length is not None and length > limit:
        raise VideoTooBig(limit)
    storage = video_storage()
    with tempfile.TemporaryDirectory(prefix="hinge-video-") as folder:
        path = Path(folder) / "upload"
        size = _spool(body, path, limit)
        content_type, duration = _checked(path, size)
        wanted = f"sessions/{session.pk}/{set_uid}-{secrets.token_hex(6)}{EXTENSIONS[content_type]}"
        with path.open("rb") as f:
            name = storage.save(wanted, File(f))
    try:
        video = _store(session, set_uid, name, content_type, size, duration)
    except BaseException:
        storage.delete(name)
        raise
    return video


@transaction.atomic
def _store(
    session: LoggedSession, set_uid: uuid.UUID, name: str, content_type: str, size: int, duration: float
) -> SetVideo:
    fields: dict[str, Any] = {
        "file": name,
        "content_type": content_type,
        "bytes": size,
        "duration_seconds": duration,
        "poster": "",
        "uploaded_at": timezone.now(),
    }
    video = SetVideo.objects.select_for_update().filter(session=session, set_uid=set_uid).first()
    if video is None:
        try:
            with transaction.atomic():
                video = SetVideo.objects.create(session=session, set_uid=set_uid, **fields)
        except IntegrityError:  # a concurrent upload of the same set created it first
            video = SetVideo.objects.select_for_update().get(session=session, set_uid=set_uid)
        else:
            _enqueue_poster(video.pk)
            return video
    replaced = [video.file.name, video.poster.name]
    for key, value in fields.items():
        setattr(video, key, value)
    video.save()
    transaction.on_commit(lambda: _delete_files(replaced))
    _enqueue_poster(video.pk)
    return video


def video_delete(*, session: LoggedSession, set_uid: uuid.UUID) -> bool:
    """Remove the set's video (its files after the commit); False when it had none."""
    deleted, _ = SetVideo.objects.filter(session=session, set_uid=set_uid).delete()
    return deleted > 0


def videos_delete_for_sessions(session_ids: Iterable[uuid.UUID]) -> None:
    """A deleted session's videos go with it (the tombstone row stays, its videos do not)."""
    SetVideo.objects.filter(session_id__in=list(session_ids)).delete()


def videos_drop_missing(kept: dict[uuid.UUID, Iterable[uuid.UUID]]) -> int:
    """After a write replaced sessions' sets: delete each session's videos whose set uid is not
    among ``kept[session id]`` (the uids the session has now); how many went. One query when none
    go (a batch of 500 sessions costs the same as one)."""
    if not kept:
        return 0
    keep = {session_id: set(uids) for session_id, uids in kept.items()}
    rows = SetVideo.objects.filter(session_id__in=list(keep)).values_list("pk", "session_id", "set_uid")
    gone = [pk for pk, session_id, set_uid in rows if set_uid not in keep[session_id]]
    if gone:
        SetVideo.objects.filter(pk__in=gone).delete()
    return len(gone)


def _delete_files(names: Iterable[str]) -> None:
    storage = video_storage()
    for name in names:
        if not name:
            continue
        try:
            storage.delete(name)
        except OSError:
            logger.exception("Could not delete the stored video file %s", name)


@receiver(post_delete, sender=SetVideo, dispatch_uid="set_video_files")
def _files_go_with_the_row(sender: Any, instance: SetVideo, **kwargs: Any) -> None:
    names = [instance.file.name, instance.poster.name]
    transaction.on_commit(lambda: _delete_files(names), using=kwargs.get("using"))


def _enqueue_poster(video_id: int) -> None:
    def enqueue() -> None:
        from coaching.videos.tasks import make_video_poster

        try:
            make_video_poster.delay(video_id)
        except kombu.exceptions.OperationalError:
            logger.exception("Poster of video %s not queued: the broker is unreachable", video_id)

    transaction.on_commit(enqueue)


def poster_make(video_id: int) -> bool:
    """Grab the video's poster frame with ffmpeg and store it; idempotent (True when one is stored
    now or already was). A video replaced or deleted meanwhile keeps no stray poster."""
    video = SetVideo.objects.filter(pk=video_id).first()
    if video is None:
        return False
    if video.poster.name:
        return True
    storage = video_storage()
    source = video.file.name
    with tempfile.TemporaryDirectory(prefix="hinge-poster-") as folder:
        local = Path(folder) / f"video{Path(source).suffix}"
        with storage.open(source, "rb") as src, local.open("wb") as out:
            for chunk in iter(lambda: src.read(CHUNK_BYTES), b""):
                out.write(chunk)
        jpeg = Path(folder) / "poster.jpg"
        if not poster_frame(local, jpeg, video.duration_seconds):
            logger.warning("ffmpeg made no poster frame for video %s", video_id)
            return False
        with jpeg.open("rb") as f:
            name = storage.save(f"{Path(source).with_suffix('')}-poster.jpg", File(f))
    updated = SetVideo.objects.filter(pk=video_id, file=source, poster="").update(poster=name)
    if not updated:
        storage.delete(name)
        return SetVideo.objects.filter(pk=video_id).exclude(poster="").exists()
    return True


def video_upload_problem(*, session: LoggedSession, set_uid: uuid.UUID, upload: Any) -> str | None:
    """The phone's form without JavaScript: store the uploaded file; the refusal in the client's
    words, or None when it is stored."""
    from coaching.videos.probe import ProbeUnavailable

    if upload is None:
        return "Choose a video first."
    try:
        video_put(session=session, set_uid=set_uid, body=upload, length=upload.size)
    except (VideoTooBig, VideoNotAVideo) as exc:
        return str(exc)
    except ValidationError as exc:
        return " ".join(exc.messages)
    except ProbeUnavailable:
        return "Videos cannot be checked right now, so nothing was kept. Try again later."
    return None
