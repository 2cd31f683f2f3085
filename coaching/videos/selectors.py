"""Reading form videos: which sets of a session have one, and the URLs they are served at."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import reverse

from coaching.models import LoggedSession, LoggedSet, WeeklyReview
from coaching.videos.models import SetVideo
from coaching.weeks import week_bounds


def session_has_set(session: LoggedSession, set_uid: uuid.UUID) -> bool:
    """Whether the session has a set of that uid now."""
    return LoggedSet.objects.filter(session=session, uid=set_uid).exists()


def set_video(session: LoggedSession, set_uid: uuid.UUID) -> SetVideo | None:
    return SetVideo.objects.filter(session=session, set_uid=set_uid).first()


def video_url(session_id: uuid.UUID | str, set_uid: uuid.UUID | str) -> str:
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


@dataclass(frozen=True)
class ShownVideo:
    """A set's video as a page shows it: where to watch it and its poster (None until made)."""

    url: str
    poster_url: str | None
    content_type: str


def shown(video: SetVideo) -> ShownVideo:
    poster = poster_url(video.session_id, video.set_uid) if video.poster.name else None
    return ShownVideo(video_url(video.session_id, video.set_uid), poster, video.content_type)


def video_of_set(session: LoggedSession, logged_set: LoggedSet) -> ShownVideo | None:
    """The set's video from the session's prefetched ``videos`` (VIDEOS_PREFETCH), or None."""
    if "videos" not in getattr(session, "_prefetched_objects_cache", {}):
        return None
    for video in session.videos.all():
        if video.set_uid == logged_set.uid:
            return shown(video)
    return None


@dataclass(frozen=True)
class WeekVideo:
    session: LoggedSession
    logged_set: LoggedSet
    number: int  # the set's number among its exercise's sets in the session
    video: ShownVideo


def review_week_videos(review: WeeklyReview) -> list[WeekVideo]:
    """The form videos of the review's client's sets in its week, oldest first (three queries)."""
    coach = review.assignment.client.coach
    start, end = week_bounds(coach, review.week_start)
    videos = list(
        SetVideo.objects.filter(
            session__client_id=review.assignment.client_id,
            session__deleted_at__isnull=True,
            session__performed_at__gte=start,
            session__performed_at__lt=end,
        ).select_related("session")
    )
    if not videos:
        return []
    sets = LoggedSet.objects.filter(session_id__in={v.session_id for v in videos}).select_related("exercise")
    by_uid: dict[uuid.UUID, LoggedSet] = {}
    numbers: dict[uuid.UUID, int] = {}
    seen: dict[tuple[uuid.UUID, int], int] = {}
    for logged in sets.order_by("session_id", "position"):
        key = (logged.session_id, logged.exercise_id)
        seen[key] = seen.get(key, 0) + 1
        by_uid[logged.uid] = logged
        numbers[logged.uid] = seen[key]
    found = [
        WeekVideo(v.session, by_uid[v.set_uid], numbers[v.set_uid], shown(v)) for v in videos if v.set_uid in by_uid
    ]
    return sorted(found, key=lambda w: (w.session.performed_at, w.logged_set.position))
