"""The invite mail task: takes an id, calls one service, safe to run twice (the invite's claim).

The registered name stays ``coaching.tasks.send_client_invite`` (a queued message names it).
"""

from __future__ import annotations

import smtplib

from celery import shared_task

from coaching.clients.services import client_invite_send
from coaching.transient import TRANSIENT


@shared_task(
    name="coaching.tasks.send_client_invite",
    # The mail server unreachable, timing out or answering 4xx: all OSError (smtplib's errors too).
    autoretry_for=(*TRANSIENT, OSError),
    # A refused address stays refused.
    dont_autoretry_for=(smtplib.SMTPRecipientsRefused,),
    # Waits of up to 30 s, 1, 2, 4, 8 and 10 min: a mail server down for about 25 minutes.
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=6,
    # One email (EMAIL_TIMEOUT is 30 s); keeps the message's time unacked well under the
    # broker's visibility timeout even after the longest wait.
    soft_time_limit=100,
    time_limit=120,
)
def send_client_invite(client_id: int, site_url: str | None = None) -> bool:
    """After "add client" or "send again": the invite email, once (the invite's claim)."""
    return client_invite_send(client_id=client_id, site_url=site_url)
