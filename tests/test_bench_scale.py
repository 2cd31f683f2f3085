"""bench/scale.py at a tiny size on the test database: its seeding, measuring and table can't rot."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.db import connection

from coaching.models import Client, LoggedSession, PrescriptionVersion, WeeklyReview

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_scale", ROOT / "bench" / "scale.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_scale"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_bench_seeds_measures_every_page_and_prints_each_target() -> None:
    scale = bench()
    sizes = scale.Sizes(small=1, page=2, big=3, weeks=3, deep=(3, 5), review_weeks=2, runs=1)
    log: list[str] = []
    scale.seed_all(sizes, keep=False, log=log.append)
    scale.analyze()
    assert len(log) == 5
    big = scale.subject("big")
    assert Client.objects.filter(coach=big.coach).count() == 3
    # Reviews through the services: the older week decided (approved), the latest one pending.
    reviews = WeeklyReview.objects.filter(assignment__client__coach=big.coach)
    assert set(reviews.values_list("status", flat=True)) == {"approved", "pending"}
    assert PrescriptionVersion.objects.filter(assignment__client__coach=big.coach, source="review").count() == 3
    deep = scale.subject("3y")
    assert WeeklyReview.objects.filter(assignment__client=deep.client).count() == 4  # every finished week
    assert (
        LoggedSession.objects.filter(client=deep.client).count()
        > LoggedSession.objects.filter(client=scale.subject("1y").client).count()
    )

    subjects = {key: scale.subject(key) for key in scale.SUBJECTS}
    results = scale.measure_all(subjects, runs=sizes.runs)
    names = [page.name for page in scale.pages(big)]
    assert {"coach dashboard", "review page", "phone History", "API session feed, 1st page"} <= set(names)
    assert {scale.FEED_FULL_PAGES, scale.PHONE_FEED_FULL_PAGES} <= set(names)
    for key in scale.SUBJECTS:
        for name in names:
            measured = results[key][name]
            assert measured.status == 200, (key, name)
            assert min(measured.queries, measured.rows, measured.bytes) > 0, (key, name)
            assert len(measured.runs) == 1, (key, name)
            assert measured.ms > 0, (key, name)

    walks = {key: scale.walk_feed(scale.browsers(subjects[key])["coach-api"]) for key in ("small", "big")}
    assert walks["big"].sessions == LoggedSession.objects.filter(client__coach=big.coach).count()
    assert walks["big"].requests >= 1

    only = scale.measure_all(subjects, runs=0, only=["phone Today"])
    assert {key: list(by) for key, by in only.items()} == {key: ["phone Today"] for key in scale.SUBJECTS}

    plans = scale.explain(big, "coach dashboard", minimum_ms=0)
    if connection.vendor == "postgresql":
        assert plans[0].startswith("explain 'coach dashboard' at big:")
        assert any("Execution Time" in line for line in plans)
    else:
        assert plans == ["explain 'coach dashboard' at big: not measured here (or not PostgreSQL)"]

    # Review generation regenerates the pending week through the service and rolls it back.
    before = sorted(WeeklyReview.objects.values_list("pk", "status"))
    made = scale.generations(subjects, runs=1, deep_runs=2)
    assert sorted(WeeklyReview.objects.values_list("pk", "status")) == before
    assert made["big"].reviews == 3
    assert made["3y"].reviews == 1
    assert made["big"].queries > 0
    assert made["big"].engine_seconds is not None

    data = json.loads(json.dumps(scale.figures(sizes, results, walks, made)))
    assert data["pages"]["3y"]["phone History"]["rows"] == results["3y"]["phone History"].rows
    assert data["generation"]["big"]["reviews"] == 3
    assert data["feed_walks"]["big"]["sessions"] == walks["big"].sessions

    rows = scale.rows_of(results, scale.pages(big))
    lines = scale.report(rows, walks, sizes, made)
    assert lines[0].startswith("page")
    for name in names:
        assert any(line.startswith(name) for line in lines), name
    met = re.fullmatch(r"targets met: (\d+) of (\d+)", next(line for line in lines if line.startswith("targets met")))
    assert met is not None
    checks = sum(len(row.checks) for row in rows) + 2 + 2  # feed walk, generation: rate and ratio each
    assert int(met.group(2)) == checks
    assert int(met.group(1)) <= checks


def test_keep_reuses_a_seeded_coach() -> None:
    scale = bench()
    sizes = scale.Sizes(small=1, page=1, big=1, weeks=2, deep=(2, 2), review_weeks=1, runs=1)
    scale.seed_all(sizes, keep=True, log=lambda _: None)
    log: list[str] = []
    scale.seed_all(sizes, keep=True, log=log.append)
    assert len(log) == 5
    assert all("kept" in line for line in log)


def test_a_row_checks_each_target_against_its_bound() -> None:
    scale = bench()

    def m(ms: float, size: int = 1000) -> object:
        return scale.Measure(ms=ms, queries=1, rows=1, bytes=size, status=200)

    page = scale.Page("page", "/x/", "coach")
    results = {"small": {"page": m(100)}, "big": {"page": m(149)}, "1y": {"page": m(100)}, "3y": {"page": m(121)}}
    (row,) = scale.rows_of(results, [page])
    assert dict(row.checks) == {"roster": True, "ms": True, "depth": False, "bytes": True}
    results["big"]["page"] = m(151, size=150_000)
    (row,) = scale.rows_of(results, [page])
    assert dict(row.checks) == {"roster": False, "ms": False, "depth": False, "bytes": False}


def test_a_paged_list_is_also_compared_with_the_roster_that_fills_its_page() -> None:
    scale = bench()

    def m(ms: float) -> object:
        return scale.Measure(ms=ms, queries=1, rows=1, bytes=1000, status=200)

    listed = scale.Page("list", "/x/", "coach-api", html=False, paged=True)
    results = {"small": {"list": m(40)}, "page": {"list": m(80)}, "big": {"list": m(100)}}
    (row,) = scale.rows_of(results, [listed])
    assert dict(row.checks) == {"roster": False, "ms": True, "full page": True}
    results["big"]["list"] = m(121)
    (row,) = scale.rows_of(results, [listed])
    assert dict(row.checks)["full page"] is False
    lines = scale.report([row], {}, scale.Sizes())
    assert any(line.startswith("list") and "x1.51" in line for line in lines)
    assert any(line.startswith("(paged lists:") for line in lines)


def test_pages_whose_rows_grow_are_named_with_their_top_queries() -> None:
    scale = bench()

    def m(rows: int, top: list[tuple[int, str]]) -> object:
        return scale.Measure(ms=1.0, queries=1, rows=rows, bytes=1, status=200, top=top)

    flat = scale.Page("flat", "/flat/", "coach")
    grows = scale.Page("grows", "/grows/", "coach")
    results = {
        "small": {"flat": m(30, []), "grows": m(30, [])},
        "big": {"flat": m(60, []), "grows": m(500, [(470, 'SELECT "coaching_loggedset"."id" FROM x')])},
        "1y": {"flat": m(30, []), "grows": m(30, [])},
        "3y": {"flat": m(50, []), "grows": m(30, [])},
    }
    lines = scale.growth_lines(scale.rows_of(results, [flat, grows]))
    assert lines[0] == "rows grow: grows, 30 at small -> 500 at big"
    assert "470" in lines[1]
    assert "coaching_loggedset" in lines[1]
    assert len(lines) == 2
