"""Each rule of docs/domain.md has its own file in ``programs/progression/rules/``, and every
threshold of the rules is a named constant of ``programs/progression/thresholds.py``, defined once.
"""

from __future__ import annotations

import ast
import importlib
import re
from fractions import Fraction
from pathlib import Path

import pytest

from programs.progression import engine, thresholds

ROOT = Path(__file__).resolve().parents[3]
RULES_DIR = ROOT / "programs" / "progression" / "rules"
DOMAIN = " ".join((ROOT / "docs" / "domain.md").read_text(encoding="utf-8").split())
WORDS = {2: "two", 3: "three"}
SHARES = {Fraction(1, 3): "one third"}


@pytest.mark.parametrize(
    ("module", "functions"),
    [
        ("safety", ("safety",)),  # rule 1
        ("enough_data", ("data",)),  # rule 2
        ("technique", ("technique",)),  # rule 3
        ("deload", ("deload", "back_from_deload", "week_index", "is_deload_week")),  # rule 4
        ("too_hard", ("too_hard",)),  # rule 5
        ("progress", ("progress", "qualify")),  # rule 6 and its qualifying session
        ("hold", ("hold",)),  # rule 7
        ("asymmetry", ("asymmetry",)),  # the post-rule
        ("readiness", ("readiness",)),  # the readiness post-rule
    ],
)
def test_each_rule_is_found_by_its_file_name(module, functions):
    loaded = importlib.import_module(f"programs.progression.rules.{module}")
    for name in functions:
        assert getattr(loaded, name).__module__ == loaded.__name__, name


def test_the_engine_tries_the_rules_from_their_files_in_the_order_of_docs_domain_md():
    files = [rule.__module__.rsplit(".", 1)[1] for rule in engine.RULES]
    assert files == ["safety", "deload", "enough_data", "technique", "deload", "too_hard", "progress"]
    assert [rule.__name__ for rule in engine.RULES][1] == "back_from_deload"


def test_the_rules_folder_holds_only_the_rules_and_what_they_share():
    names = sorted(path.stem for path in RULES_DIR.glob("*.py"))
    rules = ["asymmetry", "deload", "enough_data", "hold", "progress", "readiness", "safety", "technique", "too_hard"]
    assert names == sorted(["__init__", "common", *rules])


# Numbers a rule may write as they are: none, one, a pair ("the last two sessions", halved),
# the days of a week, and the 100 of a percentage.
PLAIN_NUMBERS = {0, 1, 2, 7, 100}


def _numbers_in(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.name}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
        and node.value not in PLAIN_NUMBERS
    ]


def _digits_in_sentences(path: Path) -> list[str]:
    """Digits in the words a rule writes (its rationale), outside docstrings: a number there is a
    threshold written a second time. The pain scale's "/10" and the "1" of "e1RM" are no thresholds."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        f"{path.name}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and re.search(r"\d", node.value.replace("/10", "").replace("e1RM", ""))
    ]


def test_no_rule_writes_a_threshold_as_a_bare_number():
    found = [hit for path in sorted(RULES_DIR.glob("*.py")) for hit in _numbers_in(path) + _digits_in_sentences(path)]
    assert not found, "name it in programs/progression/thresholds.py:\n" + "\n".join(found)


def _threshold_names() -> list[str]:
    return [name for name in vars(thresholds) if name.isupper()]


def test_every_threshold_has_a_comment_citing_docs_domain_md():
    lines = (ROOT / "programs" / "progression" / "thresholds.py").read_text(encoding="utf-8").splitlines()
    for name in _threshold_names():
        number = next(i for i, line in enumerate(lines) if re.match(rf"{name}\b.*=", line))
        comment = []
        for line in reversed(lines[:number]):
            if not line.startswith("#"):
                break
            comment.append(line)
        assert comment, f"{name} has no comment"
        assert any("docs/domain.md" in line for line in comment) or "docs/domain.md" in lines[number], name


# Copies the other steps of issue 12 remove (the line validator, the dashboard's metrics); no
# new copy may appear, and these may only go.
KNOWN_COPIES = {
    ("coaching/selectors_coach.py", "EPLEY_MAX_REPS"),
    ("coaching/selectors_coach.py", "ASYMMETRY_PCT"),
}


def test_each_threshold_is_defined_once():
    names = "|".join(_threshold_names())
    defining = re.compile(rf"^\s*({names})\s*(:[^=]+)?=(?!=)", re.MULTILINE)
    home = ROOT / "programs" / "progression" / "thresholds.py"
    copies = []
    for folder in ("programs", "coaching", "accounts", "config", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == home:
                continue
            relative = path.relative_to(ROOT).as_posix()
            for match in defining.finditer(path.read_text(encoding="utf-8")):
                if (relative, match.group(1)) not in KNOWN_COPIES:
                    copies.append(f"{relative}: {match.group(0).strip()}")
    assert not copies, "import it from programs.progression.thresholds:\n" + "\n".join(copies)


@pytest.mark.parametrize(
    "phrase",
    [
        f"Pain ≥ {thresholds.PAIN_REFER}/10 on any set of the exercise",
        f"pain (≥ 1) in {WORDS[thresholds.PAIN_SESSIONS_REFER]} different sessions of that week",
        f"(a cut of {thresholds.SAFETY_CUT_PCT}% where there is none)",
        f"{thresholds.BREAK_DAYS}–{thresholds.LONG_BREAK_DAYS - 1} days → `regress` with a cut of "
        f"{thresholds.BREAK_CUT_PCT}%",
        f"{thresholds.LONG_BREAK_DAYS} days or more → `regress` with a cut of {thresholds.LONG_BREAK_CUT_PCT}%",
        f"A fault on at least {SHARES[thresholds.FAULT_SHARE]} of the week's sets",
        f"→ `regress`: a cut of {thresholds.TECHNIQUE_CUT_PCT}%. (A tempo not kept is not a fault",
        f"at least {thresholds.E1RM_DROP_PCT}% below the best e1RM of the "
        f"{WORDS[thresholds.E1RM_WEEKS_BEFORE]} calendar weeks before it",
        f"a drop of exactly {thresholds.E1RM_DROP_PCT}% deloads",
        f"a cut of {thresholds.DELOAD_CUT_PCT}% (an unloaded drill keeps its exercise",
        f"RPE of the week at least {thresholds.RPE_ABOVE_TARGET} above the target RPE → `regress`: a cut of "
        f"{thresholds.TOO_HARD_CUT_PCT}%.",
        f"lie at most {thresholds.MAX_DAYS_BETWEEN} days apart",
        f"at most {thresholds.DAYS_PER_WEEK} × (days ÷ `sessions_per_week`) + {thresholds.DAY_WINDOW_SLACK_DAYS} "
        "days apart",
        f"more than {thresholds.BIG_JUMP_PCT}% above the current load and sets are below "
        f"{thresholds.ADD_SET_BELOW_SETS}: one set more",
        f"when the new load would exceed {thresholds.MAX_LOAD_KG:,} kg compared in kg",
        f"the weaker side's volume load is under {thresholds.ASYMMETRY_PCT}% of the stronger's",
        f"(bands: ≥ {thresholds.ADHERENCE_GOOD_PCT} good, ≥ {thresholds.ADHERENCE_FAIR_PCT} fair, below "
        f"{thresholds.ADHERENCE_FAIR_PCT} low)",
        f"(Epley, kg × (1 + reps/{thresholds.EPLEY_DIVISOR}), fault-free sets of 1–{thresholds.EPLEY_MAX_REPS} reps)",
    ],
)
def test_the_thresholds_are_the_numbers_docs_domain_md_states(phrase):
    assert phrase in DOMAIN
