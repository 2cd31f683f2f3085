"""Today asks the readiness check-in and carries each line's load at the readiness cut (the rules'
cut of 10% on the load grid, ``moves.cut_load``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from coaching.sessions.phone.present import readiness_cut
from programs.progression import ExerciseFacts, Line
from programs.progression.moves import cut_load
from programs.progression.thresholds import LOW_READINESS, READINESS_CUT_PCT
from tests.coaching.client.test_today_page import TODAY, page_data

pytestmark = pytest.mark.django_db


def test_today_asks_the_four_questions_with_one_tap_answers(signed_in: Any) -> None:
    html = signed_in.get(TODAY).content.decode()
    assert 'id="checkin"' in html
    for question in ("sleep", "soreness", "stress"):
        for value in range(1, 6):
            assert f'data-q="{question}" data-v="{value}"' in html
    for value in ("fine", "tight", "painful"):
        assert f'data-q="low_back" data-v="{value}"' in html
    assert 'aria-pressed="false"' in html
    assert 'id="checkin-skip"' in html
    assert 'id="cut-take"' in html
    assert 'id="cut-decline"' in html


def test_each_loaded_line_carries_its_load_at_the_readiness_cut(signed_in: Any, client_profile: Any) -> None:
    html = signed_in.get(TODAY).content.decode()
    lines = {line["exercise"]: line for line in page_data(signed_in.get(TODAY))["lines"]}
    # 60 kg × 0.9 = 54, rounded down onto the 2.5 kg barbell grid; 12 kg dumbbells step to 10 kg.
    assert lines["romanian-deadlift"]["cut_load"] == 52.5
    assert lines["single-leg-rdl"]["cut_load"] == 10
    assert "Today at the readiness cut: <strong>52.5 kg</strong>" in html


def test_the_cut_is_the_engines_cut(client_profile: Any) -> None:
    row = client_profile.assignments.get().versions.latest("effective_from").lines.select_related("exercise").first()
    ex = row.exercise
    facts = ExerciseFacts(ex.slug, ex.name, ex.implement, ex.measure, ex.laterality)
    engine = cut_load(
        Line(ex.slug, row.sets, row.range_low, row.range_high, Decimal("60"), "kg"), facts, READINESS_CUT_PCT
    )
    assert Decimal(str(readiness_cut(row, "kg"))) == engine


def test_the_page_gives_the_script_the_rules_threshold_and_cut(signed_in: Any) -> None:
    """today.js reads when to offer the cut, and its size, from the page: the rules' own values."""
    response = signed_in.get(TODAY)
    readiness = page_data(response)["readiness"]
    assert readiness == {"low": float(LOW_READINESS), "cut_pct": int(READINESS_CUT_PCT)}
    assert readiness == {"low": 2.5, "cut_pct": 10}
    assert f"Take the {int(READINESS_CUT_PCT)}% cut" in response.content.decode()
