from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from coaching.sessions.services import SessionInput, SetInput, sessions_apply


def log_session(
    user: Any, assignment_id: int, when: dt.datetime, sets: list[SetInput], notes: str = "", day: int | None = None
) -> uuid.UUID:
    """A session written through the same service the API uses."""
    session_id = uuid.uuid4()
    [result] = sessions_apply(
        user=user,
        items=[
            SessionInput(
                id=session_id,
                assignment_id=assignment_id,
                performed_at=when,
                client_modified_at=when,
                notes=notes,
                sets=tuple(sets),
                day=day,
            )
        ],
    )
    assert result.status == "created", result.errors
    return session_id


def rdl(reps: int, load: str, **extra: Any) -> SetInput:
    return SetInput(exercise="romanian-deadlift", reps=reps, load=Decimal(load), unit="kg", **extra)


@pytest.fixture
def signed_in(client: Any, client_profile: Any) -> Any:
    """Django's test client, signed in as ``client_profile`` (the persona's phone)."""
    client.force_login(client_profile.user)
    return client


@pytest.fixture
def assignment(client_profile: Any) -> Any:
    return client_profile.assignments.get(is_active=True)


@pytest.fixture
def now() -> dt.datetime:
    return timezone.now()
