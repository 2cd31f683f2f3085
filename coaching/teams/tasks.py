"""Team mail tasks: each takes ids and calls one service."""

from __future__ import annotations

import smtplib

from celery import shared_task

from coaching.teams.services import cosign_requests_send, invite_send
from coaching.transient import TRANSIENT


@shared_task(
    autoretry_for=(*TRANSIENT, OSError),
    dont_autoretry_for=(smtplib.SMTPRecipientsRefused,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=6,
    soft_time_limit=100,
    time_limit=120,
)
def send_team_invite(invite_id: int) -> bool:
    """The team invite email, once (the invite's claim)."""
    return invite_send(invite_id=invite_id)


@shared_task(soft_time_limit=100, time_limit=120)
def send_cosign_requests(review_ids: list[int]) -> int:
    """The reviewers' "waits for your co-sign" emails for newly generated reviews."""
    return cosign_requests_send(review_ids=review_ids)
