"""A big session import in a real Chromium with a real Celery worker: the upload's progress bar
(XMLHttpRequest upload progress), then the commit's progress bar polled by htmx every second
until the task is done, when the polling stops and the result shows."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from playwright.sync_api import Page, expect

from coaching.models import LoggedSession
from coaching.sessions.imports import services
from config.celery import app
from tests.browser.test_coach_journey import sign_in
from tests.coaching.api.test_session_imports import _strong_file

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "var" / "screenshots"
WORKOUTS = 56

# The page's own listener (coach.js) runs first; this one, added by the test, notes what the bar
# showed, in sessionStorage, which outlives the navigation to the dry run.
WATCH_UPLOAD = """() => document.addEventListener("htmx:xhr:progress", () => {
  const box = document.getElementById("upload-progress-box");
  if (!box) return;
  sessionStorage.setItem("upload", JSON.stringify({
    value: document.getElementById("upload-progress").value, hidden: box.hidden,
    text: document.getElementById("upload-progress-text").textContent}));
})"""


def test_a_big_file_uploads_with_a_progress_bar_and_commits_with_a_polled_one(
    page: Page, live_server: Any, coach: Any, client_profile: Any, settings: Any, monkeypatch: Any, tmp_path: Path
) -> None:
    settings.IMPORTS_INLINE_MAX_SESSIONS = 3
    settings.IMPORTS_CHUNK_SESSIONS = 4
    real = services.sessions_apply

    def slow(**kwargs: Any) -> Any:  # each chunk takes a moment, so the bar is seen moving
        threading.Event().wait(0.4)
        return real(**kwargs)

    monkeypatch.setattr(services, "sessions_apply", slow)
    export = tmp_path / "strong.csv"
    export.write_text(_strong_file(WORKOUTS) + "\n" * 200_000)  # blank lines: a bigger upload
    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/clients/{client_profile.pk}/imports/")
    page.evaluate(WATCH_UPLOAD)
    page.get_by_label("Export file (CSV)").set_input_files(str(export))
    page.get_by_label("App").select_option("strong")
    page.get_by_label("Time zone of the file's times").fill("UTC")
    page.get_by_role("button", name="Check the file").click()
    expect(page).to_have_url(re.compile(rf"/clients/{client_profile.pk}/imports/\d+/$"))
    seen = page.evaluate("() => JSON.parse(sessionStorage.getItem('upload'))")
    assert seen["value"] == 100, seen
    assert seen["hidden"] is False
    assert seen["text"] == "Uploaded: checking the file…"

    expect(page.locator("#dry-run-summary")).to_contain_text(f"{WORKOUTS} new sessions")
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        page.get_by_role("button", name=f"Import {WORKOUTS} sessions").click()
        bar = page.locator("#import-progress")
        expect(bar).to_be_visible()
        expect(bar).to_have_attribute("max", str(WORKOUTS))
        expect(page.locator("#import-progress-text")).not_to_contain_text(f"0 of {WORKOUTS} written", timeout=15_000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "import-progress.png"), full_page=True)
        expect(page.locator("#import-report")).to_contain_text(f"{WORKOUTS} added", timeout=60_000)
    expect(page.locator("#import-progress")).to_have_count(0)
    expect(page.locator("[data-hx-trigger]")).to_have_count(0)  # the polling stopped
    page.screenshot(path=str(SHOTS / "import-progress-done.png"), full_page=True)
    assert LoggedSession.objects.filter(client=client_profile).count() == WORKOUTS
