"""The coach's webhook page and delivery log, with and without htmx."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coaching.webhooks import services
from coaching.webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
URL = "http://127.0.0.1:9/hooks"


@pytest.fixture
def coach_web(client: Any, coach: Any) -> Any:
    client.force_login(coach.user)
    return client


def test_settings_link_to_the_webhooks_page(coach_web: Any) -> None:
    assert reverse("coach-webhooks") in coach_web.get(reverse("coach-settings")).content.decode()


def test_adding_an_endpoint_shows_its_secret_once(coach_web: Any) -> None:
    response = coach_web.post(reverse("coach-webhooks"), {"url": URL, "events": ["session.synced", "pain.reported"]})
    assert response.status_code == 201
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["session.synced", "pain.reported"]
    assert endpoint.secret in response.content.decode()
    again = coach_web.get(reverse("coach-webhooks")).content.decode()
    assert URL in again
    assert endpoint.secret not in again


def test_the_events_are_checkboxes_and_the_page_works_without_javascript(coach_web: Any) -> None:
    html = coach_web.get(reverse("coach-webhooks")).content.decode()
    for event in ("session.synced", "pain.reported", "review.ready", "review.recomputed", "review.decided"):
        assert f'type="checkbox" name="events" value="{event}"' in html
    assert f'action="{reverse("coach-webhooks")}"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": URL}, "Choose at least one event."),
        ({"url": "ftp://example.com/", "events": ["session.synced"]}, "http:// or https://"),
        ({"url": "", "events": ["session.synced"]}, "This field is required."),
        ({"url": URL, "events": ["nope"]}, "Select a valid choice"),
    ],
)
def test_bad_input_is_a_form_error(coach_web: Any, data: dict[str, Any], message: str) -> None:
    response = coach_web.post(reverse("coach-webhooks"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WebhookEndpoint.objects.exists()
    htmx = coach_web.post(reverse("coach-webhooks"), data, **HTMX)
    assert htmx.status_code == 200
    assert htmx.content.decode().lstrip().startswith('<div id="webhooks"')


def test_a_private_url_is_a_form_error_outside_tests(coach_web: Any, settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    response = coach_web.post(reverse("coach-webhooks"), {"url": "http://10.0.0.1/", "events": ["review.ready"]})
    assert response.status_code == 400
    assert "public address" in response.content.decode()


def test_rotate_delete_and_enable(coach: Any, coach_web: Any) -> None:
    endpoint = services.endpoint_create(coach=coach, url=URL, events=["session.synced"])
    old = endpoint.secret
    response = coach_web.post(reverse("coach-webhook-rotate", args=[endpoint.pk]), **HTMX)
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in response.content.decode()
    assert "old secret" in response.content.decode()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(enabled=False)
    assert "Enable" in coach_web.get(reverse("coach-webhooks")).content.decode()
    response = coach_web.post(reverse("coach-webhook-enable", args=[endpoint.pk]))
    assert response.status_code == 302
    assert WebhookEndpoint.objects.get().enabled
    response = coach_web.post(reverse("coach-webhook-delete", args=[endpoint.pk]))
    assert response.status_code == 302
    assert not WebhookEndpoint.objects.exists()
    assert coach_web.get(reverse("coach-webhook-delete", args=[endpoint.pk])).status_code == 405


def test_the_delivery_log_shows_each_attempts_outcome_and_sends_again(
    coach: Any, coach_web: Any, monkeypatch: pytest.MonkeyPatch, django_assert_max_num_queries: Any
) -> None:
    endpoint = services.endpoint_create(coach=coach, url=URL, events=["session.synced"])
    for _ in range(30):
        services.events_record(coach=coach, type="session.synced", data={})
    delivery = WebhookDelivery.objects.order_by("-id").first()
    assert delivery is not None
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status="failed", attempts=7, last_status_code=503, last_duration_ms=412, last_error="The endpoint answered 503."
    )
    with django_assert_max_num_queries(8):
        response = coach_web.get(reverse("coach-webhook", args=[endpoint.pk]))
    html = response.content.decode()
    assert "30 deliveries" in html
    assert "503" in html
    assert "412 ms" in html
    assert "Failed" in html
    assert "Older →" in html  # 25 a page
    queued: list[list[int]] = []
    monkeypatch.setattr(services, "deliveries_enqueue", queued.append)
    resend = reverse("coach-webhook-resend", args=[endpoint.pk, delivery.pk])
    row = coach_web.post(resend, **HTMX)
    assert row.status_code == 200
    assert row.content.decode().lstrip().startswith(f'<tr id="delivery-{delivery.pk}"')
    assert "Pending" in row.content.decode()
    plain = coach_web.post(resend)
    assert plain.status_code == 302
    assert WebhookDelivery.objects.get(pk=delivery.pk).status == "pending"


def test_another_coachs_log_and_deliveries_are_404(coach: Any, other_coach: Any, coach_web: Any) -> None:
    theirs = services.endpoint_create(coach=other_coach, url=URL, events=["session.synced"])
    [delivery] = services.events_record(coach=other_coach, type="session.synced", data={})
    mine = services.endpoint_create(coach=coach, url=URL, events=["session.synced"])
    assert coach_web.get(reverse("coach-webhook", args=[theirs.pk])).status_code == 404
    assert coach_web.post(reverse("coach-webhook-resend", args=[theirs.pk, delivery.pk])).status_code == 404
    assert coach_web.post(reverse("coach-webhook-resend", args=[mine.pk, delivery.pk])).status_code == 404
