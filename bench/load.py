"""Load test: phones syncing sessions and a coach paging, against gunicorn on PostgreSQL.

Creates a throwaway database (``<name>_load`` on the server of ``--database-url``), migrates
it, makes one coach with ``--phones`` clients (each with a login and an active assignment) and
two finished weeks of reviews, collects static files into a temporary folder and starts
``gunicorn config.wsgi:application -c gunicorn.conf.py`` under ``config.settings.production``
on 127.0.0.1 (a free port). Then, for ``--duration`` seconds:

- each phone (a thread, standard library HTTP) signs in for a token and every 1–4 s sends a
  session of 4–9 sets, by ``PUT /api/v1/sessions/{uuid}/`` or ``POST /api/v1/sessions/sync/``:
  mostly new sessions, also edits (a newer ``client_modified_at``), replays of what was already
  sent (idempotency: ``unchanged``) and, deliberately, an older version (``409`` / ``stale``);
- one coach signs in through the HTML form (CSRF) and pages through ``/dashboard/``,
  ``/api/v1/reviews/``, ``/api/v1/clients/`` and the ``/api/v1/sessions/?since=`` feed.

Prints requests/s, p50/p95/p99 latency (overall and per kind of request), errors (any non-2xx
except the deliberate stale writes and the login form's redirect; network errors; unexpected
sync statuses), and a database check: each session sent stored once, with the sets and the
version last sent. The server is stopped and the database dropped at the end, also on Ctrl-C.

    .venv/bin/python bench/load.py                                  # 50 phones, 60 s, 4 workers
    .venv/bin/python bench/load.py --phones 20 --duration 20 --workers 2
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/hinge
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import ipaddress
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hinge"
PASSWORD = "Kettlebell-Swing-7431!"
COACH_EMAIL = "coach@load.bench"
REQUEST_TIMEOUT = 30.0  # seconds per request
MAX_PHONES, MAX_DURATION, MAX_WORKERS = 200, 600, 16
EXERCISES = ["romanian-deadlift", "kettlebell-swing", "single-leg-rdl", "hip-thrust", "rdl-isometric-hold"]


# --- setup: database, data, static files, server -----------------------------------------


def bench_database(url: str) -> tuple[str, str, str]:
    """(server base URL, bench database name, bench URL); only a loopback server is accepted."""
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("--database-url must be a postgres:// URL (the load test needs PostgreSQL)")
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        sys.exit(f"--database-url must point at this machine (127.0.0.1), not {host!r}")
    base, _, name = url.rpartition("/")
    name = (name.split("?")[0] or "hinge") + "_load"
    return base, name, f"{base}/{name}"


def create_database(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(base: str, name: str) -> None:
    import psycopg

    with contextlib.suppress(Exception):
        from django.db import connections

        connections.close_all()
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass(frozen=True)
class Exercise:
    slug: str
    seconds: bool
    per_side: bool
    faults: tuple[str, ...]


@dataclass
class Account:
    email: str
    assignment: int
    exercises: list[Exercise]
    unit: str


def build_data(phones: int) -> tuple[int, list[Account], int]:
    """The coach, clients with logins and assignments (the services), and past weeks' reviews."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    from decimal import Decimal

    from coaching.services.accounts import client_create, client_invite_accept, coach_create
    from coaching.services.prescriptions import assignment_create
    from coaching.services.review_generation import all_missing_batches, reviews_generate
    from programs.lines import Line
    from programs.models import Exercise as ExerciseModel

    library = {e.slug: e for e in ExerciseModel.objects.filter(owner__isnull=True, slug__in=EXERCISES)}
    slugs = [s for s in EXERCISES if s in library]
    if len(slugs) < 3:
        sys.exit(f"the exercise library lacks the exercises this benchmark uses: {EXERCISES}")
    coach = coach_create(email=COACH_EMAIL, password=PASSWORD, name="Load Coach", validate=False)
    today = dt.datetime.now(dt.UTC).date()  # the coach's time zone is UTC
    start = today - dt.timedelta(days=today.weekday() + 14)  # two finished weeks to review
    accounts = []
    for i in range(phones):
        client = client_create(coach=coach, name=f"Phone {i:03d}", email=f"phone{i:03d}@load.bench")
        client_invite_accept(token=client.invite_token, password=PASSWORD)  # the login (one hash each)
        chosen = [slugs[(i + k) % len(slugs)] for k in range(3)]
        unit = "lb" if i % 4 == 3 else "kg"
        assignment = assignment_create(
            client=client,
            start_date=start,
            lines=[Line(exercise=library[s], sets=3, low=6, high=10, load=Decimal("40"), unit="kg") for s in chosen],
            changed_by=coach.user,
            unit=unit,
        )
        exercises = [
            Exercise(
                slug=s,
                seconds=library[s].measure == ExerciseModel.Measure.SECONDS,
                per_side=library[s].is_per_side,
                faults=tuple(library[s].faults or ()),
            )
            for s in chosen
        ]
        accounts.append(Account(email=client.email, assignment=assignment.pk, exercises=exercises, unit=unit))
    reviews = reviews_generate(all_missing_batches()).created
    return coach.pk, accounts, reviews


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(db_url: str, port: int, workers: int, var_dir: str, static_root: str, conn_max_age: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG", "DB_CONN_MAX_AGE"}}
    alphabet = string.ascii_letters + string.digits + "!#%*+-.:=?@^_~"
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": db_url,
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "REQUEST_LOG_LEVEL": "WARNING",
        "LOG_LEVEL": "WARNING",
        "THROTTLE_LOGIN": "10000/min",
        "AXES_FAILURE_LIMIT": "10000",
        "HINGE_VAR_DIR": var_dir,
        "STATIC_ROOT": static_root,
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "PYTHONUNBUFFERED": "1",
    }
    if conn_max_age is not None:
        env["DB_CONN_MAX_AGE"] = conn_max_age
    return env


def start_server(env: dict, log: Path) -> subprocess.Popen:
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped by its id, workers included
        )


def wait_ready(proc: subprocess.Popen, port: int, log: Path, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"gunicorn exited ({proc.returncode}):\n{log.read_text(errors='replace')[-3000:]}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        time.sleep(0.3)
    sys.exit(f"gunicorn did not answer /healthz within {limit:.0f} s:\n{log.read_text(errors='replace')[-3000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # graceful: gunicorn waits for in-flight requests
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


# --- the simulated clients ------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    status: int  # 0: network error
    seconds: float
    error: bool
    end: float


@dataclass
class Recorder:
    samples: list[Sample] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)  # sync and PUT outcomes
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample, problem: str | None = None) -> None:
        with self.lock:
            self.samples.append(sample)
            if problem and len(self.problems) < 20:
                self.problems.append(problem)

    def problem(self, text: str) -> None:
        with self.lock:
            if len(self.problems) < 20:
                self.problems.append(text)

    def outcome(self, name: str) -> None:
        with self.lock:
            self.statuses[name] += 1


class Http:
    """One device's HTTP: a new connection per request (gunicorn's sync workers close them)."""

    def __init__(self, port: int, recorder: Recorder) -> None:
        self.port = port
        self.recorder = recorder
        self.cookies: dict[str, str] = {}
        self.headers: dict[str, str] = {"User-Agent": "hinge-load/1"}

    def send(
        self,
        kind: str,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str = "application/json",
        ok: tuple[int, ...] = (),
    ) -> tuple[int, bytes, http.client.HTTPResponse | None]:
        """Status (0 on a network error) and body; 2xx and ``ok`` statuses are not errors."""
        headers = dict(self.headers)
        if body is not None:
            headers["Content-Type"] = content_type
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as exc:
            elapsed = time.perf_counter() - start
            self.recorder.add(Sample(kind, 0, elapsed, True, time.monotonic()), f"{kind} {method} {path}: {exc!r}")
            return 0, b"", None
        finally:
            conn.close()
        elapsed = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        error = not (200 <= response.status < 300 or response.status in ok)
        problem = f"{kind} {method} {path}: HTTP {response.status} {data[:300]!r}" if error else None
        self.recorder.add(Sample(kind, response.status, elapsed, error, time.monotonic()), problem)
        return response.status, data, response


def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


@dataclass
class Tracked:
    versions: list[dict[str, Any]]  # bodies applied, oldest first; the last is what the DB must hold
    uncertain: bool = False  # a write to it failed in transit: the stored version is unknown


class Phone:
    def __init__(self, index: int, account: Account, port: int, recorder: Recorder, seed: int) -> None:
        self.index = index
        self.account = account
        self.http = Http(port, recorder)
        self.recorder = recorder
        self.rng = random.Random(seed * 1000 + index)
        self.sessions: dict[str, Tracked] = {}
        self.made = 0
        self.last_modified = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        self.offset = dt.timezone(dt.timedelta(hours=self.rng.choice([-5, 0, 1, 2])))

    # bodies

    def _modified(self) -> str:
        now = max(dt.datetime.now(dt.UTC), self.last_modified + dt.timedelta(milliseconds=1))
        self.last_modified = now
        return iso(now.astimezone(self.offset))

    def _set(self, exercise: Exercise, side: str) -> dict[str, Any]:
        rng = self.rng
        unit = self.account.unit
        load = rng.randrange(20, 120, 5) if unit == "lb" else rng.randrange(16, 100) * 1.25
        item: dict[str, Any] = {"exercise": exercise.slug, "side": side, "load": load, "unit": unit}
        if exercise.seconds:
            item["seconds"] = rng.randint(10, 40)
        else:
            item["reps"] = rng.randint(5, 12)
        if rng.random() < 0.6:
            item["rpe"] = rng.choice([6, 6.5, 7, 7.5, 8, 8.5, 9])
        if rng.random() < 0.3:
            item["tempo_kept"] = rng.random() < 0.8
        if exercise.faults and rng.random() < 0.2:
            item["faults"] = [rng.choice(exercise.faults)]
        if rng.random() < 0.2:
            item["pain"] = rng.randint(0, 2)
        return item

    def _sets(self, count: int) -> list[dict[str, Any]]:
        sets: list[dict[str, Any]] = []
        exercises = self.account.exercises
        k = 0
        while len(sets) < count:
            exercise = exercises[k % len(exercises)]
            if exercise.per_side:
                sets.append(self._set(exercise, "left"))
                if len(sets) < count:
                    sets.append(self._set(exercise, "right"))
            else:
                sets.append(self._set(exercise, "both"))
            k += 1
        return sets

    def new_body(self) -> dict[str, Any]:
        self.made += 1
        performed = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=self.rng.randint(30, 6 * 24 * 60))
        return {
            "id": str(uuid.uuid4()),
            "assignment": self.account.assignment,
            "performed_at": iso(performed.astimezone(self.offset).replace(microsecond=0)),
            "client_modified_at": self._modified(),
            "notes": f"Phone {self.index} session {self.made}.",
            "sets": self._sets(self.rng.randint(4, 9)),
        }

    def edited(self, body: dict[str, Any]) -> dict[str, Any]:
        sets = [dict(s) for s in body["sets"]]
        change = self.rng.random()
        if change < 0.4 and len(sets) < 9:
            sets.append(self._set(self.account.exercises[0], "left" if self.account.exercises[0].per_side else "both"))
        elif change < 0.6 and len(sets) > 4:
            sets.pop()
        else:
            target = sets[self.rng.randrange(len(sets))]
            if "reps" in target:
                target["reps"] = max(1, target["reps"] + self.rng.choice([-1, 1]))
            else:
                target["seconds"] = max(1, target["seconds"] + self.rng.choice([-5, 5]))
        notes = body["notes"].split(" (edit", 1)[0]
        edits = len(self.sessions[body["id"]].versions)
        return body | {"sets": sets, "notes": f"{notes} (edit {edits})", "client_modified_at": self._modified()}

    # one step: what to send, and what the server must answer

    def choose(self) -> list[tuple[dict[str, Any], str]]:
        """(body, expected outcome) items: created / updated / unchanged / stale."""
        rng = self.rng
        sent = [sid for sid, t in self.sessions.items() if not t.uncertain]
        roll = rng.random()
        if not sent or roll < 0.6:
            items = [(self.new_body(), "created")]
        elif roll < 0.8:
            sid = rng.choice(sent)
            items = [(self.edited(self.sessions[sid].versions[-1]), "updated")]
        elif roll < 0.95:
            items = [(self.sessions[rng.choice(sent)].versions[-1], "unchanged")]
        else:
            edited = [sid for sid in sent if len(self.sessions[sid].versions) > 1]
            if edited:
                items = [(self.sessions[rng.choice(edited)].versions[-2], "stale")]  # deliberate
            else:
                items = [(self.sessions[rng.choice(sent)].versions[-1], "unchanged")]
        # A phone that lost an answer re-sends its queue: sometimes a replay rides along.
        others = [sid for sid in sent if sid != items[0][0]["id"]]
        if others and rng.random() < 0.3:
            items.append((self.sessions[rng.choice(others)].versions[-1], "unchanged"))
        return items

    def applied(self, body: dict[str, Any], expected: str) -> None:
        if expected == "created":
            self.sessions[body["id"]] = Tracked([body])
        elif expected == "updated":
            self.sessions[body["id"]].versions.append(body)

    def failed(self, body: dict[str, Any], expected: str) -> None:
        if expected == "created":
            self.sessions[body["id"]] = Tracked([body], uncertain=True)
        elif expected == "updated":
            self.sessions[body["id"]].uncertain = True

    def put(self, body: dict[str, Any], expected: str) -> None:
        ok = (409,) if expected == "stale" else ()
        status, data, _ = self.http.send(
            "session PUT", "PUT", f"/api/v1/sessions/{body['id']}/", json.dumps(body).encode(), ok=ok
        )
        want = {"created": 201, "updated": 200, "unchanged": 200, "stale": 409}[expected]
        if status == want:
            self.recorder.outcome(f"PUT {expected}")
            try:
                stored = json.loads(data)
                same = len(stored["sets"]) == len(body["sets"]) and stored["id"] == body["id"]
            except (ValueError, KeyError, TypeError):
                same = False
            if expected != "stale" and not same:
                self.recorder.outcome("PUT answer differs from the body sent")
                self.recorder.problem(f"PUT {body['id']}: answer {data[:300]!r}")
            self.applied(body, expected)
            return
        self.recorder.outcome(f"PUT {expected}: got HTTP {status}")
        if status == 0 or status >= 500:
            self.failed(body, expected)
        elif 200 <= status < 300:  # an answer, but not the expected one (other statuses are errors already)
            self.recorder.add(Sample("unexpected outcome", status, 0.0, True, time.monotonic()))
            self.recorder.problem(f"PUT {body['id']} ({expected}): HTTP {status} {data[:300]!r}")
            self.applied(body, expected)  # the server took it: the database check expects it

    def sync(self, items: list[tuple[dict[str, Any], str]]) -> None:
        payload = json.dumps({"sessions": [body for body, _ in items]}).encode()
        status, data, _ = self.http.send("session sync", "POST", "/api/v1/sessions/sync/", payload)
        if status != 200:
            for body, expected in items:
                self.recorder.outcome(f"sync {expected}: HTTP {status}")
                if status == 0 or status >= 500:
                    self.failed(body, expected)
            return
        try:
            results = json.loads(data)["results"]
            assert len(results) == len(items)
        except (ValueError, KeyError, TypeError, AssertionError):
            self.recorder.add(Sample("unexpected outcome", status, 0.0, True, time.monotonic()))
            self.recorder.problem(f"sync: malformed answer {data[:300]!r}")
            return
        for (body, expected), result in zip(items, results, strict=True):
            got = result.get("status")
            if got == expected and result.get("id") == body["id"]:
                self.recorder.outcome(f"sync {expected}")
                self.applied(body, expected)
            else:
                self.recorder.outcome(f"sync {expected}: got {got}")
                self.recorder.add(Sample("unexpected outcome", status, 0.0, True, time.monotonic()))
                self.recorder.problem(f"sync {body['id']} ({expected}): {json.dumps(result)[:300]}")
                if got in {"created", "updated"}:
                    self.applied(body, expected)  # the server took it: the database check expects it

    def run(self, start_by: float, deadline: float, stop: threading.Event) -> None:
        if stop.wait(max(0.0, start_by - time.monotonic())):
            return
        payload = json.dumps({"email": self.account.email, "password": PASSWORD}).encode()
        status, data, _ = self.http.send("token login", "POST", "/api/v1/auth/token/", payload)
        if status != 201:
            return
        self.http.headers["Authorization"] = f"Token {json.loads(data)['token']}"
        for _ in range(int((deadline - time.monotonic()) / 1.0) + 2):  # at most one step a second
            if stop.wait(self.rng.uniform(1.0, 4.0)) or time.monotonic() >= deadline:
                return
            items = self.choose()
            if len(items) == 1 and self.rng.random() < 0.5:
                self.put(*items[0])
            else:
                self.sync(items)


class Coach:
    """Signs in through the HTML form, then pages through the dashboard and the API lists."""

    def __init__(self, port: int, recorder: Recorder, seed: int) -> None:
        self.http = Http(port, recorder)
        self.recorder = recorder
        self.rng = random.Random(seed)
        self.cursor: str | None = None
        self.seen: set[str] = set()

    def login(self) -> bool:
        status, page, _ = self.http.send("coach login form", "GET", "/accounts/login/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not found:
            self.recorder.problem("coach login: no CSRF token on the form")
            return False
        form = urlencode(
            {"csrfmiddlewaretoken": found.group(1).decode(), "username": COACH_EMAIL, "password": PASSWORD, "next": ""}
        ).encode()
        status, _, response = self.http.send(
            "coach login form", "POST", "/accounts/login/", form, "application/x-www-form-urlencoded", ok=(302,)
        )
        if status != 302 or "sessionid" not in self.http.cookies:
            self.recorder.problem(f"coach login: HTTP {status}, cookies {sorted(self.http.cookies)}")
            return False
        return True

    def pages(self, kind: str, path: str, pause: Any, limit: int = 20) -> None:
        for _ in range(limit):
            status, data, _ = self.http.send(kind, "GET", path)
            if status != 200:
                return
            body = json.loads(data)
            nxt = body.get("next")
            if not nxt or pause():
                return
            parts = urlsplit(nxt)
            path = f"{parts.path}?{parts.query}"

    def feed(self, pause: Any, limit: int = 20) -> None:
        for _ in range(limit):
            query = urlencode({"since": self.cursor, "limit": 100} if self.cursor else {"limit": 100})
            status, data, _ = self.http.send("coach sessions feed", "GET", f"/api/v1/sessions/?{query}")
            if status != 200:
                return
            body = json.loads(data)
            self.seen.update(row["id"] for row in body["results"])
            self.cursor = body["next_cursor"]
            if not body["has_more"] or pause():
                return

    def run(self, deadline: float, stop: threading.Event) -> None:
        if not self.login():
            return

        def pause() -> bool:  # True: time to stop
            return stop.wait(self.rng.uniform(0.1, 0.5)) or time.monotonic() >= deadline

        for _ in range(int(deadline - time.monotonic()) * 10 + 10):  # bounded; each round takes > 0.1 s
            if time.monotonic() >= deadline or stop.is_set():
                return
            self.http.send("coach dashboard", "GET", "/dashboard/")
            if pause():
                return
            self.pages("coach reviews", "/api/v1/reviews/?status=pending", pause)
            if pause():
                return
            self.pages("coach clients", "/api/v1/clients/?page_size=20", pause)
            if pause():
                return
            self.feed(pause)
            if pause():
                return


# --- figures ----------------------------------------------------------------------------


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, math.ceil(q * len(sorted_values)) - 1))  # nearest rank
    return sorted_values[rank]


def report_latency(samples: list[Sample], window: float, begin: float) -> None:
    """Per kind of request, all together, and all after the sign-in burst (each a PBKDF2 hash)."""
    timed = [s for s in samples if s.kind != "unexpected outcome"]
    by_kind: dict[str, list[Sample]] = defaultdict(list)
    for s in timed:
        by_kind[s.kind].append(s)
    print(f"\n{'kind':<22}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}{'errors':>8}")

    def row(name: str, group: list[Sample], span: float = window) -> None:
        values = sorted(s.seconds * 1000 for s in group)
        errors = sum(s.error for s in group)
        print(
            f"{name:<22}{len(group):>9}{len(group) / span:>8.1f}{percentile(values, 0.5):>9.1f}"
            f"{percentile(values, 0.95):>9.1f}{percentile(values, 0.99):>9.1f}{(values[-1] if values else 0):>9.1f}"
            f"{errors:>8}"
        )

    for kind in sorted(by_kind):
        row(kind, by_kind[kind])
    row("all", timed)
    logins = [s.end for s in timed if s.kind == "token login"]
    if logins:
        after = max(logins)
        steady = [s for s in timed if s.end - s.seconds > after]
        span = begin + window - after
        if steady and span > 1:
            print(f"after the last sign-in (from t = {after - begin:.1f} s, {span:.1f} s):")
            row("  sessions PUT+sync", [s for s in steady if s.kind.startswith("session")], span)
            row("  coach (all)", [s for s in steady if s.kind.startswith("coach")], span)
            row("  all", steady, span)


def check_database(coach_id: int, phones: list[Phone]) -> dict[str, int]:
    from django.db import connection
    from django.db.models import Count

    from coaching.models import LoggedSession, LoggedSet

    sent = {sid: t for p in phones for sid, t in p.sessions.items()}
    certain = {sid: t for sid, t in sent.items() if not t.uncertain}
    stored = {
        str(row["id"]): row
        for row in LoggedSession.objects.filter(id__in=list(sent))
        .annotate(set_count=Count("sets"))
        .values("id", "client_modified_at", "deleted_at", "notes", "set_count")
    }
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM (SELECT id FROM coaching_loggedsession GROUP BY id HAVING count(*) > 1) d")
        id_dupes = cursor.fetchone()[0]
    content_dupes = (
        LoggedSession.objects.filter(client__coach_id=coach_id)
        .values("client_id", "performed_at", "notes")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    wrong_sets = wrong_version = missing = 0
    for sid, tracked in certain.items():
        row = stored.get(sid)
        last = tracked.versions[-1]
        if row is None or row["deleted_at"] is not None:
            missing += 1
            continue
        if row["set_count"] != len(last["sets"]):
            wrong_sets += 1
        modified = dt.datetime.fromisoformat(last["client_modified_at"])
        if row["client_modified_at"] != modified or row["notes"] != last["notes"]:
            wrong_version += 1
    total_sessions = LoggedSession.objects.filter(client__coach_id=coach_id).count()
    total_sets = LoggedSet.objects.filter(session__client__coach_id=coach_id).count()
    expected_sets = sum(len(t.versions[-1]["sets"]) for t in certain.values())
    return {
        "sent": len(sent),
        "uncertain": len(sent) - len(certain),
        "stored": total_sessions,
        "missing": missing,
        "id_dupes": id_dupes,
        "content_dupes": content_dupes,
        "wrong_sets": wrong_sets,
        "wrong_version": wrong_version,
        "sets": total_sets,
        "expected_sets": expected_sets if not (len(sent) - len(certain)) else -1,
    }


# --- main -------------------------------------------------------------------------------


def bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}")
        return number

    return parse


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--phones", type=bounded(1, MAX_PHONES), default=50)
    parser.add_argument("--duration", type=bounded(5, MAX_DURATION), default=60, help="seconds of load")
    parser.add_argument("--workers", type=bounded(1, MAX_WORKERS), default=4, help="gunicorn workers")
    parser.add_argument("--conn-max-age", help="DB_CONN_MAX_AGE for the server (default: the production setting, 60 s)")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    base, db_name, db_url = bench_database(args.database_url)

    def terminate(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    var_dir = tempfile.mkdtemp(prefix="hinge-load-")
    static_root = str(Path(var_dir) / "static")
    log = Path(var_dir) / "gunicorn.log"
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DATABASE_URL": db_url,
            "HINGE_VAR_DIR": var_dir,
            "LOG_LEVEL": "WARNING",
            "DEBUG": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        }
    )
    os.environ.pop("REDIS_URL", None)
    proc: subprocess.Popen | None = None
    stop = threading.Event()
    threads: list[threading.Thread] = []
    created = False
    try:
        started = time.perf_counter()
        create_database(base, db_name)
        created = True
        coach_id, accounts, reviews = build_data(args.phones)
        port = free_port()
        env = server_env(db_url, port, args.workers, var_dir, static_root, args.conn_max_age)
        proc = start_server(env, log)
        wait_ready(proc, port, log)
        print(
            f"setup {time.perf_counter() - started:.0f} s: database {db_name}, 1 coach, "
            f"{args.phones} clients, {reviews} reviews; "
            f"gunicorn pid {proc.pid} on 127.0.0.1:{port}, {args.workers} workers (production settings); "
            f"load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )

        recorder = Recorder()
        begin = time.monotonic()
        deadline = begin + args.duration
        ramp = min(5.0, args.duration / 5)
        phones = [Phone(i, a, port, recorder, args.seed) for i, a in enumerate(accounts)]
        coach = Coach(port, recorder, args.seed)
        for i, phone in enumerate(phones):
            start_by = begin + ramp * i / len(phones)
            threads.append(threading.Thread(target=phone.run, args=(start_by, deadline, stop), daemon=True))
        threads.append(threading.Thread(target=coach.run, args=(deadline, stop), daemon=True))
        for t in threads:
            t.start()
        give_up = deadline + REQUEST_TIMEOUT + 10
        while any(t.is_alive() for t in threads) and time.monotonic() < give_up:
            threads[-1].join(0.5)
            for t in threads:
                t.join(0.01)
        stop.set()
        stragglers = sum(t.is_alive() for t in threads)
        window = max(s.end for s in recorder.samples) - begin if recorder.samples else args.duration
        load = os.getloadavg()[0]

        samples = recorder.samples
        timed = [s for s in samples if s.kind != "unexpected outcome"]
        errors = [s for s in samples if s.error]
        print(
            f"\n{args.phones} phones + 1 coach for {args.duration} s ({window:.1f} s with the last answers): "
            f"{len(timed)} requests, {len(timed) / window:.1f} req/s; load average {load:.1f}"
        )
        report_latency(samples, window, begin)
        print(f"\nerrors: {len(errors)}" + (f" (threads still running at the end: {stragglers})" if stragglers else ""))
        for kind_status, n in Counter((s.kind, s.status) for s in errors).most_common():
            print(f"  {kind_status[0]} HTTP {kind_status[1] or 'network error'}: {n}")
        for text in recorder.problems[:10]:
            print(f"  e.g. {text}")
        print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(recorder.statuses.items())))
        stale = sum(v for k, v in recorder.statuses.items() if k in {"PUT stale", "sync stale"})
        print(f"deliberate stale writes answered 409/stale (not errors): {stale}")

        stop_server(proc)
        check = check_database(coach_id, phones)
        dupes = check["id_dupes"] + check["content_dupes"]
        print(
            f"\nduplicates: {dupes} (ids stored more than once: {check['id_dupes']}; "
            f"same client, time and notes under two ids: {check['content_dupes']})"
        )
        print(
            f"sessions in the DB: {check['stored']}; distinct sessions sent: {check['sent']}"
            f" ({check['uncertain']} with a lost answer)"
        )
        print(
            f"  missing: {check['missing']}; set count differs from the last version sent: {check['wrong_sets']}; "
            f"not the last version sent: {check['wrong_version']}"
        )
        expected = "" if check["expected_sets"] < 0 else f" (expected {check['expected_sets']})"
        print(f"  sets in the DB: {check['sets']}{expected}")
        print(f"coach feed (?since=) saw {len(coach.seen)} distinct sessions")
        bad = (
            len(errors)
            + dupes
            + check["missing"]
            + check["wrong_sets"]
            + check["wrong_version"]
            + (check["stored"] != check["sent"])
        )
        return 1 if bad else 0
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the server and dropping the database", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # cleanup is not interrupted
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop.set()
        if proc is not None:
            stop_server(proc)
            if proc.returncode not in (0, None) and log.exists():
                tail = log.read_text(errors="replace")[-2000:]
                print(f"gunicorn exited {proc.returncode}; log tail:\n{tail}", file=sys.stderr)
        if created:
            try:
                drop_database(base, db_name)
            except Exception as exc:  # noqa: BLE001 - report, then go on cleaning
                print(f"could not drop {db_name}: {exc!r}", file=sys.stderr)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
