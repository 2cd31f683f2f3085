"""Reading form videos: which sets of a session have one, and the URLs they are served at."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.urls import reverse

from coaching.models import LoggedSession, LoggedSet
from coaching.videos.models import SetVideo


def session_has_set(session: LoggedSession, set_uid: uuid.UUID) -> bool:
    """Whether the session has a set of that uid now."""
    # Until set ids land (LoggedSet.uid), any set uid of a session that has sets is accepted.
    if not any(f.name == "uid" for f in LoggedSet._meta.get_fields()):
        return LoggedSet.objects.filter(session=session).exists()
    return LoggedSet.objects.filter(session=session, **{"uid": set_uid}).exists()


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
