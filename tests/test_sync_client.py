"""examples/sync_client.py: against a live server on 127.0.0.1, and its retry loop."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from coaching.models import LoggedSession, LoggedSet
from tests import factories
from tests.coaching.api.test_sessions_api import session_body

SCRIPT = Path(__file__).resolve().parents[1] / "examples" / "sync_client.py"


def load_script() -> Any:
    spec = importlib.util.spec_from_file_location("sync_client", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def session_folder(tmp_path: Path, transactional_db: Any) -> tuple[Path, Any, list[str]]:
    client = factories.ClientFactory(with_login=True, with_assignment=True)
    assignment = client.assignments.get()
    ids = []
    for n in range(3):
        body = session_body(assignment.pk, notes=f"gym day {n}")
        ids.append(body["id"])
        (tmp_path / f"{n:02}-session.json").write_text(json.dumps(body))
    bad = session_body(assignment.pk)
    bad["sets"][0]["reps"] = -2
    (tmp_path / "03-bad.json").write_text(json.dumps(bad))
    (tmp_path / "04-broken.json").write_text("{not json")
    (tmp_path / "notes.txt").write_text("not a session")
    return tmp_path, client, ids


def test_sync_client_logs_in_syncs_a_folder_and_a_rerun_is_unchanged(
    live_server: Any, session_folder: tuple[Path, Any, list[str]]
) -> None:
    folder, client, ids = session_folder
    login = ["--server", live_server.url, "--email", client.user.email, "--password", factories.PASSWORD]
    first = run(*login, str(folder))
    assert first.returncode == 1, first.stderr  # one rejected, one unreadable
    lines = first.stdout.splitlines()
    assert lines[0].startswith("04-broken.json: unreadable")
    assert lines[1:4] == ["00-session.json: created", "01-session.json: created", "02-session.json: created"]
    assert lines[4].startswith("03-bad.json: rejected ")
    assert "greater than or equal to 0" in lines[4]
    assert lines[5] == "synced 4 file(s): 3 created, 1 rejected; unreadable: 1"
    assert sorted(str(pk) for pk in LoggedSession.objects.values_list("id", flat=True)) == sorted(ids)
    assert LoggedSet.objects.count() == 15

    (folder / "03-bad.json").unlink()
    (folder / "04-broken.json").unlink()
    again = run(*login, str(folder))
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[-1] == "synced 3 file(s): 3 unchanged; unreadable: 0"
    assert LoggedSession.objects.count() == 3


def test_sync_client_takes_a_token(live_server: Any, session_folder: tuple[Path, Any, list[str]]) -> None:
    from knox.models import AuthToken

    folder, client, _ = session_folder
    (folder / "03-bad.json").unlink()
    (folder / "04-broken.json").unlink()
    _, token = AuthToken.objects.create(user=client.user)
    result = run("--server", live_server.url, "--token", token, str(folder))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "synced 3 file(s): 3 created; unreadable: 0"


def test_sync_client_with_a_wrong_password_stops_with_status_2(
    live_server: Any, session_folder: tuple[Path, Any, list[str]]
) -> None:
    folder, client, _ = session_folder
    result = run("--server", live_server.url, "--email", client.user.email, "--password", "wrong", str(folder))
    assert result.returncode == 2
    assert "login failed" in result.stderr
    assert not LoggedSession.objects.exists()


# --- retries, against a stand-in server that fails first ---------------------------------


class Flaky(BaseHTTPRequestHandler):
    """Answers 503, then 429 with Retry-After, then the real result; counts the tries."""

    script: list[tuple[int, dict[str, str], bytes]] = []
    seen: list[bytes] = []

    def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
        Flaky.seen.append(self.rfile.read(int(self.headers["Content-Length"])))
        status, headers, body = Flaky.script.pop(0)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        """Keep the flaky test server quiet."""


@pytest.fixture
def flaky_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Flaky)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_sync_client_retries_5xx_and_429_with_backoff_and_resends_the_same_batch(
    flaky_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    client = load_script()
    sid = str(uuid.uuid4())
    answer = json.dumps({"results": [{"id": sid, "status": "created"}]}).encode()
    Flaky.seen = []
    Flaky.script = [
        (503, {}, b"busy"),
        (429, {"Retry-After": "0"}, b'{"detail": "slow down"}'),
        (200, {"Content-Type": "application/json"}, answer),
    ]
    api = client.Api(flaky_server, token="t", retries=3, backoff=0.01)
    counts = client.sync(api, [("a.json", {"id": sid})])
    assert counts == {"created": 1}
    assert len(Flaky.seen) == 3
    assert len(set(Flaky.seen)) == 1  # the very same body each time: the server dedupes by id
    err = capsys.readouterr().err
    assert "HTTP 503; retrying" in err
    assert "HTTP 429; retrying in 0.0 s" in err


def test_sync_client_gives_up_after_its_retries(flaky_server: str) -> None:
    client = load_script()
    Flaky.script = [(502, {}, b"")] * 3
    api = client.Api(flaky_server, token="t", retries=2, backoff=0.01)
    with pytest.raises(client.SyncError, match="gave up after 3 tries"):
        client.sync(api, [("a.json", {"id": "x"})])


def test_sync_client_does_not_retry_a_client_error(flaky_server: str) -> None:
    client = load_script()
    Flaky.seen = []
    Flaky.script = [(413, {}, b'{"detail": "too many"}')]
    api = client.Api(flaky_server, token="t", retries=5, backoff=0.01)
    with pytest.raises(client.SyncError, match="HTTP 413"):
        client.sync(api, [("a.json", {"id": "x"})])
    assert len(Flaky.seen) == 1


def test_sync_client_backoff_grows_and_is_capped() -> None:
    api = load_script().Api("http://127.0.0.1:9", backoff=0.5, max_delay=4)
    assert all(0 <= api.pause(0, None) <= 0.5 for _ in range(50))
    assert all(0 <= api.pause(10, None) <= 4 for _ in range(50))
    assert api.pause(3, 2.5) == 2.5
    assert api.pause(3, 100) == 4
