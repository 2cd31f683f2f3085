"""SSRF: only http(s) URLs without credentials, and (outside tests) only public addresses, checked
when an endpoint is saved and again at each delivery (against DNS rebinding)."""

from __future__ import annotations

import ipaddress
from typing import Any

import pytest
from django.utils import timezone

from coaching.webhooks import addresses, services
from coaching.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.coaching.webhooks.conftest import fire
from tests.coaching.webhooks.receiver import Receiver

NOT_PUBLIC = [
    "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "192.0.2.1",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "2002:7f00:1::1", "64:ff9b::7f00:1",
]  # fmt: skip
PUBLIC = ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.216.34"]


@pytest.fixture
def no_private(settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = False


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """A stub resolver: host name → addresses (change an entry to play a rebinding DNS server)."""
    answers: dict[str, list[str]] = {}

    def resolve(host: str, port: int) -> list[str]:
        if host not in answers:
            raise OSError("no such host")
        return answers[host]

    monkeypatch.setattr(addresses, "resolve", resolve)
    return answers


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_loopback_private_link_local_multicast_reserved_and_mapped_addresses_are_not_public(address: str) -> None:
    assert not addresses.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_public(address: str) -> None:
    assert addresses.is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/hook", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("https://user:pw@example.com/hook", "credentials"),
        ("https://token@example.com/hook", "credentials"),
        ("https:///hook", "host name"),
        ("https://example.com:99999/", "not a valid URL"),
        ("https://example.com/a b", "spaces"),
        ("https://example.com/#frag", "fragment"),
        ("https://example.com/" + "a" * 2000, "at most 2000"),
    ],
)
def test_urls_of_the_wrong_shape_are_refused_even_in_tests(url: str, message: str) -> None:
    with pytest.raises(addresses.UnsafeURL, match=message):
        addresses.check_url(url)


@pytest.mark.parametrize("address", ["127.0.0.1", "[::1]", "[::ffff:127.0.0.1]", "169.254.169.254", "10.0.0.8"])
def test_a_private_literal_address_is_refused(no_private: None, address: str) -> None:
    with pytest.raises(addresses.UnsafeURL, match="public address"):
        addresses.check_url(f"https://{address}/hook")


def test_a_name_resolving_to_a_private_address_among_public_ones_is_refused(
    no_private: None, dns: dict[str, list[str]]
) -> None:
    dns["hooks.example.test"] = ["93.184.216.34", "10.0.0.5"]
    with pytest.raises(addresses.UnsafeURL, match="10.0.0.5"):
        addresses.check_url("https://hooks.example.test/hook")
    dns["hooks.example.test"] = ["93.184.216.34"]
    addresses.check_url("https://hooks.example.test/hook")
    with pytest.raises(addresses.UnsafeURL, match="does not resolve"):
        addresses.check_url("https://nowhere.example.test/hook")


@pytest.mark.django_db
def test_creating_an_endpoint_with_a_private_url_is_a_400_with_a_field_message(
    no_private: None, dns: dict[str, list[str]], coach_api: Any
) -> None:
    dns["internal.example.test"] = ["192.168.0.10"]
    for url in ("http://127.0.0.1:8000/hook", "http://internal.example.test/hook", "http://[::ffff:7f00:1]/"):
        response = coach_api.post("/api/v1/webhooks/", {"url": url, "events": ["session.synced"]}, format="json")
        assert response.status_code == 400, response.content
        assert "public address" in response.json()["url"][0]
    assert WebhookEndpoint.objects.count() == 0


@pytest.mark.django_db
def test_a_name_rebound_to_a_private_address_after_creation_is_refused_at_delivery(
    no_private: None, dns: dict[str, list[str]], coach: Any, receiver: Receiver, queued: list[list[int]]
) -> None:
    dns["hooks.example.test"] = ["93.184.216.34"]
    services.endpoint_create(
        coach=coach, url=f"http://hooks.example.test:{receiver.port}/hooks", events=["session.synced"]
    )
    dns["hooks.example.test"] = ["127.0.0.1"]  # the attacker's DNS now points inward
    delivery = fire(coach)
    assert services.delivery_send(delivery_id=delivery.pk) is False
    assert receiver.received == []  # nothing reached the inside
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.RETRYING
    assert delivery.last_status_code is None
    assert "Refused" in delivery.last_error
    assert "127.0.0.1" in delivery.last_error


@pytest.mark.django_db
def test_the_sender_connects_to_the_address_it_checked_and_keeps_the_host_name(
    dns: dict[str, list[str]], coach: Any, receiver: Receiver, queued: list[list[int]]
) -> None:
    # Tests allow 127.0.0.1: the name resolves there once, and the request goes to that address.
    dns["hooks.example.test"] = ["127.0.0.1"]
    endpoint = services.endpoint_create(
        coach=coach, url=f"http://hooks.example.test:{receiver.port}/hooks?k=1", events=["session.synced"]
    )
    receiver.secret = endpoint.secret
    delivery = fire(coach)
    assert services.delivery_send(delivery_id=delivery.pk, now=timezone.now()) is True
    [got] = receiver.received
    assert got.headers["host"] == f"hooks.example.test:{receiver.port}"
    assert got.verified is not None
