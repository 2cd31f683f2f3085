"""The numbers of docs/domain.md's weekly review, each named once: change one here and every rule,
rationale sentence and metric that uses it follows.

Grouped by rule, in the order the engine tries them (``rules/`` has one file per rule). The load
grid and the bells are ``units``'s; the prescription defaults (8–12, 10–20 s, +5%) are ``types``'s.
Percentages and RPEs are ``Decimal``s where they meet loads, ints where the arithmetic is exact.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

# --- Rule 1, safety (rules/safety.py) ---------------------------------------------------------
# docs/domain.md rule 1: pain ≥ 3/10 on any set in the week → regress and refer.
PAIN_REFER = 3
# docs/domain.md rule 1: pain (≥ 1) in two different sessions of the week → regress and refer.
PAIN_SESSIONS_REFER = 2
# docs/domain.md rule 1: the cut where there is no easier variant to move to.
SAFETY_CUT_PCT = Decimal("20")

# --- Rule 2, enough data (rules/enough_data.py) -----------------------------------------------
# docs/domain.md rule 2: a gap of 14–27 days before the week's first session is a break ...
BREAK_DAYS = 14
# docs/domain.md rule 2: ... and from 28 days on a long one.
LONG_BREAK_DAYS = 28
# docs/domain.md rule 2: the cut after a break of 14–27 days.
BREAK_CUT_PCT = Decimal("10")
# docs/domain.md rule 2: the cut after a break of 28 days or more.
LONG_BREAK_CUT_PCT = Decimal("20")

# --- Rule 3, technique (rules/technique.py) ---------------------------------------------------
# docs/domain.md rule 3: a fault on at least this share of the week's sets (compared exactly).
FAULT_SHARE = Fraction(1, 3)
# docs/domain.md rule 3: the cut for a technique regression.
TECHNIQUE_CUT_PCT = Decimal("10")

# --- Rule 4, deload (rules/deload.py) ---------------------------------------------------------
# docs/domain.md rule 4: the week's best e1RM at least this % below the earlier best deloads
# (exact arithmetic: a drop of exactly 5% deloads).
E1RM_DROP_PCT = 5
# docs/domain.md rule 4: the earlier best is that of the three calendar weeks before the week.
E1RM_WEEKS_BEFORE = 3
# docs/domain.md rule 4: the cut of a deload week.
DELOAD_CUT_PCT = Decimal("10")

# --- Rule 5, too hard (rules/too_hard.py) -----------------------------------------------------
# docs/domain.md rule 5: a mean RPE of the week at least this much above the target is too hard.
RPE_ABOVE_TARGET = Decimal("2")
# docs/domain.md rule 5: the cut when it was too hard.
TOO_HARD_CUT_PCT = Decimal("5")

# --- Readiness (rules/readiness.py; docs/domain.md "Readiness check-in") -----------------------
# docs/domain.md: a readiness (or the week's mean of complete check-ins) of this or less holds a progress, and
# offers the day at a cut on Today; compared unrounded.
LOW_READINESS = Fraction(5, 2)
# docs/domain.md "Readiness check-in": the cut offered on Today (the rules' cut: ``moves.cut_load``).
READINESS_CUT_PCT = Decimal("10")

# --- Rule 6, progress (rules/progress.py) -----------------------------------------------------
# docs/domain.md rule 6: the last two sessions lie at most 10 days apart (rule 7 says so too).
MAX_DAYS_BETWEEN = 10
# docs/domain.md "Training days": where days come round less than weekly, rule 6's window is
# 7 × (days ÷ sessions_per_week) + 3 days: the days of a week ...
DAYS_PER_WEEK = 7
# docs/domain.md "Training days": ... and the 3 days of slack added to how often a day comes round.
DAY_WINDOW_SLACK_DAYS = 3
# docs/domain.md rule 6: a next load more than 10% above the current one ...
BIG_JUMP_PCT = 10
# docs/domain.md rule 6: ... with sets below 3 adds a set instead.
ADD_SET_BELOW_SETS = 3
# docs/domain.md rule 6: no body may carry a load over 1,000 kg, so no proposal goes past it.
MAX_LOAD_KG = Decimal("1000")

# --- After the rules, asymmetry (rules/asymmetry.py) ------------------------------------------
# docs/domain.md: the weaker side's volume load under 90% of the stronger's flags asymmetry.
ASYMMETRY_PCT = Decimal("90")

# --- Weekly review metrics (metrics.py) -------------------------------------------------------
# docs/domain.md "Weekly review: metrics": adherence ≥ 80% is good ...
ADHERENCE_GOOD_PCT = 80
# docs/domain.md "Weekly review: metrics": ... ≥ 50% fair, below it low.
ADHERENCE_FAIR_PCT = 50
# docs/domain.md "Weekly review: metrics": Epley's e1RM, kg × (1 + reps / 30) ...
EPLEY_DIVISOR = 30
# docs/domain.md "Weekly review: metrics": ... of fault-free sets of 1–12 reps.
EPLEY_MAX_REPS = 12


def max_days_between(days: int, sessions_per_week: int) -> int:
    """Rule 6's "at most N days apart" for a prescription of ``days`` days trained
    ``sessions_per_week`` times a week (docs/domain.md "Training days"): at most
    max(10, 7 × (days ÷ sessions_per_week) + 3) days, compared exactly; day gaps are whole days, so
    this is the whole number of days that fits (3 days, 2 a week: 13.5 → 13). Without a usable
    count (none, or not positive) the window is the plain 10 days."""
    if days < 1 or sessions_per_week < 1:
        return MAX_DAYS_BETWEEN
    widened = Fraction(DAYS_PER_WEEK * days, sessions_per_week) + DAY_WINDOW_SLACK_DAYS
    return max(MAX_DAYS_BETWEEN, math.floor(widened))
