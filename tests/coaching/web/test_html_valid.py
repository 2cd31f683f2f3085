"""Every coach page and the phone's pages are valid HTML for the Nu Html Checker (vnu.jar, run locally).

`make test` installs the checker under var/ (npm's vnu-jar, run by the machine's Java); without it the
test skips on a laptop and fails in CI (REQUIRE_SERVICES=1).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from tests.coaching.client.conftest import log_session, rdl
from tests.coaching.web.conftest import active_assignment
from tests.coaching.web.test_pages_access import _all_urls, world  # noqa: F401  (the pages' fixture)
from tests.conftest import require_service

pytestmark = pytest.mark.django_db

VNU_JAR = Path(os.environ.get("VNU_JAR", Path(settings.BASE_DIR) / "var/vnu/node_modules/vnu-jar/build/dist/vnu.jar"))


def _check(pages: dict[str, str], folder: Path) -> list[str]:
    require_service("the Nu Html Checker (var/vnu, Java)", VNU_JAR.exists() and bool(shutil.which("java")))
    files = []
    for index, (url, html) in enumerate(pages.items()):
        path = folder / f"page{index}.html"
        path.write_text(html, encoding="utf-8")
        files.append((str(path), url))
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *[f for f, _ in files]],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    by_file = dict(files)
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    return [
        f"{by_file.get(m.get('url', '').removeprefix('file:'), m.get('url'))}:{m.get('lastLine')}: {m['message']}"
        for m in messages
    ]


def test_coach_pages_are_valid_html(coach_web: Any, world: dict[str, Any], tmp_path: Path) -> None:  # noqa: F811
    urls = [*_all_urls(world), reverse("coach-client", args=[world["mine"]["client"]]) + "?invited=1"]
    pages = {}
    for url in urls:
        response = coach_web.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    errors = _check(pages, tmp_path)
    assert not errors, "\n".join(errors)


def test_phone_pages_are_valid_html(client: Any, client_profile: Any, tmp_path: Path) -> None:
    from django.utils import timezone

    assignment = active_assignment(client_profile)
    log_session(client_profile.user, assignment.pk, timezone.now(), [rdl(8, "60")])
    client.force_login(client_profile.user)
    pages = {}
    for name in ("client-today", "client-history", "client-calendar"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        pages[name] = response.content.decode()
    errors = _check(pages, tmp_path)
    assert not errors, "\n".join(errors)
