"""Benchmark (issue 17): every coach page, phone page and API list at a small and a big roster, and
at one and three years of one client's history.

Seeds four coaches with ``coaching/seed.py`` (bulk inserts): ``small`` (10 clients) and ``big``
(500 clients), each client with a year of training, and ``1y`` / ``3y``, one client each with one
and three years. Weekly reviews are generated through the real generation service and approved
(a few rejected) through the real approve service: every week for the two deep clients, the last
``--review-weeks`` weeks for the rosters, the latest week left pending. Then each page is
requested through Django's test client, signed in (a session for web pages, a knox token for the
API), and measured: median server ms over ``--runs`` runs, SQL queries, rows the database
returned (``tests/rows.py``), response bytes. The table gives, per page, the big/small ratio
(target <= 1.5x), the 3y/1y ratio (target <= 1.2x), ms at the big roster (target <= 150 ms) and
bytes (HTML target < 150 kB), each MET or SHORT. Then the session feed walked from its start
(target: 78,500 sessions in < 10 s, projected from the rate) and one week's reviews regenerated
through the service in a rolled-back transaction (target >= 500 reviews/s at the big roster, cost
per review 3y/1y <= 1.2x, with the pure engine's rate on the same inputs), and a summary line.

    .venv/bin/python bench/scale.py --quick                 # SQLite, a few minutes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hinge .venv/bin/python bench/scale.py --quick
    DATABASE_URL=... .venv/bin/python bench/scale.py --keep  # full figures, seed kept for next time
    DATABASE_URL=... .venv/bin/python bench/scale.py --keep --only "coach dashboard" --explain "coach dashboard"
    ... --json var/before.json                               # every figure, to compare before and after

Quick mode: 10 vs 100 clients with 8 weeks each (the deep clients keep 1 and 3 years). The seed
goes to ``<name>_scale_quick`` / ``<name>_scale_full`` (SQLite: ``var/scale_*.sqlite3`` with
``--keep``, a temporary file without); ``--keep`` reuses it when already seeded.
Timings are wall clock in this process on a possibly shared machine: compare within one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _setup import counting_queries  # noqa: E402

ROSTER_RATIO = 1.5  # big roster / small roster
DEPTH_RATIO = 1.2  # 3 years / 1 year
MAX_MS = 150.0  # at the big roster
MAX_BYTES = 150_000  # HTML pages
FEED_TARGET_S = 10.0  # the whole feed of 78,500 sessions
FEED_FULL_SESSIONS = 78_500
REVIEWS_PER_S = 500  # generation on one worker, one year of history
SUBJECTS = ("small", "page", "big", "1y", "3y")
# A year is 155 sessions, less than the feed's default page of 200: the first page holds a whole
# year at 1y and a full page at 3y. These rows ask for 100 a page, which both histories fill.
FEED_FULL_PAGES = "API session feed, 100 a page"
PHONE_FEED_FULL_PAGES = "API phone: feed, 100 a page"


@dataclass(frozen=True)
class Sizes:
    small: int = 10
    page: int = 50  # a roster that just fills a list's page (50 rows), so paged lists compare like with like
    big: int = 500
    weeks: int = 52
    deep: tuple[int, int] = (52, 156)
    review_weeks: int = 8
    runs: int = 7

    @classmethod
    def quick(cls) -> Sizes:
        return cls(small=10, page=50, big=100, weeks=8, review_weeks=2, runs=5)

    def clients(self, key: str) -> int:
        return {"small": self.small, "page": self.page, "big": self.big}.get(key, 1)

    def history_weeks(self, key: str) -> int:
        return {"1y": self.deep[0], "3y": self.deep[1]}.get(key, self.weeks)


@dataclass
class Subject:
    """One seeded coach and the client whose pages are measured."""

    key: str
    coach: Any
    client: Any
    assignment: Any
    review_id: int | None
    session_id: str | None
    sessions: int = 0


@dataclass
class Page:
    name: str
    url: str
    who: str  # "coach" (web, session), "client" (web, session), "coach-api", "client-api" (token)
    html: bool = True
    # A list of one row per client (or review) a page: at 10 clients it shows 10 rows, at 500 a
    # full page of 50, so its roster ratio also compares the big roster with one that fills a page.
    paged: bool = False


@dataclass
class Measure:
    ms: float
    queries: int
    rows: int
    bytes: int
    status: int
    runs: list[float] = field(default_factory=list)
    top: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Walk:
    """The session feed walked from the beginning to its end, as a new phone or an integration would."""

    sessions: int
    requests: int
    seconds: float
    queries: int
    rows: int
    per_request_ms: float


# --- seeding -------------------------------------------------------------------------------------


def coach_email(key: str) -> str:
    return f"scale-{key}@example.com"


def this_monday() -> dt.date:
    from django.utils import timezone

    from coaching.weeks import monday_of

    return monday_of(timezone.now().date())


def seed_subject(key: str, *, clients: int, weeks: int, review_weeks: int | None, log: Callable[[str], None]) -> None:
    """A coach with ``clients`` clients, each with ``weeks`` weeks of history ending now, and reviews
    (through the services) of the last ``review_weeks`` finished weeks (None: every week). One
    transaction: an interrupted seed leaves no coach behind for ``--keep`` to take as complete."""
    from django.db import transaction
    from django.utils import timezone

    from coaching.seed import coach_seed, roster_seed

    with transaction.atomic():
        t0 = time.perf_counter()
        coach = coach_seed(email=coach_email(key))
        start = this_monday() - dt.timedelta(weeks=weeks - 1)
        roster = roster_seed(
            coach, clients=clients, weeks=weeks, start=start, prefix=f"scale {key}", until=timezone.now()
        )
        seeded = time.perf_counter() - t0
        finished = weeks - 1  # the current week is not over
        reviewed = finished if review_weeks is None else min(review_weeks, finished)
        weeks_reviewed = [this_monday() - dt.timedelta(weeks=back) for back in range(reviewed, 0, -1)]
        t0 = time.perf_counter()
        made = reviews_through_services(roster.coach, [a.pk for a in roster.assignments], weeks_reviewed)
    log(
        f"  seeded {key}: {clients} clients x {weeks} weeks in {seeded:.1f} s; "
        f"{made} reviews generated and decided through the services in {time.perf_counter() - t0:.1f} s"
    )


def reviews_through_services(coach: Any, assignment_ids: Sequence[int], weeks: Sequence[dt.date]) -> int:
    """Generate each week's reviews, then decide all but the latest week's: approve (so the next
    week's prescription is the approved one), one in ten rejected. Returns the reviews made."""
    from django.conf import settings
    from django.db import transaction

    from coaching.models import WeeklyReview
    from coaching.reviews.decisions import review_approve, review_reject
    from coaching.reviews.generation import reviews_generate_batch

    size = settings.REVIEW_BATCH_SIZE
    made = 0
    for n, week in enumerate(weeks):
        for i in range(0, len(assignment_ids), size):
            summary = reviews_generate_batch(week_start=week, assignment_ids=assignment_ids[i : i + size], notify=False)
            made += summary.created
        if n == len(weeks) - 1:
            break  # the latest week stays pending: the queue has work
        pending = WeeklyReview.objects.filter(
            week_start=week, assignment_id__in=assignment_ids, status=WeeklyReview.Status.PENDING
        ).order_by("pk")
        for k, review in enumerate(pending):
            with transaction.atomic():
                if k % 10 == 9:
                    review_reject(review=review, user=coach.user)
                else:
                    review_approve(review=review, user=coach.user)
    return made


def seed_all(sizes: Sizes, *, keep: bool, log: Callable[[str], None] = print) -> None:
    from coaching.models import Coach

    for key in SUBJECTS:
        if keep and Coach.objects.filter(user__email=coach_email(key)).exists():
            log(f"  {key}: kept from an earlier run")
            continue
        deep = key in ("1y", "3y")
        seed_subject(
            key,
            clients=sizes.clients(key),
            weeks=sizes.history_weeks(key),
            review_weeks=None if deep else sizes.review_weeks,
            log=log,
        )


def analyze() -> None:
    """Fresh planner statistics (PostgreSQL), as autovacuum would have them by now: without them
    a freshly bulk-loaded table may be planned as if empty."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def subject(key: str) -> Subject:
    """The seeded coach ``key`` and its first client (with their latest review and session)."""
    from coaching.models import Client, Coach, LoggedSession, WeeklyReview

    coach = Coach.objects.select_related("user").get(user__email=coach_email(key))
    client = Client.objects.select_related("user").filter(coach=coach).order_by("pk").first()
    assert client is not None, f"coach {key} has no client"
    assignment = client.assignments.order_by("pk").first()
    reviews = WeeklyReview.objects.filter(assignment__client=client).order_by("-week_start")
    review = reviews.filter(status=WeeklyReview.Status.PENDING).first() or reviews.first()
    session = LoggedSession.objects.filter(client=client).order_by("-performed_at").first()
    return Subject(
        key=key,
        coach=coach,
        client=client,
        assignment=assignment,
        review_id=review.pk if review else None,
        session_id=str(session.pk) if session else None,
        sessions=LoggedSession.objects.filter(client__coach=coach).count(),
    )


# --- measuring ------------------------------------------------------------------------------------


def pages(s: Subject) -> list[Page]:
    """Every coach page, phone page and API list, for this subject's coach and client."""
    listed = [
        Page("coach dashboard", "/dashboard/", "coach"),
        Page("coach clients list", "/clients/", "coach", paged=True),
        Page("coach client page", f"/clients/{s.client.pk}/", "coach"),
        Page("review queue, pending", "/reviews/", "coach", paged=True),
        Page("review queue, all statuses", "/reviews/?status=all", "coach", paged=True),
        Page("exercise library", "/exercises/", "coach"),
        Page("program templates", "/programs/", "coach"),
        Page("phone Today", "/today/", "client"),
        Page("phone History", "/history/", "client"),
        Page("API clients", "/api/v1/clients/", "coach-api", html=False, paged=True),
        Page("API assignments", "/api/v1/assignments/", "coach-api", html=False, paged=True),
        Page("API reviews, all", "/api/v1/reviews/", "coach-api", html=False, paged=True),
        Page("API reviews, pending", "/api/v1/reviews/?status=pending", "coach-api", html=False, paged=True),
        Page("API session feed, 1st page", "/api/v1/sessions/", "coach-api", html=False),
        Page(FEED_FULL_PAGES, "/api/v1/sessions/?limit=100", "coach-api", html=False),
        Page("API phone: my assignment", "/api/v1/me/assignment/", "client-api", html=False),
        Page("API phone: feed, 1st page", "/api/v1/sessions/", "client-api", html=False),
        Page(PHONE_FEED_FULL_PAGES, "/api/v1/sessions/?limit=100", "client-api", html=False),
    ]
    if s.review_id is not None:
        listed.insert(5, Page("review page", f"/reviews/{s.review_id}/", "coach"))
        listed.append(Page("API review", f"/api/v1/reviews/{s.review_id}/", "coach-api", html=False))
    if s.session_id is not None:
        after = next(n for n, page in enumerate(listed) if page.name == "phone History") + 1
        listed.insert(after, Page("phone session (thread)", f"/history/{s.session_id}/thread/", "client"))
    return listed


def browsers(s: Subject) -> dict[str, Any]:
    """Signed-in test clients: web pages by session, the API by a fresh knox token."""
    from django.test import Client as Browser
    from knox.models import AuthToken

    coach, client = Browser(), Browser()
    coach.force_login(s.coach.user)
    client.force_login(s.client.user)
    _, coach_token = AuthToken.objects.create(user=s.coach.user)
    _, client_token = AuthToken.objects.create(user=s.client.user)
    return {
        "coach": coach,
        "client": client,
        "coach-api": Browser(headers={"Authorization": f"Token {coach_token}"}),
        "client-api": Browser(headers={"Authorization": f"Token {client_token}"}),
    }


def counted(browser: Any, url: str) -> Measure:
    """One request with its queries, rows and bytes counted (also the warm-up); no time yet."""
    from tests.rows import count_rows

    with counting_queries() as queries, count_rows() as rows:
        response = browser.get(url)
    return Measure(
        ms=0.0,
        queries=queries[0],
        rows=rows.rows,
        bytes=len(response.content),
        status=response.status_code,
        top=rows.top(3),
    )


def timed(browser: Any, url: str) -> float:
    t0 = time.perf_counter()
    browser.get(url)
    return (time.perf_counter() - t0) * 1000


def measure(browser: Any, url: str, *, runs: int) -> Measure:
    """One counted request, then ``runs`` timed ones: the median ms."""
    result = counted(browser, url)
    result.runs = [timed(browser, url) for _ in range(runs)]
    result.ms = statistics.median(result.runs) if result.runs else 0.0
    return result


def measure_all(subjects: dict[str, Subject], *, runs: int, only: Sequence[str] = ()) -> dict[str, dict[str, Measure]]:
    """Every page of every subject. The timed requests of one page take turns between the
    subjects, so that a burst of load on the shared machine hits both sides of a ratio alike."""
    signed = {key: browsers(s) for key, s in subjects.items()}
    plan = {key: {page.name: page for page in pages(s)} for key, s in subjects.items()}
    names = [name for name in {name: None for by_name in plan.values() for name in by_name} if not only or name in only]
    results: dict[str, dict[str, Measure]] = {key: {} for key in subjects}
    for name in names:
        here = {
            key: (signed[key][by_name[name].who], by_name[name].url) for key, by_name in plan.items() if name in by_name
        }
        for key, (browser, url) in here.items():
            results[key][name] = counted(browser, url)
        for _ in range(runs):
            for key, (browser, url) in here.items():
                results[key][name].runs.append(timed(browser, url))
        for key in here:
            result = results[key][name]
            result.ms = statistics.median(result.runs) if result.runs else 0.0
    return results


def walk_feed(browser: Any, *, limit: int | None = None) -> Walk:
    """Follow ``next_cursor`` from the beginning until ``has_more`` is false (or ``limit`` requests)."""
    from tests.rows import count_rows

    url, seen, requests, times = "/api/v1/sessions/", 0, 0, []
    with counting_queries() as queries, count_rows() as rows:
        t_all = time.perf_counter()
        while True:
            t0 = time.perf_counter()
            response = browser.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.content[:300]
            body = json.loads(response.content)
            seen += len(body["results"])
            requests += 1
            if not body["has_more"] or (limit is not None and requests >= limit):
                break
            url = f"/api/v1/sessions/?since={body['next_cursor']}"
        seconds = time.perf_counter() - t_all
    return Walk(
        sessions=seen,
        requests=requests,
        seconds=seconds,
        queries=queries[0],
        rows=rows.rows,
        per_request_ms=statistics.median(times),
    )


@dataclass
class Generation:
    """One week's reviews of a subject's roster regenerated (in a transaction rolled back after)."""

    reviews: int
    seconds: float
    queries: int
    engine_seconds: float | None  # the engine alone (metrics and proposals) on the same inputs

    @property
    def per_second(self) -> float:
        return self.reviews / self.seconds if self.seconds else 0.0

    @property
    def ms_per_review(self) -> float:
        return 1000 * self.seconds / self.reviews if self.reviews else 0.0


def engine_seconds(week: dt.date, assignment_ids: Sequence[int]) -> float | None:
    """The pure engine's time on the inputs the generation reads: the compute limit of the pipeline.
    None when the generation module no longer has these steps (the figure is then left out)."""
    from django.conf import settings

    try:
        from coaching.reviews.generation import _judge, batch_inputs, batch_reads
    except ImportError:
        return None
    size = settings.REVIEW_BATCH_SIZE
    total = 0.0
    for i in range(0, len(assignment_ids), size):
        inputs = batch_inputs(batch_reads(week_start=week, assignment_ids=assignment_ids[i : i + size], reviewed=True))
        t0 = time.perf_counter()
        for review in inputs.reviews:
            _judge(review, week)
        total += time.perf_counter() - t0
    return total


def generation(s: Subject) -> Generation | None:
    """Regenerate the subject's latest pending week of reviews through the real service, timed,
    then roll back: the seed is left as it was."""
    from django.conf import settings
    from django.db import transaction

    from coaching.models import Assignment, WeeklyReview
    from coaching.reviews.generation import reviews_generate_batch

    pending = WeeklyReview.objects.filter(assignment__client__coach=s.coach, status=WeeklyReview.Status.PENDING)
    week = pending.order_by("-week_start").values_list("week_start", flat=True).first()
    if week is None:
        return None
    ids = list(
        Assignment.objects.filter(client__coach=s.coach, is_active=True).order_by("pk").values_list("pk", flat=True)
    )
    size = settings.REVIEW_BATCH_SIZE
    with transaction.atomic():
        WeeklyReview.objects.filter(assignment_id__in=ids, week_start=week).delete()
        engine = engine_seconds(week, ids)
        with counting_queries() as queries:
            t0 = time.perf_counter()
            made = sum(
                reviews_generate_batch(week_start=week, assignment_ids=ids[i : i + size], notify=False).created
                for i in range(0, len(ids), size)
            )
            elapsed = time.perf_counter() - t0
        transaction.set_rollback(True)
    return Generation(reviews=made, seconds=elapsed, queries=queries[0], engine_seconds=engine)


def generations(subjects: dict[str, Subject], *, runs: int, deep_runs: int | None = None) -> dict[str, Generation]:
    """The median run (by time) of each subject's regeneration, runs taking turns between subjects;
    the one-client subjects (a review in ~0.1 s) ``deep_runs`` times, for a steadier 3y/1y ratio."""
    tried: dict[str, list[Generation]] = {key: [] for key in subjects}
    deep_runs = runs if deep_runs is None else deep_runs
    for n in range(max(runs, deep_runs, 1)):
        for key, s in subjects.items():
            if n >= (deep_runs if key in ("1y", "3y") else runs):
                continue
            made = generation(s)
            if made is not None and made.reviews:
                tried[key].append(made)
    return {key: sorted(got, key=lambda g: g.seconds)[len(got) // 2] for key, got in tried.items() if got}


def generation_lines(made: dict[str, Generation]) -> tuple[list[str], list[bool]]:
    lines, checks = [], []
    for key, g in made.items():
        engine = ""
        if g.engine_seconds:
            rate, share = g.reviews / g.engine_seconds, g.engine_seconds / g.seconds
            engine = f"; the engine alone {rate:,.0f}/s: the pipeline at {share:.0%} of it"
        lines.append(
            f"review generation {key:<6} {g.reviews:>4} reviews in {g.seconds * 1000:8.1f} ms = {g.per_second:6.0f}/s"
            f" ({g.ms_per_review:.1f} ms/review, {g.queries} queries{engine})"
        )
    if "big" in made:
        ok = made["big"].per_second >= REVIEWS_PER_S
        checks.append(ok)
        lines.append(
            f"  -> at the big roster: {made['big'].per_second:.0f} reviews/s (target >= {REVIEWS_PER_S}) {verdict(ok)}"
        )
    if "1y" in made and "3y" in made:
        one, three = made["1y"].ms_per_review, made["3y"].ms_per_review
        ok = three <= DEPTH_RATIO * one
        checks.append(ok)
        lines.append(f"  -> ms per review, 3y / 1y: x{three / one:.2f} (target <= {DEPTH_RATIO}) {verdict(ok)}")
    return lines, checks


def explain(s: Subject, name: str, *, minimum_ms: float = 1.0) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the SELECTs one page runs for this subject (PostgreSQL), each
    plan that takes at least ``minimum_ms``: which index serves it and how many rows it reads."""
    from django.db import connection

    page = next((p for p in pages(s) if p.name == name), None)
    if page is None or connection.vendor != "postgresql":
        return [f"explain {name!r} at {s.key}: not measured here (or not PostgreSQL)"]
    statements: list[tuple[str, Any]] = []

    def keep(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if not many and sql.lstrip().upper().startswith("SELECT"):
            statements.append((sql, params))
        return execute(sql, params, many, context)

    browser = browsers(s)[page.who]
    with connection.execute_wrapper(keep):
        browser.get(page.url)
    lines = [f"explain {name!r} at {s.key}: {len(statements)} SELECTs"]
    total = 0.0
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            plan = [row[0] for row in cursor.fetchall()]
            took = next((line for line in plan if line.startswith("Execution Time")), "")
            ms = float(took.split(":")[1].split()[0]) if took else 0.0
            total += ms
            if ms >= minimum_ms:
                lines.append(f"  {ms:8.2f} ms  {sql[:110]}")
                lines += [f"      {line[:200]}" for line in plan]  # IN lists of ids run long
    lines[0] += f", {total:.1f} ms of execution in all (the rest of the page's time is outside the database)"
    return lines


# --- the table -------------------------------------------------------------------------------------


def verdict(ok: bool) -> str:
    return "MET" if ok else "SHORT"


@dataclass
class Row:
    name: str
    html: bool
    paged: bool
    by: dict[str, Measure]
    checks: list[tuple[str, bool]] = field(default_factory=list)


def rows_of(results: dict[str, dict[str, Measure]], listed: Sequence[Page]) -> list[Row]:
    """One row per page measured for every subject, with its targets checked."""
    out = []
    for page in listed:
        by = {key: results[key][page.name] for key in SUBJECTS if page.name in results.get(key, {})}
        row = Row(page.name, page.html, page.paged, by)
        if "small" in by and "big" in by:
            row.checks.append(("roster", by["big"].ms <= ROSTER_RATIO * by["small"].ms))
            row.checks.append(("ms", by["big"].ms <= MAX_MS))
        if page.paged and "page" in by and "big" in by:
            row.checks.append(("full page", by["big"].ms <= ROSTER_RATIO * by["page"].ms))
        if "1y" in by and "3y" in by:
            row.checks.append(("depth", by["3y"].ms <= DEPTH_RATIO * by["1y"].ms))
        if page.html:
            row.checks.append(("bytes", max(m.bytes for m in by.values()) < MAX_BYTES))
        if any(m.status != 200 for m in by.values()):
            row.checks.append(("status", False))
        out.append(row)
    return out


def ratio(a: Measure | None, b: Measure | None) -> str:
    if a is None or b is None or a.ms <= 0:
        return "-"
    return f"x{b.ms / a.ms:.2f}"


def _ms(by: dict[str, Measure], key: str) -> str:
    return f"{by[key].ms:.1f}" if key in by else "-"


def _mark(checks: dict[str, bool], name: str) -> str:
    return verdict(checks[name]) if name in checks else "-"


def table(rows: Sequence[Row], sizes: Sizes) -> list[str]:
    small, full, big = f"ms {sizes.small}cl", f"ms {sizes.page}cl", f"ms {sizes.big}cl"
    lines = [
        f"{'page':<28} {small:>8} {big:>9} {'ratio':>6} {'<=1.5':>5} {full:>8} {'ratio':>6} {'<=1.5':>5}"
        f" {'ms 1y':>7} {'ms 3y':>7} {'ratio':>6} {'<=1.2':>5} {'<=150ms':>7} {'kB':>6} {'<150kB':>6}"
        "  queries s/p/b/1y/3y   rows s/p/b/1y/3y",
    ]
    for row in rows:
        by, checks = row.by, dict(row.checks)
        kb = max(x.bytes for x in by.values()) / 1000
        queries = "/".join(str(by[k].queries) if k in by else "-" for k in SUBJECTS)
        fetched = "/".join(str(by[k].rows) if k in by else "-" for k in SUBJECTS)
        status = ""
        if not checks.get("status", True):
            status = "  (status " + ",".join(str(x.status) for x in by.values()) + ")"
        lines.append(
            f"{row.name:<28} {_ms(by, 'small'):>8} {_ms(by, 'big'):>9} {ratio(by.get('small'), by.get('big')):>6}"
            f" {_mark(checks, 'roster'):>5} {_ms(by, 'page') if row.paged else '-':>8}"
            f" {ratio(by.get('page'), by.get('big')) if row.paged else '-':>6} {_mark(checks, 'full page'):>5}"
            f" {_ms(by, '1y'):>7} {_ms(by, '3y'):>7}"
            f" {ratio(by.get('1y'), by.get('3y')):>6} {_mark(checks, 'depth'):>5} {_mark(checks, 'ms'):>7}"
            f" {kb:6.1f} {_mark(checks, 'bytes'):>6}  {queries:<18} {fetched}{status}"
        )
    return lines


def walk_lines(walks: dict[str, Walk]) -> tuple[list[str], list[bool]]:
    lines, checks = [], []
    for key, w in walks.items():
        rate = w.sessions / w.seconds if w.seconds else 0.0
        projected = FEED_FULL_SESSIONS / rate if rate else float("inf")
        lines.append(
            f"feed walk {key:<6} {w.sessions:>7} sessions in {w.requests:>4} requests, {w.seconds:7.2f} s"
            f" ({w.per_request_ms:.1f} ms/request median, {rate:,.0f} sessions/s, {w.queries} queries,"
            f" {w.rows:,} rows = {w.rows / max(w.sessions, 1):.1f}/session)"
        )
        if key == "big":
            ok = projected <= FEED_TARGET_S
            checks.append(ok)
            lines.append(
                f"  -> {FEED_FULL_SESSIONS:,} sessions at that rate: {projected:.1f} s (target < {FEED_TARGET_S:.0f} s)"
                f" {verdict(ok)}"
            )
    if "small" in walks and "big" in walks:
        small, big = walks["small"].per_request_ms, walks["big"].per_request_ms
        ok = big <= ROSTER_RATIO * small
        checks.append(ok)
        lines.append(f"  -> ms per request, big / small: x{big / small:.2f} (target <= {ROSTER_RATIO}) {verdict(ok)}")
    return lines, checks


def growth_lines(rows: Sequence[Row], *, slack: int = 20) -> list[str]:
    """Where the rows read grow with the roster or the history: each such page's top queries
    (rows fetched, start of the SQL) at the bigger size. Rows are exact, unlike the timings."""
    lines = []
    for row in rows:
        by = row.by
        for small, big, bound in (("small", "big", ROSTER_RATIO), ("1y", "3y", DEPTH_RATIO)):
            if small in by and big in by and by[big].rows > bound * by[small].rows + slack:
                lines.append(f"rows grow: {row.name}, {by[small].rows:,} at {small} -> {by[big].rows:,} at {big}")
                lines += [f"    {n:>7,}  {sql[:100]}" for n, sql in by[big].top[:2]]
    return lines


def report(
    rows: Sequence[Row], walks: dict[str, Walk], sizes: Sizes, made: dict[str, Generation] | None = None
) -> list[str]:
    lines = table(rows, sizes)
    more, walk_checks = walk_lines(walks)
    lines += ["", *more]
    more, generation_checks = generation_lines(made or {})
    lines += more
    grown = growth_lines(rows)
    if grown:
        lines += ["", *grown]
    checks = [ok for row in rows for _, ok in row.checks] + walk_checks + generation_checks
    met = sum(checks)
    lines.append("")
    lines.append(f"targets met: {met} of {len(checks)}")
    short = [f"{row.name} ({name})" for row in rows for name, ok in row.checks if not ok]
    if short:
        lines.append("short: " + "; ".join(short))
    if any(row.name in (FEED_FULL_PAGES, PHONE_FEED_FULL_PAGES) for row in rows):
        lines.append(
            "(feed 1st page at 1y: the whole year, under the default page of 200 sessions; the '100 a page' rows"
            " compare pages both histories fill)"
        )
    if any(row.paged for row in rows):
        lines.append(
            f"(paged lists: 'roster' compares {sizes.small} rows shown with a full page at {sizes.big} clients;"
            f" 'full page' compares {sizes.page} clients, the first roster to fill the page, with {sizes.big})"
        )
    return lines


def figures(
    sizes: Sizes,
    results: dict[str, dict[str, Measure]],
    walks: dict[str, Walk],
    made: dict[str, Generation],
) -> dict[str, Any]:
    """Everything measured, as JSON-ready data (``--json``): to compare two runs, before and after."""
    from dataclasses import asdict

    return {
        "sizes": asdict(sizes),
        "pages": {
            key: {name: {k: v for k, v in asdict(m).items() if k != "top"} for name, m in by.items()}
            for key, by in results.items()
        },
        "feed_walks": {key: asdict(w) for key, w in walks.items()},
        "generation": {key: asdict(g) | {"per_second": g.per_second} for key, g in made.items()},
    }


# --- the run -----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10 vs 100 clients, 8 weeks: a few minutes")
    parser.add_argument("--keep", action="store_true", help="reuse the seeded database when it is there")
    parser.add_argument("--runs", type=int, help="timed requests per page (median printed)")
    parser.add_argument("--review-weeks", type=int, help="weeks of reviews for the rosters")
    parser.add_argument("--no-walk", action="store_true", help="skip the full walks of the session feed")
    parser.add_argument("--no-generation", action="store_true", help="skip timing the review generation")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--only", action="append", default=[], metavar="PAGE", help="measure only this page")
    parser.add_argument(
        "--explain", action="append", default=[], metavar="PAGE", help="EXPLAIN ANALYZE a page's SELECTs at big and 3y"
    )
    args = parser.parse_args(argv)
    sizes = Sizes.quick() if args.quick else Sizes()
    if args.runs is not None or args.review_weeks is not None:
        sizes = Sizes(
            small=sizes.small,
            page=sizes.page,
            big=sizes.big,
            weeks=sizes.weeks,
            deep=sizes.deep,
            review_weeks=sizes.review_weeks if args.review_weeks is None else args.review_weeks,
            runs=sizes.runs if args.runs is None else args.runs,
        )
    os.environ.setdefault("THROTTLE_WRITES", "1000000/min")
    from _setup import setup_django

    mode = "quick" if args.quick else "full"
    label = setup_django(suffix=f"scale_{mode}", keep=args.keep)
    from django.test.utils import setup_test_environment

    setup_test_environment()  # mail to memory, 'testserver' allowed
    logging.disable(logging.INFO)  # no request log line per measured request
    t0 = time.perf_counter()
    print(f"database: {label}; mode: {mode}; seeding")
    seed_all(sizes, keep=args.keep)
    analyze()
    print(f"seed ready in {time.perf_counter() - t0:.1f} s")
    subjects = {key: subject(key) for key in SUBJECTS}
    for key, s in subjects.items():
        print(f"  {key}: {sizes.clients(key)} clients, {s.sessions:,} sessions, {sizes.history_weeks(key)} weeks")
    t0 = time.perf_counter()
    results = measure_all(subjects, runs=sizes.runs, only=args.only)
    print(f"  pages measured in {time.perf_counter() - t0:.1f} s")
    walks = {}
    if not args.no_walk:
        for key in ("small", "big"):
            walks[key] = walk_feed(browsers(subjects[key])["coach-api"])
    timed_subjects = {key: s for key, s in subjects.items() if key != "page"}
    made = (
        {} if args.no_generation else generations(timed_subjects, runs=min(sizes.runs, 3), deep_runs=max(sizes.runs, 9))
    )
    listed = [
        page
        for page in {page.name: page for s in subjects.values() for page in pages(s)}.values()
        if not args.only or page.name in args.only
    ]
    load = os.getloadavg()[0]
    print()
    print(
        f"{label}, {mode}: median of {sizes.runs} requests per page; load average {load:.1f} on "
        f"{os.cpu_count()} cores (a shared machine: timings are noisy, rows and queries are not)"
    )
    for line in report(rows_of(results, listed), walks, sizes, made):
        print(line)
    for name in args.explain:
        for key in ("big", "3y"):
            print()
            print("\n".join(explain(subjects[key], name)))
    if args.json:
        args.json.write_text(json.dumps(figures(sizes, results, walks, made), indent=1, default=str))
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
