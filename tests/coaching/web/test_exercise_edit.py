"""A coach edits and deletes their own exercises, and only theirs."""

from __future__ import annotations

from typing import Any

import pytest

from programs.lines import Line
from programs.models import Exercise, ProgramTemplate
from programs.services import exercise_create, template_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(coach: Any) -> Exercise:
    return exercise_create(owner=coach.user, name="Trap-bar RDL", implement="barbell")


def test_coach_edits_own_exercise_and_the_slug_and_measure_stay(client: Any, coach: Any, own: Exercise) -> None:
    client.force_login(coach.user)
    assert client.get(f"/exercises/{own.slug}/edit/").status_code == 200
    response = client.post(
        f"/exercises/{own.slug}/edit/",
        {"name": "Trap-bar Romanian deadlift", "implement": "barbell", "measure": "seconds",
         "laterality": "bilateral", "easier": "kettlebell-deadlift", "harder": "", "cues": "Hips back\nLong spine",
         "description": "Handles at the sides."},
    )  # fmt: skip
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.slug, own.name, own.measure) == ("trap-bar-rdl", "Trap-bar Romanian deadlift", "reps")
    assert own.easier.slug == "kettlebell-deadlift"
    assert own.cues == ["Hips back", "Long spine"]


def test_library_and_other_coaches_exercises_cannot_be_edited_or_deleted(
    client: Any, coach: Any, other_coach: Any, own: Exercise
) -> None:
    client.force_login(other_coach.user)
    assert client.get(f"/exercises/{own.slug}/edit/").status_code == 404
    assert client.post(f"/exercises/{own.slug}/delete/").status_code == 404
    client.force_login(coach.user)
    assert client.get("/exercises/deadlift/edit/").status_code == 404
    assert client.post("/exercises/deadlift/delete/").status_code == 404
    assert Exercise.objects.filter(slug="deadlift").exists()
    assert Exercise.objects.filter(pk=own.pk).exists()


def test_unused_exercise_is_deleted_and_a_used_one_stays(client: Any, coach: Any, own: Exercise) -> None:
    client.force_login(coach.user)
    used = exercise_create(owner=coach.user, name="Band pull-through", implement="bodyweight")
    template_create(owner=coach.user, name="Uses it", lines=[Line(exercise=used)])
    kept = client.post(f"/exercises/{used.slug}/delete/", follow=True)
    assert "was not deleted" in kept.content.decode()
    assert Exercise.objects.filter(pk=used.pk).exists()
    assert client.post(f"/exercises/{own.slug}/delete/").status_code == 302
    assert not Exercise.objects.filter(pk=own.pk).exists()
    assert ProgramTemplate.objects.count() == 1


def test_edit_errors_are_field_messages(client: Any, coach: Any, own: Exercise) -> None:
    client.force_login(coach.user)
    response = client.post(
        f"/exercises/{own.slug}/edit/",
        {"name": "", "implement": "anvil", "laterality": "bilateral", "easier": "", "harder": ""},
    )
    assert response.status_code == 400
    assert {"name", "implement"} <= set(response.context["form"].errors)
    own.refresh_from_db()
    assert own.name == "Trap-bar RDL"
