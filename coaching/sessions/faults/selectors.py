"""Reading coach fault tags with the sets they belong to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from coaching.models import CoachFault, LoggedSet


def attach_coach_faults(sets: Iterable[LoggedSet]) -> None:
    """Give each set its ``coach_tags`` (oldest first, with their tagger): one query for all."""
    sets = list(sets)
    tags: dict[tuple[Any, Any], list[CoachFault]] = defaultdict(list)
    session_ids = {s.session_id for s in sets}
    if session_ids:
        for tag in CoachFault.objects.filter(session_id__in=session_ids).select_related("by").order_by("at", "id"):
            tags[(tag.session_id, tag.set_uid)].append(tag)
    for s in sets:
        s.coach_tags = tags.get((s.session_id, s.uid), [])
