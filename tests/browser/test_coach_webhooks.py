"""A coach adds a webhook endpoint, sees a delivery in the log and sends it again, in a real Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from playwright.sync_api import Page, expect

from coaching.webhooks import services
from coaching.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.browser.test_coach_journey import settled, sign_in
from tests.coaching.webhooks.receiver import Receiver, start

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A real HTTP receiver on 127.0.0.1 that verifies each delivery (tests/coaching/webhooks/receiver.py)."""
    found = Receiver()
    server = start(found)
    yield found
    server.shutdown()
    server.server_close()


def test_coach_adds_an_endpoint_reads_the_log_and_sends_again(
    page: Page,
    live_server: Any,
    coach: Any,
    snap: Any,
    receiver: Receiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(services, "deliveries_enqueue", lambda ids: None)  # sent below, in this process
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/settings/")
    page.get_by_role("link", name="Webhooks").click()
    expect(page.get_by_role("heading", name="Webhooks", exact=True)).to_be_visible()
    page.get_by_label("URL").fill("ftp://example.com/")
    page.get_by_role("button", name="Add the endpoint").click()
    settled(page)
    expect(page.get_by_text("Choose at least one event.")).to_be_visible()
    expect(page.get_by_text("Use an http:// or https:// URL.")).to_be_visible()
    page.get_by_label("URL").fill(receiver.url)
    page.get_by_label("session.synced", exact=False).check()
    page.get_by_label("pain.reported", exact=False).check()
    page.get_by_role("button", name="Add the endpoint").click()
    settled(page)
    endpoint = WebhookEndpoint.objects.get()
    expect(page.get_by_role("textbox", name="Signing secret")).to_have_value(endpoint.secret)
    snap(page, "60-webhooks")

    receiver.secret, receiver.fail_first = endpoint.secret, 1
    with transaction.atomic():
        [delivery] = services.events_record(coach=coach, type="session.synced", data={"session_id": "abc"})
    services.delivery_send(delivery_id=delivery.pk)
    page.get_by_role("link", name="delivery log").click()
    expect(page.get_by_role("heading", name=f"Deliveries to {receiver.url}")).to_be_visible()
    row = page.locator(f"#delivery-{delivery.pk}")
    expect(row).to_contain_text("Retrying")
    expect(row).to_contain_text("500")
    snap(page, "61-webhook-log")
    row.get_by_role("button", name="Send again").click()
    settled(page)
    expect(page.locator(f"#delivery-{delivery.pk}")).to_contain_text("Pending")
    assert WebhookDelivery.objects.get().status == "pending"
    services.delivery_send(delivery_id=delivery.pk)
    page.reload()
    expect(page.locator(f"#delivery-{delivery.pk}")).to_contain_text("Delivered")
    assert [r.verified is not None for r in receiver.received] == [True, True]
