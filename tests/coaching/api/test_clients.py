from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from coaching.clients.services import client_invite_renew
from coaching.clients.tasks import send_client_invite
from coaching.models import Client
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

STRONG = "hinge-and-brace-77"


def test_coach_adds_a_client_and_gets_an_absolute_invite_url(coach_api: APIClient) -> None:
    response = coach_api.post("/api/v1/clients/", {"name": "Maya Okafor", "email": "Maya@Example.com"}, format="json")
    assert response.status_code == 201
    body = response.json()
    client = Client.objects.get(pk=body["id"])
    assert body["email"] == "maya@example.com"
    assert body["has_login"] is False
    assert body["invite_url"] == f"http://testserver/invite/{client.invite_token}/"
    assert coach_api.get(f"/api/v1/clients/{client.pk}/").json() == body


def test_client_list_is_paged_and_only_mine(coach_api: APIClient, client_profile: Any, other_client: Any) -> None:
    body = coach_api.get("/api/v1/clients/").json()
    assert body["count"] == 1
    assert body["results"][0]["id"] == client_profile.pk
    assert body["results"][0]["has_login"] is True
    assert body["results"][0]["invite_url"] is None


def test_client_create_bad_input_gets_field_errors(coach_api: APIClient, client_profile: Any) -> None:
    response = coach_api.post("/api/v1/clients/", {"name": "", "email": "not-an-email"}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"name", "email"}
    duplicate = coach_api.post("/api/v1/clients/", {"name": "Twin", "email": client_profile.email}, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json() == {"email": ["You already have a client with this email."]}


def test_another_coachs_client_is_404(coach_api: APIClient, other_client: Any) -> None:
    assert coach_api.get(f"/api/v1/clients/{other_client.pk}/").status_code == 404


def test_clients_are_for_coaches(anon: APIClient, client_api: APIClient, coach_api: APIClient) -> None:
    assert anon.get("/api/v1/clients/").status_code == 401
    assert client_api.get("/api/v1/clients/").status_code == 404
    assert coach_api.delete("/api/v1/clients/").status_code == 405


def test_invite_accept_creates_the_login_once(anon: APIClient, coach: Any) -> None:
    client = client_invite_renew(client=ClientFactory(coach=coach))
    url = f"/api/v1/invites/{client.invite_token}/accept/"
    response = anon.post(url, {"password": STRONG}, format="json")
    assert response.status_code == 201
    assert response.json() == {"id": client.pk, "name": client.name, "email": client.email}
    client.refresh_from_db()
    assert client.user is not None
    assert client.user.check_password(STRONG)
    token = anon.post("/api/v1/auth/token/", {"email": client.email, "password": STRONG}, format="json")
    assert token.status_code == 201
    again = anon.post(url, {"password": STRONG}, format="json")
    assert again.status_code == 400
    assert "token" in again.json()


def test_invite_accept_rejects_weak_passwords_and_unknown_tokens(anon: APIClient, coach_api: APIClient) -> None:
    created = coach_api.post("/api/v1/clients/", {"name": "Sam", "email": "sam@example.com"}, format="json").json()
    url = created["invite_url"].replace("http://testserver/invite/", "/api/v1/invites/") + "accept/"
    weak = anon.post(url, {"password": "123"}, format="json")
    assert weak.status_code == 400
    assert "password" in weak.json()
    assert anon.post(url, {}, format="json").json() == {"password": ["This field is required."]}
    unknown = anon.post("/api/v1/invites/nope/accept/", {"password": STRONG}, format="json")
    assert unknown.status_code == 400
    assert "invalid or has expired" in unknown.json()["token"][0]
    assert anon.get(url).status_code == 405


def test_adding_a_client_hands_the_invite_email_to_celery_after_the_commit(
    coach_api: APIClient, django_capture_on_commit_callbacks: Any, queued_invites: list[Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_api.post("/api/v1/clients/", {"name": "Maya", "email": "maya@example.com"}, format="json")
    assert response.status_code == 201
    assert mail.outbox == []  # not sent inside the request
    assert queued_invites == [(response.json()["id"], "http://testserver/")]
    send_client_invite.apply(args=queued_invites[0])
    send_client_invite.apply(args=queued_invites[0])
    [email] = mail.outbox
    assert email.to == ["maya@example.com"]
    assert response.json()["invite_url"] in email.body
