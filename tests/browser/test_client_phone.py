"""The client's phone in a gym: Playwright on Debian's Chromium, 390×844 with touch.

Logging goes through the real REST endpoints (PUT /api/v1/sessions/{uuid}/ and POST
/api/v1/sessions/sync/) with the page's IndexedDB outbox, the one retry queue.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import uuid
import zoneinfo
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone
from playwright.sync_api import Page, expect

from coaching.clients.services import client_create
from coaching.models import LoggedSession, LoggedSet
from coaching.services.prescriptions import assignment_create
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from programs.days import Day
from programs.lines import Line
from tests import factories
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.services]

PHONE = {"width": 390, "height": 844}
SYNCED = "All sets synced"
WAIT_MS = 15_000


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_context_args,
        "viewport": PHONE,
        "has_touch": True,
        "is_mobile": True,
        "device_scale_factor": 1,
        "service_workers": "allow",
    }


@pytest.fixture
def person(transactional_db: Any) -> Any:
    coach = factories.CoachFactory(user__email="coach.phone@example.com", user__name="Coach P")
    return factories.ClientFactory(coach=coach, name="Maya Okafor", with_login=True, with_assignment=True)


def wait_for_worker(page: Page) -> None:
    """The service worker is installed (shell and pages cached) and controls the page.

    Waiting also keeps its install-time fetches from reaching the live server after the test.
    """
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", timeout=WAIT_MS
    )


def open_today(page: Page, live_server: Any) -> None:
    page.goto(f"{live_server.url}/today/")
    expect(page.locator("#sync-status")).to_be_visible()
    wait_for_worker(page)


def wait_until(page: Page, check: Any, what: str) -> None:
    """Poll the database while the page keeps running (the server writes in its own thread)."""
    for _ in range(WAIT_MS // 100):
        if read_db(check):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"timed out waiting for {what}")


def log(page: Page, key: int) -> None:
    page.locator(f"#form-{key} button.log").tap()
    skip = page.locator("#rest-skip")
    if skip.is_visible():
        skip.tap()


def read_db(query: Any) -> Any:
    """Run a read, retrying while the live server's thread holds SQLite's in-memory table lock."""
    for attempt in range(50):
        try:
            return query()
        except OperationalError:
            if attempt == 49:
                raise
            time.sleep(0.1)
    return None


API_ROUTES = "**/api/**"


def abort_offline(route: Any) -> None:
    route.abort("internetdisconnected")


def offline(context: Any) -> None:
    """No signal: Chromium's offline emulation, and no API request reaches the live server.

    The emulation alone lets a write race through now and then (the browser reports
    ERR_INTERNET_DISCONNECTED, yet the server got the body), so API requests are also aborted.
    """
    context.set_offline(True)
    context.route(API_ROUTES, abort_offline)


def online(context: Any) -> None:
    context.unroute(API_ROUTES, abort_offline)
    context.set_offline(False)


# The databases of this origin: the page's outbox is the only queue of sessions (no Workbox
# queue). Form videos waiting to upload have their own database (static/client/videos.js).
DATABASES = (
    "() => indexedDB.databases().then((all) => all.map((d) => d.name)"
    ".filter((n) => !n.startsWith('hinge-videos-')).sort())"
)
# The outbox asked the worker for Background Sync (the tag is there until a sync succeeds).
SYNC_TAGS = "() => navigator.serviceWorker.ready.then((r) => r.sync.getTags())"


def sets_on_server(person: Any) -> list[LoggedSet]:
    return read_db(
        lambda: list(
            LoggedSet.objects.filter(session__client=person, session__deleted_at__isnull=True)
            .select_related("exercise")
            .order_by("session__performed_at", "position")
        )
    )


def session_count(person: Any) -> int:
    return read_db(lambda: LoggedSession.objects.filter(client=person).count())


def test_client_logs_a_full_session_with_a_per_side_exercise_and_a_hold(
    page: Page, live_server: Any, person: Any, shoot: Any
) -> None:
    sign_in(page.context, live_server, person.user)
    open_today(page, live_server)
    shoot(page, "client-today-empty")

    # Romanian deadlift, 3 × 8–10 at 60 kg: one tap per set; the second with RPE, a fault and pain.
    log(page, 0)
    page.locator("#form-0 details.more summary").tap()
    page.locator("#rpe-0").select_option("8")
    page.get_by_label("Knees too bent (squatting the hinge)").first.check()
    page.locator("#pain-0").select_option("2")
    expect(page.locator("#form-0 .pain-note")).to_be_visible()
    log(page, 0)
    page.locator("#form-0 button.step[data-delta='-1']").first.tap()  # 9 reps
    log(page, 0)
    expect(page.locator("#ex-0 .done-mark")).to_be_visible()

    # Single-leg RDL, per side: left, right, left, right... the side switches by itself.
    expect(page.locator("#form-1 button.log")).to_have_text("Log left set 1 of 3")
    for _ in range(3):
        log(page, 1)
        expect(page.locator("#form-1 button.log")).to_contain_text("right set")
        log(page, 1)
    expect(page.locator("#ex-1 .done-mark")).to_be_visible()

    # RDL isometric hold: a short countdown fills the seconds held, then log.
    page.locator("#amount-2").fill("2")
    page.locator("#form-2 button.timer").tap()
    expect(page.locator("#form-2 .countdown")).to_contain_text("Held 2 s", timeout=WAIT_MS)
    log(page, 2)
    page.locator("#amount-2").fill("20")
    log(page, 2)
    expect(page.locator("#ex-2 .done-mark")).to_be_visible()
    # A rest timer runs after a set.
    page.locator("#form-0 button.log").tap()
    expect(page.locator("#rest")).to_be_visible()
    expect(page.locator("#rest-time")).to_have_text(re.compile(r"^1:\d\d$"))
    page.locator("#rest-skip").tap()
    page.locator("#logged-0 button[data-remove]").last.tap()
    page.locator("#logged-0 button[data-remove]").last.tap()

    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    # "Synced" can still show the write before the removal while that one is on its way: wait for
    # the server to hold exactly what the phone shows (3 + 6 + 2 sets).
    wait_until(page, lambda: len(sets_on_server(person)) == 11, "the removal to reach the server")
    shoot(page, "client-today-logged")

    assert session_count(person) == 1
    sets = sets_on_server(person)
    summary = [(s.exercise.slug, s.side, s.reps, s.seconds) for s in sets]
    assert summary == [
        ("romanian-deadlift", "both", 10, None),
        ("romanian-deadlift", "both", 10, None),
        ("romanian-deadlift", "both", 9, None),
        *[("single-leg-rdl", side, 12, None) for _ in range(3) for side in ("left", "right")],
        ("rdl-isometric-hold", "both", None, 2),
        ("rdl-isometric-hold", "both", None, 20),
    ]
    second = sets[1]
    assert (second.rpe, second.faults, second.pain) == (8, ["knees_too_bent"], 2)
    assert all(s.unit == "kg" for s in sets)
    assert sets[0].load_display == 60

    page.locator("#notes").fill("Hamstrings felt it, back fine.")
    page.locator("#finish").tap()
    expect(page.locator("#session-state")).to_contain_text("Session finished")
    wait_until(
        page,
        lambda: LoggedSession.objects.get(client=person).notes == "Hamstrings felt it, back fine.",
        "the notes to reach the server",
    )
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    expect(page.locator("#notes")).to_have_value("")

    page.get_by_role("link", name="History").tap()
    expect(page.get_by_role("heading", name="Past sessions")).to_be_visible()
    expect(page.get_by_text("2 × 10 reps at 60 kg, 9 reps at 60 kg")).to_be_visible()
    shoot(page, "client-history")


def test_sets_logged_offline_survive_a_reload_and_arrive_exactly_once(
    page: Page, live_server: Any, person: Any, shoot: Any
) -> None:
    context = page.context
    sign_in(context, live_server, person.user)
    sent: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda r: (
            sent.append({"method": r.method, "url": r.url, "body": r.post_data})
            if "/api/v1/sessions/" in r.url and r.method in {"PUT", "POST"}
            else None
        ),
    )
    open_today(page, live_server)
    page.reload()  # the worker has cached Today by now
    wait_for_worker(page)
    log(page, 0)
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)

    offline(context)
    # The emulated network goes down asynchronously: log only once the page itself is offline,
    # or a flush already under way can still reach the server.
    page.wait_for_function("() => !navigator.onLine")
    log(page, 0)
    log(page, 1)
    expect(page.locator("#sync-status")).to_contain_text("2 sets waiting to sync")
    expect(page.locator("#sync-status")).to_contain_text("Offline")
    page.locator("#amount-0").fill("7")  # typed, not yet logged: kept as a draft
    page.reload()  # offline: the service worker answers with the cached page
    expect(page.locator("#amount-0")).to_have_value("7")
    expect(page.locator("#logged-0 li")).to_have_count(2)
    expect(page.locator("#logged-1 li")).to_have_count(1)
    log(page, 1)
    expect(page.locator("#sync-status")).to_contain_text("3 sets waiting to sync")
    expect(page.locator("#form-1 button.log")).to_have_text("Log left set 2 of 3")
    shoot(page, "client-today-offline")
    assert len(sets_on_server(person)) == 1
    status = page.evaluate("() => window.HingeOutbox.status()")
    assert (status["sessions"], status["sets"]) == (1, 3), "the page's IndexedDB outbox holds the session"
    # One retry queue: the page's outbox, which asked the worker for Background Sync; the
    # worker queues no copy of its own.
    assert page.evaluate(DATABASES) == [f"hinge-outbox-u{person.user.pk}"]
    assert "hinge-outbox" in page.evaluate(SYNC_TAGS)

    online(context)
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    assert page.evaluate(DATABASES) == [f"hinge-outbox-u{person.user.pk}"]
    expected = [
        ("romanian-deadlift", "both"),
        ("romanian-deadlift", "both"),
        ("single-leg-rdl", "left"),
        ("single-leg-rdl", "right"),
    ]
    assert [(s.exercise.slug, s.side) for s in sets_on_server(person)] == expected
    assert session_count(person) == 1

    # Replay the outbox twice: the "Sync now" path, and every request the
    # page ever sent, again and again. Still one session with each set once.
    for _ in range(2):
        page.evaluate("() => window.HingeOutbox.syncNow()")
        statuses = page.evaluate(
            """async (sent) => {
                const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
                const out = [];
                for (const r of sent) {
                  const res = await fetch(r.url, {method: r.method, body: r.body, credentials: "same-origin",
                    headers: {"Content-Type": "application/json", "X-CSRFToken": token}});
                  out.push(res.status);
                }
                return out;
            }""",
            sent,
        )
        assert set(statuses) <= {200, 409}, statuses
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    assert [(s.exercise.slug, s.side) for s in sets_on_server(person)] == expected
    assert session_count(person) == 1


def test_two_phones_editing_one_session_never_drop_a_set(
    browser: Any, browser_context_args: dict[str, Any], live_server: Any, person: Any
) -> None:
    phone_a = browser.new_context(**browser_context_args)
    phone_b = browser.new_context(**browser_context_args)
    try:
        for ctx in (phone_a, phone_b):
            sign_in(ctx, live_server, person.user)
        a, b = phone_a.new_page(), phone_b.new_page()
        open_today(a, live_server)
        log(a, 0)
        expect(a.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
        offline(phone_a)
        log(a, 0)  # made on phone A first, while it has no signal

        open_today(b, live_server)  # phone B carries on with today's session from the server
        expect(b.locator("#logged-0 li")).to_have_count(1)
        log(b, 1)  # a later change: the server now holds B's version
        expect(b.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)

        online(phone_a)  # A's write is older: 409, merged, sent again
        expect(a.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
        expect(a.locator("#logged-1 li")).to_have_count(1)
        expect(a.locator("#session-state")).to_contain_text("Merged")
        assert [(s.exercise.slug, s.side) for s in sets_on_server(person)] == [
            ("romanian-deadlift", "both"),
            ("single-leg-rdl", "left"),
            ("romanian-deadlift", "both"),
        ]
        assert session_count(person) == 1
    finally:
        phone_a.close()
        phone_b.close()


def test_invite_page_on_a_phone_sets_a_password_and_opens_today(
    page: Page, live_server: Any, transactional_db: Any, shoot: Any
) -> None:
    coach = factories.CoachFactory(user__email="coach.invite@example.com", user__name="Coach I")
    invited = client_create(coach=coach, name="Sam Reyes", email="sam@example.com")
    page.goto(f"{live_server.url}/invite/{invited.invite_token}/")
    shoot(page, "client-invite")
    page.get_by_label("Choose a password").fill("gym-bag-kettlebell-42")
    page.get_by_label("Type it again").fill("gym-bag-kettlebell-42")
    page.get_by_role("button", name="Set password and start").tap()
    expect(page.get_by_role("heading", name="No program yet")).to_be_visible()
    wait_for_worker(page)
    shoot(page, "client-today-no-program")


def test_phone_pages_have_big_tap_targets_and_nothing_wider_than_the_screen(
    page: Page, live_server: Any, person: Any
) -> None:
    sign_in(page.context, live_server, person.user)
    open_today(page, live_server)
    for path in ("/today/", "/history/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        small = page.evaluate(
            """() => [...document.querySelectorAll(
                    'button, a, summary, select, input:not([type=radio]):not([type=checkbox]), label.check, label.seg')]
                .filter(el => el.offsetParent !== null)
                .map(el => [el.outerHTML.slice(0, 80), el.getBoundingClientRect().height])
                .filter(([, h]) => h < 44)"""
        )
        assert small == [], json.dumps(small)


def logged_count(page: Page, key: int) -> int:
    return page.locator(f"#logged-{key} li").count()


def outbox_sets(page: Page) -> int:
    # The sets of the session in the phone's one store (the outbox's IndexedDB).
    return page.evaluate(
        "() => window.HingeOutbox.sessions().then((all) => all.reduce((n, s) => n + s.sets.length, 0))"
    )


def test_a_double_tap_on_log_set_logs_one_set(page: Page, live_server: Any, person: Any, shoot: Any) -> None:
    sign_in(page.context, live_server, person.user)
    open_today(page, live_server)
    button = page.locator("#form-0 button.log")
    button.evaluate("b => b.scrollIntoView({block: 'center'})")

    # A fast double tap reaches the page as two clicks in a row: the first disables the button.
    disabled_between = button.evaluate("b => { b.click(); const d = b.disabled; b.click(); return d; }")
    page.wait_for_timeout(100)
    assert logged_count(page, 0) == 1
    assert disabled_between is True
    # A second submit of the same form shortly after (a bounce, Enter after the tap): same tap.
    page.wait_for_timeout(150)
    page.evaluate("() => document.getElementById('form-0').requestSubmit()")
    page.wait_for_timeout(300)
    assert logged_count(page, 0) == 1
    assert outbox_sets(page) == 1
    shoot(page, "client-today-double-tap")
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    assert len(sets_on_server(person)) == 1

    # Once the button is back, the next tap logs the next set as usual.
    page.locator("#rest-skip").tap()
    expect(button).to_be_enabled()
    expect(button).to_have_text("Log set 2 of 3")
    log(page, 0)
    expect(page.locator("#logged-0 li")).to_have_count(2)
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    assert len(sets_on_server(person)) == 2


def test_kettlebell_stepper_in_lb_walks_the_real_bells_and_logs_the_exact_weight(
    page: Page, live_server: Any, transactional_db: Any, shoot: Any
) -> None:
    coach = factories.CoachFactory(user__email="coach.bells@example.com", user__name="Coach B")
    person = factories.ClientFactory(coach=coach, name="Lee Park", with_login=True)
    assignment_create(
        client=person,
        start_date=dt.date(2026, 1, 5),
        unit="lb",
        changed_by=coach.user,
        lines=[
            Line(
                exercise=factories.exercise("kettlebell-swing"),
                sets=3,
                low=15,
                high=20,
                load=Decimal("52.91"),
                unit="lb",
            )
        ],
    )
    sign_in(page.context, live_server, person.user)
    open_today(page, live_server)
    load = page.locator("#load-0")
    heavier = page.get_by_role("button", name="Heavier")
    lighter = page.get_by_role("button", name="Lighter")
    expect(load).to_have_value("53")
    seen = []
    for _ in range(7):
        heavier.tap()
        seen.append(load.input_value())
    assert seen == ["62", "71", "79", "88", "97", "106", "106"], "the 48 kg bell is the heaviest"
    for _ in range(11):
        lighter.tap()
    expect(load).to_have_value("18")
    for _ in range(4):
        heavier.tap()
    expect(load).to_have_value("53")
    log(page, 0)
    expect(page.locator("#logged-0 li").first).to_contain_text("20 reps · 53 lb")
    shoot(page, "client-today-kettlebell-lb")
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    [logged] = sets_on_server(person)
    assert (logged.unit, logged.load_display) == ("lb", Decimal("52.91"))
    assert abs(logged.load_kg - Decimal(24)) < Decimal("0.005")


def test_hold_timer_counts_in_3_2_1_and_seconds_held_starts_empty(
    page: Page, live_server: Any, person: Any, shoot: Any
) -> None:
    sign_in(page.context, live_server, person.user)
    open_today(page, live_server)
    seconds = page.locator("#amount-2")
    expect(seconds).to_have_value("")
    expect(seconds).to_have_attribute("placeholder", "20")
    # Nothing held, nothing typed: "Log set" asks for the hold instead of logging the target.
    page.locator("#form-2 button.log").tap()
    expect(page.locator("#form-2 .error")).to_contain_text("Time the hold")
    expect(page.locator("#logged-2 li")).to_have_count(0)

    countdown = page.locator("#form-2 .countdown")
    expect(countdown).to_have_attribute("aria-live", "polite")
    page.evaluate(
        """() => {
            window.__holdTexts = [];
            const out = document.querySelector('#form-2 .countdown');
            new MutationObserver(() => window.__holdTexts.push(out.textContent))
                .observe(out, {childList: true, characterData: true, subtree: true});
        }"""
    )
    timer = page.locator("#form-2 button.timer")
    timer.tap()
    started = time.monotonic()
    expect(countdown).to_have_text("Get ready: 3")
    expect(timer).to_have_text("Cancel")
    expect(page.locator("#form-2 .error")).to_have_count(0)
    shoot(page, "client-today-hold-lead-in")
    expect(countdown).to_have_text("Hold: 20 s", timeout=WAIT_MS)
    assert time.monotonic() - started >= 2.5, "the hold counts only after the lead-in"
    expect(seconds).to_have_value("")
    expect(countdown).to_have_text("Hold: 19 s", timeout=WAIT_MS)
    timer.tap()  # Stop after about a second of holding: the lead-in is not counted as held
    expect(countdown).to_have_text(re.compile(r"^Stopped at [12] s$"))
    texts = page.evaluate("() => window.__holdTexts")
    assert [t for t in texts if t.startswith("Get ready")] == ["Get ready: 3", "Get ready: 2", "Get ready: 1"]
    held = int(seconds.input_value())
    assert held in (1, 2)
    log(page, 2)
    expect(page.locator("#logged-2 li")).to_have_count(1)
    expect(seconds).to_have_value("")  # the next hold is timed again

    # Cancelling during the lead-in holds nothing.
    timer.tap()
    expect(countdown).to_have_text("Get ready: 3")
    timer.tap()
    expect(countdown).to_have_text("Hold cancelled")
    expect(seconds).to_have_value("")
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    assert [s.seconds for s in sets_on_server(person)] == [held]


def test_phone_header_stays_compact_offline_with_a_rest_timer_running(
    page: Page, live_server: Any, person: Any, screenshot_dir: Any
) -> None:
    sign_in(page.context, live_server, person.user)
    open_today(page, live_server)
    log(page, 0)
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    offline(page.context)
    page.locator("#form-0 button.log").tap()  # a set waiting to sync, and the rest timer runs
    expect(page.locator("#sync-status")).to_contain_text("1 set waiting to sync")
    expect(page.locator("#sync-status")).to_contain_text("Offline")
    expect(page.locator("#rest")).to_be_visible()
    page.mouse.wheel(0, 600)
    page.wait_for_timeout(200)
    page.screenshot(path=str(screenshot_dir / "client-today-offline-resting.png"))
    sizes = page.evaluate(
        """() => {
            const h = (sel) => document.querySelector(sel).getBoundingClientRect().height;
            const status = document.getElementById('sync-status');
            const line = parseFloat(getComputedStyle(status).lineHeight);
            return {header: h('header.bar'), rest: h('#rest'), status: h('#sync-status'), line: line,
                    top: document.querySelector('header.bar').getBoundingClientRect().top};
        }"""
    )
    assert sizes["top"] == 0, "the header stays on screen while scrolling"
    assert sizes["header"] <= 0.15 * PHONE["height"], sizes
    assert sizes["status"] <= sizes["line"] * 1.5, "the sync state is one line"
    assert sizes["rest"] <= 0.07 * PHONE["height"], sizes
    # Compact, not hidden: the whole sync state is still there for screen readers and a tap.
    expect(page.locator("#sync-now")).to_be_visible()
    expect(page.locator("#rest-time")).to_be_visible()
    expect(page.locator("#rest-skip")).to_be_visible()


def test_history_offline_shows_the_sets_waiting_on_this_phone(
    page: Page, live_server: Any, person: Any, shoot: Any
) -> None:
    context = page.context
    sign_in(context, live_server, person.user)
    open_today(page, live_server)  # the worker keeps History as it was: no sessions yet
    offline(context)
    log(page, 0)
    log(page, 0)
    log(page, 1)
    expect(page.locator("#sync-status")).to_contain_text("3 sets waiting to sync")

    page.get_by_role("link", name="History").tap()
    expect(page.get_by_role("heading", name="Past sessions")).to_be_visible()
    cards = page.locator("article.past-session")
    expect(cards).to_have_count(1)
    waiting = cards.first
    expect(waiting).to_contain_text("Waiting to sync")
    expect(waiting).to_contain_text("Romanian deadlift")
    expect(waiting).to_contain_text("2 × 10 reps at 60 kg")
    expect(waiting).to_contain_text("left 12 reps at 12 kg")
    expect(page.get_by_text("No sessions yet.")).to_be_hidden()
    expect(page.locator("#sync-status")).to_contain_text("3 sets waiting to sync")
    shoot(page, "client-history-offline-waiting")
    assert sets_on_server(person) == []

    # Back online: the outbox sends the session, and History shows the server's copy once.
    online(context)
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    expect(waiting).not_to_contain_text("Waiting to sync")
    page.reload()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("2 × 10 reps at 60 kg")
    expect(cards.first).not_to_contain_text("Waiting to sync")
    assert len(sets_on_server(person)) == 3

    # Offline again, one more set on Today: History merges it into the server's copy it kept.
    page.get_by_role("link", name="Today").tap()
    expect(page.locator("#logged-0 li")).to_have_count(2)
    offline(context)
    log(page, 0)
    expect(page.locator("#sync-status")).to_contain_text("1 set waiting to sync")
    page.get_by_role("link", name="History").tap()
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("3 × 10 reps at 60 kg")
    expect(cards.first).to_contain_text("Waiting to sync")
    shoot(page, "client-history-offline-merged")
    online(context)
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    assert len(sets_on_server(person)) == 4


def test_today_before_the_start_says_when_the_program_starts(
    page: Page, live_server: Any, transactional_db: Any, screenshot_dir: Any
) -> None:
    coach = factories.CoachFactory(user__email="coach.start@example.com", user__name="Coach S")
    person = factories.ClientFactory(coach=coach, name="Ana Lima", with_login=True)
    start = timezone.localdate() + dt.timedelta(days=6)
    assignment_create(client=person, start_date=start, changed_by=coach.user, lines=factories.default_lines())
    sign_in(page.context, live_server, person.user)
    open_today(page, live_server)
    notice = page.get_by_role("heading", name=re.compile(r"^Your program starts on "))
    expect(notice).to_have_text(f"Your program starts on {start:%a} {start.day} {start:%b %Y}")
    page.screenshot(path=str(screenshot_dir / "client-today-before-start.png"))
    expect(page.locator("#form-0 button.log")).to_be_visible()


# Make the session waiting in the phone's outbox one the server refuses (an exercise it does
# not know), as a phone with an out-of-date page might send.
# A newer change, as the page saves it, so no retry in flight can put the older body back.
SPOIL_PENDING = """async () => {
    const [item] = await window.HingeOutbox.pending();
    const body = item.body;
    body.sets[0].exercise = "no-such-exercise";
    body.client_modified_at = window.HingeOutbox.stamp(body.client_modified_at);
    await window.HingeOutbox.save(body);
}"""


def test_a_refused_session_is_shown_with_discard_or_send_as_a_note(
    page: Page, live_server: Any, person: Any, shoot: Any
) -> None:
    context = page.context
    sign_in(context, live_server, person.user)
    open_today(page, live_server)
    refused = page.locator("#outbox-refused")
    expect(refused).to_be_hidden()

    offline(context)
    log(page, 0)
    log(page, 0)
    expect(page.locator("#sync-status")).to_contain_text("2 sets waiting to sync")
    page.evaluate(SPOIL_PENDING)
    online(context)
    page.evaluate("() => window.HingeOutbox.syncNow()")

    # Refused: it stops waiting and says so, with the server's reason and the two choices.
    expect(refused).to_be_visible(timeout=WAIT_MS)
    expect(refused).to_contain_text("did not accept the session of")
    expect(refused).to_contain_text("(2 sets)")
    expect(refused).to_contain_text("exercise")
    expect(page.locator("#sync-status")).to_contain_text("not accepted")
    status = page.evaluate("() => window.HingeOutbox.status()")
    assert [r["status"] for r in status["refused"]] == [400]
    shoot(page, "client-today-refused")
    assert session_count(person) == 0

    # "Send to my coach as a note": a new session with notes and no sets reaches the coach.
    refused.get_by_role("button", name="Send to my coach as a note").tap()
    expect(refused).to_be_hidden(timeout=WAIT_MS)
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    wait_until(page, lambda: session_count(person) == 1, "the note to reach the server")
    note = read_db(lambda: LoggedSession.objects.get(client=person))
    assert "could not be saved" in note.notes
    assert "romanian-deadlift: 10 reps at 60 kg" in note.notes
    assert sets_on_server(person) == []

    # "Discard": the next refused session is dropped from the phone and nothing is sent.
    expect(page.locator("#logged-0 li")).to_have_count(0)
    offline(context)
    log(page, 0)
    page.evaluate(SPOIL_PENDING)
    online(context)
    page.evaluate("() => window.HingeOutbox.syncNow()")
    expect(refused).to_be_visible(timeout=WAIT_MS)
    refused.get_by_role("button", name="Discard").tap()
    expect(refused).to_be_hidden(timeout=WAIT_MS)
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    status = page.evaluate("() => window.HingeOutbox.status()")
    assert (status["sessions"], status["refused"]) == (0, [])
    assert session_count(person) == 1
    assert sets_on_server(person) == []


def test_background_sync_asks_the_page_to_flush_its_outbox(page: Page, live_server: Any, person: Any) -> None:
    context = page.context
    sign_in(context, live_server, person.user)
    cdp = context.new_cdp_session(page)
    registrations: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(r["registrationId"] for r in e["registrations"] if not r["isDeleted"]),
    )
    cdp.send("ServiceWorker.enable")
    open_today(page, live_server)

    # The API is unreachable (no `online` event follows): the write waits in the outbox, its
    # next try an hour away.
    page.route("**/api/v1/sessions/**", lambda route: route.abort())
    log(page, 0)
    expect(page.locator("#sync-status")).to_contain_text("1 set waiting to sync")
    # Once the failed try is recorded (so no later backoff overwrites it).
    page.wait_for_function(
        """async () => {
            const db = await window.idb.openDB("hinge-outbox-u" + document.body.dataset.user);
            const [entry] = await db.getAll("pending");
            if (!entry || entry.tries < 1) { db.close(); return false; }
            entry.next_at = Date.now() + 3600 * 1000;
            await db.put("pending", entry);
            db.close();
            return true;
        }""",
        timeout=WAIT_MS,
    )
    page.unroute("**/api/v1/sessions/**")
    page.wait_for_timeout(1500)
    assert sets_on_server(person) == [], "nothing is sent before its time"

    # The browser's Background Sync fires: the worker asks the page, which flushes now.
    assert registrations
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {"origin": live_server.url, "registrationId": registrations[-1], "tag": "hinge-outbox", "lastChance": False},
    )
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    wait_until(page, lambda: len(sets_on_server(person)) == 1, "the set to reach the server")


def test_a_session_kept_by_the_earlier_page_moves_to_the_outbox_and_syncs(
    page: Page, live_server: Any, person: Any
) -> None:
    # Earlier versions of Today kept the session itself in localStorage: it is not lost.
    sign_in(page.context, live_server, person.user)
    open_today(page, live_server)
    page.evaluate(
        """() => {
            const D = JSON.parse(document.getElementById("today-data").textContent);
            const now = window.HingeOutbox.isoLocal(Date.now());
            const set = {exercise: "romanian-deadlift", side: "both", reps: 9, load: 60, unit: "kg", faults: [],
              k: "old-1", line: 0};
            localStorage.setItem("hinge:u" + D.user + ":today", JSON.stringify({drafts: {}, finished: [],
              session: {id: crypto.randomUUID(), assignment: D.assignment, performed_at: now,
                client_modified_at: now, notes: "from the old page", sets: [set]}}));
        }"""
    )
    page.reload()
    expect(page.locator("#logged-0 li")).to_have_count(1)
    expect(page.locator("#logged-0 li").first).to_contain_text("9 reps")
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    wait_until(page, lambda: len(sets_on_server(person)) == 1, "the old session to reach the server")
    assert read_db(lambda: LoggedSession.objects.get(client=person).notes) == "from the old page"
    stored = page.evaluate("() => JSON.parse(localStorage.getItem('hinge:u' + document.body.dataset.user + ':today'))")
    assert "session" not in stored, "localStorage keeps UI drafts only"


def test_a_session_stale_again_and_again_stops_retrying_and_is_shown(page: Page, live_server: Any, person: Any) -> None:
    # Each write is merged with the server's copy and sent again; a server that keeps answering
    # "stale" (409) gets no endless loop: after a few merges the phone shows it as refused.
    sign_in(page.context, live_server, person.user)
    open_today(page, live_server)
    answers: list[str] = []

    def always_stale(route: Any) -> None:
        sent = json.loads(route.request.post_data)
        answers.append(sent["client_modified_at"])
        stored = {**sent, "client_modified_at": "2999-01-01T00:00:00+00:00"}
        route.fulfill(status=409, content_type="application/json", body=json.dumps(stored))

    page.route(
        "**/api/v1/sessions/*/",
        lambda route: always_stale(route) if route.request.method == "PUT" else route.continue_(),
    )
    log(page, 0)
    refused = page.locator("#outbox-refused")
    expect(refused).to_be_visible(timeout=WAIT_MS)
    expect(refused).to_contain_text("keeps changing on another device")
    assert len(answers) == 4, answers  # the first write and three merges
    page.wait_for_timeout(1500)
    assert len(answers) == 4, "no retry after it is shown"
    assert len(set(answers)) == 4, "each merge is a newer write"


def test_today_carries_on_a_session_of_today_from_the_server_with_every_value_kept(
    page: Page, live_server: Any, person: Any, shoot: Any
) -> None:
    """Today embeds the API's own session bodies (nulls and all): the phone adopts one, shows its
    RPE, fault and pain, and a set logged after it leaves the earlier set's values as they were."""
    now = timezone.now()
    # Five minutes ago, but never yesterday (the phone's date is UTC here): no flake after midnight.
    when = max(now - dt.timedelta(minutes=5), now.replace(hour=0, minute=0, second=0, microsecond=0))
    session_id = uuid.uuid4()
    first = SetInput(
        exercise="romanian-deadlift",
        reps=10,
        load=Decimal(60),
        rpe=Decimal("8.5"),
        tempo_kept=False,
        faults=("knees_too_bent",),
        pain=2,
    )
    item = SessionInput(
        id=session_id,
        assignment_id=person.assignments.get().pk,
        performed_at=when,
        client_modified_at=when,
        sets=(first,),
    )
    [result] = sessions_apply(user=person.user, items=[item])
    assert result.status == "created", result.errors

    sign_in(page.context, live_server, person.user)
    open_today(page, live_server)
    logged = page.locator("#logged-0 li")
    expect(logged).to_have_count(1)
    expect(logged.first).to_contain_text("RPE 8.5")
    expect(logged.first).to_contain_text("pain 2/10")
    log(page, 0)
    expect(page.locator("#logged-0 li")).to_have_count(2)
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    shoot(page, "client-today-carried-on")

    assert session_count(person) == 1
    kept, added = sets_on_server(person)
    assert str(kept.session_id) == str(session_id)
    assert (kept.reps, kept.load_display, kept.rpe, kept.tempo_kept, kept.faults, kept.pain) == (
        10,
        60,
        Decimal("8.5"),
        False,
        ["knees_too_bent"],
        2,
    )
    assert (added.reps, added.rpe, added.pain, added.faults) == (10, None, None, [])


# --- training days -------------------------------------------------------------------------

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# A phone a day or two ahead of its coach: Kiribati is UTC+14, the coach's zone UTC-12, so the
# phone's date is never the coach's.
PHONE_ZONE = "Pacific/Kiritimati"
COACH_ZONE = "Etc/GMT+12"


def phone_shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def zone_today(name: str) -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(name)).date()


def two_day_person(email: str, pins: tuple[tuple[int, ...], tuple[int, ...]] = ((), ())) -> Any:
    """Day A: a heavy Romanian deadlift and the hip thrust; Day B: swings and a light Romanian
    deadlift. The coach's zone is UTC-12."""
    coach = factories.CoachFactory(user__email=email, user__name="Coach D", time_zone=COACH_ZONE)
    person = factories.ClientFactory(coach=coach, name="Sam Reyes", with_login=True)
    ex = factories.exercise
    lines = [
        Line(exercise=ex("romanian-deadlift"), sets=3, low=5, high=6, load=Decimal("100"), day=1),
        Line(exercise=ex("hip-thrust"), sets=3, low=8, high=10, load=Decimal("80"), day=1),
        Line(exercise=ex("kettlebell-swing"), sets=3, low=15, high=20, load=Decimal("24"), day=2),
        Line(exercise=ex("romanian-deadlift"), sets=3, low=10, high=12, load=Decimal("60"), day=2),
    ]
    days = [Day(1, "Day A", pins[0]), Day(2, "Day B", pins[1])]
    assignment_create(client=person, start_date=dt.date(2026, 1, 5), changed_by=coach.user, lines=lines, days=days)
    return person


def log_before(person: Any, days_ago: int, sets: list[SetInput], day: int | None) -> None:
    when = timezone.now() - dt.timedelta(days=days_ago)
    item = SessionInput(
        id=uuid.uuid4(),
        assignment_id=person.assignments.get().pk,
        performed_at=when,
        client_modified_at=when,
        sets=tuple(sets),
        day=day,
    )
    [result] = sessions_apply(user=person.user, items=[item])
    assert result.status == "created", result.errors


@pytest.fixture
def phone_abroad(browser: Any, browser_context_args: dict[str, Any]) -> Any:
    """A phone in another zone than its coach (the page's own `context` stays in the default)."""
    context = browser.new_context(**browser_context_args, timezone_id=PHONE_ZONE)
    yield context
    context.close()


def visible_days(page: Page) -> list[str]:
    return page.evaluate("() => [...document.querySelectorAll('.day:not([hidden])')].map((d) => d.dataset.day)")


def test_today_opens_on_the_day_due_and_switches_day_in_one_tap(
    page: Page, live_server: Any, transactional_db: Any
) -> None:
    person = two_day_person("coach.days@example.com")
    log_before(person, 1, [SetInput(exercise="romanian-deadlift", reps=5, load=Decimal("100"))], day=1)
    sign_in(page.context, live_server, person.user)
    open_today(page, live_server)
    weekday = page.evaluate("() => new Date().toLocaleDateString('en-GB', { weekday: 'long' })")
    expect(page.locator("#day-name")).to_have_text(f"Day B · {weekday}")
    expect(page.locator("#ex-2")).to_be_visible()
    expect(page.locator("#ex-0")).to_be_hidden()
    assert visible_days(page) == ["2"]
    expect(page.locator(".day-switch a[aria-current]")).to_have_text("Day B")

    page.locator(".day-switch a[data-day='1']").tap()
    expect(page.locator("#day-name")).to_have_text(f"Day A · {weekday}")
    expect(page.locator("#ex-0")).to_be_visible()
    expect(page.locator("#ex-2")).to_be_hidden()
    assert page.url.endswith("/today/?day=1")
    # Day A's last time is its own: the heavy deadlift of yesterday, not Day B's light one.
    expect(page.locator("#ex-0 .last-time")).to_contain_text("5 × 100 kg")
    expect(page.locator("#ex-3 .last-time")).to_be_hidden()
    phone_shot(page, "phone-today-day")
    page.reload()
    expect(page.locator("#day-name")).to_have_text(f"Day A · {weekday}")
    assert visible_days(page) == ["1"]


def test_a_phone_ahead_of_its_coach_opens_on_its_own_days_pin_and_a_rest_day_offers_the_next_day(
    phone_abroad: Any, live_server: Any, transactional_db: Any
) -> None:
    coach_day, phone_day = zone_today(COACH_ZONE), zone_today(PHONE_ZONE)
    assert coach_day != phone_day
    # Day A on the coach's weekday, Day B on the phone's: the phone's date decides.
    person = two_day_person("coach.abroad@example.com", pins=((coach_day.weekday(),), (phone_day.weekday(),)))
    sign_in(phone_abroad, live_server, person.user)
    page = phone_abroad.new_page()
    open_today(page, live_server)
    expect(page.locator("#day-name")).to_have_text(f"Day B · {phone_day:%A}")
    assert visible_days(page) == ["2"]

    # Every day pinned, none to the phone's weekday: a rest day, Day A offered anyway (after B).
    rest = next(d for d in range(7) if d not in {coach_day.weekday(), phone_day.weekday()})
    other = person.assignments.get().days.get(number=2)
    other.weekday_mask = 1 << rest
    other.save()
    # Yesterday's Day B (a session of today would carry on on its day).
    log_before(person, 1, [SetInput(exercise="kettlebell-swing", reps=20, load=Decimal("24"))], day=2)
    page.reload()
    expect(page.locator("#day-name")).to_have_text(f"Rest day · {phone_day:%A}")
    expect(page.locator("#rest-day")).to_be_visible()
    expect(page.locator("#rest-day")).to_contain_text(f"Nothing is planned for {phone_day:%A}s")
    assert visible_days(page) == []
    expect(page.locator(".card.finish")).to_be_hidden()
    phone_shot(page, "phone-rest-day")
    page.get_by_role("link", name="Train Day A anyway").tap()
    expect(page.locator("#day-name")).to_have_text(f"Day A · {phone_day:%A}")
    expect(page.locator("#rest-day")).to_be_hidden()
    assert visible_days(page) == ["1"]
    expect(page.locator("#form-0 button.log")).to_be_visible()
    # The picked day stays on a reload; the server rendered it on the coach's date, the header
    # still reads the phone's.
    page.reload()
    expect(page.locator("#day-name")).to_have_text(f"Day A · {phone_day:%A}")
    assert visible_days(page) == ["1"]


def test_tapping_last_time_fills_the_set_and_logs_it(page: Page, live_server: Any, transactional_db: Any) -> None:
    person = two_day_person("coach.last@example.com")
    sets = [SetInput(exercise="romanian-deadlift", reps=r, load=Decimal("57.5")) for r in (12, 11)]
    log_before(person, 2, sets, day=2)
    sign_in(page.context, live_server, person.user)
    page.goto(f"{live_server.url}/today/?day=2")
    wait_for_worker(page)
    last = page.locator("#ex-3 .last-time")
    expect(last).to_contain_text("Last time, ")
    expect(last).to_contain_text("12 × 57.5 kg")
    expect(page.locator("#amount-3")).to_have_value("12")
    expect(page.locator("#load-3")).to_have_value("60")
    last.get_by_role("button", name="Fill set with 11 × 57.5 kg, as last time").tap()
    expect(page.locator("#amount-3")).to_have_value("11")
    expect(page.locator("#load-3")).to_have_value("57.5")
    log(page, 3)
    expect(page.locator("#logged-3 li")).to_have_count(1)
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    newest = read_db(lambda: LoggedSession.objects.filter(client=person).order_by("-performed_at").first())
    [logged] = read_db(lambda: list(newest.sets.all()))
    assert (logged.reps, logged.load_kg, newest.day) == (11, Decimal("57.5"), 2)


def test_a_days_session_logged_offline_syncs_once_with_its_day_and_history_labels_it(
    page: Page, live_server: Any, transactional_db: Any
) -> None:
    person = two_day_person("coach.offline@example.com")
    log_before(person, 3, [SetInput(exercise="romanian-deadlift", reps=5, load=Decimal("100"))], day=1)
    context = page.context
    sign_in(context, live_server, person.user)
    page.goto(f"{live_server.url}/history/")  # the worker keeps this copy for offline use
    wait_for_worker(page)
    open_today(page, live_server)
    page.reload()
    wait_for_worker(page)
    expect(page.locator("#day-name")).to_contain_text("Day B")

    offline(context)
    page.wait_for_function("() => !navigator.onLine")
    page.locator(".day-switch a[data-day='1']").tap()
    page.locator(".day-switch a[data-day='2']").tap()  # and back, offline: no request needed
    log(page, 2)
    log(page, 2)
    expect(page.locator("#sync-status")).to_contain_text("2 sets waiting to sync")
    body = page.evaluate("() => window.HingeOutbox.pending().then((items) => items[0].body)")
    assert body["day"] == 2
    page.goto(f"{live_server.url}/today/")  # offline: the cached page, re-decided on the phone
    expect(page.locator("#day-name")).to_contain_text("Day B")
    expect(page.locator("#logged-2 li")).to_have_count(2)

    page.get_by_role("link", name="History").tap()
    cards = page.locator("article.past-session")
    expect(cards).to_have_count(2)
    waiting = cards.first
    expect(waiting).to_contain_text("Waiting to sync")
    expect(waiting.locator("h3")).to_contain_text(re.compile(r"^Day B · \w{3} \d{1,2} \w{3}"))
    expect(cards.nth(1).locator("h3")).to_contain_text(re.compile(r"^Day A · \w{3} \d{1,2} \w{3}"))
    phone_shot(page, "phone-history-days")

    online(context)
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)
    page.evaluate("() => window.HingeOutbox.syncNow()")
    sessions = read_db(lambda: list(LoggedSession.objects.filter(client=person).order_by("performed_at")))
    assert [(s.day, s.sets.count()) for s in sessions] == [(1, 1), (2, 2)]
    assert [s.exercise.slug for s in sets_on_server(person)][1:] == ["kettlebell-swing"] * 2
