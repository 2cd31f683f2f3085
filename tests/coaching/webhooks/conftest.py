from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import TestCase

from coaching.webhooks import services
from coaching.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.coaching.webhooks.receiver import Receiver, start


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP receiver on 127.0.0.1 (see receiver.py)."""
    found = Receiver()
    server = start(found)
    try:
        yield found
    finally:
        found.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """Deliveries handed to Celery after the commit, not sent: run them with ``delivery_send``."""
    batches: list[list[int]] = []
    monkeypatch.setattr(services, "deliveries_enqueue", batches.append)
    return batches


def make_endpoint(coach: Any, receiver: Receiver, events: list[str] | None = None) -> WebhookEndpoint:
    endpoint = services.endpoint_create(coach=coach, url=receiver.url, events=events or ["session.synced"])
    receiver.secret = endpoint.secret
    return endpoint


def fire(coach: Any, type: str = "session.synced", data: dict[str, Any] | None = None, **kw: Any) -> WebhookDelivery:
    # The test's own transaction never commits: run the on-commit hooks when this block ends.
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        rows = services.events_record(coach=coach, type=type, data=data or {"session_id": "s-1"}, **kw)
    assert len(rows) == 1
    return WebhookDelivery.objects.get(pk=rows[0].pk)
