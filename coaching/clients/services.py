"""Coaches, clients and invites."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from typing import Any

import kombu.exceptions
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from coaching.models import ChangeCounter, Client, Coach
from coaching.webhooks.services import events_record, iso
from coaching.weeks import is_time_zone

INVITE_TTL = dt.timedelta(days=14)
logger = logging.getLogger(__name__)


def _check_time_zone(name: str) -> str:
    if not is_time_zone(name):
        raise ValidationError({"time_zone": [f"Unknown time zone “{name}”."]})
    return name


@transaction.atomic
def coach_create(
    *,
    email: str,
    password: str,
    name: str = "",
    time_zone: str = "UTC",
    review_weekday: int = 0,
    review_time: dt.time = dt.time(6, 0),
    validate: bool = True,
) -> Coach:
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": [f"An account with the email {email} already exists."]})
    _check_time_zone(time_zone)
    if validate:
        try:
            validate_password(password, User(email=email, name=name))
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    user = User.objects.create_user(email=email, password=password, name=name)
    return coach_make(user=user, time_zone=time_zone, review_weekday=review_weekday, review_time=review_time)


@transaction.atomic
def coach_make(
    *, user: User, time_zone: str = "UTC", review_weekday: int = 0, review_time: dt.time = dt.time(6, 0)
) -> Coach:
    """Make an existing login a coach (signing up, or joining a team as a coach)."""
    coach = Coach.objects.create(user=user, time_zone=time_zone, review_weekday=review_weekday, review_time=review_time)
    ChangeCounter.objects.create(coach=coach)
    return coach


@transaction.atomic
def coach_update_settings(
    *, coach: Coach, name: str, time_zone: str, review_weekday: int, review_time: dt.time
) -> Coach:
    """The coach's name and weekly review settings; reviews follow them from the next hourly run."""
    _check_time_zone(time_zone)
    if not 0 <= review_weekday <= 6:
        raise ValidationError({"review_weekday": ["Choose a day of the week."]})
    coach.user.name = name.strip()
    coach.user.save(update_fields=["name"])
    coach.time_zone, coach.review_weekday, coach.review_time = time_zone, review_weekday, review_time
    coach.save(update_fields=["time_zone", "review_weekday", "review_time"])
    return coach


def _new_invite_token() -> str:
    return secrets.token_urlsafe(32)


@transaction.atomic
def client_create(*, coach: Coach, name: str, email: str, notes: str = "") -> Client:
    email = User.objects.normalize_email(email).strip().lower()
    if Client.objects.filter(coach=coach, email__iexact=email).exists():
        raise ValidationError({"email": ["You already have a client with this email."]})
    return Client.objects.create(
        coach=coach,
        name=name.strip(),
        email=email,
        notes=notes,
        invite_token=_new_invite_token(),
        invite_expires_at=timezone.now() + INVITE_TTL,
    )


@transaction.atomic
def client_invite_renew(*, client: Client) -> Client:
    client.invite_token = _new_invite_token()
    client.invite_expires_at = timezone.now() + INVITE_TTL
    client.invite_sent_at = None  # a new link: its email is still to send
    client.save(update_fields=["invite_token", "invite_expires_at", "invite_sent_at"])
    return client


def client_invite_email_later(*, client: Client, site_url: str | None = None) -> None:
    """Have a Celery worker email the client's invite once the current transaction commits.

    ``site_url`` is the site's address for the link (the host the coach is using); SITE_URL when
    None. If the broker cannot be reached the client is still added: the coach has the link to
    copy and can send the invite again.
    """
    client_id = client.pk

    def enqueue() -> None:
        # Imported here: coaching.clients.tasks imports the services.
        from coaching.clients.tasks import send_client_invite

        try:
            send_client_invite.delay(client_id, site_url)
        except kombu.exceptions.OperationalError:
            logger.exception("Invite email for client %s not queued: the broker is unreachable", client_id)

    transaction.on_commit(enqueue)


def client_invite_send(*, client_id: int, site_url: str | None = None) -> bool:
    """Email the client's current invite link, once; True when this call sent it.

    The conditional update of ``invite_sent_at`` (committed before the send) claims the invite,
    so a retried task or a duplicate delivery finds it claimed and sends nothing. A failed send
    gives the claim back and re-raises, for the task to retry. A worker killed between the claim
    and the send leaves the invite unsent rather than risk a second email; the coach still has
    the link and "send again". Accepted, expired and deleted invites are not mailed.
    """
    now = timezone.now()
    client = Client.objects.select_related("coach__user").filter(pk=client_id).first()
    if client is None or not client.invite_token or client.invite_expires_at is None or client.invite_expires_at < now:
        return False
    token = client.invite_token
    unsent = Client.objects.filter(pk=client_id, invite_token=token, invite_sent_at__isnull=True)
    if not unsent.update(invite_sent_at=now):
        return False
    coach_name = client.coach.user.name or client.coach.user.email
    url = f"{(site_url or settings.SITE_URL).rstrip('/')}{reverse('client-invite', args=[token])}"
    body = (
        f"Hello {client.name},\n\n{coach_name} invites you to Hinge Coach, where you will see your training and "
        f"log your sessions.\n\nSet your password here (the link works for 14 days):\n{url}\n"
    )
    try:
        send_mail(f"{coach_name} invites you to Hinge Coach", body, None, [client.email])
    except BaseException:
        Client.objects.filter(pk=client_id, invite_token=token, invite_sent_at=now).update(invite_sent_at=None)
        raise
    return True


def client_for_invite(token: str) -> Client | None:
    """The client an unexpired invite belongs to, or None."""
    if not token:
        return None
    client = Client.objects.select_related("coach").filter(invite_token=token).first()
    if client is None or client.invite_expires_at is None or client.invite_expires_at < timezone.now():
        return None
    return client


@transaction.atomic
def client_invite_accept(*, token: str, password: str) -> Client:
    client = client_for_invite(token)
    if client is None:
        raise ValidationError({"token": ["This invite link is invalid or has expired. Ask your coach for a new one."]})
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.invite_token != token:
        raise ValidationError({"token": ["This invite link has already been used."]})
    user: Any = client.user
    if user is None:
        user = User.objects.filter(email__iexact=client.email).first()
        if user is not None:
            raise ValidationError({"email": ["An account with this email already exists. Sign in instead."]})
        user = User(email=client.email, name=client.name)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    return _attach_login(client, user)


def _attach_login(client: Client, user: User) -> Client:
    """The client now signs in as ``user``; the invite link is spent."""
    client.user = user
    client.invite_token = None
    client.invite_expires_at = None
    client.save(update_fields=["user", "invite_token", "invite_expires_at"])
    now = timezone.now()
    data = {"client_id": client.pk, "name": client.name, "email": client.email, "joined_at": iso(now)}
    events_record(coach=client.coach_id, type="client.joined", data=data, now=now)
    return client


@transaction.atomic
def client_login_create(*, client: Client, password: str | None) -> Client:
    """Give a client their login directly, as accepting the invite would (operator commands, demo data).

    ``password=None`` makes an account without a usable password: the client has joined, and
    signs in once a password is set for them.
    """
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.user_id is not None:
        raise ValidationError({"email": [f"{client.name} already has a login."]})
    if User.objects.filter(email__iexact=client.email).exists():
        raise ValidationError({"email": [f"An account with the email {client.email} already exists."]})
    user = User.objects.create_user(email=client.email, password=password, name=client.name)
    return _attach_login(client, user)


@transaction.atomic
def client_delete_data(*, client: Client) -> None:
    """Privacy: remove a client, their login, sessions, sets, assignments and reviews."""
    user = client.user
    client.delete()
    if user is not None:
        user.delete()
