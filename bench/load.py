"""Load test: phones syncing sessions and a coach paging, against gunicorn on PostgreSQL.

Creates a throwaway database (``<name>_load`` on the server of ``--database-url``), migrates
it, makes one coach with ``--phones`` clients (each with a login and an active assignment) and
two finished weeks of reviews, collects static files into a temporary folder and starts
``gunicorn config.wsgi:application -c gunicorn.conf.py`` under ``config.settings.production``
on 127.0.0.1 (a free port). Then, for ``--duration`` seconds, Locust (``bench/locustfile.py``,
headless, from ``requirements/bench.txt``) runs the load:

- each phone signs in for a token and every 1–4 s sends a session of 4–9 sets, by
  ``PUT /api/v1/sessions/{uuid}/`` or ``POST /api/v1/sessions/sync/``: mostly new sessions, also
  edits (a newer ``client_modified_at``), replays of what was already sent (idempotency:
  ``unchanged``) and, deliberately, an older version (``409`` / ``stale``);
- one coach signs in through the HTML form (CSRF) and pages through ``/dashboard/``,
  ``/api/v1/reviews/``, ``/api/v1/clients/`` and the ``/api/v1/sessions/?since=`` feed.

Prints requests/s, p50/p95/p99 latency (overall and per kind of request), errors (any non-2xx
except the deliberate stale writes and the login form's redirect; network errors; unexpected
sync statuses), and the database check of ``bench/load_check.py``: each session sent stored
once, with the sets and the version last sent. The server is stopped and the database dropped
at the end, also on Ctrl-C.

    make bench-load                                                 # Locust in var/bench-venv
    .venv/bin/python bench/load.py                                  # 50 phones, 60 s, 4 workers
    .venv/bin/python bench/load.py --phones 20 --duration 20 --workers 2 --locust PATH/TO/locust
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
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from load_check import check_database, report

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

    from coaching.clients.services import client_create, client_invite_accept, coach_create
    from coaching.reviews.generation import all_missing_batches, reviews_generate
    from coaching.services.prescriptions import assignment_create
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


# --- the load: Locust ------------------------------------------------------------------


@dataclass
class Sample:
    kind: str
    status: int  # 0: network error
    seconds: float
    error: bool
    end: float


def locust_command(given: str | None) -> str:
    """The Locust of requirements/bench.txt: --locust, $LOCUST, var/bench-venv (make bench-load), or PATH."""
    for candidate in (given, os.environ.get("LOCUST"), str(ROOT / "var" / "bench-venv" / "bin" / "locust")):
        if candidate and Path(candidate).is_file():
            return candidate
    found = shutil.which("locust")
    if found is None:
        sys.exit("Locust not found: `make bench-load`, or install requirements/bench.txt and pass --locust")
    return found


def run_locust(locust: str, port: int, accounts: list[Account], seed: int, duration: int, work: Path) -> dict[str, Any]:
    """Runs bench/locustfile.py headless for ``duration`` s; what it saw (see the locustfile)."""
    setup = work / "accounts.json"
    results = work / "results.json"
    setup.write_text(
        json.dumps(
            {
                "accounts": [asdict(a) for a in accounts],
                "seed": seed,
                "password": PASSWORD,
                "coach_email": COACH_EMAIL,
            }
        )
    )
    users = len(accounts) + 1  # the phones and one coach
    ramp = min(5.0, duration / 5)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env |= {"HINGE_LOAD_ACCOUNTS": str(setup), "HINGE_LOAD_RESULTS": str(results)}
    log = work / "locust.log"
    with log.open("w") as out:
        subprocess.run(
            [
                locust, "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "--only-summary",
                "--host", f"http://127.0.0.1:{port}", "--users", str(users), "--spawn-rate", f"{users / ramp:.2f}",
                "--run-time", f"{duration}s", "--stop-timeout", str(int(REQUEST_TIMEOUT)), "--loglevel", "WARNING",
            ],
            cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT, check=False,
            timeout=duration + REQUEST_TIMEOUT + 120,
        )  # fmt: skip
    if not results.exists():
        sys.exit(f"Locust wrote no results:\n{log.read_text(errors='replace')[-3000:]}")
    return json.loads(results.read_text())


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
    parser.add_argument("--locust", help="the locust command (default: $LOCUST, var/bench-venv, PATH)")
    args = parser.parse_args()
    base, db_name, db_url = bench_database(args.database_url)
    locust = locust_command(args.locust)

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

        seen = run_locust(locust, port, accounts, args.seed, args.duration, Path(var_dir))
        samples = [Sample(*row) for row in seen["samples"]]
        begin = seen["begin"]
        window = max(s.end for s in samples) - begin if samples else args.duration
        load = os.getloadavg()[0]

        timed = [s for s in samples if s.kind != "unexpected outcome"]
        errors = [s for s in samples if s.error]
        print(
            f"\n{args.phones} phones + 1 coach for {args.duration} s ({window:.1f} s with the last answers): "
            f"{len(timed)} requests, {len(timed) / window:.1f} req/s; load average {load:.1f}"
        )
        report_latency(samples, window, begin)
        print(f"\nerrors: {len(errors)}")
        for kind_status, n in Counter((s.kind, s.status) for s in errors).most_common():
            print(f"  {kind_status[0]} HTTP {kind_status[1] or 'network error'}: {n}")
        for text in seen["problems"][:10]:
            print(f"  e.g. {text}")
        print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(seen["outcomes"].items())))
        stale = sum(v for k, v in seen["outcomes"].items() if k in {"PUT stale", "sync stale"})
        print(f"deliberate stale writes answered 409/stale (not errors): {stale}")

        stop_server(proc)
        wrong = report(check_database(coach_id, seen["sessions"]))
        print(f"coach feed (?since=) saw {seen['coach_seen']} distinct sessions")
        bad = len(errors) + wrong
        return 1 if bad else 0
    except KeyboardInterrupt:
        print("\ninterrupted: stopping the server and dropping the database", file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # cleanup is not interrupted
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
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
