"""Load test: phones syncing sessions and coaches paging, against gunicorn on PostgreSQL.

The target (issue 17): 200 phones syncing and 5 coaches browsing for 2 minutes, on loopback, with
0 errors, 0 duplicates, p95 of session writes under 50 ms and p95 of coach pages under 250 ms.
Those are the defaults; the end of the printout is a MET/SHORT verdict per target and, when one is
short, a "short because" line with what was measured (the machine's CPU, the load average, the
server's CPU per request). Exit code: 0 all met; 1 a correctness failure (errors, duplicates, lost
or stale data); 3 only latency short; 130 interrupted.

Creates a throwaway database (``<name>_load`` on the server of ``--database-url``), migrates
it, makes ``--coaches`` coaches with ``--phones`` clients between them (each with a login and an
active assignment) and two finished weeks of reviews, collects static files into a temporary
folder and starts ``gunicorn config.wsgi:application -c gunicorn.conf.py`` under
``config.settings.production`` on 127.0.0.1 (a free port; ``--workers`` × ``--threads``). Then,
for ``--duration`` seconds, Locust (``bench/locustfile.py``, headless, from
``requirements/bench.txt``) runs the load:

- each phone (Locust's ``FastHttpUser``) holds a token, as a phone that signed in earlier does
  (made at setup; with ``--sign-in`` each phone signs in at start instead, a PBKDF2 hash each on
  the server), and every 1–4 s (``--phone-wait``) sends a session of 4–9 sets, by ``PUT /api/v1/sessions/{uuid}/``
  or ``POST /api/v1/sessions/sync/``: mostly new sessions, also edits (a newer
  ``client_modified_at``), replays of what was already sent (idempotency: ``unchanged``) and,
  deliberately, an older version (``409`` / ``stale``);
- each coach signs in through the HTML form (CSRF) and pages through ``/dashboard/``,
  ``/api/v1/reviews/``, ``/api/v1/clients/`` and the ``/api/v1/sessions/?since=`` feed.

Prints requests/s, p50/p95/p99 latency (overall and per kind of request), errors (any non-2xx
except the deliberate stale writes and the login form's redirect; network errors; unexpected
sync statuses), and the database check of ``bench/load_check.py``: each session sent stored
once, with the sets and the version last sent. The server is stopped and the database dropped
at the end, also on Ctrl-C. Locust, gunicorn and PostgreSQL share this machine's cores: on a
small or busy machine the latency figures are pessimistic (the "short because" line says so).

    make bench-load                                                 # Locust in var/bench-venv
    .venv/bin/python bench/load.py --locust PATH/TO/locust          # the target: 200 + 5, 120 s
    .venv/bin/python bench/load.py --phones 20 --coaches 1 --duration 20 --locust PATH/TO/locust
    .venv/bin/python bench/load.py --phone-wait 30 90 --locust PATH/TO/locust   # a client's pace: a set, a rest
    .venv/bin/python bench/load.py --database-url postgres://postgres@127.0.0.1:5432/hinge --workers 2 --threads 4
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
import resource
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
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from load_check import check_database, report

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/hinge"
PASSWORD = "Kettlebell-Swing-7431!"
REQUEST_TIMEOUT = 30.0  # seconds per request
MAX_PHONES, MAX_COACHES, MAX_DURATION, MAX_WORKERS, MAX_THREADS = 500, 20, 600, 16, 16
# The target's scenario (issue 17): the defaults.
PHONES, COACHES, DURATION = 200, 5, 120
PHONE_WAIT = (1.0, 4.0)  # seconds between a phone's writes: ~80 writes/s from 200 phones
# gunicorn.conf.py's own defaults (2 x cores + 1 workers of 1 thread), as production runs: a write
# then never waits behind a coach's page for its worker's GIL (with 2 workers x 4 threads, at a
# client's pace, the writes' p95 was 106 ms; with 5 x 1, 42 ms).
WORKERS, THREADS = min(MAX_WORKERS, 2 * (os.cpu_count() or 1) + 1), 1
WRITE_P95_MS, COACH_P95_MS = 50.0, 250.0
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
    token: str | None = None  # signed in earlier (None: the phone signs in at start)


def coach_email(k: int) -> str:
    return f"coach{k}@load.bench"


def build_data(phones: int, coaches: int = 1, sign_in: bool = False) -> tuple[list[int], list[Account], int]:
    """The coaches, clients with logins and assignments (the services; phone ``i`` is a client of
    coach ``i % coaches``), a token per phone unless ``sign_in``, and past weeks' reviews."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)

    from decimal import Decimal

    from knox.models import AuthToken

    from coaching.clients.services import client_create, client_invite_accept, client_login_create, coach_create
    from coaching.reviews.generation import all_missing_batches, reviews_generate
    from coaching.services.prescriptions import assignment_create
    from programs.lines import Line
    from programs.models import Exercise as ExerciseModel

    library = {e.slug: e for e in ExerciseModel.objects.filter(owner__isnull=True, slug__in=EXERCISES)}
    slugs = [s for s in EXERCISES if s in library]
    if len(slugs) < 3:
        sys.exit(f"the exercise library lacks the exercises this benchmark uses: {EXERCISES}")
    team = [
        coach_create(email=coach_email(k), password=PASSWORD, name=f"Load Coach {k}", validate=False)
        for k in range(coaches)
    ]
    today = dt.datetime.now(dt.UTC).date()  # the coach's time zone is UTC
    start = today - dt.timedelta(days=today.weekday() + 14)  # two finished weeks to review
    accounts = []
    for i in range(phones):
        coach = team[i % coaches]
        client = client_create(coach=coach, name=f"Phone {i:03d}", email=f"phone{i:03d}@load.bench")
        if sign_in:
            client_invite_accept(token=client.invite_token, password=PASSWORD)  # the login (one hash each)
        else:
            client = client_login_create(client=client, password=None)  # the login; its token below
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
        token = None if sign_in else AuthToken.objects.create(user=client.user)[1]
        accounts.append(
            Account(email=client.email, assignment=assignment.pk, exercises=exercises, unit=unit, token=token)
        )
    reviews = reviews_generate(all_missing_batches()).created
    return [c.pk for c in team], accounts, reviews


def worker_restarts(log_text: str) -> int:
    """How many times gunicorn restarted a worker after its ``max_requests`` (its log's line)."""
    return log_text.count("Autorestarting worker after current request")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(
    db_url: str, port: int, workers: int, threads: int, var_dir: str, static_root: str, conn_max_age: str | None
) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DEBUG", "DB_CONN_MAX_AGE"}}
    alphabet = string.ascii_letters + string.digits + "!#%*+-.:=?@^_~"
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(60)),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": db_url,
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": str(threads),
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
            return str(Path(candidate).absolute())  # Locust runs in the work folder
    found = shutil.which("locust")
    if found is None:
        sys.exit("Locust not found: `make bench-load`, or install requirements/bench.txt and pass --locust")
    return found


def run_locust(
    locust: str,
    port: int,
    accounts: list[Account],
    coaches: int,
    seed: int,
    duration: int,
    work: Path,
    phone_wait: Sequence[float] = PHONE_WAIT,
) -> dict[str, Any]:
    """Runs bench/locustfile.py headless for ``duration`` s; what it saw (see the locustfile)."""
    setup = work / "accounts.json"
    results = work / "results.json"
    setup.write_text(
        json.dumps(
            {
                "accounts": [asdict(a) for a in accounts],
                "seed": seed,
                "password": PASSWORD,
                "coach_emails": [coach_email(k) for k in range(coaches)],
                "phone_wait": list(phone_wait),
            }
        )
    )
    users = len(accounts) + coaches
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


# --- the machine while the load ran: CPU and load average -------------------------------


def cpu_jiffies(stat: str | None = None) -> tuple[int, int]:
    """(busy, total) CPU time of the whole machine so far, from ``/proc/stat``'s ``cpu`` line
    (busy: all but idle and iowait); (0, 0) where there is no /proc."""
    if stat is None:
        try:
            stat = Path("/proc/stat").read_text()
        except OSError:
            return 0, 0
    fields = [int(v) for v in stat.splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    total = sum(fields[:8])  # guest time is already inside user time
    return total - idle, total


def process_tree_cpu(root: int) -> float:
    """CPU seconds of ``root`` and its children, live and reaped (gunicorn recycles its workers:
    a reaped worker's time is in its master's ``cutime``/``cstime``)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) "
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == root:
            total += sum(int(v) for v in fields[11:15]) / tick  # utime stime cutime cstime
        elif ppid == root:
            total += sum(int(v) for v in fields[11:13]) / tick
    return total


class LoadSampler(threading.Thread):
    """The 1-minute load average every ``every`` s while the load runs: the highest is kept."""

    def __init__(self, every: float = 2.0) -> None:
        super().__init__(daemon=True)
        self.every, self.highest, self.done = every, os.getloadavg()[0], threading.Event()

    def run(self) -> None:
        while not self.done.wait(self.every):
            self.highest = max(self.highest, os.getloadavg()[0])

    def stop(self) -> float:
        self.done.set()
        self.join(timeout=self.every * 2)
        return max(self.highest, os.getloadavg()[0])


@dataclass(frozen=True)
class Machine:
    """What the machine did over the load window (every figure measured, none guessed)."""

    cores: int
    busy: float  # share of all the cores' time spent busy, by every process on the machine (0..1)
    load_start: float
    load_max: float
    load_end: float
    server_cpu: float  # CPU seconds of gunicorn (master and workers)
    locust_cpu: float  # CPU seconds of the Locust process (the load generator, on the same cores)
    window: float  # seconds
    requests: int


# --- the verdict ------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    errors: int
    duplicates: int
    wrong: int  # sessions lost, with other sets or not the version last sent; stored != sent
    write_p95: float  # ms, PUT and sync
    coach_p95: float  # ms, the coach's pages and API lists (not the sign-in form)
    writes: int = 0
    coach_pages: int = 0


@dataclass(frozen=True)
class Verdict:
    target: str
    met: bool
    measured: str
    correctness: bool  # a wrong answer or wrong data, not only slow


def verdicts(f: Figures, write_limit: float = WRITE_P95_MS, coach_limit: float = COACH_P95_MS) -> list[Verdict]:
    """One per target; a p95 with nothing measured (NaN) is short."""

    def under(value: float, limit: float) -> bool:
        return not math.isnan(value) and value < limit

    return [
        Verdict("0 errors", f.errors == 0, f"{f.errors} errors", True),
        Verdict("0 duplicates", f.duplicates == 0, f"{f.duplicates} duplicates", True),
        Verdict("no lost or stale data", f.wrong == 0, f"{f.wrong} sessions lost or not as last sent", True),
        Verdict(
            f"p95 of session writes under {write_limit:g} ms",
            under(f.write_p95, write_limit),
            f"p95 {f.write_p95:.1f} ms of {f.writes} writes",
            False,
        ),
        Verdict(
            f"p95 of coach pages under {coach_limit:g} ms",
            under(f.coach_p95, coach_limit),
            f"p95 {f.coach_p95:.1f} ms of {f.coach_pages} pages",
            False,
        ),
    ]


def exit_code(results: list[Verdict]) -> int:
    """0: all met; 1: a correctness target short (whatever the latency); 3: only latency short."""
    if any(not v.met and v.correctness for v in results):
        return 1
    return 0 if all(v.met for v in results) else 3


SATURATED = 0.9  # the machine's cores this busy: the latency is the CPU's queue


def short_because(results: list[Verdict], m: Machine) -> str | None:
    """Why a latency target is short, from what was measured; None when none is."""
    if all(v.met for v in results if not v.correctness):
        return None
    per_second = m.window or 1.0
    server = f"gunicorn {m.server_cpu / per_second:.2f} CPU-s/s"
    if m.requests:
        server += f", {1000 * m.server_cpu / m.requests:.1f} ms CPU per request"
    share = f"the {m.cores} cores {100 * m.busy:.0f}% busy over the load"
    load = f"load average {m.load_start:.1f} at the start, {m.load_max:.1f} at most, {m.load_end:.1f} at the end"
    rest = max(0.0, m.busy * m.cores - (m.server_cpu + m.locust_cpu) / per_second)
    locust = f"Locust {m.locust_cpu / per_second:.2f} CPU-s/s"
    split = f"{server}; {locust}; PostgreSQL and other processes {rest:.2f} CPU-s/s"
    if m.busy >= SATURATED or m.load_max >= 2 * m.cores:
        return f"short because: CPU saturation: {share} ({split}); {load}"
    return f"short because: not CPU-bound ({share}; {split}); {load}: waiting (locks, I/O or too few threads)"


# --- main -------------------------------------------------------------------------------
def bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(value: str) -> int:
        number = int(value)
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}")
        return number

    return parse


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--phones", type=bounded(1, MAX_PHONES), default=PHONES, help="phones syncing")
    parser.add_argument("--coaches", type=bounded(1, MAX_COACHES), default=COACHES, help="coaches browsing")
    parser.add_argument("--duration", type=bounded(5, MAX_DURATION), default=DURATION, help="seconds of load")
    parser.add_argument("--workers", type=bounded(1, MAX_WORKERS), default=WORKERS, help="gunicorn workers")
    parser.add_argument("--threads", type=bounded(1, MAX_THREADS), default=THREADS, help="threads per worker")
    parser.add_argument("--sign-in", action="store_true", help="phones sign in at start (a PBKDF2 hash each)")
    parser.add_argument("--conn-max-age", help="DB_CONN_MAX_AGE for the server (default: the production setting, 60 s)")
    parser.add_argument(
        "--phone-wait",
        nargs=2,
        type=float,
        metavar=("LOW", "HIGH"),
        default=list(PHONE_WAIT),
        help="seconds each phone waits between writes, drawn between LOW and HIGH (default: 1 4, about 40 times"
        " the pace of a client logging a set between rests)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--locust", help="the locust command (default: $LOCUST, var/bench-venv, PATH)")
    args = parser.parse_args(argv)
    low, high = args.phone_wait
    if not 0 < low <= high <= MAX_DURATION:
        parser.error(f"--phone-wait: 0 < LOW <= HIGH <= {MAX_DURATION}")
    return args


def figures(samples: list[Sample], errors: int, check: dict[str, int], wrong_total: int) -> Figures:
    """The verdict's figures from the run's samples and the database check (``load_check``)."""
    timed = [s for s in samples if s.kind != "unexpected outcome"]
    writes = sorted(s.seconds * 1000 for s in timed if s.kind.startswith("session"))
    pages = sorted(s.seconds * 1000 for s in timed if s.kind.startswith("coach") and s.kind != "coach login form")
    duplicates = check["id_dupes"] + check["content_dupes"]
    return Figures(
        errors=errors,
        duplicates=duplicates,
        wrong=wrong_total - duplicates,
        write_p95=percentile(writes, 0.95),
        coach_p95=percentile(pages, 0.95),
        writes=len(writes),
        coach_pages=len(pages),
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
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
        coach_ids, accounts, reviews = build_data(args.phones, args.coaches, args.sign_in)
        port = free_port()
        env = server_env(db_url, port, args.workers, args.threads, var_dir, static_root, args.conn_max_age)
        proc = start_server(env, log)
        wait_ready(proc, port, log)
        print(
            f"setup {time.perf_counter() - started:.0f} s: database {db_name}, {args.coaches} coaches, "
            f"{args.phones} clients ({'signing in at start' if args.sign_in else 'signed in earlier'}), "
            f"{reviews} reviews; gunicorn pid {proc.pid} on 127.0.0.1:{port}, {args.workers} workers x "
            f"{args.threads} threads (production settings); each phone writes every {args.phone_wait[0]:g}-"
            f"{args.phone_wait[1]:g} s; {os.cpu_count()} cores, "
            f"load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )

        sampler = LoadSampler()
        load_start = os.getloadavg()[0]
        sampler.start()
        busy0, total0 = cpu_jiffies()
        server0 = process_tree_cpu(proc.pid)
        children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        seen = run_locust(
            locust, port, accounts, args.coaches, args.seed, args.duration, Path(var_dir), args.phone_wait
        )
        children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        server_cpu = process_tree_cpu(proc.pid) - server0
        busy1, total1 = cpu_jiffies()
        load_max = sampler.stop()
        load_end = os.getloadavg()[0]

        samples = [Sample(*row) for row in seen["samples"]]
        begin = seen["begin"]
        window = max(s.end for s in samples) - begin if samples else args.duration
        timed = [s for s in samples if s.kind != "unexpected outcome"]
        errors = [s for s in samples if s.error]
        print(
            f"\n{args.phones} phones + {args.coaches} coaches for {args.duration} s ({window:.1f} s with the last "
            f"answers): {len(timed)} requests, {len(timed) / window:.1f} req/s; load average {load_end:.1f}"
        )
        report_latency(samples, window, begin)
        print(f"\nerrors: {len(errors)}")
        for kind_status, n in Counter((s.kind, s.status) for s in errors).most_common():
            print(f"  {kind_status[0]} HTTP {kind_status[1] or 'network error'}: {n}")
        for text in seen["problems"][:10]:
            print(f"  e.g. {text}")
        restarts = worker_restarts(log.read_text(errors="replace") if log.exists() else "")
        print(
            f"gunicorn worker restarts (max_requests) during the run: {restarts}"
            + (
                " (a network error can be a kept-alive connection the restarting worker closed as the client reused it)"
                if restarts and any(s.status == 0 for s in errors)
                else ""
            )
        )
        print("outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(seen["outcomes"].items())))
        stale = sum(v for k, v in seen["outcomes"].items() if k in {"PUT stale", "sync stale"})
        print(f"deliberate stale writes answered 409/stale (not errors): {stale}")

        stop_server(proc)
        check = check_database(coach_ids, seen["sessions"])
        wrong = report(check)
        print(f"coach feeds (?since=) saw {seen['coach_seen']} distinct sessions")

        machine = Machine(
            cores=os.cpu_count() or 1,
            busy=(busy1 - busy0) / (total1 - total0) if total1 > total0 else float("nan"),
            load_start=load_start,
            load_max=load_max,
            load_end=load_end,
            server_cpu=server_cpu,
            locust_cpu=(children1.ru_utime + children1.ru_stime) - (children0.ru_utime + children0.ru_stime),
            window=window,
            requests=len(timed),
        )
        results = verdicts(figures(samples, len(errors), check, wrong))
        print("\ntargets (issue 17):")
        for v in results:
            print(f"  {'MET  ' if v.met else 'SHORT'} {v.target}: {v.measured}")
        because = short_because(results, machine)
        if because:
            print(because)
        else:
            busy = f"{100 * machine.busy:.0f}%"
            print(f"machine: the {machine.cores} cores {busy} busy, load average at most {load_max:.1f}")
        return exit_code(results)
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
