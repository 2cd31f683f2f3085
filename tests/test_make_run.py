"""`make run` on embedded defaults: the login page answers, the demo coach signs in, a worker answers."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def running_app(tmp_path: Path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env |= {"HINGE_VAR_DIR": str(tmp_path / "var"), "PYTHONUNBUFFERED": "1"}
    log = (tmp_path / "run.log").open("w")
    proc = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            pytest.fail("login page did not answer:\n" + (tmp_path / "run.log").read_text()[-3000:])
        yield base, env, tmp_path / "run.log"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def test_make_run_serves_login_and_demo_coach_signs_in(running_app) -> None:
    base, env, log_path = running_app
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urllib.parse.urlencode(
        {"username": "coach@demo.hinge", "password": "hinge-demo-2026", "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(f"{base}/accounts/login/", data=body, headers={"Referer": base + "/"})
    home = opener.open(request)
    assert home.geturl() == f"{base}/dashboard/"
    page = home.read().decode()
    # The demo roster with last week's reviews waiting for the coach.
    assert "Maya Okafor" in page
    assert "Jonas Berg" in page
    log = log_path.read_text()
    assert f"http://127.0.0.1:{base.rsplit(':', 1)[1]}/" in log
    assert "coach@demo.hinge" in log
    assert "/today/" in log
    assert "maya@demo.hinge / hinge-demo-2026" in log  # the demo client, for the phone app

    ping = subprocess.run(
        [sys.executable, "-c", "from config.celery import ping; print(ping.delay().get(timeout=60))"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert ping.stdout.strip() == "pong", ping.stderr[-2000:]
