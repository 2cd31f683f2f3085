from __future__ import annotations

import pytest

from programs.faults import FAULTS
from programs.models import Exercise

pytestmark = pytest.mark.django_db

# docs/domain.md's table: slug, implement, measure, laterality, easier, harder.
LIBRARY = [
    ("dowel-hip-hinge", "dowel", "reps", "bilateral", None, "kettlebell-deadlift-blocks"),
    ("kettlebell-deadlift-blocks", "kettlebell", "reps", "bilateral", "dowel-hip-hinge", "kettlebell-deadlift"),
    ("kettlebell-deadlift", "kettlebell", "reps", "bilateral", "kettlebell-deadlift-blocks", "romanian-deadlift"),
    ("romanian-deadlift", "barbell", "reps", "bilateral", "kettlebell-deadlift", "deadlift"),
    ("deadlift", "barbell", "reps", "bilateral", "romanian-deadlift", None),
    ("tempo-rdl", "barbell", "reps", "bilateral", "kettlebell-deadlift", "romanian-deadlift"),
    ("rdl-isometric-hold", "barbell", "seconds", "bilateral", "dowel-hip-hinge", "tempo-rdl"),
    ("kettlebell-swing", "kettlebell", "reps", "bilateral", "kettlebell-deadlift", None),
    ("bodyweight-good-morning", "bodyweight", "reps", "bilateral", "dowel-hip-hinge", "good-morning"),
    ("good-morning", "barbell", "reps", "bilateral", "bodyweight-good-morning", None),
    ("glute-bridge", "bodyweight", "reps", "bilateral", None, "hip-thrust"),
    ("hip-thrust", "barbell", "reps", "bilateral", "glute-bridge", None),
    ("kickstand-rdl", "dumbbell", "reps", "per_side", "kettlebell-deadlift", "single-leg-rdl"),
    ("single-leg-rdl", "dumbbell", "reps", "per_side", "kickstand-rdl", None),
]


def test_library_has_exactly_the_fourteen_domain_slugs() -> None:
    slugs = set(Exercise.objects.filter(owner__isnull=True).values_list("slug", flat=True))
    assert slugs == {row[0] for row in LIBRARY}


@pytest.mark.parametrize(("slug", "implement", "measure", "laterality", "easier", "harder"), LIBRARY)
def test_library_row_matches_domain(slug, implement, measure, laterality, easier, harder) -> None:
    ex = Exercise.objects.select_related("easier", "harder").get(slug=slug, owner__isnull=True)
    assert (ex.implement, ex.measure, ex.laterality) == (implement, measure, laterality)
    assert (ex.easier.slug if ex.easier else None) == easier
    assert (ex.harder.slug if ex.harder else None) == harder


def test_every_exercise_has_the_six_checkpoints_and_the_fault_list() -> None:
    for ex in Exercise.objects.filter(owner__isnull=True):
        assert ex.cues[:6] == [
            "Spine stays neutral",
            "Shoulders stay above or slightly in front of the hips",
            "Hips move backward",
            "Slight bend in the knees, not a squat",
            "Weight on the heels",
            "Core braced to support the lower back",
        ]
        assert ex.faults == list(FAULTS)


def test_dowel_drill_names_its_three_contact_points() -> None:
    cues = " ".join(Exercise.objects.get(slug="dowel-hip-hinge").cues)
    for point in ("back of the head", "between the shoulder blades", "just above the tailbone"):
        assert point in cues


@pytest.mark.parametrize(
    ("implement", "step"),
    [("barbell", "2.5"), ("dumbbell", "2"), ("kettlebell", "4"), ("bodyweight", "0"), ("dowel", "0")],
)
def test_load_step_per_implement(implement, step) -> None:
    from decimal import Decimal

    ex = Exercise.objects.filter(implement=implement).first()
    assert ex.load_step_kg == Decimal(step)


def test_a_kettlebell_in_lb_reads_as_its_bells_whole_lb_and_other_loads_as_stored() -> None:
    from decimal import Decimal

    from programs.models import shown_load
    from programs.progression.units import LB_IN_KG

    assert shown_load(Decimal("24"), "lb", "kettlebell") == Decimal("53")
    assert shown_load(Decimal("52.91") * LB_IN_KG, "lb", "kettlebell") == Decimal("53")
    assert shown_load(Decimal("24"), "kg", "kettlebell") == Decimal("24")
    assert shown_load(Decimal("24"), "lb", "barbell") == Decimal("52.91")
    assert shown_load(Decimal("13.5"), "lb", "kettlebell") == Decimal("29.76")  # no bell: as stored
