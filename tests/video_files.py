"""Tiny real videos for tests, made with ffmpeg's test pattern (cached per test run)."""

from __future__ import annotations

import functools
import subprocess
import tempfile
from pathlib import Path
from typing import Any

CODECS = {
    "webm": ["-c:v", "libvpx", "-b:v", "200k"],
    "mp4": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-movflags", "+faststart"],
    "mov": ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mov"],
}


@functools.cache
def _folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="hinge-test-videos-"))


@functools.cache
def video_bytes(kind: str = "webm", seconds: float = 1.0, rate: int = 10, size: str = "64x48") -> bytes:
    """A ``seconds``-long test-pattern video as ``kind`` (webm, mp4 or mov)."""
    out = _folder() / f"pattern-{seconds}-{rate}-{size}.{kind}"
    subprocess.run(
        [
            "ffmpeg", "-v", "error", "-y", "-f", "lavfi",
            "-i", f"testsrc=size={size}:rate={rate}:duration={seconds}",
            *CODECS[kind], str(out),
        ],
        check=True,
        timeout=120,
    )  # fmt: skip
    return out.read_bytes()


def stored_video(session_id: Any, set_uid: Any, kind: str = "webm") -> Any:
    """A set's video row with its files, stored directly (no ffprobe: fast, for fixtures)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from coaching.videos.models import SetVideo, video_storage

    storage = video_storage()
    name = storage.save(f"sessions/{session_id}/{set_uid}.{kind}", ContentFile(video_bytes(kind, 1.0)))
    poster = storage.save(f"sessions/{session_id}/{set_uid}-poster.jpg", ContentFile(JPEG))
    return SetVideo.objects.create(
        session_id=session_id,
        set_uid=set_uid,
        file=name,
        content_type=f"video/{kind}",
        bytes=storage.size(name),
        duration_seconds=1.0,
        poster=poster,
        uploaded_at=timezone.now(),
    )


# The smallest JPEG start and end: enough for a poster a test serves back.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def logged_session(client: Any, ago: Any) -> Any:
    """A session of two Romanian deadlift sets the client logged ``ago`` (a timedelta); its id."""
    import uuid

    from django.utils import timezone

    from coaching.sessions.services import SessionInput, SetInput, sessions_apply

    sid = uuid.uuid4()
    rdl = SetInput(exercise="romanian-deadlift", reps=10, load=60, unit="kg")
    performed = timezone.now() - ago
    item = SessionInput(
        id=sid,
        assignment_id=client.assignments.get().pk,
        performed_at=performed,
        client_modified_at=performed,
        sets=(rdl, rdl),
    )
    sessions_apply(user=client.user, items=[item])
    return sid
