"""A form video chosen on the phone while offline uploads once when back online; the coach
watches it beside the set (Playwright on Debian's Chromium)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from coaching.models import SetVideo
from coaching.videos.services import poster_make
from tests.browser.conftest import sign_in
from tests.browser.test_client_phone import (
    SYNCED,
    WAIT_MS,
    log,
    offline,
    online,
    open_today,
    read_db,
    wait_for_worker,
    wait_until,
)
from tests.browser.test_client_phone import browser_context_args as browser_context_args  # noqa: F401
from tests.browser.test_client_phone import person as person  # noqa: F401
from tests.video_files import video_bytes

pytestmark = [pytest.mark.browser, pytest.mark.services]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
UPLOADS = "(user) => new Promise((ok, fail) => { const r = indexedDB.open('hinge-videos-u' + user); r.onerror = fail;" \
    " r.onsuccess = () => { const q = r.result.transaction('uploads').objectStore('uploads').count();" \
    " q.onsuccess = () => { ok(q.result); r.result.close(); }; q.onerror = fail; }; })"  # fmt: skip


def test_a_video_chosen_offline_uploads_once_back_online_and_the_coach_watches_it(
    page: Page,
    browser: Browser,
    live_server: Any,
    person: Any,  # noqa: F811
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = page.context
    sign_in(context, live_server, person.user)
    stored: list[int] = []
    page.on(
        "response",
        lambda r: stored.append(r.status) if r.request.method == "PUT" and r.url.endswith("/video/") else None,
    )
    open_today(page, live_server)
    page.reload()
    wait_for_worker(page)
    log(page, 0)
    expect(page.locator("#sync-status")).to_contain_text(SYNCED, timeout=WAIT_MS)

    offline(context)
    page.wait_for_function("() => !navigator.onLine")
    row = page.locator("#logged-0 li").first.locator(".set-video-row")
    expect(row.get_by_text("Add video")).to_be_visible()
    row.locator("input[type=file]").set_input_files(
        {"name": "deadlift.webm", "mimeType": "video/webm", "buffer": video_bytes("webm", 2.0, 15, "320x240")}
    )
    expect(row.locator(".video-state")).to_contain_text("No signal", timeout=WAIT_MS)
    assert page.evaluate(UPLOADS, person.user.pk) == 1, "the video waits in IndexedDB"
    assert read_db(lambda: SetVideo.objects.count()) == 0
    page.screenshot(path=str(SCREENSHOTS / "video-phone-offline.png"), full_page=False)

    online(context)
    expect(row.locator(".video-state")).to_contain_text("Video saved", timeout=WAIT_MS)
    wait_until(page, lambda: SetVideo.objects.count() == 1, "the video on the server")
    expect(row.get_by_role("link", name="Watch video")).to_be_visible()
    assert page.evaluate(UPLOADS, person.user.pk) == 0, "sent, then removed from IndexedDB"
    # Back online again, and the outbox syncing: still the one upload.
    page.evaluate("() => window.HingeVideos.flush()")
    page.evaluate("() => window.HingeOutbox.syncNow()")
    page.wait_for_timeout(1000)
    assert stored == [200]
    assert read_db(lambda: SetVideo.objects.count()) == 1
    page.screenshot(path=str(SCREENSHOTS / "video-phone-saved.png"), full_page=False)

    video = read_db(lambda: SetVideo.objects.select_related("session").get())
    assert read_db(lambda: poster_make(video.pk))  # what the Celery task does after the commit
    coach_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    sign_in(coach_ctx, live_server, person.coach.user)
    desk = coach_ctx.new_page()
    desk.goto(f"{live_server.url}/clients/{person.pk}/")
    session = desk.locator(f"#session-{video.session_id}")
    session.locator("details.exercise-sets summary").first.click()
    player = session.locator("video.set-video")
    expect(player).to_be_visible()
    # The player reads the video's metadata through the access-checked view (Range requests).
    desk.wait_for_function("() => document.querySelector('video.set-video').readyState >= 1", timeout=WAIT_MS)
    assert desk.evaluate("() => document.querySelector('video.set-video').duration") == pytest.approx(2.0, abs=0.3)
    player.scroll_into_view_if_needed()
    desk.screenshot(path=str(SCREENSHOTS / "video-coach-client-page.png"), full_page=False)
    coach_ctx.close()
