"""Reading coach fault tags with the sets they belong to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from coaching.models import CoachFault, LoggedSet
from programs.faults import FAULTS, fault_label


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


def fault_rows(sets: Iterable[LoggedSet], viewer: Any) -> None:
    """For the coach's pages: each set's ``fault_labels`` (the client's ticks), ``coach_tag_rows``
    ((label, tagger's name, role, at) of every tag) and ``my_faults`` (the viewer's own slugs, which
    the tag form starts from). Attaches the tags first where a reader has not (one query)."""
    sets = list(sets)
    if any(not hasattr(s, "coach_tags") for s in sets):
        attach_coach_faults(sets)
    for s in sets:
        s.fault_labels = [fault_label(f) for f in s.faults]
        s.coach_tag_rows = [(fault_label(t.fault), t.by.name or t.by.email, t.role, t.at) for t in s.coach_tags]
        s.my_faults = [t.fault for t in s.coach_tags if t.by_id == viewer.pk]


def fault_choices() -> list[tuple[str, str]]:
    """The fixed fault list as (slug, label), in its order: the tag form's choices."""
    return list(FAULTS.items())
