from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from coaching.reviews.views import line_rows
from coaching.services.prescriptions import prescription_edit
from programs.lines import Line
from programs.models import Exercise, ProgramTemplate
from programs.services import exercise_create, exercise_delete, template_create
from tests.coaching.web.conftest import HTMX
from tests.factories import exercise

pytestmark = pytest.mark.django_db


def test_exercise_detail_shows_cues_faults_ladder_and_load_step(coach_web: Any) -> None:
    body = coach_web.get(reverse("coach-exercise", args=["romanian-deadlift"])).content.decode()
    assert "<li>Spine stays neutral</li>" in body
    assert "<li>Feel the hamstrings stretch</li>" in body
    assert "Knees too bent (squatting the hinge)" in body
    assert reverse("coach-exercise", args=["kettlebell-deadlift"]) in body
    assert reverse("coach-exercise", args=["deadlift"]) in body
    assert "2.5 kg" in body


def test_coach_adds_an_own_exercise_visible_only_to_them(
    coach_web: Any, coach: Any, other_coach: Any, client: Any
) -> None:
    response = coach_web.post(
        reverse("coach-exercise-add"),
        {
            "name": "Banded hip hinge",
            "implement": "bodyweight",
            "measure": "reps",
            "laterality": "bilateral",
            "easier": "dowel-hip-hinge",
            "harder": "",
            "cues": "Hips back\nLong spine\n",
        },
    )
    assert response["Location"] == reverse("coach-exercise", args=["banded-hip-hinge"])
    own = Exercise.objects.get(slug="banded-hip-hinge")
    assert own.owner == coach.user
    assert own.cues == ["Hips back", "Long spine"]
    assert own.easier.slug == "dowel-hip-hinge"
    client.force_login(other_coach.user)
    assert client.get(reverse("coach-exercise", args=["banded-hip-hinge"])).status_code == 404


def test_an_exercise_named_like_a_library_one_is_refused(coach_web: Any) -> None:
    response = coach_web.post(
        reverse("coach-exercise-add"),
        {"name": "Deadlift", "implement": "barbell", "measure": "reps", "laterality": "bilateral"},
    )
    assert response.status_code == 400
    assert "is a library exercise: choose another name." in response.content.decode()


def test_creating_a_template_opens_its_builder(coach_web: Any, coach: Any) -> None:
    response = coach_web.post(reverse("coach-programs"), {"name": "Hinge foundations", "notes": ""})
    template = ProgramTemplate.objects.get(owner=coach.user)
    assert response["Location"] == reverse("coach-program", args=[template.pk])
    again = coach_web.post(reverse("coach-programs"), {"name": "hinge foundations"})
    assert again.status_code == 400
    assert "You already have a program with this name." in again.content.decode()


@pytest.fixture
def template(coach: Any) -> ProgramTemplate:
    return template_create(
        owner=coach.user,
        name="Builder",
        lines=[
            Line(exercise=exercise("romanian-deadlift"), sets=3, low=8, high=10, load=Decimal("60")),
            Line(exercise=exercise("hip-thrust"), sets=3, low=8, high=12, load=Decimal("80")),
        ],
    )


def _slugs(template: ProgramTemplate) -> list[str]:
    return [line.exercise.slug for line in template.lines.order_by("position")]


NEW_HOLD = {
    "new-exercise": "rdl-isometric-hold",
    "new-sets": 2,
    "new-low": 10,
    "new-high": 20,
    "new-load": "40",
    "new-unit": "kg",
    "new-tempo": "",
    "new-target_rpe": "7.5",
    "new-rest_seconds": "90",
}


def test_builder_adds_a_line_htmx_gets_the_builder_fragment(coach_web: Any, template: ProgramTemplate) -> None:
    response = coach_web.post(reverse("coach-line-add", args=[template.pk]), NEW_HOLD, **HTMX)
    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith('<div id="builder"')
    assert _slugs(template) == ["romanian-deadlift", "hip-thrust", "rdl-isometric-hold"]
    hold = template.lines.get(position=2)
    assert (hold.seconds_low, hold.seconds_high, hold.reps_low, hold.rest_seconds) == (10, 20, None, 90)


def test_builder_plain_post_redirects(coach_web: Any, template: ProgramTemplate) -> None:
    response = coach_web.post(reverse("coach-line-add", args=[template.pk]), NEW_HOLD)
    assert response["Location"] == reverse("coach-program", args=[template.pk])


def test_picker_shows_the_exercises_cues_and_its_measure(coach_web: Any, template: ProgramTemplate) -> None:
    url = reverse("coach-line-form", args=[template.pk])
    body = coach_web.get(url, {"new-exercise": "rdl-isometric-hold"}, **HTMX).content.decode()
    assert body.lstrip().startswith('<section id="add-line"')
    assert "Seconds from" in body
    assert "RDL isometric hold" in body
    assert '<ol class="cue-list">' in body
    reps = coach_web.get(url, {"new-exercise": "deadlift"}, **HTMX).content.decode()
    assert "Reps from" in reps


def test_builder_add_with_bad_values_shows_errors_and_adds_nothing(coach_web: Any, template: ProgramTemplate) -> None:
    bad = {**NEW_HOLD, "new-exercise": "glute-bridge", "new-low": 15, "new-high": 10, "new-load": "20"}
    response = coach_web.post(reverse("coach-line-add", args=[template.pk]), bad, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "The range starts above its end (15 &gt; 10 reps)." in body
    assert "Bodyweight exercises carry no load: use 0." in body
    assert _slugs(template) == ["romanian-deadlift", "hip-thrust"]
    unknown = coach_web.post(reverse("coach-line-add", args=[template.pk]), {**NEW_HOLD, "new-exercise": "nope"})
    assert unknown.status_code == 400
    assert "Select a valid choice" in unknown.content.decode()


def test_builder_edits_a_line_in_place(coach_web: Any, template: ProgramTemplate) -> None:
    url = reverse("coach-line-edit", args=[template.pk, 1, 1])
    form = coach_web.get(url, **HTMX).content.decode()
    assert 'name="line1-exercise"' in form
    assert 'value="80"' in form
    data = {
        "line1-exercise": "hip-thrust",
        "line1-sets": 4,
        "line1-low": 6,
        "line1-high": 10,
        "line1-load": "90",
        "line1-unit": "kg",
        "line1-tempo": "3-2-1",
        "line1-target_rpe": "8",
    }
    coach_web.post(url, data, **HTMX)
    line = template.lines.get(position=1)
    assert (line.sets, line.reps_low, line.reps_high, line.load_kg, line.tempo) == (4, 6, 10, Decimal("90"), "3-2-1")


def test_builder_reorders_and_removes_lines(coach_web: Any, template: ProgramTemplate) -> None:
    coach_web.post(reverse("coach-line-move", args=[template.pk, 1, 1]), {"direction": "up"}, **HTMX)
    assert _slugs(template) == ["hip-thrust", "romanian-deadlift"]
    coach_web.post(reverse("coach-line-move", args=[template.pk, 1, 1]), {"direction": "down"}, **HTMX)
    assert _slugs(template) == ["hip-thrust", "romanian-deadlift"]  # already last: nothing moves
    coach_web.post(reverse("coach-line-remove", args=[template.pk, 1, 0]), **HTMX)
    assert _slugs(template) == ["romanian-deadlift"]


def test_builder_page_without_js_has_an_edit_link(coach_web: Any, template: ProgramTemplate) -> None:
    url = reverse("coach-program", args=[template.pk])
    body = coach_web.get(url).content.decode()
    assert 'href="?day=1&amp;edit=1#line-1-1"' in body
    editing = coach_web.get(url, {"edit": "1"}).content.decode()
    assert 'name="line1-sets"' in editing


def test_renaming_and_deleting_a_template(coach_web: Any, template: ProgramTemplate) -> None:
    coach_web.post(reverse("coach-program-settings", args=[template.pk]), {"name": "Renamed", "notes": "n"})
    template.refresh_from_db()
    assert template.name == "Renamed"
    bad = coach_web.post(reverse("coach-program-settings", args=[template.pk]), {"name": ""})
    assert bad.status_code == 400
    assert "This field is required." in bad.content.decode()
    coach_web.post(reverse("coach-program-delete", args=[template.pk]))
    assert not ProgramTemplate.objects.filter(pk=template.pk).exists()


def test_cues_preview_for_one_exercise(coach_web: Any) -> None:
    response = coach_web.get(reverse("coach-exercise-cues"), {"exercise": "dowel-hip-hinge"}, **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card cues" id="cues"')
    assert "Cues: Dowel hip-hinge drill" in body
    assert coach_web.get(reverse("coach-exercise-cues"), {"exercise": "nope"}).status_code == 404


def test_exercise_page_names_the_identifier_api_name_not_slug(coach_web: Any) -> None:
    body = coach_web.get(reverse("coach-exercise", args=["deadlift"])).content.decode()
    assert "slug" not in body.lower()
    assert "<dt>API name</dt><dd><code>deadlift</code></dd>" in body


def test_exercise_name_clash_says_the_exercises_name_not_its_slug(coach_web: Any) -> None:
    data = {"implement": "barbell", "measure": "reps", "laterality": "bilateral"}
    library = coach_web.post(reverse("coach-exercise-add"), {**data, "name": "Romanian  Deadlift!"})
    assert "“Romanian deadlift” is a library exercise: choose another name." in library.content.decode()
    assert "romanian-deadlift”" not in library.content.decode()
    coach_web.post(reverse("coach-exercise-add"), {**data, "name": "Trap-bar RDL"})
    own = coach_web.post(reverse("coach-exercise-add"), {**data, "name": "trap bar rdl"})
    assert own.status_code == 400
    assert "You already have an exercise called “Trap-bar RDL”." in own.content.decode()


def test_a_one_number_range_reads_as_one_number_wherever_a_coach_sees_a_line(
    coach_web: Any, coach: Any, client_profile: Any
) -> None:
    five = template_create(
        owner=coach.user,
        name="Fives",
        lines=[
            Line(exercise=exercise("deadlift"), sets=3, low=5, high=5, load=Decimal("100")),
            Line(exercise=exercise("rdl-isometric-hold"), sets=2, low=20, high=20, load=Decimal("40")),
            Line(exercise=exercise("hip-thrust"), sets=3, low=8, high=12, load=Decimal("80")),
        ],
    )
    builder = coach_web.get(reverse("coach-program", args=[five.pk])).content.decode()
    assert "3 × 5 reps" in builder
    assert "2 × 20 s" in builder
    assert "3 × 8–12 reps" in builder
    assert "5–5" not in builder
    assert "20–20" not in builder

    assignment = client_profile.assignments.get(is_active=True)
    prescription_edit(
        assignment=assignment,
        lines=[Line(exercise=exercise("deadlift"), sets=4, low=5, high=5, load=Decimal("100"))],
        effective_from=assignment.start_date,
        changed_by=coach.user,
    )
    page = coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    assert "4 × 5 reps" in page
    assert "5–5" not in page

    current = {"exercise": "deadlift", "sets": 3, "reps_low": 5, "reps_high": 5, "load": 100, "unit": "kg"}
    proposed = {**current, "reps_low": 5, "reps_high": 8}
    [rng] = [r for r in line_rows(current, proposed, {"deadlift": "Deadlift"}) if r["label"] == "Range"]
    assert (rng["current"], rng["proposed"]) == ("5 reps", "5–8 reps")


def test_the_range_fields_say_reps_or_seconds_on_add_and_on_edit(coach_web: Any, template: ProgramTemplate) -> None:
    page = coach_web.get(reverse("coach-program", args=[template.pk])).content.decode()
    assert "Range from" not in page
    assert ">Reps from<" in page
    assert ">Reps to<" in page
    edit = coach_web.get(reverse("coach-line-edit", args=[template.pk, 1, 0]), **HTMX).content.decode()
    assert ">Reps from<" in edit
    assert ">Reps to<" in edit
    hold = coach_web.get(reverse("coach-line-form", args=[template.pk]), {"new-exercise": "rdl-isometric-hold"}, **HTMX)
    assert ">Seconds from<" in hold.content.decode()
    assert ">Seconds to<" in hold.content.decode()


def test_a_removed_line_can_be_undone_with_htmx(coach_web: Any, template: ProgramTemplate) -> None:
    coach_web.post(
        reverse("coach-line-edit", args=[template.pk, 1, 0]),
        {
            "line0-exercise": "romanian-deadlift",
            "line0-sets": 4,
            "line0-low": 6,
            "line0-high": 8,
            "line0-load": "62.5",
            "line0-unit": "kg",
            "line0-tempo": "3-1-1",
            "line0-target_rpe": "7.5",
            "line0-rest_seconds": "120",
        },
        **HTMX,
    )
    before = list(template.lines.order_by("position").values())
    removed = coach_web.post(reverse("coach-line-remove", args=[template.pk, 1, 0]), **HTMX).content.decode()
    assert _slugs(template) == ["hip-thrust"]
    assert "Removed Romanian deadlift" in removed
    assert f'data-hx-post="{reverse("coach-line-restore", args=[template.pk])}"' in removed
    restored = coach_web.post(reverse("coach-line-restore", args=[template.pk]), **HTMX)
    assert restored.status_code == 200
    assert restored.content.decode().lstrip().startswith('<div id="builder"')
    assert "Removed Romanian deadlift" not in restored.content.decode()
    after = list(template.lines.order_by("position").values())
    strip = ("id",)
    assert [{k: v for k, v in row.items() if k not in strip} for row in after] == [
        {k: v for k, v in row.items() if k not in strip} for row in before
    ]
    # Undone once: a second undo changes nothing.
    coach_web.post(reverse("coach-line-restore", args=[template.pk]), **HTMX)
    assert _slugs(template) == ["romanian-deadlift", "hip-thrust"]


def test_a_removed_line_can_be_undone_without_javascript(coach_web: Any, template: ProgramTemplate) -> None:
    response = coach_web.post(reverse("coach-line-remove", args=[template.pk, 1, 1]))
    assert response.status_code == 302
    page = coach_web.get(response["Location"]).content.decode()
    assert "Removed Hip thrust" in page
    assert f'action="{reverse("coach-line-restore", args=[template.pk])}"' in page
    # The notice belongs to the removal: a later visit does not offer it again.
    assert "Removed Hip thrust" not in coach_web.get(reverse("coach-program", args=[template.pk])).content.decode()
    back = coach_web.post(reverse("coach-line-restore", args=[template.pk]))
    assert back["Location"] == reverse("coach-program", args=[template.pk])
    assert _slugs(template) == ["romanian-deadlift", "hip-thrust"]


def test_undo_puts_back_only_this_templates_line(coach_web: Any, coach: Any, template: ProgramTemplate) -> None:
    other = template_create(
        owner=coach.user,
        name="Other",
        lines=[Line(exercise=exercise("deadlift"), sets=3, low=5, high=5, load=Decimal("100"))],
    )
    coach_web.post(reverse("coach-line-remove", args=[template.pk, 1, 1]), **HTMX)
    coach_web.post(reverse("coach-line-restore", args=[other.pk]), **HTMX)
    assert _slugs(other) == ["deadlift"]
    assert _slugs(template) == ["romanian-deadlift"]


def test_undo_of_a_line_whose_exercise_is_gone_says_so(coach_web: Any, coach: Any) -> None:
    own = exercise_create(owner=coach.user, name="Band pull-through", implement="bodyweight")
    template = template_create(owner=coach.user, name="Own", lines=[Line(exercise=own, sets=3, low=10, high=15)])
    coach_web.post(reverse("coach-line-remove", args=[template.pk, 1, 0]), **HTMX)
    exercise_delete(exercise=own)
    response = coach_web.post(reverse("coach-line-restore", args=[template.pk]), **HTMX)
    assert response.status_code == 200
    assert "Band pull-through could not be put back" in response.content.decode()
    assert _slugs(template) == []


def test_undo_on_another_coachs_template_is_404(coach_web: Any, other_coach: Any) -> None:
    theirs = template_create(
        owner=other_coach.user,
        name="Theirs",
        lines=[Line(exercise=exercise("deadlift"), sets=3, low=5, high=5, load=Decimal("100"))],
    )
    assert coach_web.post(reverse("coach-line-restore", args=[theirs.pk]), **HTMX).status_code == 404
    assert coach_web.get(reverse("coach-line-restore", args=[theirs.pk])).status_code == 405


def test_builder_refuses_a_kettlebell_load_that_is_no_bell(coach_web: Any, template: ProgramTemplate) -> None:
    kettlebell = {**NEW_HOLD, "new-exercise": "kettlebell-deadlift", "new-low": 8, "new-high": 12}
    response = coach_web.post(reverse("coach-line-add", args=[template.pk]), {**kettlebell, "new-load": "13.5"}, **HTMX)
    assert response.status_code == 200
    assert "Kettlebells come in 8, 12, 16, … 48 kg." in response.content.decode()
    assert _slugs(template) == ["romanian-deadlift", "hip-thrust"]
    coach_web.post(
        reverse("coach-line-add", args=[template.pk]), {**kettlebell, "new-load": "53", "new-unit": "lb"}, **HTMX
    )
    assert template.lines.get(position=2).load_kg == 24
