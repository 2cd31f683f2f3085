"""Views parse, load through coaching.access, call one service or selector and render (STYLE.md).

A guard over the views' source: no ORM query built in a view, no access check of its own, no
kg/lb arithmetic, no hand-written path. The review pages (reviews/views.py) and the presenters
(sessions/phone/present.py, reviews/present.py: display formatting) are outside this guard.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

COACHING = Path(__file__).resolve().parents[3] / "coaching"
# Every view module: the shared coach pages in views/, and each sub-domain's own views.
VIEW_MODULES = [
    *COACHING.glob("views/*.py"),
    *COACHING.glob("*/views.py"),
    *COACHING.glob("*/*/views.py"),
]
OUTSIDE = {"reviews/views.py", "views/__init__.py"}
THIN = sorted(p for p in VIEW_MODULES if p.relative_to(COACHING).as_posix() not in OUTSIDE)


def _name(path: Path) -> str:
    return path.relative_to(COACHING).as_posix()


FORBIDDEN = {
    "an ORM query (a selector or coaching.access builds it)": re.compile(
        r"\.objects\.|\.(filter|exclude|annotate|select_related|prefetch_related|count|exists)\(|"
        r"prefetch_related_objects|\bPrefetch\("
    ),
    "an access check (coaching.access raises the 404)": re.compile(r"\bHttp404\b|\bPermissionDenied\b"),
    "kg/lb arithmetic (a service or the presenter converts)": re.compile(r"\bto_kg\(|\bLB_IN_KG\b|\bdisplay_load\("),
    "a hand-written path (reverse() it)": re.compile(
        r"""["']/(api|clients|programs|exercises|today|history)\b|f["']/"""
    ),
}


@pytest.mark.parametrize("path", THIN, ids=_name)
def test_a_view_module_builds_no_query_checks_no_access_converts_no_unit_and_writes_no_path(path: Path) -> None:
    found = [
        f"{_name(path)}:{number}: {what}: {line.strip()}"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        for what, pattern in FORBIDDEN.items()
        if pattern.search(line)
    ]
    assert not found, "\n".join(found)


def test_the_guard_sees_the_views() -> None:
    assert {"sessions/phone/views.py", "clients/views.py", "sessions/views.py", "views/coach_programs.py"} <= {
        _name(p) for p in THIN
    }
