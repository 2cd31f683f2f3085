"""Reading form videos: which sets of a session have one, and the URLs they are served at."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.urls import reverse

from coaching.models import LoggedSession, LoggedSet
from coaching.videos.models import SetVideo


def session_has_set(session: LoggedSession, set_uid: uuid.UUID) -> bool:
    """Whether the session has a set of that uid now."""
    return LoggedSet.objects.filter(session=session, uid=set_uid).exists()


def set_video(session: LoggedSession, set_uid: uuid.UUID) -> SetVideo | None:
    return SetVideo.objects.filter(session=session, set_uid=set_uid).first()


def video_url(session_id: uuid.UUID, set_uid: uuid.UUID) -> str:
    """Where the permitted users watch it: the access-checked view, never the storage's URL."""
    return reverse("api-set-video", kwargs={"session_id": str(session_id), "set_id": str(set_uid)})


def poster_url(session_id: uuid.UUID, set_uid: uuid.UUID) -> str:
    return reverse("api-set-video-poster", kwargs={"session_id": str(session_id), "set_id": str(set_uid)})


def videos_by_set(session_ids: Iterable[uuid.UUID]) -> dict[tuple[uuid.UUID, uuid.UUID], SetVideo]:
    """(session id, set uid) → video, for a page of sessions in one query."""
    ids = list(session_ids)
    if not ids:
        return {}
    return {(v.session_id, v.set_uid): v for v in SetVideo.objects.filter(session_id__in=ids)}


def session_video_uids(session: LoggedSession) -> set[uuid.UUID]:
    """The uids of the session's sets that have a video: its prefetched ``videos`` (see
    ``VIDEOS_PREFETCH``) when a page of sessions loaded them, else one query."""
    if session.deleted_at is not None:
        return set()
    if "videos" in getattr(session, "_prefetched_objects_cache", {}):
        return {v.set_uid for v in session.videos.all()}
    return set(SetVideo.objects.filter(session=session).values_list("set_uid", flat=True))


def with_video_urls(session: LoggedSession, sets: list[LoggedSet]) -> list[LoggedSet]:
    """The sets, each with ``video_url`` (its video's URL, or None) for the representation."""
    uids = session_video_uids(session) if sets else set()
    for logged_set in sets:
        logged_set.video_url = video_url(session.pk, logged_set.uid) if logged_set.uid in uids else None  # type: ignore[attr-defined]
    return sets


# ``.prefetch_related(VIDEOS_PREFETCH)`` on a page of sessions: which sets have a video, one query.
VIDEOS_PREFETCH = "videos"
