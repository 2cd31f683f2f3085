from __future__ import annotations

import importlib
import os
import shutil
import socket
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from tests import factories
from tests.coaching.api.factories_api import token_client

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

# --- hypothesis profiles --------------------------------------------------------------
# "dev" (the default) keeps a local run quick; CI sets HYPOTHESIS_PROFILE=ci (.ci/run) and runs
# every property test with its full example count, as it always has.
hypothesis_settings.register_profile("ci", max_examples=200, print_blob=True)
hypothesis_settings.register_profile("dev", max_examples=20)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "dev")
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)
QUICK_SHARE = 10  # a local run tries a tenth of a test's examples (at least the dev profile's 20)


def examples(thorough: int) -> int:
    """A property test's example count: ``thorough`` under the ci profile, a tenth of it locally."""
    if HYPOTHESIS_PROFILE == "ci":
        return thorough
    return min(thorough, max(hypothesis_settings.get_profile("dev").max_examples, thorough // QUICK_SHARE))


def require_service(name: str, available: bool) -> None:
    """Skip a test whose service is missing on a laptop; fail it in CI (REQUIRE_SERVICES=1)."""
    if available:
        return
    message = f"{name} is not available"
    if REQUIRE_SERVICES:
        pytest.fail(f"{message}, and REQUIRE_SERVICES=1 forbids skipping")
    pytest.skip(message)


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def require_redis() -> str:
    url = os.environ.get("REDIS_URL", "")
    require_service("Redis (REDIS_URL)", bool(url))
    return url


@pytest.fixture
def require_postgres(settings: Any) -> None:
    require_service("PostgreSQL (DATABASE_URL)", settings.DATABASES["default"]["ENGINE"].endswith("postgresql"))


@pytest.fixture
def require_chromium() -> str:
    require_service("Debian's chromium", os.path.exists(CHROMIUM))
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _exercise_library(request: pytest.FixtureRequest) -> None:
    """Keep the seeded library in place for every database test.

    A transactional test (live server, real Celery worker, threads) ends with a flush that also
    empties the rows the data migration seeded; put them back before the next test uses them.
    """
    uses_db = request.node.get_closest_marker("django_db") is not None or bool(
        {"db", "transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not uses_db:
        return
    request.getfixturevalue("_django_db_helper")
    ensure_library()


def ensure_library() -> None:
    """Put the data migration's exercise library back if a transactional test's flush emptied it.

    Module-scoped fixtures that seed data run before the autouse fixture above: they call this."""
    from django.apps import apps

    from programs.models import Exercise

    if not Exercise.objects.filter(owner__isnull=True).exists():
        importlib.import_module("programs.migrations.0002_seed_library").seed(apps, None)


@pytest.fixture(autouse=True)
def video_folder(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Form videos a test stores go to a folder of its own (coaching/videos), not var/."""
    folder = tmp_path_factory.mktemp("videos")
    settings.STORAGES = {
        **settings.STORAGES,
        "videos": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(folder)}},
    }
    return folder


# --- personas -------------------------------------------------------------------------


@pytest.fixture
def coach(db: Any) -> Any:
    return factories.CoachFactory(user__email="coach.a@example.com", user__name="Coach A")


@pytest.fixture
def other_coach(db: Any) -> Any:
    return factories.CoachFactory(user__email="coach.b@example.com", user__name="Coach B")


@pytest.fixture
def client_profile(coach: Any) -> Any:
    """A client of ``coach`` with a login and an active assignment."""
    return factories.ClientFactory(coach=coach, with_login=True, with_assignment=True)


@pytest.fixture
def other_client(other_coach: Any) -> Any:
    return factories.ClientFactory(coach=other_coach, with_login=True, with_assignment=True)


@pytest.fixture
def queued_invites(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, ...]]:
    """Invite emails handed to Celery, not sent: ``[(client_id, site_url)]``.

    Run one with ``coaching.clients.tasks.send_client_invite.apply(args=...)``.
    """
    from coaching.clients import tasks

    queued: list[tuple[Any, ...]] = []
    monkeypatch.setattr(tasks.send_client_invite, "delay", lambda *args: queued.append(args))
    return queued


# API clients signed in with a fresh knox token, as an app would be (one home for every test folder).
@pytest.fixture
def anon() -> APIClient:
    return APIClient()


@pytest.fixture
def coach_api(coach: Any) -> APIClient:
    return token_client(coach.user)


@pytest.fixture
def other_coach_api(other_coach: Any) -> APIClient:
    return token_client(other_coach.user)


@pytest.fixture
def client_api(client_profile: Any) -> APIClient:
    return token_client(client_profile.user)


@pytest.fixture
def other_client_api(other_client: Any) -> APIClient:
    return token_client(other_client.user)
