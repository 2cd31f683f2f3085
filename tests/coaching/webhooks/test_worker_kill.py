"""A real Celery worker on Redis is SIGKILLed while the receiver holds its webhook request.

After a restart the event is delivered: the receiver sees the event's ``webhook-id`` (more than
once: the Standard Webhooks specification lets a sender repeat an attempt with the same id, and
receivers deduplicate on it), the delivery row ends ``delivered``, and no second event or
delivery row exists. The lost message comes back after the (shortened) visibility timeout, and
the beat sweep sends the delivery once the killed worker's claim has run out. Needs PostgreSQL
(the worker shares the test database) and Redis.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.webhooks.models import WebhookDelivery
from tests.coaching.webhooks.conftest import make_endpoint
from tests.coaching.webhooks.receiver import Receiver
from tests.factories import ClientFactory, CoachFactory
from tests.workers import kill, start_worker, stop, wait_for, worker_env


@pytest.mark.django_db(transaction=True)
def test_events_fire_exactly_once_per_change_even_when_the_worker_is_killed_mid_delivery(
    require_postgres: None, require_redis: str, tmp_path: Path, receiver: Receiver
) -> None:
    coach = CoachFactory()
    client = ClientFactory(coach=coach, with_assignment=True)
    make_endpoint(coach, receiver)
    receiver.hang_on = {1}  # hold the first request until the worker is dead

    env = worker_env(
        require_redis,
        tmp_path,
        WEBHOOKS_TIMEOUT_SECONDS="20",
        WEBHOOKS_CLAIM_MARGIN_SECONDS="0",
        WEBHOOKS_SWEEP_SECONDS="1",
    )
    log = tmp_path / "worker.log"
    first = start_worker(env, log)
    try:
        performed = timezone.now() - dt.timedelta(hours=1)
        item = SessionInput(
            id=uuid.uuid4(),
            assignment_id=client.assignments.get().pk,
            performed_at=performed,
            client_modified_at=performed,
            sets=(SetInput(exercise="romanian-deadlift", reps=10, load=Decimal(60)),),
        )
        sessions_apply(user=coach.user, items=[item])  # commits: the delivery is queued after it
        assert receiver.arrived.wait(60), log.read_text()[-3000:]
        kill(first)
    finally:
        kill(first)
    receiver.release.set()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING  # the killed attempt recorded nothing
    assert delivery.attempts == 1

    # The restarted worker runs the beat too: its sweep sends what the claim's end makes due.
    second = start_worker(env, log, "--beat", "--schedule", str(tmp_path / "beat-schedule"))
    try:
        done = wait_for(lambda: WebhookDelivery.objects.get().status == WebhookDelivery.Status.DELIVERED, 90)
        assert done, log.read_text()[-3000:]
        time.sleep(3)  # a duplicate, if any, would land now
    finally:
        stop(second)
    delivery.refresh_from_db()
    assert WebhookDelivery.objects.count() == 1  # one event, one delivery row
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert delivery.attempts >= 2
    assert {r.webhook_id for r in receiver.received} == {delivery.webhook_id}
    assert all(r.error == "" for r in receiver.received)  # every attempt verified
    assert [r.answered for r in receiver.received if r.answered is not None] == [200]
