"""The load test's database check: each session sent stored once, with its sets and last version.

``bench/load.py`` calls ``check_database`` after the load; on its own it checks a results file
that the Locust run wrote (``bench/locustfile.py``) against the database it ran on:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hinge_load \\
        .venv/bin/python bench/load_check.py results.json --coach-id 1 2 3
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def check_database(coach_ids: list[int], sent: dict[str, dict[str, Any]]) -> dict[str, int]:
    """``sent``: session id -> {"last": the body last applied, "uncertain": a write to it was lost};
    ``coach_ids``: the coaches whose clients' phones sent them."""
    from django.db import connection
    from django.db.models import Count

    from coaching.models import LoggedSession, LoggedSet

    certain = {sid: t for sid, t in sent.items() if not t["uncertain"]}
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
        LoggedSession.objects.filter(client__coach_id__in=coach_ids)
        .values("client_id", "performed_at", "notes")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    wrong_sets = wrong_version = missing = 0
    for sid, tracked in certain.items():
        row = stored.get(sid)
        last = tracked["last"]
        if row is None or row["deleted_at"] is not None:
            missing += 1
            continue
        if row["set_count"] != len(last["sets"]):
            wrong_sets += 1
        modified = dt.datetime.fromisoformat(last["client_modified_at"])
        if row["client_modified_at"] != modified or row["notes"] != last["notes"]:
            wrong_version += 1
    total_sessions = LoggedSession.objects.filter(client__coach_id__in=coach_ids).count()
    total_sets = LoggedSet.objects.filter(session__client__coach_id__in=coach_ids).count()
    expected_sets = sum(len(t["last"]["sets"]) for t in certain.values())
    return {
        "sent": len(sent),
        "uncertain": len(sent) - len(certain),
        "stored": total_sessions,
        # Stored but never sent (a session of these coaches' clients no phone of the run wrote).
        # A session whose answer was lost (uncertain) may be stored or not: neither is wrong.
        "unsent": total_sessions - len(stored),
        "missing": missing,
        "id_dupes": id_dupes,
        "content_dupes": content_dupes,
        "wrong_sets": wrong_sets,
        "wrong_version": wrong_version,
        "sets": total_sets,
        "expected_sets": expected_sets if not (len(sent) - len(certain)) else -1,
    }


def report(check: dict[str, int]) -> int:
    """Prints the check; the number of problems found (0: every session stored once, as last sent)."""
    dupes = check["id_dupes"] + check["content_dupes"]
    print(
        f"\nduplicates: {dupes} (ids stored more than once: {check['id_dupes']}; "
        f"same client, time and notes under two ids: {check['content_dupes']})"
    )
    print(
        f"sessions in the DB: {check['stored']}; distinct sessions sent: {check['sent']}"
        f" ({check['uncertain']} with a lost answer, stored or not); stored but never sent: {check['unsent']}"
    )
    print(
        f"  missing: {check['missing']}; set count differs from the last version sent: {check['wrong_sets']}; "
        f"not the last version sent: {check['wrong_version']}"
    )
    expected = "" if check["expected_sets"] < 0 else f" (expected {check['expected_sets']})"
    print(f"  sets in the DB: {check['sets']}{expected}")
    return dupes + check["missing"] + check["wrong_sets"] + check["wrong_version"] + check["unsent"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path, help="the results file of a Locust run of bench/locustfile.py")
    parser.add_argument("--coach-id", type=int, nargs="+", required=True, help="the coaches of the run")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    sent = json.loads(args.results.read_text())["sessions"]
    return 1 if report(check_database(args.coach_id, sent)) else 0


if __name__ == "__main__":
    sys.exit(main())
