"""Sending: signed POSTs to a real receiver, retries with backoff, giving up, disabling, claims."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from coaching.webhooks import services
from coaching.webhooks.models import WebhookDelivery, WebhookEndpoint
from coaching.webhooks.tasks import send_deliveries, send_due_webhooks, send_webhook
from tests.coaching.webhooks.conftest import fire, make_endpoint
from tests.coaching.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db
Status = WebhookDelivery.Status


def test_a_delivery_is_signed_as_standard_webhooks_says_and_the_reference_library_verifies_it(
    coach: Any, receiver: Receiver, queued: list[list[int]]
) -> None:
    endpoint = make_endpoint(coach, receiver)
    delivery = fire(coach, data={"session_id": "abc", "change": "created"})
    assert queued == [[delivery.pk]]  # handed to Celery once the transaction committed

    assert services.delivery_send(delivery_id=delivery.pk) is True

    [got] = receiver.received
    assert got.error == ""
    assert got.verified == {"type": "session.synced", "timestamp": delivery.payload["timestamp"],
                            "data": {"session_id": "abc", "change": "created"}}  # fmt: skip
    assert got.webhook_id == delivery.webhook_id
    assert delivery.webhook_id.startswith("msg_")
    assert got.headers["content-type"] == "application/json"
    assert got.headers["host"] == f"127.0.0.1:{receiver.port}"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == (Status.DELIVERED, 1, 200)
    assert delivery.last_duration_ms is not None
    assert delivery.delivered_at is not None
    assert delivery.next_attempt_at is None
    assert delivery.claimed_until is None
    assert endpoint.secret.startswith("whsec_")


def test_failures_and_a_timeout_are_retried_with_backoff_logged_then_delivered(
    coach: Any, receiver: Receiver, queued: list[list[int]], settings: Any
) -> None:
    settings.WEBHOOKS_TIMEOUT_SECONDS = 1
    receiver.fail_first, receiver.hang_on, receiver.hang_seconds = 2, {3}, 3
    make_endpoint(coach, receiver)
    delivery = fire(coach)
    now = timezone.now()
    log: list[tuple[str, int | None, int, str]] = []
    waits: list[dt.timedelta] = []
    for _ in range(4):
        # Not due yet: nothing is sent.
        if log:
            assert services.delivery_send(delivery_id=delivery.pk, now=now - dt.timedelta(seconds=1)) is False
        services.delivery_send(delivery_id=delivery.pk, now=now)
        delivery.refresh_from_db()
        log.append((delivery.status, delivery.last_status_code, delivery.attempts, delivery.last_error))
        if delivery.next_attempt_at is not None:
            waits.append(delivery.next_attempt_at - now)
            now = delivery.next_attempt_at
    assert log == [
        (Status.RETRYING, 500, 1, "The endpoint answered 500."),
        (Status.RETRYING, 500, 2, "The endpoint answered 500."),
        (Status.RETRYING, None, 3, "Timed out after 1 s."),
        (Status.DELIVERED, 200, 4, ""),
    ]
    # Exponential backoff with jitter: about 30 s, 60 s, 120 s (each within ±25 %).
    for wait, base in zip(waits, (30, 60, 120), strict=True):
        assert base * 0.75 <= wait.total_seconds() <= base * 1.25
    # Every attempt carried the same webhook-id, and every one verified.
    assert [r.webhook_id for r in receiver.received] == [delivery.webhook_id] * 4
    assert all(r.error == "" for r in receiver.received)
    assert WebhookEndpoint.objects.get().failing_since is None  # the success cleared it


def test_a_delivery_still_failing_after_24_hours_is_given_up(
    coach: Any, receiver: Receiver, queued: list[list[int]]
) -> None:
    receiver.fail_first = 10_000
    make_endpoint(coach, receiver)
    start = timezone.now()
    delivery = fire(coach, now=start)
    now = start
    while delivery.status != Status.FAILED:
        services.delivery_send(delivery_id=delivery.pk, now=now)
        delivery.refresh_from_db()
        assert now - start < dt.timedelta(hours=26)
        now = delivery.next_attempt_at or now
    assert 12 <= delivery.attempts <= 25, delivery.attempts
    assert delivery.next_attempt_at is None
    assert len(receiver.received) == delivery.attempts


def test_an_endpoint_failing_for_24_hours_is_disabled_and_its_coach_emailed_once(
    coach: Any, receiver: Receiver, queued: list[list[int]], django_capture_on_commit_callbacks: Any
) -> None:
    receiver.fail_first = 10_000
    endpoint = make_endpoint(coach, receiver)
    start = timezone.now()
    first = fire(coach, now=start)
    services.delivery_send(delivery_id=first.pk, now=start)
    endpoint.refresh_from_db()
    assert endpoint.failing_since == start
    assert endpoint.enabled
    waiting = fire(coach, now=start + dt.timedelta(hours=23))
    services.delivery_send(delivery_id=waiting.pk, now=start + dt.timedelta(hours=23))
    assert WebhookEndpoint.objects.get().enabled  # 23 hours of failures: still on
    assert mail.outbox == []

    late = start + dt.timedelta(hours=24, minutes=1)
    last = fire(coach, now=late)
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_send(delivery_id=last.pk, now=late)
    endpoint.refresh_from_db()
    assert not endpoint.enabled
    assert endpoint.disabled_at == late
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coach.user.email]
    assert endpoint.url in mail.outbox[0].body
    assert "/settings/webhooks/" in mail.outbox[0].body
    # Its deliveries still waiting are given up; new events are not recorded for it.
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {Status.FAILED}
    assert services.events_record(coach=coach, type="session.synced", data={}) == []
    # More failures (a late sender) mail nobody again.
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_send(delivery_id=waiting.pk, now=late + dt.timedelta(hours=1))
    assert len(mail.outbox) == 1

    # Enabled again, it gets new events; "send again" retries the failed ones.
    services.endpoint_enable(endpoint=endpoint)
    receiver.fail_first = 0
    services.delivery_resend(delivery=last)
    assert services.delivery_send(delivery_id=last.pk) is True


def test_a_delivery_task_run_twice_sends_once(coach: Any, receiver: Receiver, queued: list[list[int]]) -> None:
    make_endpoint(coach, receiver)
    delivery = fire(coach)
    assert send_webhook.apply(args=[delivery.pk]).get() is True
    assert send_webhook.apply(args=[delivery.pk]).get() is False
    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.get().attempts == 1


def test_a_claimed_delivery_is_not_sent_by_a_second_sender(
    coach: Any, receiver: Receiver, queued: list[list[int]]
) -> None:
    make_endpoint(coach, receiver)
    delivery = fire(coach)
    now = timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(claimed_until=now + dt.timedelta(seconds=20))
    assert services.delivery_send(delivery_id=delivery.pk, now=now) is False
    assert services.deliveries_due(now=now) == []
    assert receiver.received == []
    # A claim that ran out (its worker died) is taken again, and the event sent with the same id.
    later = now + dt.timedelta(seconds=21)
    assert services.deliveries_due(now=later) == [delivery.pk]
    assert services.delivery_send(delivery_id=delivery.pk, now=later) is True
    assert [r.webhook_id for r in receiver.received] == [delivery.webhook_id]


def test_the_beat_sweep_queues_the_due_retries_and_lost_messages(
    coach: Any, receiver: Receiver, queued: list[list[int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver.fail_first = 1
    make_endpoint(coach, receiver)
    retry = fire(coach)
    services.delivery_send(delivery_id=retry.pk)
    lost = fire(coach)  # its message never reached a worker
    sent: list[int] = []
    monkeypatch.setattr(send_webhook, "delay", sent.append)
    assert send_due_webhooks.apply().get() == 1
    assert sent == [lost.pk]  # the retry is not due for about 30 s
    retry.refresh_from_db()
    assert retry.next_attempt_at is not None
    assert services.deliveries_due(now=retry.next_attempt_at) == [lost.pk, retry.pk]  # the longest due first
    assert send_deliveries.apply(args=[[retry.pk, lost.pk]]).get() == 2
    assert sent == [lost.pk, retry.pk, lost.pk]


def test_an_event_rolled_back_with_its_change_leaves_no_delivery(
    coach: Any, receiver: Receiver, queued: list[list[int]]
) -> None:
    from django.db import transaction

    make_endpoint(coach, receiver)

    def change_that_fails() -> None:
        with transaction.atomic():
            services.events_record(coach=coach, type="session.synced", data={})
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert WebhookDelivery.objects.count() == 0
    assert queued == []
