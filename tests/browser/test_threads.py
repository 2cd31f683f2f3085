"""A session's thread in the browser: the client replies on the phone (History), the coach sees it
on the client page (with its unread count), opens the thread in place and replies; the client sees
the coach's reply on Today with the header's badge. Screenshots: var/screenshots/thread-*.png."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from coaching.models import LoggedSession
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from coaching.threads.models import SessionComment
from tests import factories
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.services]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WAIT_MS = 15_000


@pytest.fixture
def world(transactional_db: Any) -> Any:
    coach = factories.CoachFactory(user__email="coach.thread@example.com", user__name="Sam Rivera")
    client = factories.ClientFactory(coach=coach, name="Maya Okafor", with_login=True, with_assignment=True)
    when = timezone.now() - dt.timedelta(hours=20)
    item = SessionInput(
        id=uuid.uuid4(),
        assignment_id=client.assignments.get().pk,
        performed_at=when,
        client_modified_at=when,
        notes="Last set felt heavy; lower back fine.",
        sets=tuple(SetInput(exercise="romanian-deadlift", reps=10, load=60, unit="kg") for _ in range(3)),
    )
    sessions_apply(user=client.user, items=[item])
    return coach, client, LoggedSession.objects.get(pk=item.id)


def test_client_replies_on_the_phone_and_the_coach_replies_from_the_client_page(
    browser: Browser, live_server: Any, world: Any
) -> None:
    coach, client, session = world
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    phone_ctx = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, service_workers="block")
    sign_in(phone_ctx, live_server, client.user)
    phone = phone_ctx.new_page()
    phone.goto(f"{live_server.url}/history/")
    phone.get_by_role("link", name="Message your coach").click()
    expect(phone.locator(".comment-notes")).to_contain_text("Last set felt heavy")
    phone.get_by_label("Reply").fill("Should I keep 60 kg next week?")
    phone.get_by_role("button", name="Send reply").click()
    expect(phone.locator(".comment").last).to_contain_text("Should I keep 60 kg next week?", timeout=WAIT_MS)
    expect(phone.get_by_label("Reply")).to_have_value("")  # htmx swapped in a fresh form

    coach_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    sign_in(coach_ctx, live_server, coach.user)
    desk = coach_ctx.new_page()
    desk.goto(f"{live_server.url}/dashboard/")
    expect(desk.locator("#unread")).to_contain_text("Maya Okafor")
    desk.goto(f"{live_server.url}/clients/{client.pk}/")
    slot = desk.locator(f"#thread-slot-{session.pk}")
    expect(slot).to_contain_text("1 unread")
    slot.get_by_role("link", name="Thread: 1 reply").click()
    expect(slot.locator(".comment.unread")).to_contain_text("Should I keep 60 kg next week?", timeout=WAIT_MS)
    assert desk.url.endswith(f"/clients/{client.pk}/")  # opened in place by htmx
    slot.get_by_label("Reply").fill("Yes: hold 60 kg and own the last rep.")
    slot.get_by_role("button", name="Send reply").click()
    expect(slot.locator(".comment").last).to_contain_text("own the last rep", timeout=WAIT_MS)
    slot.scroll_into_view_if_needed()
    desk.screenshot(path=str(SCREENSHOTS / "thread-coach.png"), full_page=False)
    assert list(SessionComment.objects.order_by("id").values_list("author__email", flat=True)) == [
        client.user.email,
        coach.user.email,
    ]

    phone.goto(f"{live_server.url}/history/")
    expect(phone.locator("#unread-badge")).to_have_text("1 new")
    expect(phone.locator(f"#session-{session.pk}")).to_contain_text("Thread: 2 replies")
    phone.goto(f"{live_server.url}/today/")
    expect(phone.locator(".latest-thread .comment.unread")).to_contain_text("own the last rep")
    expect(phone.locator("#unread-badge")).to_have_count(0)  # shown here, so read: no badge
    phone.locator(".latest-thread").scroll_into_view_if_needed()
    phone.screenshot(path=str(SCREENSHOTS / "thread-phone.png"), full_page=False)
    phone.goto(f"{live_server.url}/history/")
    expect(phone.locator("#unread-badge")).to_have_count(0)
    phone_ctx.close()
    coach_ctx.close()
