"""The hinge faults a client can tick, in the article's words, and the six checkpoints."""

from __future__ import annotations

FAULTS: dict[str, str] = {
    "upper_back_rounding": "Upper back rounding (no upper-body / lat tension)",
    "lower_back_overextension": "Lower back overextended",
    "knees_too_bent": "Knees too bent (squatting the hinge)",
    "core_lost": "Core engagement lost",
    "bar_drift": "Bar drifted away from the legs",
}

CHECKPOINTS: tuple[str, ...] = (
    "Spine stays neutral",
    "Shoulders stay above or slightly in front of the hips",
    "Hips move backward",
    "Slight bend in the knees, not a squat",
    "Weight on the heels",
    "Core braced to support the lower back",
)

DOWEL_CONTACT_POINTS: tuple[str, ...] = (
    "Back of the head",
    "Between the shoulder blades",
    "Just above the tailbone",
)


def fault_label(slug: str) -> str:
    return FAULTS.get(slug, slug.replace("_", " "))
