"""Browser tests: Playwright driving Debian's Chromium against Django's live server.

Screenshots go to ``artifacts/screenshots/`` (git-ignored) so a person can look at them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client as DjangoClient

from tests.conftest import CHROMIUM, require_service

# Sync Playwright runs an event loop in this thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def sign_in(context: Any, live_server: Any, user: Any) -> None:
    """The browser's session cookie, as after signing in (the sign-in page is tested elsewhere)."""
    django_client = DjangoClient()
    django_client.force_login(user)
    cookie = django_client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


@pytest.fixture(autouse=True)
def _chromium_present() -> None:
    require_service("Debian's chromium", os.path.exists(CHROMIUM))


@pytest.fixture
def screenshot_dir() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def shoot(screenshot_dir: Path):
    """``shoot(page, "name")`` saves a full-page screenshot under artifacts/screenshots/."""

    def _shoot(page: Any, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shoot


DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 820, "height": 1180}


@pytest.fixture
def snap(shoot: Any) -> Any:
    """Screenshot a coach page at desktop and tablet sizes (artifacts/screenshots/coach-*)."""

    def _snap(page: Any, name: str) -> None:
        page.set_viewport_size(DESKTOP)
        shoot(page, f"coach-{name}-desktop")
        page.set_viewport_size(TABLET)
        shoot(page, f"coach-{name}-tablet")
        page.set_viewport_size(DESKTOP)

    return _snap


@pytest.fixture(autouse=True)
def _no_csp_violations(request: pytest.FixtureRequest):
    """Every page a browser test opens must run under the strict CSP without a violation."""
    if "context" not in request.fixturenames and "page" not in request.fixturenames:
        yield
        return
    context = request.getfixturevalue("context")
    violations: list[str] = []

    def watch(page: Any) -> None:
        page.on(
            "console",
            lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
        )

    for page in context.pages:
        watch(page)
    context.on("page", watch)
    yield
    assert violations == [], violations
