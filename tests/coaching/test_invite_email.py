"""The invite email: sent by a Celery task, claimed on the invite so that it goes out once."""

from __future__ import annotations

import datetime as dt
import smtplib
import threading
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from coaching.clients import services as accounts
from coaching.clients.tasks import send_client_invite
from coaching.models import Client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

SITE = "https://coach.example.com/"


@pytest.fixture
def invited(coach: Any) -> Client:
    return accounts.client_create(coach=coach, name="Maya Okafor", email="maya@example.com")


def test_the_invite_task_sends_one_email_however_often_it_runs(invited: Client) -> None:
    results = [send_client_invite.apply(args=[invited.pk, SITE]).get() for _ in range(3)]
    assert results == [True, False, False]
    [email] = mail.outbox
    assert email.to == ["maya@example.com"]
    assert "Coach A invites you to Hinge Coach" in email.subject
    assert f"https://coach.example.com/invite/{invited.invite_token}/" in email.body
    invited.refresh_from_db()
    assert invited.invite_sent_at is not None


def test_a_failed_send_is_retried_and_sent_once(invited: Client, monkeypatch: Any) -> None:
    real_send = accounts.send_mail
    attempts: list[int] = []

    def flaky(*args: Any, **kwargs: Any) -> int:
        attempts.append(1)
        if len(attempts) < 3:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(accounts, "send_mail", flaky)
    result = send_client_invite.apply(args=[invited.pk, SITE])
    assert result.get() is True
    assert len(attempts) == 3
    assert len(mail.outbox) == 1
    assert send_client_invite.apply(args=[invited.pk, SITE]).get() is False
    assert len(mail.outbox) == 1


def test_a_send_that_keeps_failing_gives_up_and_leaves_the_invite_unclaimed(invited: Client, monkeypatch: Any) -> None:
    attempts: list[int] = []

    def down(*args: Any, **kwargs: Any) -> int:
        attempts.append(1)
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(accounts, "send_mail", down)
    result = send_client_invite.apply(args=[invited.pk, SITE])
    assert result.state == "FAILURE"
    assert len(attempts) == 1 + send_client_invite.max_retries
    invited.refresh_from_db()
    assert invited.invite_sent_at is None  # a later run (the coach's "send again") may still send it


def test_a_refused_address_is_not_retried(invited: Client, monkeypatch: Any) -> None:
    attempts: list[int] = []

    def refused(*args: Any, **kwargs: Any) -> int:
        attempts.append(1)
        raise smtplib.SMTPRecipientsRefused({"maya@example.com": (550, b"No such user")})

    monkeypatch.setattr(accounts, "send_mail", refused)
    assert send_client_invite.apply(args=[invited.pk, SITE]).state == "FAILURE"
    assert attempts == [1]


def test_no_email_for_an_accepted_expired_or_deleted_invite(coach: Any) -> None:
    accepted = ClientFactory(coach=coach, with_login=True)
    expired = ClientFactory(coach=coach, invite_token="t-expired", invite_expires_at=timezone.now() - dt.timedelta(1))
    for client_id in (accepted.pk, expired.pk, 999_999):
        assert send_client_invite.apply(args=[client_id, SITE]).get() is False
    assert mail.outbox == []


def test_a_renewed_invite_is_emailed_again_with_its_new_link(invited: Client) -> None:
    send_client_invite.apply(args=[invited.pk, SITE])
    renewed = accounts.client_invite_renew(client=invited)
    assert renewed.invite_sent_at is None
    assert send_client_invite.apply(args=[invited.pk, SITE]).get() is True
    first, second = mail.outbox
    assert f"/invite/{renewed.invite_token}/" in second.body
    assert f"/invite/{renewed.invite_token}/" not in first.body


def test_the_link_uses_site_url_when_no_host_is_given(invited: Client, settings: Any) -> None:
    settings.SITE_URL = "https://hinge.example"
    send_client_invite.apply(args=[invited.pk])
    assert f"https://hinge.example/invite/{invited.invite_token}/" in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_the_same_invite_at_once_send_one_email(coach: Any, require_postgres: None) -> None:
    invited = accounts.client_create(coach=coach, name="Maya Okafor", email="maya@example.com")
    barrier = threading.Barrier(4)
    sent: list[bool] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            barrier.wait()
            sent.append(accounts.client_invite_send(client_id=invited.pk, site_url=SITE))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(sent) == [False, False, False, True]
    assert len(mail.outbox) == 1
