"""The phone's opt-in: Today carries the VAPID public key and the API's URLs only when push is on;
the service worker shows a push message and opens its page."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_today_offers_the_opt_in_with_the_public_key(client: Any, client_profile: Any) -> None:
    client.force_login(client_profile.user)
    page = client.get(reverse("client-today")).content.decode()
    assert 'id="push"' in page
    assert f'data-key="{settings.VAPID_PUBLIC_KEY}"' in page
    assert f'data-subscribe="{reverse("api-push-subscriptions")}"' in page
    assert f'data-unsubscribe="{reverse("api-push-unsubscribe")}"' in page
    assert "client/push.js" in page
    assert 'id="push-on"' in page
    assert settings.VAPID_PRIVATE_KEY not in page


def test_without_vapid_keys_today_has_no_opt_in(client: Any, client_profile: Any, settings: Any) -> None:
    settings.PUSH_ENABLED = False
    client.force_login(client_profile.user)
    page = client.get(reverse("client-today")).content.decode()
    assert 'id="push"' not in page
    assert "client/push.js" not in page


def test_the_service_worker_shows_pushes_and_opens_their_page(client: Any) -> None:
    worker = client.get(reverse("client-sw")).content.decode()
    assert 'addEventListener("push"' in worker
    assert "showNotification(" in worker
    assert 'addEventListener("notificationclick"' in worker
    assert "openWindow(" in worker
    assert "/static/client/push.js" in worker  # kept with the app shell for offline visits
