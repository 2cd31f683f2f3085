"""Coach fault tags: replacing a tagger's tags on one set (reading them: ``selectors``).

Each tagger's change replaces only their own tags on that set; a tag kept keeps its time. A
change moves the session up the change feed (a new ``change_seq``, ``client_modified_at`` left
alone) so that phones learn of it, under the coach's change counter like every session write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from coaching.models import CoachFault, LoggedSession, LoggedSet, RecomputeCause
from coaching.reviews.recompute import request_recompute
from coaching.sessions.faults.selectors import attach_coach_faults
from coaching.sessions.services.writes import lock_clients, number_sessions
from coaching.weeks import local_date
from programs.faults import FAULTS

MAX_TAGS = 20


def coach_fault_errors(faults: Sequence[str]) -> list[str]:
    """What is wrong with a tagger's fault list: slugs not in the fixed list (docs/domain.md)."""
    if len(faults) > MAX_TAGS:
        return [f"At most {MAX_TAGS} faults."]
    return [f"Unknown fault “{f}”." for f in dict.fromkeys(faults) if f not in FAULTS]


def coach_faults_replace(
    *,
    session: LoggedSession,
    logged_set: LoggedSet,
    user: Any,
    role: str,
    faults: Sequence[str],
    now: dt.datetime | None = None,
) -> LoggedSet:
    """Make ``user``'s tags on the set exactly ``faults`` (others' tags untouched); the set, with
    its tags. Unknown slugs: ``ValidationError`` under ``faults``. A set gone meanwhile: 404."""
    errors = coach_fault_errors(faults)
    if errors:
        raise ValidationError({"faults": errors})
    now = now or timezone.now()
    wanted = list(dict.fromkeys(faults))
    with transaction.atomic():
        # The client's writers are serialized here: the set read below cannot be rewritten under us.
        lock_clients([session.client_id])
        stored = (
            LoggedSession.objects.select_related("client__coach").filter(pk=session.pk, deleted_at__isnull=True).first()
        )
        current = LoggedSet.objects.filter(session_id=session.pk, uid=logged_set.uid).select_related("exercise").first()
        if stored is None or current is None:
            raise Http404("Not found.")
        mine = {t.fault: t for t in CoachFault.objects.filter(session=stored, set_uid=current.uid, by=user)}
        dropped = [t.pk for fault, t in mine.items() if fault not in wanted]
        added = [
            CoachFault(session=stored, set_uid=current.uid, fault=f, by=user, role=role, at=now)
            for f in wanted
            if f not in mine
        ]
        if dropped:
            CoachFault.objects.filter(pk__in=dropped).delete()
        if added:
            CoachFault.objects.bulk_create(added)
        if dropped or added:
            _after_coach_tag(stored, user)
            number_sessions({stored.client.coach_id: [stored]})
            stored.save(update_fields=["change_seq", "updated_at"])
    attach_coach_faults([current])
    return current


def _after_coach_tag(session: LoggedSession, user: Any) -> None:
    """What follows a change of coach tags (docs/domain.md "Late data"): the pending reviews of the
    session's assignment whose week ends on or after the session's date are recomputed after the
    commit (coalesced), their page saying "with a fault tagged by <name>".

    Runs inside the tagging transaction, after the tags are written and before the session takes
    its new change sequence, only when the tags changed.
    """
    if session.assignment_id is None:
        return
    request_recompute(
        assignment_id=session.assignment_id,
        on_date=local_date(session.client.coach, session.performed_at),
        cause=RecomputeCause.FAULT_TAG,
        by=user,
    )
