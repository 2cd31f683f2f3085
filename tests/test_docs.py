"""The specification lives in the repository: docs/domain.md and docs/api.md, cited by that path.

Docstrings and comments cite the rules and the REST contract by these files; none may point at a
specification outside the tree, which a reader of the repository cannot open.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {".git", ".venv", "var", "node_modules", "artifacts", "__pycache__", ".ruff_cache", ".pytest_cache"}
TEXT_SUFFIXES = {".py", ".md", ".js", ".html", ".css", ".txt", ".toml", ".cfg", ".ini", ".yml", ".yaml", ".sh", ".json"}
TEXT_NAMES = {"Makefile", "Procfile", "Procfile.dev"}
# "../shared", or a specification file or the worked examples under a "shared/" folder.
OUTSIDE_SPEC = re.compile(r"\.\./" r"shared\b|\bshared/(?:DOMAIN|API|STYLE|NOTES)\.md|\bshared/" r"api-examples")


def _text_files() -> list[Path]:
    found = []
    stack = [ROOT]
    while stack:
        folder = stack.pop()
        for path in folder.iterdir():
            if path.is_dir() and not path.is_symlink():
                if path.name not in SKIP_DIRS:
                    stack.append(path)
            elif path.is_file() and (path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES):
                found.append(path)
    return found


@pytest.mark.parametrize(
    ("name", "first_line", "section"),
    [
        (
            "domain.md",
            "# The domain: coaching hip-hinge progressions",
            "## Weekly review: one proposal per line of the current prescription",
        ),
        ("api.md", "# REST API contract (v1)", "## Weekly reviews (coach)"),
    ],
)
def test_the_specification_has_its_copy_in_docs(name, first_line, section):
    text = (ROOT / "docs" / name).read_text(encoding="utf-8")
    assert text.splitlines()[0] == first_line
    assert section in text.splitlines()


def test_no_file_cites_a_specification_outside_the_tree():
    files = _text_files()
    assert ROOT / "README.md" in files  # the walk reaches the tree's files
    citing = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in files
        if path != Path(__file__).resolve()
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1)
        if OUTSIDE_SPEC.search(line)
    ]
    assert not citing, "cite docs/domain.md or docs/api.md instead:\n" + "\n".join(citing)


def test_the_readme_layout_names_the_docs_folder():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("```")[1]
    assert re.search(r"^docs/\s.*domain\.md.*api\.md", layout, re.MULTILINE), layout


@pytest.mark.parametrize("folder", ["clients", "sessions", "reviews", "api"])
def test_the_readme_layout_names_each_coaching_sub_domain_and_it_exists(folder):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("```")[1]
    assert re.search(rf"^  {folder}/\s", layout, re.MULTILINE), layout
    assert (ROOT / "coaching" / folder / "__init__.py").is_file()
