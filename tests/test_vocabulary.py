"""DOMAIN.md's vocabulary: a weekly review's rows are *proposals* in code and templates.

``item``/``items`` as a name stays out of ``coaching/reviews/`` and ``templates/coaching/``. What keeps
the old word, on purpose:
- the ORM: the model ``ReviewItem`` and its relation ``review.items`` (renaming needs a migration);
- the API: ``"items"`` in request and response bodies, the serializers' ``items`` fields, and
  ``review_approve``'s ``items`` argument, which takes the API body's entries;
- the posted form fields and the page's element ids (``item-<id>-load``, ``#item-<id>``), which outside
  scripts and tests use; the URL name ``coach-review-item-referred`` and its path;
- ``.items()`` / ``.items`` on dicts.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OLD = {"item", "items"}
# Functions whose ``items`` parameter is the API body's ``items``.
API_ITEMS_FUNCTIONS = {"review_approve"}


def python_names(source: str) -> list[tuple[int, str]]:
    """(line, name) of each ``item``/``items`` used as a name: variables, parameters, functions,
    classes and keyword arguments. Attributes (``review.items``, ``.items()``), strings and comments
    are not names; nor are the allowed API uses listed in the module docstring."""
    tree = ast.parse(source)
    allowed: set[int] = set()  # ids of nodes that may keep the word
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):  # serializer fields: the API's ``items``
            for statement in node.body:
                if isinstance(statement, ast.Assign | ast.AnnAssign):
                    targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                    allowed.update(id(target) for target in targets)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name in API_ITEMS_FUNCTIONS:
            for inner in ast.walk(node):
                if (isinstance(inner, ast.Name) and inner.id == "items") or (
                    isinstance(inner, ast.arg) and inner.arg == "items"
                ):
                    allowed.add(id(inner))
        if isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if called in API_ITEMS_FUNCTIONS:
                allowed.update(id(keyword) for keyword in node.keywords if keyword.arg == "items")
    found = []
    for node in ast.walk(tree):
        if id(node) in allowed:
            continue
        name = None
        if isinstance(node, ast.Name):
            name = node.id
        elif isinstance(node, ast.arg | ast.keyword):
            name = node.arg
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            name = node.name
        elif isinstance(node, ast.alias):
            name = node.asname or node.name
        if name in OLD:
            found.append((getattr(node, "lineno", 0), name))
    return sorted(found)


TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")
# ``items`` after a dot is the ORM relation or a dict's ``.items``; ``item`` after a dot is a context key.
TEMPLATE_NAME = re.compile(r"(?<![\w.-])items(?![\w-])|(?<![\w-])item(?![\w-])")


def template_names(source: str) -> list[tuple[int, str]]:
    """(line, name) of each ``item``/``items`` used as a name inside ``{% %}`` or ``{{ }}``: loop and
    ``with`` variables, context keys. Text and element ids outside tags, quoted strings (URL names)
    and ``.items`` (``review.items``, ``dict.items``) are not names; ``card.item`` is."""
    found = []
    for tag in TAG.finditer(source):
        line = source.count("\n", 0, tag.start()) + 1
        found += [(line, match.group()) for match in TEMPLATE_NAME.finditer(QUOTED.sub('""', tag.group()))]
    return found


def _files(folder: str, pattern: str) -> list[Path]:
    return sorted((ROOT / folder).rglob(pattern))


@pytest.mark.parametrize("path", _files("coaching/reviews", "*.py"), ids=lambda p: str(p.relative_to(ROOT)))
def test_reviews_code_says_proposal(path: Path) -> None:
    assert python_names(path.read_text()) == [], f"{path.relative_to(ROOT)}: a review's rows are proposals"


@pytest.mark.parametrize("path", _files("templates/coaching", "*.html"), ids=lambda p: str(p.relative_to(ROOT)))
def test_coaching_templates_say_proposal(path: Path) -> None:
    assert template_names(path.read_text()) == [], f"{path.relative_to(ROOT)}: a review's rows are proposals"


def test_the_folders_exist() -> None:
    assert _files("coaching/reviews", "*.py")
    assert _files("templates/coaching", "*.html")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("for item in review.items.all():\n    pass\n", [(1, "item")]),
        ("def f(items):\n    return items\n", [(1, "items"), (2, "items")]),
        ("def review_item_x(*, item): ...\n", [(1, "item")]),
        ("f(items=[])\n", [(1, "items")]),
        ("x = {'items': 1}.items()\nPrefetch('items')\n# items\n", []),
        ("class S:\n    items = Field()\n", []),
        ("def review_approve(*, items=None):\n    return items\nreview_approve(items=[])\n", []),
    ],
)
def test_python_guard_sees_names_only(source: str, expected: list[tuple[int, str]]) -> None:
    assert python_names(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% for item in review.items.all %}\n{{ item.pk }}", [(1, "item"), (2, "item")]),
        ('{% include "x.html" with items=own %}', [(1, "items")]),
        ("{{ card.item.pk }}", [(1, "item")]),  # a context key read off the card
        ('<p id="item-{{ proposal.pk }}">item</p>', []),
        ("{% url 'coach-review-item-referred' review.pk card.proposal.pk %}{% for k, v in d.items %}", []),
    ],
)
def test_template_guard_sees_names_only(source: str, expected: list[tuple[int, str]]) -> None:
    assert template_names(source) == expected
