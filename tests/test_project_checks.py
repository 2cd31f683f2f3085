"""The project's habits that CI enforces: mypy, the coverage floor, hypothesis's thorough profile."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings as hypothesis_settings

import tests.conftest
from tests.conftest import examples

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def make_dry_run(target: str, **env: str) -> str:
    """The commands ``make <target>`` would run (``make -n`` runs none of them)."""
    clean = {k: v for k, v in os.environ.items() if k not in {"COVERAGE", "CI", "MAKEFLAGS", "MFLAGS"}}
    result = subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, env=clean | env, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def test_ci_runs_mypy_with_the_coverage_floor_and_the_thorough_hypothesis_profile() -> None:
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert "export COVERAGE=1" in ci
    assert "export HYPOTHESIS_PROFILE=ci" in ci
    assert ci.index("export COVERAGE=1") < ci.index("make test")
    in_ci = make_dry_run("test", COVERAGE="1")
    assert ".venv/bin/mypy" in in_ci
    [pytest_line] = [line for line in in_ci.splitlines() if " -m pytest" in line]
    assert "--cov " in f"{pytest_line} "


def test_a_local_make_test_skips_the_coverage_measurement_and_lint_runs_mypy() -> None:
    [pytest_line] = [line for line in make_dry_run("test").splitlines() if " -m pytest" in line]
    assert "--cov" not in pytest_line
    assert ".venv/bin/mypy" in make_dry_run("lint")


def test_coverage_measures_branches_of_the_project_code_against_a_floor() -> None:
    coverage = PYPROJECT["tool"]["coverage"]
    assert coverage["run"]["branch"] is True
    assert {"tests/*", "*/migrations/*", "bench/*"} <= set(coverage["run"]["omit"])
    assert coverage["report"]["fail_under"] >= 90


def test_mypy_is_strict_on_the_engine_and_checks_services_and_selectors() -> None:
    mypy = PYPROJECT["tool"]["mypy"]
    assert {"mypy_django_plugin.main", "mypy_drf_plugin.main"} <= set(mypy["plugins"])
    assert {
        "programs/progression",
        "coaching/services",
        "coaching/clients/services.py",
        "coaching/sessions/services",
        "coaching/sessions/csv_io.py",
        "coaching/reviews/generation.py",
        "coaching/reviews/decisions.py",
        "coaching/reviews/selectors.py",
        "coaching/selectors.py",
        "coaching/selectors_coach.py",
    } <= set(mypy["files"])
    assert mypy["check_untyped_defs"] is True
    [engine] = [o for o in mypy["overrides"] if "programs.progression.*" in o["module"]]
    strict_flags = {"disallow_untyped_defs", "disallow_any_generics", "warn_return_any", "disallow_untyped_calls"}
    assert all(engine[flag] is True for flag in strict_flags)
    assert PYPROJECT["tool"]["django-stubs"]["django_settings_module"] == "config.settings.test"


def test_the_ci_profile_runs_every_example_and_the_dev_profile_a_share(monkeypatch: Any) -> None:
    assert hypothesis_settings.get_profile("ci").max_examples >= hypothesis_settings.get_profile("default").max_examples
    assert hypothesis_settings.get_profile("dev").max_examples < hypothesis_settings.get_profile("ci").max_examples
    monkeypatch.setattr(tests.conftest, "HYPOTHESIS_PROFILE", "ci")
    assert [examples(n) for n in (10, 60, 200, 600)] == [10, 60, 200, 600]
    monkeypatch.setattr(tests.conftest, "HYPOTHESIS_PROFILE", "dev")
    assert [examples(n) for n in (10, 60, 200, 600)] == [10, 20, 20, 60]


@pytest.mark.parametrize(("profile", "expected"), [("ci", 200), ("dev", 20)])
def test_hypothesis_profile_follows_the_environment(profile: str, expected: int) -> None:
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings.test'); django.setup()\n"
        "import tests.conftest; from hypothesis import settings; print(settings.default.max_examples)"
    )
    env = {**os.environ, "HYPOTHESIS_PROFILE": profile}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.split()[-1] == str(expected)
