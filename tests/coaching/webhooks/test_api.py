"""The webhooks API: create (secret once), list, delete, delivery log, send again, rotate, enable."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from django.test import Client as DjangoClient
from django.test import TestCase

from coaching.webhooks import services
from coaching.webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db
URL = "http://127.0.0.1:9/hooks"


def create(api: Any, **body: Any) -> Any:
    return api.post("/api/v1/webhooks/", {"url": URL, "events": ["session.synced"], **body}, format="json")


def test_a_coach_adds_an_endpoint_and_sees_its_secret_only_in_the_answer(coach_api: Any) -> None:
    response = create(coach_api, events=["review.ready", "session.synced"])
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert body["events"] == ["session.synced", "review.ready"]
    assert body["enabled"] is True
    assert WebhookEndpoint.objects.get().secret == body["secret"]
    listed = coach_api.get("/api/v1/webhooks/").json()
    assert listed["count"] == 1
    assert "secret" not in listed["results"][0]
    assert "secret" not in coach_api.get(f"/api/v1/webhooks/{body['id']}/").json()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"events": []}, "events"),
        ({"events": ["session.deleted"]}, "events"),
        ({"events": "session.synced"}, "events"),
        ({"url": "ftp://example.com/"}, "url"),
        ({"url": "https://user:pw@example.com/"}, "url"),
        ({"url": ""}, "url"),
        ({"url": 5}, "url"),
    ],
)
def test_bad_input_is_a_400_with_field_messages(coach_api: Any, body: dict[str, Any], field: str) -> None:
    response = create(coach_api, **body)
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_more_than_ten_endpoints_is_a_400(coach_api: Any) -> None:
    for _ in range(10):
        assert create(coach_api).status_code == 201
    response = create(coach_api)
    assert response.status_code == 400
    assert "at most 10" in response.json()["url"][0]


def test_another_coachs_endpoint_and_deliveries_are_404(coach: Any, coach_api: Any, other_coach_api: Any) -> None:
    endpoint_id = create(coach_api).json()["id"]
    with TestCase.captureOnCommitCallbacks(execute=False):
        [delivery] = services.events_record(coach=coach, type="session.synced", data={})
    base = f"/api/v1/webhooks/{endpoint_id}/"
    assert other_coach_api.get(base).status_code == 404
    assert other_coach_api.delete(base).status_code == 404
    assert other_coach_api.get(base + "deliveries/").status_code == 404
    assert other_coach_api.post(base + f"deliveries/{delivery.pk}/resend/").status_code == 404
    assert other_coach_api.post(base + "rotate-secret/").status_code == 404
    assert other_coach_api.post(base + "enable/").status_code == 404
    assert other_coach_api.get("/api/v1/webhooks/").json()["count"] == 0
    # A delivery under another endpoint's id is not found either.
    other_id = create(coach_api).json()["id"]
    assert coach_api.post(f"/api/v1/webhooks/{other_id}/deliveries/{delivery.pk}/resend/").status_code == 404
    assert coach_api.get("/api/v1/webhooks/abc/").status_code == 404
    assert WebhookEndpoint.objects.filter(pk=endpoint_id).exists()


def test_a_client_has_no_webhooks(client_api: Any) -> None:
    assert client_api.get("/api/v1/webhooks/").status_code == 404
    assert create(client_api).status_code == 404


def test_the_delivery_log_is_paged_newest_first_in_a_pinned_number_of_queries(
    coach: Any, coach_api: Any, django_assert_num_queries: Any
) -> None:
    endpoint_id = create(coach_api).json()["id"]
    for n in (1, 30):
        services.events_record_many(events=[services.Event(coach.pk, "session.synced", {"n": i}) for i in range(n)])
        coach.user.refresh_from_db()
        with django_assert_num_queries(4):  # the token with its coach (one), endpoint, count, page
            page = coach_api.get(f"/api/v1/webhooks/{endpoint_id}/deliveries/?page_size=20").json()
    assert page["count"] == 31
    assert len(page["results"]) == 20
    first = page["results"][0]
    assert first["payload"]["data"] == {"n": 29}
    assert {"status", "attempts", "last_status_code", "last_duration_ms", "webhook_id", "event_type"} <= set(first)


def test_send_again_queues_the_delivery_with_its_webhook_id(
    coach: Any, coach_api: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    endpoint_id = create(coach_api).json()["id"]
    [delivery] = services.events_record(coach=coach, type="session.synced", data={})
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", next_attempt_at=None, attempts=20)
    queued: list[list[int]] = []
    monkeypatch.setattr(services, "deliveries_enqueue", queued.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_api.post(f"/api/v1/webhooks/{endpoint_id}/deliveries/{delivery.pk}/resend/")
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert response.json()["webhook_id"] == delivery.webhook_id
    assert queued == [[delivery.pk]]
    # A disabled endpoint is enabled first: until then, 409.
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(enabled=False)
    response = coach_api.post(f"/api/v1/webhooks/{endpoint_id}/deliveries/{delivery.pk}/resend/")
    assert response.status_code == 409
    assert "enable" in response.json()["detail"]
    assert coach_api.post(f"/api/v1/webhooks/{endpoint_id}/enable/").json()["enabled"] is True


def test_rotating_the_secret_answers_the_new_one_once_and_keeps_the_old_one_signing(coach_api: Any) -> None:
    created = create(coach_api).json()
    response = coach_api.post(f"/api/v1/webhooks/{created['id']}/rotate-secret/")
    assert response.status_code == 200
    rotated = response.json()
    assert rotated["secret"] != created["secret"]
    assert rotated["previous_secret_expires_at"] is not None
    endpoint = WebhookEndpoint.objects.get()
    assert services.signing_secrets(endpoint, endpoint.created_at) == [rotated["secret"], created["secret"]]
    assert coach_api.get("/api/v1/webhooks/").json()["results"][0]["previous_secret_expires_at"]


def test_deleting_an_endpoint_removes_it_and_its_log(coach: Any, coach_api: Any) -> None:
    endpoint_id = create(coach_api).json()["id"]
    services.events_record(coach=coach, type="session.synced", data={})
    assert coach_api.delete(f"/api/v1/webhooks/{endpoint_id}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()
    assert coach_api.delete(f"/api/v1/webhooks/{endpoint_id}/").status_code == 404


def test_the_schema_documents_every_webhook_operation() -> None:
    schema = yaml.safe_load(DjangoClient().get("/api/schema/").content)
    expected = {
        "/api/v1/webhooks/": {"get": "200", "post": "201"},
        "/api/v1/webhooks/{id}/": {"get": "200", "delete": "204"},
        "/api/v1/webhooks/{id}/rotate-secret/": {"post": "200"},
        "/api/v1/webhooks/{id}/enable/": {"post": "200"},
        "/api/v1/webhooks/{id}/deliveries/": {"get": "200"},
        "/api/v1/webhooks/{id}/deliveries/{delivery}/resend/": {"post": "202"},
    }
    for path, methods in expected.items():
        for method, ok in methods.items():
            operation = schema["paths"][path][method]
            assert operation["summary"], (path, method)
            assert operation["description"], (path, method)
            assert operation["tags"] == ["webhooks"]
            assert {ok, "401"} <= set(operation["responses"]), (path, method)
            if path != "/api/v1/webhooks/":
                assert "404" in operation["responses"], (path, method)
    create_op = schema["paths"]["/api/v1/webhooks/"]["post"]
    assert "400" in create_op["responses"]
    created = create_op["responses"]["201"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert "secret" in schema["components"]["schemas"][created]["properties"]
    assert "409" in schema["paths"]["/api/v1/webhooks/{id}/deliveries/{delivery}/resend/"]["post"]["responses"]
    enum = schema["components"]["schemas"]["WebhookEventType"]["enum"]
    assert "review.recomputed" in enum
