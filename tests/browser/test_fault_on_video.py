"""The coach watches a set's form video on the review page, tags the fault it shows, and the
pending review follows (docs/domain.md "Conversation and form", "Late data"): rule 3 now cuts the
load that was to progress, and the review says who saw the fault."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from coaching.models import CoachFault, LoggedSet
from coaching.reviews.tasks import recompute_reviews
from tests.browser.test_coach_journey import settled, sign_in
from tests.coaching.test_review_generation import good_week
from tests.coaching.test_review_recompute import _review
from tests.factories import ClientFactory
from tests.video_files import stored_video

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_a_fault_the_coach_sees_on_a_video_changes_the_pending_review(
    page: Page, live_server: Any, coach: Any, shoot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    queued: list[list[int]] = []
    monkeypatch.setattr(recompute_reviews, "apply_async", lambda args, **kw: queued.append(list(args[0])))
    client = ClientFactory(coach=coach, name="Maya Ortiz", with_assignment=True)
    good_week(client)  # two qualifying sessions: the deadlift is to progress
    review = _review(client)
    [deadlift] = [i for i in review.items.all() if i.exercise.slug == "romanian-deadlift"]
    assert deadlift.action == "progress"
    filmed = LoggedSet.objects.filter(session__client=client, exercise__slug="romanian-deadlift").order_by(
        "session__performed_at", "position"
    )
    # The client filmed the last set of each session.
    for session_id in sorted({s.session_id for s in filmed}, key=str):
        last = filmed.filter(session_id=session_id).last()
        stored_video(session_id, last.uid)
        filmed_sets = filmed.filter(session_id=session_id)
        assert filmed_sets.count() == 3

    sign_in(page, live_server.url, coach.user.email)
    page.goto(f"{live_server.url}/reviews/{review.pk}/")
    videos = page.locator("#week-videos video")
    expect(videos).to_have_count(2)
    # The player reads the protected URL (Range requests): it knows the clip's length.
    videos.first.scroll_into_view_if_needed()
    page.wait_for_function("(v) => v.readyState >= 1 && v.duration > 0", arg=videos.first.element_handle())

    # The coach tags what the videos show on those two sets (2 of 6: a third of the week's sets).
    for session_id in sorted({s.session_id for s in filmed}, key=str):
        last = filmed.filter(session_id=session_id).last()
        cell = page.locator(f"#week-sets #set-faults-{last.uid}")
        cell.get_by_role("link", name="Tag faults").click()
        cell.get_by_label("Upper back rounding (no upper-body / lat tension)").check()
        cell.get_by_role("button", name="Save tags").click()
        expect(page.locator(f"#set-faults-{last.uid} .fault-coach")).to_contain_text("Coach saw: Upper back rounding")
    assert CoachFault.objects.filter(by=coach.user).count() == 2

    # The worker recomputes the review once, however many tags came in.
    assert {r for batch in queued for r in batch} == {review.pk}
    assert recompute_reviews(sorted({r for batch in queued for r in batch})) == 1
    page.reload()
    settled(page)
    notice = page.locator("#review-recomputed")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("with a fault tagged by")
    [after] = [i for i in review.items.all() if i.exercise.slug == "romanian-deadlift"]
    assert (after.action, after.rule) == ("regress", "technique")
    expect(page.get_by_text("tagged by your coach").first).to_be_visible()
    shoot(page, "coach-review-updated-by-a-fault-tag-desktop")
