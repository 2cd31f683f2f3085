"""Shared setup for benchmarks: a throwaway database, migrated, so a real one is never touched.

SQLite: a temporary file. PostgreSQL (when DATABASE_URL is set): a fresh ``<name>_bench``
database on that server, dropped first if it exists.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> str:
    """Point Django at a throwaway database and migrate it; returns a label for the printout."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ.setdefault("HINGE_VAR_DIR", tempfile.mkdtemp(prefix="hinge-bench-"))
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["DEBUG"] = "0"  # no query log kept in memory
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, name = url.rpartition("/")
        bench_name = f"{name or 'hinge'}_bench"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{bench_name}"')
            conn.execute(f'CREATE DATABASE "{bench_name}"')
        os.environ["DATABASE_URL"] = f"{base}/{bench_name}"
        label = "PostgreSQL"
    else:
        os.environ.pop("DATABASE_URL", None)
        label = "SQLite"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return label
