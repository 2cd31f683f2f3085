"""Properties of the engine over generated weeks (hypothesis, bounded so the suite stays fast).

``database=None``: no ``.hypothesis`` folder is written into the repository.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from progression_builders import LIBRARY, MON

from programs.progression import (
    AssignmentSettings,
    CoachTag,
    ExerciseFacts,
    Line,
    LoggedSet,
    Proposal,
    ReviewInput,
    SessionLog,
    is_on_grid,
    kettlebell_bells,
    lightest,
    next_step_down,
    next_step_up,
    propose,
    round_down_to_grid,
    to_kg,
    week_metrics,
)
from programs.progression.text import fmt_faults
from programs.progression.types import IMPLEMENTS
from programs.progression.units import KETTLEBELL_BELLS_KG, bell_for, bell_kg
from tests.conftest import examples

BOUNDED = settings(max_examples=examples(200), deadline=None, database=None)

FAULTS = ("upper_back_rounding", "lower_back_overextension", "knees_too_bent", "core_lost", "bar_drift")
SLUGS = sorted(LIBRARY)
_STEPS = {("barbell", "kg"): "2.5", ("barbell", "lb"): "5", ("dumbbell", "kg"): "2", ("dumbbell", "lb"): "5"}
HALVES = [Decimal(n) / 2 for n in range(2, 21)]


@st.composite
def grid_loads(draw, implement: str, unit: str) -> Decimal:
    if implement in ("bodyweight", "dowel"):
        return Decimal(0)
    if implement == "kettlebell":
        return draw(st.sampled_from(kettlebell_bells(unit)))
    return lightest(implement, unit) + Decimal(_STEPS[(implement, unit)]) * draw(st.integers(0, 80))


@st.composite
def lines(draw, slug: str | None = None, unit: str | None = None) -> Line:
    slug = slug or draw(st.sampled_from(SLUGS))
    unit = unit or draw(st.sampled_from(["kg", "lb"]))
    facts = LIBRARY[slug]
    low = draw(st.integers(1, 15))
    return Line(
        exercise=slug,
        sets=draw(st.integers(1, 5)),
        low=low,
        high=low + draw(st.integers(0, 10)),
        load=draw(grid_loads(facts.implement, unit)),
        unit=unit,  # type: ignore[arg-type]
        tempo=draw(st.none() | st.just("3-2-1")),
        target_rpe=draw(st.none() | st.sampled_from(HALVES[8:])),
    )


@st.composite
def logged_sets(draw, line: Line, good: bool) -> LoggedSet:
    """A set of the line's exercise: a clean one at the top of the range, or anything plausible."""
    facts = LIBRARY[line.exercise]
    base = to_kg(line.load, line.unit)
    side = draw(st.sampled_from(["left", "right", "both"] if facts.per_side else ["both", "left"]))
    if good:
        count = line.high + draw(st.integers(0, 2))
        load_kg, rpe, tempo_kept, faults, pain = base, None, True, (), None
    else:
        count = draw(st.integers(0, 20))
        load_kg = draw(st.sampled_from([base, base + 5, max(base - 5, Decimal(0)), base * Decimal("0.9"), Decimal(0)]))
        rpe = draw(st.none() | st.sampled_from(HALVES))
        tempo_kept = draw(st.none() | st.booleans())
        faults = draw(st.just(()) | st.lists(st.sampled_from(FAULTS), max_size=2, unique=True).map(tuple))
        pain = draw(st.sampled_from([None] * 12 + [0, 0, 1, 2, 3, 6]))
    seconds = facts.measure == "seconds"
    return LoggedSet(
        exercise=line.exercise if draw(st.integers(0, 9)) else "deadlift",
        side=side,  # type: ignore[arg-type]
        reps=None if seconds else count,
        seconds=count if seconds else None,
        load_kg=load_kg,
        rpe=rpe,
        tempo_kept=tempo_kept,
        faults=faults,
        pain=pain,
    )


@st.composite
def sessions_for(draw, line: Line) -> tuple[SessionLog, ...]:
    found = []
    for index in range(draw(st.integers(0, 5))):
        good = draw(st.sampled_from([True, True, False]))
        count = line.sets * (2 if LIBRARY[line.exercise].per_side else 1) + draw(st.integers(-1, 1))
        sets = tuple(draw(logged_sets(line, good)) for _ in range(max(count, 0)))
        offset = draw(st.integers(0, 6) | st.integers(-10, -1) | st.integers(-35, -11))
        found.append(SessionLog(id=f"s{index}", performed_on=MON + timedelta(days=offset), sets=sets))
    return tuple(found)


@st.composite
def reviews(draw, with_deload_in_force: bool = True) -> ReviewInput:
    line = draw(lines())
    deload_in_force = None
    if with_deload_in_force and draw(st.integers(0, 4)) == 0:
        deload_in_force = draw(lines(slug=line.exercise, unit=line.unit))
    return ReviewInput(
        line=line,
        settings=AssignmentSettings(
            unit=line.unit,
            load_increment_pct=draw(st.sampled_from([Decimal(0), Decimal("2.5"), Decimal(5), Decimal(10)])),
            deload_every_weeks=draw(st.none() | st.integers(1, 6)),
            first_monday=MON - timedelta(weeks=draw(st.integers(-2, 20))),
        ),
        library=LIBRARY,
        week_start=MON,
        sessions=draw(sessions_for(line)),
        deload_in_force=deload_in_force,
    )


def week_sets(inp: ReviewInput) -> list[LoggedSet]:
    return [
        logged
        for s in inp.sessions
        if 0 <= (s.performed_on - inp.week_start).days <= 6
        for logged in s.sets
        if logged.exercise == inp.line.exercise
    ]


@BOUNDED
@given(reviews())
def test_a_proposed_load_is_always_a_real_grid_step(inp: ReviewInput):
    proposal = propose(inp)
    facts = LIBRARY[proposal.proposed.exercise]
    assert is_on_grid(proposal.proposed.load, facts.implement, proposal.proposed.unit), proposal


@BOUNDED
@given(reviews())
def test_a_progression_never_follows_a_week_with_pain_or_a_faulted_third(inp: ReviewInput):
    proposal = propose(inp)
    if proposal.action != "progress":
        return
    sets = week_sets(inp)
    assert sets, proposal.rationale
    assert all((logged.pain or 0) < 1 for logged in sets), proposal.rationale
    faulted = sum(1 for logged in sets if logged.faults or logged.coach_faults)
    assert 3 * faulted < len(sets), proposal.rationale


def _with_sets(inp: ReviewInput, change) -> ReviewInput:
    sessions = tuple(replace(s, sets=tuple(change(logged) for logged in s.sets)) for s in inp.sessions)
    return replace(inp, sessions=sessions)


def _ticks_as_coach_tags(logged: LoggedSet) -> LoggedSet:
    tags = tuple(CoachTag(fault=f, on=MON) for f in logged.faults)
    return replace(logged, faults=(), coach_faults=tags)


def _decision(p: Proposal) -> tuple[object, ...]:
    return (p.action, p.rule, p.flags, p.proposed)


@BOUNDED
@given(reviews())
def test_without_coach_tags_the_proposal_is_unchanged(inp: ReviewInput):
    """No coach tags (the default, or none stated) is what the engine always did: same proposal,
    rationale and all; ``fmt_faults`` of client ticks only has the words it always had."""
    untagged = _with_sets(inp, lambda logged: replace(logged, coach_faults=()))
    assert propose(untagged) == propose(inp)
    for s in inp.sessions:
        assert "tagged by" not in fmt_faults(s.sets)


@BOUNDED
@given(reviews())
def test_a_coach_tag_counts_as_the_clients_tick_would(inp: ReviewInput):
    """The same faults seen by the coach instead of the client: the same decision (only who saw it
    changes in the rationale), and the same metrics."""
    tagged = _with_sets(inp, _ticks_as_coach_tags)
    assert _decision(propose(tagged)) == _decision(propose(inp))
    metrics = [
        week_metrics(week_start=MON, sessions=x.sessions, sessions_prescribed=3, library=LIBRARY) for x in (inp, tagged)
    ]
    assert metrics[0] == metrics[1]


@BOUNDED
@given(reviews(), st.sampled_from(FAULTS))
def test_a_coach_tag_never_earns_a_progression(inp: ReviewInput, fault: str):
    """Tagging a fault on every set of the line can only take a progression away, never make one."""
    tag = CoachTag(fault=fault, on=MON)
    tagged = _with_sets(
        inp, lambda logged: replace(logged, coach_faults=(tag,)) if logged.exercise == inp.line.exercise else logged
    )
    if propose(inp).action != "progress":
        assert propose(tagged).action != "progress"


@BOUNDED
@given(reviews(with_deload_in_force=False))
def test_a_proposal_never_raises_the_load_by_more_than_10_percent_unless_one_step_is_larger(inp: ReviewInput):
    proposal = propose(inp)
    current, proposed = proposal.current, proposal.proposed
    if proposed.exercise != current.exercise:
        return
    implement = LIBRARY[current.exercise].implement
    one_step = next_step_up(current.load, implement, current.unit) or current.load
    assert proposed.load <= max(current.load * Decimal("1.1"), one_step), proposal.rationale


@BOUNDED
@given(reviews(with_deload_in_force=False))
def test_regressions_and_deloads_never_add_load_or_sets(inp: ReviewInput):
    proposal = propose(inp)
    if proposal.action not in ("regress", "deload") or proposal.proposed.exercise != proposal.current.exercise:
        return
    assert proposal.proposed.load <= proposal.current.load
    assert proposal.proposed.sets <= proposal.current.sets


@BOUNDED
@given(reviews(), st.randoms(use_true_random=False))
def test_the_proposal_does_not_depend_on_session_order(inp: ReviewInput, rnd):
    shuffled = list(inp.sessions)
    rnd.shuffle(shuffled)
    again = ReviewInput(inp.line, inp.settings, inp.library, inp.week_start, tuple(shuffled), inp.deload_in_force)
    assert propose(again) == propose(inp)


@BOUNDED
@given(reviews())
def test_every_proposal_is_complete(inp: ReviewInput):
    proposal = propose(inp)
    assert proposal.current == inp.line
    assert proposal.action in ("progress", "hold", "regress", "deload")
    assert proposal.rule in ("safety", "data", "technique", "deload", "too_hard", "progress", "hold")
    assert proposal.rationale.endswith(".")
    if proposal.action == "hold" and proposal.rule != "deload":
        assert proposal.proposed == proposal.current
    if "refer" in proposal.flags:
        assert "pain" in proposal.flags


# Anything well-typed -----------------------------------------------------------------------------

POOL = [*SLUGS, "custom", ""]
slugs = st.sampled_from(POOL) | st.text(max_size=8)
any_decimal = (
    st.decimals(allow_nan=True, allow_infinity=True)
    | st.decimals(min_value=-1000, max_value=1000, places=2)
    | st.sampled_from([Decimal("sNaN"), Decimal("-0"), Decimal("1E+999"), Decimal("1E-999")])
)
any_facts = st.builds(
    ExerciseFacts,
    slug=slugs,
    name=st.text(max_size=10),
    implement=st.sampled_from([*IMPLEMENTS, "cable"]),
    measure=st.sampled_from(["reps", "seconds", "metres"]),
    laterality=st.sampled_from(["bilateral", "per_side", "alternating"]),
    easier=st.none() | slugs,
    harder=st.none() | slugs,
)
any_library = st.dictionaries(st.sampled_from(POOL), any_facts, max_size=8) | st.just(LIBRARY)
any_line = st.builds(
    Line,
    exercise=slugs,
    sets=st.integers(-3, 10**6),
    low=st.integers(-5, 10**6),
    high=st.integers(-5, 10**6),
    load=any_decimal,
    unit=st.sampled_from(["kg", "lb", "st"]),
    tempo=st.none() | st.text(max_size=6),
    target_rpe=st.none() | any_decimal,
)
any_set = st.builds(
    LoggedSet,
    exercise=slugs,
    side=st.sampled_from(["both", "left", "right", "up"]),
    reps=st.none() | st.integers(-(10**6), 10**6),
    seconds=st.none() | st.integers(-(10**6), 10**6),
    load_kg=any_decimal,
    rpe=st.none() | any_decimal,
    tempo_kept=st.none() | st.booleans(),
    faults=st.lists(st.text(max_size=8), max_size=3).map(tuple),
    pain=st.none() | st.integers(-5, 20),
)
any_session = st.builds(
    SessionLog, id=st.text(max_size=4), performed_on=st.dates(), sets=st.lists(any_set, max_size=6).map(tuple)
)
near_sessions = st.builds(
    SessionLog,
    id=st.text(max_size=4),
    performed_on=st.dates(min_value=date(2026, 10, 1), max_value=date(2026, 11, 22)),
    sets=st.lists(any_set, max_size=6).map(tuple),
)
any_input = st.builds(
    ReviewInput,
    line=any_line,
    settings=st.builds(
        AssignmentSettings,
        unit=st.sampled_from(["kg", "lb"]),
        load_increment_pct=any_decimal,
        deload_every_weeks=st.none() | st.integers(-3, 10**6),
        first_monday=st.dates(),
    ),
    library=any_library,
    week_start=st.dates() | st.just(MON),
    sessions=st.lists(any_session | near_sessions, max_size=6).map(tuple),
    deload_in_force=st.none() | any_line,
)


@BOUNDED
@given(any_input)
def test_the_engine_never_raises_on_any_input(inp: ReviewInput):
    assert isinstance(propose(inp), Proposal)


@BOUNDED
@given(
    st.dates() | st.just(MON),
    st.lists(any_session | near_sessions, max_size=6),
    st.integers(-3, 10**6),
    any_library,
)
def test_week_metrics_never_raises_and_is_json_ready(week_start, sessions, prescribed, library):
    got = week_metrics(week_start=week_start, sessions=sessions, sessions_prescribed=prescribed, library=library)
    json.dumps(got, allow_nan=False)
    assert 0 <= got["adherence_pct"] <= 100


# The grid ---------------------------------------------------------------------------------------


@BOUNDED
@given(
    st.sampled_from(IMPLEMENTS),
    st.sampled_from(["kg", "lb"]),
    st.decimals(min_value=0, max_value=400, places=3),
)
def test_grid_neighbours_are_grid_loads_around_the_load(implement, unit, load):
    down = round_down_to_grid(load, implement, unit)
    if down is not None:
        # A kettlebell load within 0.5 lb of a bell IS that bell (docs/domain.md), so it rounds to it.
        is_that_bell = implement == "kettlebell" and down == bell_for(load, unit)
        assert down <= load or is_that_bell
        assert is_on_grid(down, implement, unit)
    up = next_step_up(load, implement, unit)
    if up is not None:
        assert up > load
        assert is_on_grid(up, implement, unit)
        assert round_down_to_grid(up, implement, unit) == up
    below = next_step_down(load, implement, unit)
    if below is not None:
        assert below < load
        assert is_on_grid(below, implement, unit)


@BOUNDED
@given(
    st.integers(0, len(KETTLEBELL_BELLS_KG) - 1),
    st.sampled_from(["exact", "api", "person"]),
    st.sampled_from(["exact", "person"]),
    st.integers(1, 5),
    st.sampled_from(["kettlebell-deadlift", "kettlebell-swing", "kettlebell-deadlift-blocks"]),
    st.integers(0, 10),
)
def test_a_bell_logged_at_its_exact_lb_weight_never_progresses_to_the_same_bell(
    bell: int, prescribed_as: str, logged_as: str, set_count: int, slug: str, gap: int
):
    """docs/domain.md: a load in lb within 0.5 lb of a bell's exact weight is that bell, so two
    qualifying sessions at the prescribed bell add a set or go to the next bell; at 48 kg, hold."""
    exact = kettlebell_bells("lb")[bell]
    spelled = {"exact": exact, "api": exact.quantize(Decimal("0.01")), "person": exact.quantize(Decimal(1))}
    current = Line(exercise=slug, sets=set_count, low=8, high=12, load=spelled[prescribed_as], unit="lb")
    logged = LoggedSet(exercise=slug, side="both", reps=12, load_kg=to_kg(spelled[logged_as], "lb"), unit="lb")
    sessions = tuple(
        SessionLog(id=f"s{offset}", performed_on=MON + timedelta(days=offset), sets=(logged,) * set_count)
        for offset in (1 - gap, 1)
    )
    inp = ReviewInput(
        line=current,
        settings=AssignmentSettings(unit="lb", first_monday=date(2026, 10, 5)),
        library=LIBRARY,
        week_start=MON,
        sessions=sessions,
    )
    proposal = propose(inp)
    proposed = proposal.proposed
    if bell == len(KETTLEBELL_BELLS_KG) - 1:
        assert (proposal.action, proposed) == ("hold", current), proposal.rationale
        return
    assert proposal.action == "progress", proposal.rationale
    if proposed.sets == set_count:
        assert bell_kg(proposed.load, "lb") == KETTLEBELL_BELLS_KG[bell + 1], proposal.rationale
        assert proposed.load == kettlebell_bells("lb")[bell + 1]
    else:
        assert (proposed.sets, proposed.load) == (set_count + 1, current.load), proposal.rationale
