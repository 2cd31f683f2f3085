"""Reading coach fault tags with the sets they belong to."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch

from coaching.models import CoachFault, LoggedSession, LoggedSet, WeeklyReview
from coaching.selectors_coach import session_exercises
from coaching.weeks import week_bounds
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


def review_week_sessions(review: WeeklyReview, viewer: Any) -> list[LoggedSession]:
    """The reviewed week's sessions of the review's assignment (the coach's local week), oldest
    first, each with ``exercises`` (one line per exercise) and its sets' faults as the coach's pages
    show them (``fault_rows``): a few queries, whatever the number of sessions."""
    start, end = week_bounds(review.assignment.client.coach, review.week_start)
    in_order = LoggedSet.objects.select_related("exercise").order_by("position")
    sessions = list(
        LoggedSession.objects.filter(
            assignment_id=review.assignment_id, deleted_at__isnull=True, performed_at__gte=start, performed_at__lt=end
        )
        .order_by("performed_at")
        .prefetch_related(Prefetch("sets", queryset=in_order))
    )
    fault_rows((s for session in sessions for s in session.sets.all()), viewer)
    for session in sessions:
        session.exercises = session_exercises(session.sets.all())  # type: ignore[attr-defined]
    return sessions
