"""The reminder email: a reply unread for an hour emails the other side, at most once per thread
and recipient a day, not when read; claimed rows make two sweeps send once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from coaching.threads.services import comment_add, reminders_due, reminders_send, thread_mark_read
from coaching.threads.tasks import send_thread_reminders

pytestmark = pytest.mark.django_db
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def t0(session: Any) -> dt.datetime:
    return session.performed_at + HOUR


def test_a_clients_reply_unread_for_an_hour_emails_the_coach_once(
    session: Any, client_profile: Any, coach: Any, t0: dt.datetime
) -> None:
    comment_add(session=session, author=client_profile.user, body="Is my back ok?", now=t0)
    assert reminders_send(now=t0 + dt.timedelta(minutes=59)) == 0
    assert reminders_send(now=t0 + HOUR) == 1
    [email] = mail.outbox
    assert email.to == [coach.user.email]
    assert "Is my back ok?" in email.body
    assert f"/clients/{client_profile.pk}/sessions/{session.pk}/thread/" in email.body
    # Run again (a second beat, a redelivered task): nothing more.
    assert reminders_send(now=t0 + HOUR) == 0
    assert reminders_send(now=t0 + 2 * HOUR) == 0
    assert len(mail.outbox) == 1


def test_a_coachs_reply_emails_the_client(session: Any, client_profile: Any, coach: Any, t0: dt.datetime) -> None:
    comment_add(session=session, author=coach.user, body="Looks good", now=t0)
    assert reminders_send(now=t0 + HOUR) == 1
    assert mail.outbox[0].to == [client_profile.user.email]
    assert f"/history/{session.pk}/thread/" in mail.outbox[0].body


def test_no_email_when_the_reply_was_read(session: Any, client_profile: Any, coach: Any, t0: dt.datetime) -> None:
    comment_add(session=session, author=client_profile.user, body="Hello", now=t0)
    thread_mark_read(session=session, user=coach.user, now=t0 + dt.timedelta(minutes=10))
    assert reminders_send(now=t0 + 2 * HOUR) == 0
    assert mail.outbox == []


def test_at_most_one_email_per_thread_a_day(session: Any, client_profile: Any, coach: Any, t0: dt.datetime) -> None:
    comment_add(session=session, author=client_profile.user, body="First", now=t0)
    assert reminders_send(now=t0 + HOUR) == 1
    comment_add(session=session, author=client_profile.user, body="Second", now=t0 + 2 * HOUR)
    assert reminders_send(now=t0 + 4 * HOUR) == 0  # same day: no second email
    assert reminders_send(now=t0 + HOUR + dt.timedelta(hours=24)) == 1  # a day later: the new reply
    assert len(mail.outbox) == 2
    assert "Second" in mail.outbox[1].body
    # No new reply since: no more emails, however long it stays unread.
    assert reminders_send(now=t0 + dt.timedelta(days=3)) == 0


def test_each_thread_is_its_own(session: Any, client_profile: Any, coach: Any, t0: dt.datetime) -> None:
    from tests.coaching.threads.conftest import log

    other = log(client_profile.user, client_profile, days_ago=2)
    comment_add(session=session, author=client_profile.user, body="A", now=t0)
    comment_add(session=other, author=client_profile.user, body="B", now=t0)
    assert reminders_send(now=t0 + HOUR) == 2


def test_two_sweeps_at_once_claim_each_email_once(
    session: Any, client_profile: Any, coach: Any, t0: dt.datetime
) -> None:
    from coaching.threads.services import reminder_send

    comment_add(session=session, author=client_profile.user, body="Hi", now=t0)
    # Both sweeps read the same due list before either claims.
    first, second = reminders_due(now=t0 + HOUR), reminders_due(now=t0 + HOUR)
    assert [reminder_send(reminder=r, now=t0 + HOUR) for r in first] == [True]
    assert [reminder_send(reminder=r, now=t0 + HOUR) for r in second] == [False]
    assert len(mail.outbox) == 1


def test_a_failed_send_gives_the_claim_back(
    session: Any, client_profile: Any, t0: dt.datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coaching.threads import services

    comment_add(session=session, author=client_profile.user, body="Hi", now=t0)

    def down(*args: Any, **kwargs: Any) -> None:
        raise OSError("mail server down")

    monkeypatch.setattr(services, "send_mail", down)
    with pytest.raises(OSError, match="mail server down"):
        reminders_send(now=t0 + HOUR)
    monkeypatch.undo()
    assert reminders_send(now=t0 + HOUR) == 1


def test_the_beat_task_sends_through_celery(session: Any, client_profile: Any, t0: dt.datetime) -> None:
    comment_add(session=session, author=client_profile.user, body="Hi", now=t0)
    result = send_thread_reminders.apply(kwargs={"now": (t0 + HOUR).isoformat()})
    assert result.get() == 1
    assert len(mail.outbox) == 1


def test_beat_runs_the_sweep(settings: Any) -> None:
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "coaching.threads.send_thread_reminders" in tasks
