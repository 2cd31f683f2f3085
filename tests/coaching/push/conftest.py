from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings

from coaching.push import tasks
from tests.coaching.api.conftest import client_api, coach_api, other_client_api, other_coach_api  # noqa: F401
from tests.coaching.push.pushservice import PushService, start


@pytest.fixture
def push_service() -> Iterator[PushService]:
    """A real push service on 127.0.0.1 that verifies VAPID and decrypts (see pushservice.py)."""
    service = PushService(vapid_public_key=settings.VAPID_PUBLIC_KEY, vapid_subject=settings.VAPID_SUBJECT)
    server = start(service)
    try:
        yield service
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def pushed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, dict[str, str]]]:
    """Pushes handed to Celery after the commit, not sent: ``[(user_id, message)]``."""
    found: list[tuple[int, dict[str, str]]] = []
    monkeypatch.setattr(tasks.push_to_user, "delay", lambda user_id, message: found.append((user_id, message)))
    return found


def deliver(found: list[tuple[int, dict[str, str]]]) -> list[str]:
    """Run the queued pushes as the worker would: each subscription of each user, once."""
    from coaching.push.services import push_send, subscription_ids

    return [
        push_send(subscription_id=sid, message=message)
        for user_id, message in found
        for sid in subscription_ids(user_id=user_id)
    ]
