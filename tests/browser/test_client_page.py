"""The coach's client page in a real Chromium, on the demo roster: 24 sessions stay a short page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from coaching.management.commands.demo_data import DEMO_CLIENT_EMAIL, DEMO_EMAIL, DEMO_PASSWORD
from coaching.models import Client
from coaching.selectors_coach import session_exercises
from tests.browser.conftest import DESKTOP, TABLET

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_client_page_with_24_sessions_is_one_line_per_exercise_and_expands_to_sets(
    page: Page, live_server: Any, shoot: Any
) -> None:
    call_command("demo_data", "--quiet")
    maya = Client.objects.get(name="Maya Okafor")
    assert maya.sessions.count() == 24
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    page.goto(f"{live_server.url}/clients/{maya.pk}/")
    expect(page.get_by_role("heading", name="Maya Okafor", level=1)).to_be_visible()
    shoot(page, "coach-client-page-desktop")

    height = page.evaluate("document.documentElement.scrollHeight")
    # The training calendar is a card of a fixed twelve weeks, whatever the number of sessions:
    # what must stay short is the rest of the page, the sessions folded. Each session of the page
    # (ten) also carries its thread's link and its readiness check-in on lines of their own (about
    # 25 px each): the bound grows by twenty short lines, not by sessions. A coach in a team also
    # has the Team card (share, hand over: about 400 px), whatever the sessions.
    calendar = page.locator("#calendar").bounding_box()["height"]
    print(f"client page height: {height} px, of which the calendar {calendar:.0f} px")
    assert height - calendar < 4100, f"the client page is {height} px tall ({calendar:.0f} px of calendar)"
    sessions = page.locator("#sessions article.session")
    expect(sessions).to_have_count(10)
    latest = maya.sessions.order_by("-performed_at").first()
    lines = session_exercises(latest.sets.select_related("exercise").order_by("position"))
    first = sessions.first
    # One line per exercise, its sets folded away until the coach opens them.
    expect(first.locator("details.exercise-sets")).to_have_count(len(lines))
    rdl = first.locator("details.exercise-sets").first
    expect(rdl.locator("summary")).to_contain_text(lines[0].exercise.name)
    expect(rdl.locator("summary")).to_contain_text(lines[0].summary)
    expect(rdl.locator("table")).to_be_hidden()
    rdl.locator("summary").click()
    expect(rdl.locator("table tbody tr")).to_have_count(len(lines[0].sets))
    expect(rdl.locator("table")).to_be_visible()
    shoot(page, "coach-client-page-set-open-desktop")


def test_client_page_marks_pain_and_faults_and_a_new_client_has_no_charts(
    page: Page, live_server: Any, shoot: Any, screenshot_dir: Path
) -> None:
    call_command("demo_data", "--quiet")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    jonas = Client.objects.get(name="Jonas Berg")  # pain 4/10 on a deadlift set last week
    page.goto(f"{live_server.url}/clients/{jonas.pk}/")
    pain = page.locator("#sessions details.exercise-sets > summary .badge.danger", has_text="Pain 4/10")
    expect(pain).to_have_count(1)
    expect(pain).to_be_visible()
    shoot(page, "coach-client-page-pain-desktop")
    aiko = Client.objects.get(name="Aiko Tanaka")  # a fault on kettlebell deadlifts in the last two weeks
    page.set_viewport_size(TABLET)
    page.goto(f"{live_server.url}/clients/{aiko.pk}/")
    expect(page.locator("#sessions summary .badge", has_text="Fault: Knees too bent").first).to_be_visible()
    shoot(page, "coach-client-page-faults-tablet")
    page.locator("#sessions").screenshot(path=str(screenshot_dir / "coach-client-sessions-faults-tablet.png"))

    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/clients/")
    page.get_by_role("link", name="Add a client").first.click()
    page.get_by_label("Client's name").fill("Newcomer")
    page.get_by_label("Client's email").fill("new@example.com")
    page.get_by_role("button", name="Add and create the invite").click()
    progress = page.locator("section[aria-labelledby='charts-h']")
    expect(progress).to_contain_text("No sessions yet")
    expect(progress.locator("svg")).to_have_count(0)
    shoot(page, "coach-client-page-new-client-desktop")


def test_the_demo_client_signs_in_on_a_phone_and_sees_today(page: Page, live_server: Any, shoot: Any) -> None:
    call_command("demo_data", "--quiet")
    maya = Client.objects.get(email=DEMO_CLIENT_EMAIL)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/today/")  # signed out: the login page, then back to Today
    page.get_by_label("Email").fill(DEMO_CLIENT_EMAIL)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/today/$"))
    # Maya runs a heavy and a light deadlift day: Today opens on the day due and says which it is.
    assignment = maya.assignments.get(is_active=True)
    names = {day.name: day.number for day in assignment.days.all()}
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile("^(" + "|".join(map(re.escape, names)) + ") · "))
    shown = names[heading.inner_text().split(" · ")[0]]
    version = assignment.versions.order_by("-effective_from").first()
    for line in version.lines.select_related("exercise").filter(day=shown):
        expect(page.get_by_role("heading", name=line.exercise.name, level=2).first).to_be_visible()
    shoot(page, "client-demo-today-phone")


# --- training days -------------------------------------------------------------------------------

VAR_SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _shot(page: Page, name: str) -> None:
    VAR_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(VAR_SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_two_day_pinned_week_shows_the_week_grid_the_calendar_and_the_review_by_day(
    page: Page, context: Any, live_server: Any, coach: Any
) -> None:
    import datetime as dt

    from django.utils import timezone

    from coaching.models import Assignment
    from coaching.weeks import monday_of
    from tests.browser.conftest import sign_in
    from tests.coaching.web.two_days import at, log_day, make_day_review, two_day_client

    this_monday = monday_of(timezone.localdate())
    last_monday = this_monday - dt.timedelta(weeks=1)
    client = two_day_client(coach, name="Noor Haddad")
    for week in range(1, 6):
        monday = this_monday - dt.timedelta(weeks=week)
        log_day(client, at(monday), 1)
        if week != 3:  # one week the light day is missed
            log_day(client, at(monday + dt.timedelta(days=3 if week % 2 else 4)), 2, load="70")
    heavy_last_week = client.sessions.get(performed_at=at(last_monday))
    review = make_day_review(Assignment.objects.get(client=client, is_active=True), last_monday)
    sign_in(context, live_server, coach.user)
    page.set_viewport_size(DESKTOP)

    page.goto(f"{live_server.url}/clients/{client.pk}/")
    grid = page.locator(".week-grid")
    expect(grid).to_be_visible()
    monday_col = grid.locator(".week-col").nth(0)
    expect(monday_col).to_contain_text("Heavy")
    expect(monday_col).to_contain_text("3 × 3–5 reps @ 100 kg")
    expect(grid.locator(".week-col").nth(3)).to_contain_text("Light")
    calendar = page.get_by_role("table", name="Planned and logged training days per week, with adherence")
    expect(calendar).to_be_visible()
    expect(calendar.locator("tbody tr")).to_have_count(12)
    last_row = calendar.locator("tbody tr").nth(10)
    expect(last_row).to_contain_text("✓ Heavy")
    expect(last_row.locator("td.heat")).to_have_attribute("title", re.compile(r"2 of 2 sessions, 100% \(good\)"))
    expect(calendar).to_contain_text("↔ Light moved to Fri")
    expect(calendar).to_contain_text("✗ Light missed")
    _shot(page, "client-calendar")
    page.locator("#calendar").screenshot(path=str(VAR_SCREENSHOTS / "client-calendar-card.png"))
    last_row.locator(".mark-done a").first.click()
    expect(page).to_have_url(re.compile(rf"#session-{heavy_last_week.pk}$"))
    expect(page.locator(f"#session-{heavy_last_week.pk}")).to_be_in_viewport()

    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    expect(page.get_by_role("heading", name="Heavy", level=3)).to_be_visible()
    expect(page.get_by_role("heading", name="Light", level=3)).to_be_visible()
    expect(page.get_by_role("heading", name="Deadlift", level=4)).to_have_count(2)
    _shot(page, "review-by-day")


def test_the_dashboard_lists_who_trains_today(page: Page, context: Any, live_server: Any, coach: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from coaching.services.prescriptions import assignment_create
    from programs.days import Day
    from tests import factories
    from tests.browser.conftest import sign_in
    from tests.coaching.web.two_days import log_day, two_day_lines

    weekday = timezone.localdate().weekday()
    for name in ("Ana Lopes", "Ben Ode"):
        client = factories.ClientFactory(coach=coach, name=name)
        assignment_create(
            client=client, start_date=timezone.localdate() - dt.timedelta(weeks=4), lines=two_day_lines(),
            days=[Day(1, "Heavy", (weekday,)), Day(2, "Light", ((weekday + 3) % 7,))], changed_by=coach.user,
        )  # fmt: skip
    midnight = dt.datetime.combine(timezone.localdate(), dt.time.min, tzinfo=dt.UTC)
    log_day(client, max(timezone.now() - dt.timedelta(minutes=5), midnight), 1)
    sign_in(context, live_server, coach.user)
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/dashboard/")
    today = page.locator("#training-today")
    expect(today.get_by_role("heading", name="Training today")).to_be_visible()
    expect(today.locator("li.row")).to_have_count(2)
    expect(today.locator("li.row", has_text="Ben Ode")).to_contain_text("Logged at")
    expect(today.locator("li.row", has_text="Ana Lopes")).to_contain_text("Not logged yet")
    _shot(page, "dashboard-training-today")
