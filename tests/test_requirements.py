"""The pinned requirements: what production installs, what only `make run` and the benchmark need."""

from __future__ import annotations

import re
from pathlib import Path

REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements"


def pinned(name: str) -> set[str]:
    text = (REQUIREMENTS / name).read_text()
    return {m.group(1).lower() for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==", text, re.MULTILINE)}


def test_production_installs_neither_the_process_runner_nor_the_load_generator() -> None:
    base = pinned("base.txt")
    assert "honcho" not in base
    assert "locust" not in base
    # The maintained libraries that replaced hand-written code.
    assert {"django-redis", "python-json-logger", "django-guid"} <= base


def test_make_run_and_dev_get_honcho_and_only_the_bench_gets_locust() -> None:
    assert "honcho" in pinned("run.txt")
    assert "honcho" in pinned("dev.txt")
    assert "locust" in pinned("bench.txt")
    assert "locust" not in pinned("dev.txt")
    assert "run.txt" in (REQUIREMENTS.parent / "Makefile").read_text()


def test_every_pin_has_hashes_and_no_index_or_download_address() -> None:
    for path in REQUIREMENTS.glob("*.txt"):
        text = path.read_text()
        for option in ("--index-url", "--extra-index-url", "--find-links"):
            assert option not in text, (path.name, option)
        assert not re.search(r"https?://", text), path
        for block in re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2].strip()):
            assert "--hash=sha256:" in block, (path.name, block.splitlines()[0])


def test_only_the_locustfile_imports_locust() -> None:
    """Locust (and the gevent it patches in) is in no environment but the benchmark's."""
    root = REQUIREMENTS.parent
    importers = {
        path.relative_to(root).as_posix()
        for folder in ("accounts", "bench", "coaching", "config", "programs", "tests")
        for path in (root / folder).rglob("*.py")
        if re.search(r"^\s*(from|import) locust\b", path.read_text(), re.MULTILINE)
    }
    assert importers == {"bench/locustfile.py"}
