"""Pushes through Celery: a committed reply reaches the push service through a real worker; the
send task retries a failing push service (eagerly here: its backoff is tested by its settings)."""

from __future__ import annotations

from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import transaction

from coaching.push import services
from coaching.push.tasks import send_push
from coaching.threads.services import comment_add
from config.celery import app
from tests.coaching.push.pushservice import PushService
from tests.coaching.threads.conftest import log


def _subscribe(user: Any, service: PushService, **phone: Any) -> Any:
    made = service.phone(**phone)
    body = service.subscription(made)
    services.subscription_save(user=user, endpoint=body["endpoint"], **body["keys"])
    return made


@pytest.mark.django_db(transaction=True)
def test_a_committed_reply_is_pushed_by_a_real_worker(
    coach: Any, client_profile: Any, push_service: PushService
) -> None:
    session = log(client_profile.user, client_profile)
    phones = [_subscribe(client_profile.user, push_service) for _ in range(2)]
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        with transaction.atomic():
            comment_add(session=session, author=coach.user, body="Good session: add a set next week.")
            assert push_service.received == []  # nothing before the commit
        push_service.wait_for(2, timeout=30)
    expected = {"title": "Coach A replied", "body": "Good session: add a set next week.",
                "url": f"/history/{session.pk}/thread/"}  # fmt: skip
    assert [push_service.messages(phone) for phone in phones] == [[expected], [expected]]


@pytest.mark.django_db
def test_the_send_task_retries_a_failing_push_service_until_it_takes_the_message(
    client_profile: Any, push_service: PushService
) -> None:
    phone = _subscribe(client_profile.user, push_service, fail_first=2)
    row = client_profile.user.push_subscriptions.get()
    result = send_push.apply(args=[row.pk, {"title": "t", "body": "b", "url": "/today/"}])
    assert result.get() == "sent"
    assert [r.answered for r in push_service.received] == [500, 500, 201]
    assert push_service.messages(phone)[-1] == {"title": "t", "body": "b", "url": "/today/"}


@pytest.mark.django_db
def test_the_send_task_gives_up_after_its_retries(client_profile: Any, push_service: PushService) -> None:
    _subscribe(client_profile.user, push_service, answer=503)
    row = client_profile.user.push_subscriptions.get()
    result = send_push.apply(args=[row.pk, {"title": "t", "body": "b", "url": "/today/"}])
    with pytest.raises(services.PushFailed):
        result.get()
    assert len(push_service.received) == 1 + send_push.max_retries
    row.refresh_from_db()
    assert row.last_error == "HTTP 503"
