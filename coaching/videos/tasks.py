"""The poster frame of an uploaded video, made after the commit (safe to run twice)."""

from __future__ import annotations

from celery import shared_task

from coaching.transient import TRANSIENT
from coaching.videos.probe import ProbeUnavailable
from coaching.videos.services import poster_make


@shared_task(
    name="coaching.videos.make_video_poster",
    autoretry_for=(*TRANSIENT, OSError, ProbeUnavailable),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=120,
    time_limit=180,
)
def make_video_poster(video_id: int) -> bool:
    return poster_make(video_id)
