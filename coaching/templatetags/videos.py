"""``{% with v=set|video_of:session %}``: a logged set's form video on a page (or None)."""

from __future__ import annotations

from django import template

from coaching.models import LoggedSession, LoggedSet
from coaching.videos.selectors import ShownVideo, video_of_set

register = template.Library()


@register.filter(name="video_of")
def video_of(logged_set: LoggedSet, session: LoggedSession) -> ShownVideo | None:
    """From the session's prefetched videos: no query per set."""
    return video_of_set(session, logged_set)
