"""Shared setup for benchmarks: a throwaway database, migrated, so a real one is never touched.

SQLite: a temporary file. PostgreSQL (when DATABASE_URL is set): a fresh ``<name>_bench``
database on that server, dropped first if it exists.

With ``keep`` (bench/scale.py's ``--keep``) the database is reused when it is there: on PostgreSQL
``<name>_<suffix>`` is created only if missing, on SQLite ``var/<suffix>.sqlite3`` in the repository.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup_django(*, suffix: str = "bench", keep: bool = False) -> str:
    """Point Django at a throwaway database (or, with ``keep``, a reused one) and migrate it;
    returns a label for the printout."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("HINGE_VAR_DIR", tempfile.mkdtemp(prefix="hinge-bench-"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "0"  # no query log kept in memory
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, name = url.rpartition("/")
        bench_name = f"{name or 'hinge'}_{suffix}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            there = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_name]).fetchone()
            if not (keep and there):
                conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
                conn.execute(f'CREATE DATABASE "{bench_name}"')
        os.environ["DATABASE_URL"] = f"{base}/{bench_name}"
        label = "PostgreSQL"
    elif keep:
        (ROOT / "var").mkdir(exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / f'{suffix}.sqlite3'}"
        label = "SQLite"
    else:
        os.environ.pop("DATABASE_URL", None)
        label = "SQLite"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return label


@contextmanager
def counting_queries() -> Iterator[list[int]]:
    """SQL statements run on the default connection while the block runs, without Django's debug
    cursor (which would slow the run): ``count[0]`` after the block."""
    from django.db import connection

    count = [0]

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count
