from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from coaching.sessions.phone.views import SHELL_STATIC
from tests import factories

JS_BUDGET_GZIP_BYTES = 50 * 1024
PAGE_JS = ("client/merge.js", "client/outbox.js", "client/today.js", "client/history.js")


def test_service_worker_is_served_from_the_root_with_its_scope_header(client: Any) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]


def test_service_worker_loads_workbox_from_our_static_files_never_a_cdn(client: Any) -> None:
    body = client.get("/sw.js").content.decode()
    assert 'importScripts("/static/vendor/workbox/workbox-sw.js")' in body
    assert 'modulePathPrefix: "/static/vendor/workbox/"' in body
    assert "googleapis" not in body
    for name in ("routing", "strategies", "precaching"):
        assert f'workbox.loadModule("workbox-{name}");' in body
    for name in ("workbox-sw.js", "workbox-core.prod.js", "workbox-routing.prod.js", "workbox-strategies.prod.js"):
        assert finders.find(f"vendor/workbox/{name}"), name


def test_service_worker_precaches_the_shell_and_keeps_the_pages(client: Any) -> None:
    body = client.get("/sw.js").content.decode()
    for name in SHELL_STATIC:
        assert f'"/static/{name}"' in body
        assert finders.find(name), name
    assert 'const PAGES = ["/today/", "/history/"];' in body
    assert "workbox.precaching.precacheAndRoute(SHELL" in body
    assert "new workbox.strategies.NetworkFirst(" in body


def test_service_worker_leaves_session_writes_to_the_page_outbox(client: Any) -> None:
    # One retry queue: the page's outbox; the worker's Background Sync only asks pages to flush.
    body = client.get("/sw.js").content.decode()
    assert "backgroundSync" not in body
    assert 'addEventListener("sync"' in body
    assert 'postMessage({ type: "flush" }' in body


def test_service_worker_answers_405_to_post(client: Any) -> None:
    assert client.post("/sw.js").status_code == 405


def test_manifest_is_json_that_starts_on_today(client: Any) -> None:
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/today/"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}


@pytest.mark.parametrize("name", PAGE_JS)
def test_page_javascript_has_no_cdn_or_eval(name: str) -> None:
    source = Path(finders.find(name)).read_text()
    assert "eval(" not in source
    assert "https://" not in source


def test_page_javascript_stays_under_50_kb_gzipped() -> None:
    total = sum(len(gzip.compress(Path(finders.find(n)).read_bytes())) for n in ("vendor/idb/idb.umd.js", *PAGE_JS))
    assert total < JS_BUDGET_GZIP_BYTES


def test_phone_pages_give_the_outbox_its_api_paths(client: Any, db: Any) -> None:
    person = factories.ClientFactory(with_login=True, with_assignment=True)
    client.force_login(person.user)
    page = client.get(reverse("client-today")).content.decode()
    detail = reverse("api-session-detail", args=["SESSION_ID"])
    assert f'data-api-session="{detail}"' in page
    assert f'data-api-sync="{reverse("api-session-sync")}"' in page
    source = Path(finders.find("client/outbox.js")).read_text()
    assert "/api/v1/" not in source, "outbox.js reads its paths from the page"


def test_the_merge_logic_has_one_home() -> None:
    # canon, missingFrom and merge live in client/merge.js (tested by node --test tests/js/).
    homes = {
        name: [
            str(path.relative_to(Path(finders.find("client")).parent))
            for path in Path(finders.find("client")).glob("*.js")
            if f"function {name}(" in path.read_text()
        ]
        for name in ("canon", "missingFrom", "merge")
    }
    assert homes == {name: ["client/merge.js"] for name in homes}
