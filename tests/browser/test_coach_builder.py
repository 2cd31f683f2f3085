"""The program builder and the assign form in a real Chromium (desktop, 1280x800): builder actions
under the strict CSP without a console error, htmx's busy indicator styled by our CSS, a removed
line's undo (with and without JavaScript), and the assign form's start date in the app's words."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import dateformat
from playwright.sync_api import Page, Route, expect

from coaching.weeks import local_today
from programs.lines import Line
from programs.models import ProgramTemplate
from programs.services import template_create
from tests.browser.conftest import DESKTOP
from tests.browser.test_coach_journey import settled, sign_in
from tests.factories import PASSWORD, ClientFactory, exercise

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _template(coach: Any) -> ProgramTemplate:
    return template_create(
        owner=coach.user,
        name="Hinge foundations",
        lines=[
            Line(exercise=exercise("deadlift"), sets=3, low=5, high=5, load=Decimal("100")),
            Line(exercise=exercise("hip-thrust"), sets=3, low=8, high=12, load=Decimal("80")),
        ],
    )


def _console(page: Page) -> list[str]:
    """Every console error or warning and uncaught page error, as text."""
    seen: list[str] = []
    page.on("console", lambda msg: seen.append(f"{msg.type}: {msg.text}") if msg.type in ("error", "warning") else None)
    page.on("pageerror", lambda exc: seen.append(f"pageerror: {exc}"))
    return seen


def _styled_like_autofill(page: Page) -> None:
    """Give the page's fields a style attribute, as autofill and password managers do."""
    page.evaluate("document.querySelectorAll('main input').forEach(i => i.style.backgroundColor = '#e8f0fe')")


def test_builder_actions_raise_no_console_error_and_use_our_busy_indicator(
    page: Page, live_server: Any, coach: Any, shoot: Any
) -> None:
    template = _template(coach)
    seen = _console(page)
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/programs/{template.pk}/")
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    busy = page.locator("#builder-busy")
    expect(busy).to_be_hidden()

    # While a builder request runs, our CSS shows the indicator; when it is done, it hides again.
    held: list[Route] = []
    page.route("**/move/", lambda route: held.append(route))
    _styled_like_autofill(page)
    page.get_by_role("button", name="Move Hip thrust up").click()
    expect(busy).to_be_visible()
    expect(busy).to_have_css("opacity", "1")
    shoot(page, "coach-builder-busy-desktop")
    held[0].continue_()
    page.unroute("**/move/")
    expect(page.locator("#line-1-0")).to_contain_text("Hip thrust")
    settled(page)
    expect(busy).to_be_hidden()

    _styled_like_autofill(page)
    page.get_by_role("link", name="Edit Deadlift").click()
    settled(page)
    page.locator("#line-1-1").get_by_label("Sets").fill("4")
    _styled_like_autofill(page)
    page.get_by_role("button", name="Save line").click()
    expect(page.locator("#line-1-1")).to_contain_text("4 × 5 reps")
    settled(page)
    _styled_like_autofill(page)
    page.get_by_role("link", name="Edit Deadlift").click()
    settled(page)
    _styled_like_autofill(page)
    page.get_by_role("link", name="Cancel").click()
    settled(page)
    _styled_like_autofill(page)
    page.get_by_label("Exercise", exact=True).select_option("rdl-isometric-hold")
    expect(page.locator("#add-line")).to_contain_text("Seconds from")
    settled(page)
    page.get_by_label("Seconds from").fill("30")
    page.get_by_label("Seconds to").fill("20")
    _styled_like_autofill(page)
    page.get_by_role("button", name="Add to the program").click()
    expect(page.locator("#add-line .field-error")).to_contain_text("The range starts above its end")
    settled(page)
    page.get_by_label("Seconds from").fill("20")
    _styled_like_autofill(page)
    page.get_by_role("button", name="Add to the program").click()
    expect(page.locator(".builder-line")).to_have_count(3)
    settled(page)
    _styled_like_autofill(page)
    page.get_by_role("button", name="Remove RDL isometric hold").click()
    expect(page.get_by_role("status")).to_contain_text("Removed RDL isometric hold")
    settled(page)
    _styled_like_autofill(page)
    page.get_by_role("button", name="Undo: put RDL isometric hold back").click()
    expect(page.locator(".builder-line")).to_have_count(3)
    settled(page)
    page.get_by_label("Program name").fill("Hinge basics")
    _styled_like_autofill(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_label("Program name")).to_have_value("Hinge basics")
    settled(page)

    assert page.evaluate("document.querySelectorAll('style').length") == 0
    assert seen == []


def test_a_removed_line_comes_back_with_undo(page: Page, live_server: Any, coach: Any, snap: Any) -> None:
    template = _template(coach)
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/programs/{template.pk}/")
    page.get_by_role("button", name="Remove Deadlift").click()
    notice = page.get_by_role("status")
    expect(notice).to_have_text(re.compile(r"Removed Deadlift\s*·\s*Undo"))
    expect(page.locator(".builder-line")).to_have_count(1)
    settled(page)
    undo = page.get_by_role("button", name="Undo: put Deadlift back")
    expect(undo).to_be_focused()
    snap(page, "30-builder-removed-undo")
    page.keyboard.press("Enter")
    expect(page.locator(".builder-line")).to_have_count(2)
    expect(page.locator("#line-1-0")).to_contain_text("Deadlift")
    expect(page.locator("#line-1-0")).to_contain_text("3 × 5 reps")
    expect(page.get_by_text("Removed Deadlift")).to_have_count(0)
    assert [line.exercise.slug for line in template.lines.order_by("position")] == ["deadlift", "hip-thrust"]


def test_undo_works_without_javascript(browser: Any, live_server: Any, coach: Any) -> None:
    template = _template(coach)
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(coach.user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/programs/{template.pk}/")
    page.get_by_role("button", name="Remove Hip thrust").click()
    expect(page.get_by_role("status")).to_contain_text("Removed Hip thrust")
    expect(page.locator(".builder-line")).to_have_count(1)
    page.get_by_role("button", name="Undo: put Hip thrust back").click()
    expect(page.locator(".builder-line")).to_have_count(2)
    expect(page.locator("#line-1-1")).to_contain_text("Hip thrust")
    context.close()


def test_assign_form_says_the_start_date_in_the_apps_words(page: Page, live_server: Any, coach: Any, snap: Any) -> None:
    template = _template(coach)
    client = ClientFactory(coach=coach, name="Maya Okafor")
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/clients/{client.pk}/assign/")
    today = local_today(coach)
    date = page.get_by_label("Start date")
    expect(date).to_have_value(today.isoformat())
    help_text = page.locator("#id_start_date_helptext")
    expect(help_text).to_contain_text(f"Starts on {dateformat.format(today, 'D j M Y')}.")
    expect(page.get_by_label("Client", exact=True)).to_have_count(0)
    expect(page.get_by_label("Program")).to_have_value(str(template.pk))
    date.fill("2026-12-07")
    date.dispatch_event("change")
    expect(help_text).to_contain_text("Starts on Mon 7 Dec 2026.")
    expect(date).to_have_attribute("aria-describedby", re.compile("id_start_date_helptext"))
    snap(page, "31-assign-from-client")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("heading", name="Maya Okafor")).to_be_visible()
    page.goto(f"{live_server.url}/programs/{template.pk}/assign/")
    expect(page.get_by_label("Client", exact=True)).to_be_visible()
    snap(page, "32-assign-from-program")


SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _day(page: Page, name: str) -> Any:
    """The builder's section of the day called ``name``."""
    return page.locator("section.builder-day").filter(has=page.get_by_role("heading", name=name, exact=True))


def test_a_coach_builds_a_three_day_week_and_assigns_it(page: Page, live_server: Any, coach: Any) -> None:
    template = template_create(
        owner=coach.user,
        name="Three-day hinge",
        lines=[Line(exercise=exercise("deadlift"), sets=3, low=5, high=5, load=Decimal("100"))],
    )
    ClientFactory(coach=coach, name="Maya Okafor")
    seen = _console(page)
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/programs/{template.pk}/")

    # Pin Day A to Monday.
    day_a = _day(page, "Day A")
    day_a.get_by_text("Rename or pin Day A").click()
    day_a.get_by_label("Mon").check()
    day_a.get_by_role("button", name="Save Day A").click()
    expect(_day(page, "Day A")).to_contain_text("pinned to Mon")
    settled(page)

    # Add a day: its first exercise, on "a new day".
    page.get_by_label("Exercise", exact=True).select_option("kettlebell-swing")
    settled(page)
    page.get_by_label("Day", exact=True).select_option("new")
    page.get_by_label("Reps from").fill("15")
    page.get_by_label("Reps to").fill("20")
    page.get_by_label("Load", exact=True).fill("24")
    page.get_by_role("button", name="Add to the program").click()
    expect(page.locator("section.builder-day")).to_have_count(2)
    expect(_day(page, "Day B")).to_contain_text("Kettlebell swing")
    settled(page)

    # Add a line to Day A, then move it to Day B and put it first there.
    page.get_by_label("Exercise", exact=True).select_option("hip-thrust")
    settled(page)
    page.get_by_label("Day", exact=True).select_option("1")
    page.get_by_label("Load", exact=True).fill("80")
    page.get_by_role("button", name="Add to the program").click()
    expect(_day(page, "Day A").locator(".builder-line")).to_have_count(2)
    settled(page)
    row = _day(page, "Day A").locator(".builder-line").filter(has_text="Hip thrust")
    row.get_by_label("Day to move Hip thrust to").select_option(label="Day B")
    row.get_by_role("button", name="Move Hip thrust from Day A to the chosen day").click()
    expect(_day(page, "Day B").locator(".builder-line")).to_have_count(2)
    settled(page)
    page.get_by_role("button", name="Move Hip thrust up on Day B").click()
    expect(page.locator("#line-2-0")).to_contain_text("Hip thrust")
    settled(page)

    # Rename Day B.
    day_b = _day(page, "Day B")
    day_b.get_by_text("Rename or pin Day B").click()
    day_b.get_by_label("Day name").fill("Swing day")
    day_b.get_by_role("button", name="Save Day B").click()
    expect(_day(page, "Swing day")).to_contain_text("in rotation")
    settled(page)

    # A weekday already pinned elsewhere is the form's error, naming that day.
    swing = _day(page, "Swing day")
    swing.get_by_text("Rename or pin Swing day").click()
    swing.get_by_label("Mon").check()
    swing.get_by_role("button", name="Save Swing day").click()
    expect(_day(page, "Swing day")).to_contain_text("Monday is already pinned to Day A: unpin it there first.")
    settled(page)
    page.reload()

    # Duplicate Day A (a third day), duplicate Swing day (a fourth), then delete the fourth.
    page.get_by_role("button", name="Duplicate Day A").click()
    expect(_day(page, "Day C")).to_contain_text("Deadlift")
    settled(page)
    page.get_by_role("button", name="Duplicate Swing day").click()
    expect(page.locator("section.builder-day")).to_have_count(4)
    settled(page)
    page.get_by_role("button", name="Delete Day D").click()
    expect(page.locator("section.builder-day")).to_have_count(3)
    settled(page)
    # Reorder: the copy came right after Day A; Swing day goes second.
    expect(page.locator("section.builder-day h3")).to_have_text(["Day A", "Day C", "Swing day"])
    page.get_by_role("button", name="Move Swing day up").click()
    expect(page.locator("section.builder-day h3")).to_have_text(["Day A", "Swing day", "Day C"])
    settled(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "builder-days.png"), full_page=True)

    # Assign it: the week shows Day A on Monday and the other days in turn.
    page.get_by_role("link", name="Assign to a client").click()
    page.get_by_label("Client", exact=True).select_option(label="Maya Okafor")
    week = page.locator("#week")
    expect(week.locator("li.pinned")).to_have_text([re.compile(r"Mon\s+Day A")])
    expect(week).to_contain_text("On the other days, in turn: Swing day → Day C, then again from Swing day.")
    expect(page.get_by_label("Sessions per week")).to_have_value("3")
    page.screenshot(path=str(SCREENSHOTS / "assign-week.png"), full_page=True)
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("heading", name="Maya Okafor")).to_be_visible()
    assert seen == []
