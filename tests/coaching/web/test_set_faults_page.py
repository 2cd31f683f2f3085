"""The coach tags faults on a set from the client page: shown apart from the client's ticks, a form
that works without JavaScript (post, redirect back) and in place with htmx (the set's fragment)."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachFault, LoggedSession, LoggedSet
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from tests.coaching.web.conftest import active_assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(client_profile: Any) -> LoggedSession:
    when = timezone.now() - dt.timedelta(days=1)
    item = SessionInput(
        id=uuid.uuid4(),
        assignment_id=active_assignment(client_profile).pk,
        performed_at=when,
        client_modified_at=when,
        sets=(
            SetInput(exercise="romanian-deadlift", reps=10, load=60, faults=("knees_too_bent",)),
            SetInput(exercise="romanian-deadlift", reps=10, load=60),
        ),
    )
    [result] = sessions_apply(user=client_profile.user, items=[item])
    assert result.status == "created"
    return LoggedSession.objects.get(pk=item.id)


def sets_of(session: LoggedSession) -> list[LoggedSet]:
    return list(session.sets.order_by("position"))


def tag_url(client_id: int, session: LoggedSession, set_uid: Any) -> str:
    return reverse("coach-set-faults", args=[client_id, session.pk, set_uid])


def test_the_client_page_shows_each_sets_faults_and_a_tag_form(
    coach_web: Any, client_profile: Any, logged: LoggedSession, coach: Any
) -> None:
    first, second = sets_of(logged)
    CoachFault.objects.create(
        session=logged, set_uid=second.uid, fault="bar_drift", by=coach.user, role="coach", at=timezone.now()
    )
    html = coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    assert "Client ticked: Knees too bent" in html
    assert re.search(r"Coach saw: Bar drifted away from the legs <span class=\"small\">\(Coach A, ", html)
    # Each set links to its tag form: in place with htmx, its own page without JavaScript.
    url = tag_url(client_profile.pk, logged, first.uid)
    assert f'<a class="tag-faults" href="{url}" data-hx-get="{url}" data-hx-target="#set-faults-{first.uid}"' in html
    assert "<form" not in html[html.index(f'id="set-faults-{first.uid}"') :].split("</div>")[0]
    # The form starts from the coach's own tags; the client's tick is not the coach's.
    form = coach_web.get(tag_url(client_profile.pk, logged, second.uid), HTTP_HX_REQUEST="true").content.decode()
    assert form.lstrip().startswith(f'<div class="set-faults" id="set-faults-{second.uid}">')
    assert re.search(r'value="bar_drift" checked', form)
    assert form.count("checked") == 1
    assert "<legend>Faults you saw on this set</legend>" in form
    action = tag_url(client_profile.pk, logged, second.uid)
    assert f'action="{action}"' in form
    assert f'data-hx-post="{action}"' in form
    first_form = coach_web.get(tag_url(client_profile.pk, logged, first.uid), HTTP_HX_REQUEST="true").content.decode()
    assert "checked" not in first_form


def test_without_js_the_form_posts_and_comes_back_to_the_set(
    coach_web: Any, client_profile: Any, logged: LoggedSession, coach: Any
) -> None:
    first = sets_of(logged)[0]
    response = coach_web.post(tag_url(client_profile.pk, logged, first.uid), {"faults": ["core_lost", "bar_drift"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("coach-client", args=[client_profile.pk]) + f"#set-faults-{first.uid}"
    assert sorted(CoachFault.objects.filter(by=coach.user).values_list("fault", flat=True)) == [
        "bar_drift",
        "core_lost",
    ]
    html = coach_web.get(response["Location"].split("#")[0]).content.decode()
    assert "Coach saw: Core engagement lost" in html
    # Unticking everything removes the coach's tags, never the client's tick.
    coach_web.post(tag_url(client_profile.pk, logged, first.uid), {})
    assert not CoachFault.objects.exists()
    assert LoggedSet.objects.get(pk=sets_of(logged)[0].pk).faults == ["knees_too_bent"]


def test_with_htmx_the_set_fragment_comes_back_in_place(
    coach_web: Any, client_profile: Any, logged: LoggedSession
) -> None:
    first = sets_of(logged)[0]
    response = coach_web.post(
        tag_url(client_profile.pk, logged, first.uid), {"faults": ["core_lost"]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div class="set-faults" id="set-faults-{first.uid}">')
    assert "Coach saw: Core engagement lost" in html
    assert "<html" not in html
    assert "<form" not in html  # saved: the tags, and the link to change them again


def test_an_unknown_fault_is_a_form_error(coach_web: Any, client_profile: Any, logged: LoggedSession) -> None:
    first = sets_of(logged)[0]
    response = coach_web.post(tag_url(client_profile.pk, logged, first.uid), {"faults": ["wobbly"]})
    assert response.status_code == 400
    assert "is not a fault of the list" in response.content.decode()
    assert not CoachFault.objects.exists()


def test_the_tag_page_renders_without_js(coach_web: Any, client_profile: Any, logged: LoggedSession) -> None:
    first = sets_of(logged)[0]
    response = coach_web.get(tag_url(client_profile.pk, logged, first.uid))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Back to the client page" in html
    assert '<form method="post" action="' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_nobody_else_may_tag(
    client: Any, coach_web: Any, client_profile: Any, logged: LoggedSession, other_coach: Any, other_client: Any
) -> None:
    first = sets_of(logged)[0]
    url = tag_url(client_profile.pk, logged, first.uid)
    # The coach, but the URL names another client, or a set the session lacks: 404.
    assert coach_web.post(tag_url(other_client.pk, logged, first.uid), {"faults": ["core_lost"]}).status_code == 404
    assert (
        coach_web.post(tag_url(client_profile.pk, logged, uuid.uuid4()), {"faults": ["core_lost"]}).status_code == 404
    )
    coach_web.logout()
    for user in (other_coach.user, client_profile.user, other_client.user):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"faults": ["core_lost"]}).status_code == 404
        client.logout()
    assert client.get(url).status_code == 302  # strangers sign in first
    assert not CoachFault.objects.exists()


def test_the_review_page_shows_the_weeks_sets_with_their_tag_forms(
    coach_web: Any, client_profile: Any, logged: LoggedSession, other_client: Any
) -> None:
    from coaching.weeks import local_date, monday_of
    from tests.coaching.web.conftest import make_review

    monday = monday_of(local_date(client_profile.coach, logged.performed_at))
    review = make_review(active_assignment(client_profile), monday)
    first, second = sets_of(logged)
    CoachFault.objects.create(
        session=logged, set_uid=second.uid, fault="core_lost", by=client_profile.coach.user, at=timezone.now()
    )
    html = coach_web.get(reverse("coach-review", args=[review.pk])).content.decode()
    section = html[html.index('id="week-sets"') :]
    assert "Client ticked: Knees too bent" in section
    assert "Coach saw: Core engagement lost" in section
    url = tag_url(client_profile.pk, logged, first.uid)
    assert f'href="{url}?back_review={review.pk}"' in section
    # Without JavaScript: the form page keeps where it came from, and the post goes back there.
    form = coach_web.get(f"{url}?back_review={review.pk}").content.decode()
    assert f'<input type="hidden" name="back_review" value="{review.pk}">' in form
    response = coach_web.post(url, {"faults": ["bar_drift"], "back_review": str(review.pk)})
    assert response["Location"] == reverse("coach-review", args=[review.pk]) + f"#set-faults-{first.uid}"
    # Another coach's review is no place to go back to.
    theirs = make_review(active_assignment(other_client), monday)
    assert coach_web.post(url, {"faults": [], "back_review": str(theirs.pk)}).status_code == 404
    assert CoachFault.objects.filter(set_uid=first.uid, fault="bar_drift").exists()  # nothing written
