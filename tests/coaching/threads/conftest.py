from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.utils import timezone

from coaching.models import LoggedSession
from coaching.sessions.services import SessionInput, SetInput, sessions_apply

HTMX = {"HTTP_HX_REQUEST": "true"}


def log(user: Any, client: Any, *, days_ago: float = 1, notes: str = "") -> LoggedSession:
    """A logged session of ``client``'s active assignment, written by ``user`` through the sync service."""
    assignment = client.assignments.get(is_active=True)
    when = timezone.now() - dt.timedelta(days=days_ago)
    item = SessionInput(
        id=uuid.uuid4(),
        assignment_id=assignment.pk,
        performed_at=when,
        client_modified_at=when,
        notes=notes,
        sets=(SetInput(exercise="romanian-deadlift", reps=10, load=60, unit="kg"),),
    )
    [result] = sessions_apply(user=user, items=[item])
    assert result.status == "created", result.errors
    return LoggedSession.objects.get(pk=item.id)


@pytest.fixture
def session(client_profile: Any) -> LoggedSession:
    return log(client_profile.user, client_profile, notes="Felt strong, left hamstring tight.")
