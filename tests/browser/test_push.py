"""Web Push on the phone in Chromium: the opt-in on Today subscribes and the server stores it; a
coach's reply reaches the push service on 127.0.0.1 (VAPID verified, decrypted); the service
worker shows the message as a notification; "Turn off" removes the subscription.

Headless Chromium has no push service (its contexts are incognito, where the Push API refuses to
subscribe), so only ``pushManager.subscribe`` / ``getSubscription`` are replaced in the page, by
an object holding a subscriber key pair made in this test (pushservice.py's ``Phone``). The page's
script, the API with session and CSRF, the sending, the encryption and the service worker are the
real ones; the push message reaches the worker through Chromium's DevTools protocol
(``ServiceWorker.deliverPushMessage``). Screenshots: var/screenshots/push-today-off.png, push-today.png.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, expect

from coaching.models import LoggedSession
from coaching.push.models import PushSubscription
from coaching.threads.services import comment_add
from tests import factories
from tests.browser.conftest import sign_in
from tests.coaching.push.conftest import deliver
from tests.coaching.push.conftest import push_service as push_service  # noqa: F401 - the fixture
from tests.coaching.push.conftest import pushed as pushed  # noqa: F401 - the fixture
from tests.coaching.push.pushservice import PushService
from tests.coaching.threads.conftest import log

pytestmark = [pytest.mark.browser, pytest.mark.services]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WAIT_MS = 15_000

STUB = """
(() => {
  const json = %s;
  let current = null;
  PushManager.prototype.subscribe = async function (options) {
    window.__pushOptions = {
      userVisibleOnly: options.userVisibleOnly,
      key: Array.from(new Uint8Array(options.applicationServerKey)),
    };
    const unsubscribe = async () => { current = null; return true; };
    current = { endpoint: json.endpoint, toJSON: () => json, unsubscribe };
    return current;
  };
  PushManager.prototype.getSubscription = async function () { return current; };
})();
"""


@pytest.fixture
def world(transactional_db: Any) -> tuple[Any, Any, LoggedSession]:
    coach = factories.CoachFactory(user__email="coach.push@example.com", user__name="Sam Rivera")
    client = factories.ClientFactory(coach=coach, name="Maya Okafor", with_login=True, with_assignment=True)
    return coach, client, log(client.user, client)


def _registration_id(cdp: Any, page: Any) -> str:
    found: list[dict[str, Any]] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda event: found.extend(event["registrations"]))
    cdp.send("ServiceWorker.enable")
    for _ in range(50):
        live = [r for r in found if not r.get("isDeleted")]
        if live:
            return str(live[-1]["registrationId"])
        page.wait_for_timeout(100)
    raise AssertionError("no service worker registration")


def test_the_opt_in_subscribes_and_a_coachs_reply_becomes_a_notification(
    browser: Browser,
    live_server: Any,
    world: Any,
    push_service: PushService,
    pushed: list[Any],  # noqa: F811
) -> None:
    coach, client, session = world
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone_made = push_service.phone()
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, service_workers="allow")
    context.grant_permissions(["notifications"], origin=live_server.url)
    context.add_init_script(STUB % json.dumps(push_service.subscription(phone_made)))
    sign_in(context, live_server, client.user)
    page = context.new_page()
    page.goto(f"{live_server.url}/today/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    card = page.locator("#push")
    expect(card).to_be_visible(timeout=WAIT_MS)
    expect(card).to_contain_text("Get a notification on this phone")
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "push-today-off.png"), full_page=False)
    page.get_by_role("button", name="Turn on notifications").click()
    expect(page.locator("#push-status")).to_contain_text("Notifications are on", timeout=WAIT_MS)
    expect(page.get_by_role("button", name="Turn off notifications")).to_be_visible()
    card.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOTS / "push-today.png"), full_page=False)

    # The page subscribed with the server's VAPID key, and the server stored the browser's keys.
    options = page.evaluate("window.__pushOptions")
    assert options["userVisibleOnly"] is True
    assert bytes(options["key"]) == base64.urlsafe_b64decode(settings.VAPID_PUBLIC_KEY + "=")
    row = PushSubscription.objects.get(user=client.user)
    assert (row.endpoint, row.p256dh, row.auth) == (push_service.endpoint(phone_made), phone_made.p256dh,
                                                    phone_made.auth)  # fmt: skip

    # The coach replies: the push service gets it signed and encrypted to this phone.
    comment_add(session=session, author=coach.user, body="Hold 60 kg and own the last rep.")
    assert deliver(pushed) == ["sent"]
    [message] = push_service.messages(phone_made)
    assert message == {"title": "Sam Rivera replied", "body": "Hold 60 kg and own the last rep.",
                       "url": f"/history/{session.pk}/thread/"}  # fmt: skip

    # The service worker shows what the push service would hand it.
    cdp = context.new_cdp_session(page)
    registration = _registration_id(cdp, page)
    cdp.send("ServiceWorker.deliverPushMessage",
             {"origin": live_server.url, "registrationId": registration, "data": json.dumps(message)})  # fmt: skip
    shown: list[Any] = []
    for _ in range(50):
        shown = page.evaluate(
            "async () => (await (await navigator.serviceWorker.ready).getNotifications())"
            ".map((n) => ({title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url}))"
        )
        if shown:
            break
        page.wait_for_timeout(100)
    assert shown == [{"title": "Sam Rivera replied", "body": "Hold 60 kg and own the last rep.",
                      "tag": message["url"], "url": message["url"]}]  # fmt: skip

    page.get_by_role("button", name="Turn off notifications").click()
    expect(page.locator("#push-status")).to_contain_text("Get a notification", timeout=WAIT_MS)
    assert not PushSubscription.objects.filter(user=client.user).exists()
    context.close()
