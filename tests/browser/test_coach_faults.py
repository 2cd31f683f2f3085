"""The coach tags a fault on a set from the client page in a real Chromium (htmx, in place); the
client then sees it on the phone's History. Screenshots: var/screenshots/coach-faults-*.png."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from coaching.models import CoachFault, LoggedSession
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from tests import factories
from tests.browser.conftest import DESKTOP, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.services]

PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
WAIT_MS = 15_000


@pytest.fixture
def world(transactional_db: Any) -> Any:
    coach = factories.CoachFactory(user__email="coach.faults@example.com", user__name="Sam Rivera")
    client = factories.ClientFactory(coach=coach, name="Maya Okafor", with_login=True, with_assignment=True)
    when = timezone.now() - dt.timedelta(hours=20)
    item = SessionInput(
        id=uuid.uuid4(),
        assignment_id=client.assignments.get().pk,
        performed_at=when,
        client_modified_at=when,
        sets=(
            SetInput(exercise="romanian-deadlift", reps=10, load=60, unit="kg", faults=("knees_too_bent",)),
            SetInput(exercise="romanian-deadlift", reps=10, load=60, unit="kg"),
            SetInput(exercise="romanian-deadlift", reps=10, load=60, unit="kg"),
        ),
    )
    sessions_apply(user=client.user, items=[item])
    return coach, client, LoggedSession.objects.get(pk=item.id)


def test_the_coach_tags_a_fault_on_the_client_page_and_the_client_sees_it(
    browser: Browser, live_server: Any, world: Any
) -> None:
    coach, client, session = world
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    second = session.sets.order_by("position")[1]

    desk_ctx = browser.new_context(viewport=DESKTOP)
    sign_in(desk_ctx, live_server, coach.user)
    desk = desk_ctx.new_page()
    desk.goto(f"{live_server.url}/clients/{client.pk}/")
    exercise = desk.locator("#sessions details.exercise-sets").first
    exercise.locator(":scope > summary").click()
    cell = desk.locator(f"#set-faults-{second.uid}")
    expect(desk.locator(".fault-client").first).to_contain_text("Client ticked: Knees too bent")
    cell.get_by_role("link", name="Tag faults").click()
    cell.get_by_label("Bar drifted away from the legs").check()
    cell.get_by_label("Upper back rounding (no upper-body / lat tension)").check()
    desk.screenshot(path=str(SCREENSHOTS / "coach-faults-form.png"), full_page=True)
    before = desk.url
    cell.get_by_role("button", name="Save tags").click()
    # In place (htmx): the same page, the set's cell now says what the coach saw.
    tagged = desk.locator(f"#set-faults-{second.uid} .fault-coach")
    expect(tagged).to_have_count(2, timeout=WAIT_MS)
    expect(tagged).to_contain_text(["Coach saw: Upper back rounding", "Coach saw: Bar drifted away from the legs"])
    expect(tagged.last).to_contain_text("Sam Rivera")
    expect(desk.locator(f"#set-faults-{second.uid}").get_by_role("link", name="Tag faults")).to_be_visible()
    assert desk.url == before
    assert sorted(CoachFault.objects.values_list("fault", flat=True)) == ["bar_drift", "upper_back_rounding"]
    exercise = desk.locator("#sessions details.exercise-sets").first
    exercise.scroll_into_view_if_needed()
    desk.screenshot(path=str(SCREENSHOTS / "coach-faults-tagged.png"), full_page=True)
    desk_ctx.close()

    phone_ctx = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, service_workers="block")
    sign_in(phone_ctx, live_server, client.user)
    phone = phone_ctx.new_page()
    phone.goto(f"{live_server.url}/history/")
    expect(phone.locator(".coach-saw li")).to_have_text(
        ["Coach saw: Romanian deadlift, set 2: upper back rounding, bar drift"]
    )
    phone.screenshot(path=str(SCREENSHOTS / "coach-faults-history.png"), full_page=True)
    phone_ctx.close()
