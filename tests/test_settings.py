"""Settings follow the environment: DATABASE_URL, REDIS_URL, production refusals."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], 'name': str(s.DATABASES['default']['NAME']),"
    " 'host': s.DATABASES['default'].get('HOST'), 'broker': s.CELERY_BROKER_URL,"
    " 'cache': s.CACHES['default']['BACKEND'], 'debug': s.DEBUG}))"
)


def _settings(
    tmp_path: Path, module: str = "config.settings.base", probe: str = PROBE, **env: str
) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    clean |= {"DJANGO_SETTINGS_MODULE": module, "HINGE_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def test_embedded_defaults_need_no_server(tmp_path: Path) -> None:
    result = _settings(tmp_path)
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].startswith(str(tmp_path))
    assert values["broker"] == "filesystem://"
    assert values["cache"].endswith("LocMemCache")


def test_database_url_switches_to_postgresql(tmp_path: Path) -> None:
    result = _settings(tmp_path, DATABASE_URL="postgres://hc:pw@db.internal:5433/hinge")
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert (values["name"], values["host"]) == ("hinge", "db.internal")


OPTIONS_PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {}).get('options')))"
)


def test_postgresql_plans_for_solid_state_storage_unless_told_otherwise(tmp_path: Path) -> None:
    url = "postgres://hc:pw@db.internal:5433/hinge"
    assert json.loads(_settings(tmp_path, probe=OPTIONS_PROBE, DATABASE_URL=url).stdout) == "-c random_page_cost=1.1"
    tuned = _settings(tmp_path, probe=OPTIONS_PROBE, DATABASE_URL=url, DB_RANDOM_PAGE_COST="2")
    assert json.loads(tuned.stdout) == "-c random_page_cost=2.0"
    assert json.loads(_settings(tmp_path, probe=OPTIONS_PROBE, DATABASE_URL=url, DB_RANDOM_PAGE_COST="").stdout) is None
    assert json.loads(_settings(tmp_path, probe=OPTIONS_PROBE).stdout) is None  # SQLite: no such option


@pytest.mark.django_db
def test_the_connection_plans_with_the_setting(require_postgres: None) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"


def test_redis_url_switches_broker_and_cache(tmp_path: Path) -> None:
    result = _settings(tmp_path, REDIS_URL="redis://cache.internal:6379/3")
    values = json.loads(result.stdout)
    assert values["broker"] == "redis://cache.internal:6379/3"
    assert values["cache"].endswith("RedisCache")


PROXIES_PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.REST_FRAMEWORK['NUM_PROXIES'], s.AXES_CLIENT_IP_CALLABLE]))"
)


@pytest.mark.parametrize(("env", "expected"), [({}, 0), ({"TRUSTED_PROXY_COUNT": "1"}, 1)])
def test_trusted_proxy_count_comes_from_the_environment_and_defaults_to_none(
    tmp_path: Path, env: dict[str, str], expected: int
) -> None:
    result = _settings(tmp_path, probe=PROXIES_PROBE, **env)
    assert json.loads(result.stdout) == [expected, "accounts.lockout.client_ip"]


def test_a_malformed_trusted_proxy_count_is_refused(tmp_path: Path) -> None:
    result = _settings(tmp_path, probe=PROXIES_PROBE, TRUSTED_PROXY_COUNT="one")
    assert result.returncode != 0
    assert "Set TRUSTED_PROXY_COUNT to the number of proxies" in result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"ALLOWED_HOSTS": "hinge.example"}, "SECRET_KEY"),
        ({"SECRET_KEY": "short", "ALLOWED_HOSTS": "hinge.example"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_secret_and_hosts(
    tmp_path: Path, env: dict[str, str], message: str
) -> None:
    result = _settings(tmp_path, "config.settings.production", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_check_deploy_is_clean(tmp_path: Path) -> None:
    # The browser tests' async-unsafe switch is for tests only; a deployment never has it.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "HINGE_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "k" * 20 + "8f3a9c1e7b5d2f4a6c8e0b1d3f5a7c9e",
        "ALLOWED_HOSTS": "hinge.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("worker", "cache_db"), [("", "/3"), ("gw0", "/4"), ("gw1", "/5")])
def test_each_xdist_worker_caches_in_its_own_redis_database(tmp_path: Path, worker: str, cache_db: str) -> None:
    """The throttle tests clear the cache (FLUSHDB): under ``-n 2`` one worker's must not clear the other's."""
    probe = (
        "import django; django.setup(); from django.conf import settings as s; print(s.CACHES['default']['LOCATION'])"
    )
    env = {"REDIS_URL": "redis://127.0.0.1:6379/3", "PYTEST_XDIST_WORKER": worker}
    result = _settings(tmp_path, "config.settings.test", probe, **env)
    assert result.stdout.strip() == f"redis://127.0.0.1:6379{cache_db}", result.stderr


@pytest.mark.parametrize(("worker", "broker_db"), [("", "/3"), ("gw0", "/6"), ("gw1", "/7")])
def test_each_xdist_worker_has_its_own_celery_broker_on_redis(tmp_path: Path, worker: str, broker_db: str) -> None:
    """A real worker started by one xdist worker's test must not take another's queued tasks."""
    probe = (
        "import django; django.setup(); from django.conf import settings as s;"
        " print(s.CELERY_BROKER_URL, s.CELERY_RESULT_BACKEND)"
    )
    env = {"REDIS_URL": "redis://127.0.0.1:6379/3", "PYTEST_XDIST_WORKER": worker}
    result = _settings(tmp_path, "config.settings.test", probe, **env)
    url = f"redis://127.0.0.1:6379{broker_db}"
    assert result.stdout.split() == [url, url], result.stderr


@pytest.mark.parametrize(("worker", "folder"), [("", "main"), ("gw0", "gw0"), ("gw1", "gw1")])
def test_each_xdist_worker_has_its_own_embedded_broker_folders(tmp_path: Path, worker: str, folder: str) -> None:
    probe = (
        "import django; django.setup(); from django.conf import settings as s;"
        " o = s.CELERY_BROKER_TRANSPORT_OPTIONS; print(o['data_folder_in'], s.CELERY_RESULT_BACKEND)"
    )
    result = _settings(tmp_path, "config.settings.test", probe, PYTEST_XDIST_WORKER=worker)
    queue, results = result.stdout.split()
    assert Path(queue).parts[-3:] == ("celery-test", folder, "queue"), result.stderr
    assert results.endswith(f"celery-test/{folder}/results")
