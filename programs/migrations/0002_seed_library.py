"""Seed the hip-hinge exercise library of docs/domain.md (slugs are stable: the API uses them).

The data is frozen here on purpose: a migration must not change when later code does.
"""

from django.db import migrations

CHECKPOINTS = [
    "Spine stays neutral",
    "Shoulders stay above or slightly in front of the hips",
    "Hips move backward",
    "Slight bend in the knees, not a squat",
    "Weight on the heels",
    "Core braced to support the lower back",
]
DOWEL_POINTS = [
    "Dowel touches the back of the head",
    "Dowel touches between the shoulder blades",
    "Dowel touches just above the tailbone",
]
# The article's fixed list: every exercise offers all of them.
FAULTS = ["upper_back_rounding", "lower_back_overextension", "knees_too_bent", "core_lost", "bar_drift"]

# slug, name, implement, measure, laterality, easier, harder, extra cues, description
LIBRARY = [
    ("dowel-hip-hinge", "Dowel hip-hinge drill", "dowel", "reps", "bilateral", None,
     "kettlebell-deadlift-blocks", DOWEL_POINTS,
     "Hold a dowel along the spine and hinge without losing any of its three contact points."),
    ("kettlebell-deadlift-blocks", "Kettlebell deadlift from blocks", "kettlebell", "reps", "bilateral",
     "dowel-hip-hinge", "kettlebell-deadlift", ["Bell on blocks between the feet: a shorter range to learn the pattern"],
     "A kettlebell deadlift from raised blocks, so the hinge is learned in a short range."),
    ("kettlebell-deadlift", "Kettlebell deadlift", "kettlebell", "reps", "bilateral",
     "kettlebell-deadlift-blocks", "romanian-deadlift", ["Drive through the heels and squeeze the glutes to stand"],
     "A kettlebell deadlift from the floor, the bell between the feet."),
    ("romanian-deadlift", "Romanian deadlift", "barbell", "reps", "bilateral",
     "kettlebell-deadlift", "deadlift", ["Bar stays close to the legs", "Feel the hamstrings stretch"],
     "A barbell hinge from the top: hips back until the hamstrings stop you, then stand."),
    ("deadlift", "Deadlift", "barbell", "reps", "bilateral", "romanian-deadlift", None,
     ["Set the lats before the bar leaves the floor", "Drive through the heels and squeeze the glutes"],
     "The conventional barbell deadlift from the floor: the quintessential hinge."),
    ("tempo-rdl", "Tempo RDL (3-2-1)", "barbell", "reps", "bilateral", "kettlebell-deadlift",
     "romanian-deadlift", ["3 s down, 2 s pause at the bottom, 1 s up"],
     "A Romanian deadlift at a 3-2-1 tempo for control and time under tension."),
    ("rdl-isometric-hold", "RDL isometric hold", "barbell", "seconds", "bilateral", "dowel-hip-hinge",
     "tempo-rdl", ["Hold the bottom position 10–20 s", "Keep the spine neutral and glutes engaged"],
     "Hold the bottom of a Romanian deadlift for 10–20 seconds."),
    ("kettlebell-swing", "Kettlebell swing", "kettlebell", "reps", "bilateral", "kettlebell-deadlift", None,
     ["The power comes from the hips, not the arms", "Brace the core at the top"],
     "A dynamic hinge: snap the hips to swing the bell to chest height."),
    ("bodyweight-good-morning", "Bodyweight good morning", "bodyweight", "reps", "bilateral",
     "dowel-hip-hinge", "good-morning", ["Hands behind the head, elbows wide"],
     "A good morning with no load, to groove the hinge and feel the hamstring stretch."),
    ("good-morning", "Good morning", "barbell", "reps", "bilateral", "bodyweight-good-morning", None,
     ["Bar on the upper back, hinge with a straight back"],
     "A barbell good morning: hinge at the hips with the bar on the upper back."),
    ("glute-bridge", "Glute bridge", "bodyweight", "reps", "bilateral", None, "hip-thrust",
     ["Push the hips up with the glutes", "Do not arch the lower back at the top"],
     "Lying on the back, push the hips up by squeezing the glutes."),
    ("hip-thrust", "Hip thrust", "barbell", "reps", "bilateral", "glute-bridge", None,
     ["Push the hips up with the glutes", "Do not arch the lower back at the top"],
     "Shoulders on a bench, bar on the hips: drive the hips up with the glutes."),
    ("kickstand-rdl", "Kickstand (B-stance) RDL", "dumbbell", "reps", "per_side", "kettlebell-deadlift",
     "single-leg-rdl", ["Back foot's toes only for balance; the front leg does the work"],
     "A staggered-stance RDL: most of the weight on the front leg, the back foot as a kickstand."),
    ("single-leg-rdl", "Single-leg Romanian deadlift", "dumbbell", "reps", "per_side", "kickstand-rdl", None,
     ["Hips stay square to the floor", "Reach the free leg back as the torso comes forward"],
     "A one-leg RDL: a balance challenge that shows and corrects asymmetries."),
]



def seed(apps, schema_editor):
    Exercise = apps.get_model("programs", "Exercise")
    by_slug = {}
    for slug, name, implement, measure, laterality, _e, _h, extra, description in LIBRARY:
        exercise, _ = Exercise.objects.update_or_create(
            slug=slug,
            owner=None,
            defaults={
                "name": name,
                "implement": implement,
                "measure": measure,
                "laterality": laterality,
                "cues": CHECKPOINTS + list(extra),
                "faults": list(FAULTS),
                "description": description,
            },
        )
        by_slug[slug] = exercise
    for slug, *_rest in LIBRARY:
        easier, harder = _rest[4], _rest[5]
        exercise = by_slug[slug]
        exercise.easier = by_slug[easier] if easier else None
        exercise.harder = by_slug[harder] if harder else None
        exercise.save(update_fields=["easier", "harder"])


def unseed(apps, schema_editor):
    Exercise = apps.get_model("programs", "Exercise")
    Exercise.objects.filter(owner=None, slug__in=[row[0] for row in LIBRARY]).delete()


class Migration(migrations.Migration):
    dependencies = [("programs", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
