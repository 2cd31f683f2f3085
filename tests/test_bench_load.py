"""bench/load.py's pure parts: its defaults (the target's scenario), the figures, the verdict and
its exit code. Locust and gunicorn are not needed (CI does not build var/bench-venv)."""

from __future__ import annotations

import importlib.util
import math
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def bench() -> ModuleType:
    if str(ROOT / "bench") not in sys.path:
        sys.path.insert(0, str(ROOT / "bench"))  # load.py imports load_check as the script does
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


load = bench()


def test_the_defaults_are_the_targets_scenario() -> None:
    args = load.parse_args([])
    assert (args.phones, args.coaches, args.duration) == (200, 5, 120)
    assert (args.workers, args.threads) == (min(16, 2 * (os.cpu_count() or 1) + 1), 1)  # gunicorn.conf.py's
    assert args.sign_in is False
    assert args.phone_wait == [1.0, 4.0]


def test_the_phones_pace_is_an_option_within_bounds() -> None:
    assert load.parse_args(["--phone-wait", "30", "90"]).phone_wait == [30.0, 90.0]
    for bad in (["0", "4"], ["5", "2"], ["1", "601"]):
        with pytest.raises(SystemExit) as exited:
            load.parse_args(["--phone-wait", *bad])
        assert exited.value.code == 2


def test_a_quick_run_still_parses() -> None:
    args = load.parse_args(["--phones", "20", "--duration", "20", "--coaches", "1", "--workers", "1", "--threads", "2"])
    assert (args.phones, args.duration, args.coaches, args.workers, args.threads) == (20, 20, 1, 1, 2)


@pytest.mark.parametrize("argv", [["--phones", "0"], ["--coaches", "21"], ["--threads", "17"], ["--duration", "4"]])
def test_out_of_bounds_arguments_are_refused(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        load.parse_args(argv)
    assert exited.value.code == 2


def test_the_percentile_is_the_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert load.percentile(values, 0.5) == 50.0
    assert load.percentile(values, 0.95) == 95.0
    assert load.percentile(values, 1.0) == 100.0
    assert load.percentile([7.0], 0.95) == 7.0
    assert load.percentile([1.0, 2.0, 3.0], 0.0) == 1.0
    assert math.isnan(load.percentile([], 0.95))


def figures(**changes: float) -> object:
    base = {"errors": 0, "duplicates": 0, "wrong": 0, "write_p95": 20.0, "coach_p95": 120.0}
    return load.Figures(**(base | changes))


@pytest.mark.parametrize(
    ("changes", "code", "short"),
    [
        ({}, 0, []),
        ({"write_p95": 50.0}, 3, ["p95 of session writes under 50 ms"]),
        ({"coach_p95": 400.0}, 3, ["p95 of coach pages under 250 ms"]),
        ({"write_p95": math.nan}, 3, ["p95 of session writes under 50 ms"]),
        ({"errors": 1}, 1, ["0 errors"]),
        ({"duplicates": 2, "write_p95": 80.0}, 1, ["0 duplicates", "p95 of session writes under 50 ms"]),
        ({"wrong": 1}, 1, ["no lost or stale data"]),
    ],
)
def test_the_verdict_and_exit_code_from_given_figures(changes: dict[str, float], code: int, short: list[str]) -> None:
    results = load.verdicts(figures(**changes))
    assert [v.target for v in results] == [
        "0 errors",
        "0 duplicates",
        "no lost or stale data",
        "p95 of session writes under 50 ms",
        "p95 of coach pages under 250 ms",
    ]
    assert [v.target for v in results if not v.met] == short
    assert load.exit_code(results) == code


def machine(**changes: float) -> object:
    base = {
        "cores": 2,
        "busy": 0.97,
        "load_start": 4.0,
        "load_max": 7.7,
        "load_end": 7.1,
        "server_cpu": 144.0,
        "locust_cpu": 30.0,
        "window": 120.0,
        "requests": 12_000,
    }
    return load.Machine(**(base | changes))


def test_short_because_names_cpu_saturation_with_what_was_measured() -> None:
    results = load.verdicts(figures(write_p95=80.0))
    line = load.short_because(results, machine())
    assert line is not None
    assert line.startswith("short because: CPU saturation: the 2 cores 97% busy")
    assert "gunicorn 1.20 CPU-s/s, 12.0 ms CPU per request" in line
    assert "Locust 0.25 CPU-s/s" in line
    assert "load average 4.0 at the start, 7.7 at most, 7.1 at the end" in line


def test_short_because_says_when_the_cpu_was_not_the_limit() -> None:
    results = load.verdicts(figures(coach_p95=300.0))
    line = load.short_because(results, machine(busy=0.4, load_max=1.0))
    assert line is not None
    assert line.startswith("short because: not CPU-bound (the 2 cores 40% busy")


def test_no_short_because_when_only_correctness_fails_or_all_is_met() -> None:
    assert load.short_because(load.verdicts(figures()), machine()) is None
    assert load.short_because(load.verdicts(figures(errors=3)), machine()) is None


def test_the_machines_busy_share_comes_from_proc_stat() -> None:
    # user nice system idle iowait irq softirq steal guest guest_nice
    stat = "cpu  600 0 300 900 100 50 50 0 0 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n"
    assert load.cpu_jiffies(stat) == (1000, 2000)


def test_the_figures_of_a_run_come_from_its_samples_and_the_database_check() -> None:
    samples = [load.Sample("session PUT", 201, 0.010 * i, False, 0.0) for i in range(1, 21)]
    samples += [load.Sample("session sync", 200, 0.030, False, 0.0)]
    samples += [load.Sample("coach dashboard", 200, 0.200, False, 0.0)]
    samples += [load.Sample("coach reviews", 200, 0.100, False, 0.0)]
    samples += [load.Sample("coach login form", 302, 9.0, False, 0.0)]  # the sign-in is no coach page
    samples += [load.Sample("unexpected outcome", 200, 0.0, True, 0.0)]
    check = {"id_dupes": 1, "content_dupes": 1}
    result = load.figures(samples, errors=1, check=check, wrong_total=5)
    assert (result.errors, result.duplicates, result.wrong) == (1, 2, 3)
    assert (result.writes, result.coach_pages) == (21, 2)
    assert result.write_p95 == pytest.approx(190.0)  # the 20th of 21 write times, in ms
    assert result.coach_p95 == pytest.approx(200.0)


def check(**changes: int) -> dict[str, int]:
    base = {"sent": 10, "uncertain": 0, "stored": 10, "unsent": 0, "missing": 0, "id_dupes": 0, "content_dupes": 0}
    return base | {"wrong_sets": 0, "wrong_version": 0, "sets": 60, "expected_sets": 60} | changes


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, 0),
        ({"uncertain": 2, "stored": 8, "expected_sets": -1}, 0),  # answers lost in flight: not stored, not wrong
        ({"uncertain": 2, "expected_sets": -1}, 0),  # ... or stored all the same
        ({"unsent": 1, "stored": 11}, 1),  # a session nobody sent
        ({"missing": 1, "stored": 9}, 1),
        ({"id_dupes": 1, "content_dupes": 1, "wrong_sets": 1, "wrong_version": 1}, 4),
    ],
)
def test_the_database_check_counts_what_is_wrong_not_what_was_in_flight(
    changes: dict[str, int], problems: int, capsys: pytest.CaptureFixture[str]
) -> None:
    import load_check

    assert load_check.report(check(**changes)) == problems
    assert "duplicates:" in capsys.readouterr().out


def test_worker_restarts_are_counted_from_the_gunicorn_log() -> None:
    log = (
        "[2026-12-04 19:08:01 +0000] [812] [INFO] Autorestarting worker after current request.\n"
        "[2026-12-04 19:08:01 +0000] [812] [INFO] Worker exiting (pid: 812)\n"
        "[2026-12-04 19:08:02 +0000] [820] [INFO] Booting worker with pid: 820\n"
        "[2026-12-04 19:08:40 +0000] [813] [INFO] Autorestarting worker after current request.\n"
    )
    assert load.worker_restarts(log) == 2
    assert load.worker_restarts("") == 0
