"""Writes of session threads: a reply, a read marker, and the reminder email's claimed sends."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from coaching.models import LoggedSession
from coaching.push.services import reply_pushed_later
from coaching.threads.models import COMMENT_MAX_CHARS, SessionComment, ThreadRead

logger = logging.getLogger(__name__)

# A reply waits this long unread before the other side is emailed, and each recipient gets at most
# one email per thread in REMINDER_EVERY.
REMINDER_AFTER = dt.timedelta(hours=1)
REMINDER_EVERY = dt.timedelta(days=1)
# Replies older than this are not emailed about any more (the sweep reads a bounded window).
REMINDER_WINDOW = dt.timedelta(days=7)


def _ensure_marker(*, user_id: int, session_id: Any) -> None:
    ThreadRead.objects.bulk_create([ThreadRead(user_id=user_id, session_id=session_id)], ignore_conflicts=True)


def _advance(*, user_id: int, session_id: Any, through: int, now: dt.datetime) -> None:
    """Move the marker forward to ``through``, never back (two tabs marking read at once)."""
    _ensure_marker(user_id=user_id, session_id=session_id)
    ThreadRead.objects.filter(user_id=user_id, session_id=session_id, last_read_id__lt=through).update(
        last_read_id=through, read_at=now
    )


@transaction.atomic
def comment_add(*, session: LoggedSession, author: Any, body: str, now: dt.datetime | None = None) -> SessionComment:
    """A reply in the session's thread, by the session's client or their coach (the caller loaded
    the session through ``coaching.access.access_thread``). The author has read the thread up to it."""
    text = (body or "").strip()
    if not text:
        raise ValidationError({"body": ["Write a reply first."]})
    if len(text) > COMMENT_MAX_CHARS:
        raise ValidationError(
            {"body": [f"Keep a reply to {COMMENT_MAX_CHARS:,} characters (this one has {len(text):,})."]}
        )
    now = now or timezone.now()
    comment = SessionComment.objects.create(session=session, author=author, body=text, created_at=now)
    _advance(user_id=author.pk, session_id=session.pk, through=comment.pk, now=now)
    reply_pushed_later(comment=comment)
    return comment


@transaction.atomic
def thread_mark_read(
    *, session: LoggedSession, user: Any, through: int | None = None, now: dt.datetime | None = None
) -> int:
    """Everything in the session's thread so far (or up to the comment ``through``, the last one a
    page showed) is read by ``user``; returns the last comment id read."""
    last = through if through is not None else (session.comments.aggregate(last=Max("id"))["last"] or 0)
    if last:
        _advance(user_id=user.pk, session_id=session.pk, through=last, now=now or timezone.now())
    return last


@dataclass(frozen=True)
class Reminder:
    session_id: Any
    recipient_id: int
    comment_id: int


def _recipient_id(comment: SessionComment) -> int | None:
    """The other side of the thread: the coach for the client's reply, the client for the coach's."""
    client = comment.session.client
    if comment.author_id == client.user_id:
        return client.coach.user_id
    return client.user_id


def reminders_due(*, now: dt.datetime) -> list[Reminder]:
    """For each (thread, recipient), the oldest reply that has waited unread for an hour and came
    after the last email; a fixed number of queries (the window bounds the rows read)."""
    comments = list(
        SessionComment.objects.filter(
            created_at__lte=now - REMINDER_AFTER,
            created_at__gt=now - REMINDER_WINDOW,
            session__deleted_at__isnull=True,
        )
        .select_related("session__client__coach")
        .order_by("id")
    )
    pairs = {(c.session_id, r) for c in comments if (r := _recipient_id(c)) is not None}
    markers = {
        (m.session_id, m.user_id): m
        for m in ThreadRead.objects.filter(session_id__in={s for s, _ in pairs}, user_id__in={u for _, u in pairs})
    }
    due: dict[tuple[Any, int], Reminder] = {}
    for comment in comments:
        recipient = _recipient_id(comment)
        if recipient is None or recipient == comment.author_id or (comment.session_id, recipient) in due:
            continue
        marker = markers.get((comment.session_id, recipient))
        if marker is not None:
            if comment.pk <= marker.last_read_id:
                continue
            if marker.emailed_at is not None and (
                marker.emailed_at > now - REMINDER_EVERY or marker.emailed_at >= comment.created_at
            ):
                continue
        due[(comment.session_id, recipient)] = Reminder(comment.session_id, recipient, comment.pk)
    return list(due.values())


def _claim(reminder: Reminder, *, now: dt.datetime, created_at: dt.datetime) -> dt.datetime | None | bool:
    """Claim the email for (thread, recipient): a conditional update that only one sender wins.
    Returns False when lost, else the previous ``emailed_at`` (to give the claim back on failure)."""
    _ensure_marker(user_id=reminder.recipient_id, session_id=reminder.session_id)
    marker = ThreadRead.objects.get(user_id=reminder.recipient_id, session_id=reminder.session_id)
    won = (
        ThreadRead.objects.filter(pk=marker.pk, last_read_id__lt=reminder.comment_id)
        .filter(Q(emailed_at__isnull=True) | (Q(emailed_at__lte=now - REMINDER_EVERY) & Q(emailed_at__lt=created_at)))
        .update(emailed_at=now)
    )
    return marker.emailed_at if won else False


def reminder_send(*, reminder: Reminder, now: dt.datetime | None = None, site_url: str | None = None) -> bool:
    """Email the recipient about the unread reply, once (the marker's claim); True when sent."""
    now = now or timezone.now()
    comment = (
        SessionComment.objects.select_related("author", "session__client__coach__user", "session__client__user")
        .filter(pk=reminder.comment_id)
        .first()
    )
    if comment is None:
        return False
    previous = _claim(reminder, now=now, created_at=comment.created_at)
    if previous is False:
        return False
    session, client = comment.session, comment.session.client
    base = (site_url or settings.SITE_URL).rstrip("/")
    if reminder.recipient_id == client.coach.user_id:
        email = client.coach.user.email
        link = base + reverse("coach-thread", args=[client.pk, session.pk])
    elif client.user is not None:
        email = client.user.email
        link = base + reverse("client-thread", args=[session.pk])
    else:  # the client's login was removed since the sweep read the thread
        return False
    author = comment.author.name or comment.author.email
    day = timezone.localtime(session.performed_at).strftime("%a %d %b")
    body = (
        f"{author} replied about the session of {day} and it is waiting for you:\n\n"
        f"{comment.body[:500]}\n\nRead and reply: {link}\n"
    )
    try:
        send_mail(f"{author} replied about the session of {day}", body, None, [email])
    except BaseException:
        ThreadRead.objects.filter(user_id=reminder.recipient_id, session_id=reminder.session_id, emailed_at=now).update(
            emailed_at=previous
        )
        raise
    return True


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Every reminder due now, each claimed before it is sent (two sweeps at once send each once)."""
    now = now or timezone.now()
    sent = 0
    for reminder in reminders_due(now=now):
        if reminder_send(reminder=reminder, now=now):
            sent += 1
    return sent
