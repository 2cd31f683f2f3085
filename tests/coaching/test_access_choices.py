"""coaching.access: what a coach may choose from and see, for the pages that moved their checks here."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from coaching.access import (
    access_own_exercise,
    assignable_clients,
    exercise_ladder,
    find_template,
    other_exercises_for,
)
from programs.services import exercise_create, template_create
from tests.factories import ClientFactory, exercise

pytestmark = pytest.mark.django_db


def test_only_the_coachs_own_exercise_is_theirs_to_edit(coach: Any, other_coach: Any) -> None:
    own = exercise_create(owner=coach.user, name="Trap-bar RDL", implement="barbell")
    assert access_own_exercise(coach.user, own.slug) == own
    with pytest.raises(Http404):
        access_own_exercise(other_coach.user, own.slug)
    with pytest.raises(Http404):
        access_own_exercise(coach.user, "deadlift")  # the library's


def test_a_ladder_step_of_another_coach_is_not_shown(coach: Any, other_coach: Any) -> None:
    theirs = exercise_create(owner=other_coach.user, name="Their hinge", implement="barbell")
    mine = exercise_create(
        owner=other_coach.user, name="Their harder hinge", implement="barbell", easier=exercise("deadlift")
    )
    mine.harder = theirs
    mine.save()
    assert exercise_ladder(other_coach.user, mine) == (exercise("deadlift"), theirs)
    assert exercise_ladder(coach.user, mine) == (exercise("deadlift"), None)
    assert exercise_ladder(coach.user, exercise("dowel-hip-hinge"))[1] is not None
    assert mine not in other_exercises_for(other_coach.user, mine)
    assert theirs in other_exercises_for(other_coach.user, mine)


def test_assign_choices_are_the_coachs_active_clients_and_own_templates(coach: Any, other_coach: Any) -> None:
    active = ClientFactory(coach=coach)
    ClientFactory(coach=coach, is_active=False)
    ClientFactory(coach=other_coach)
    assert list(assignable_clients(coach.user)) == [active]
    template = template_create(owner=coach.user, name="Base")
    theirs = template_create(owner=other_coach.user, name="Base")
    assert find_template(coach.user, template.pk) == template
    assert find_template(coach.user, theirs.pk) is None
    assert find_template(coach.user, None) is None
    assert find_template(coach.user, 10**9) is None
