"""Co-sign: a shared client's pain/refer proposals wait for the reviewer before approval."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from coaching.models import PrescriptionVersion, WeeklyReview
from coaching.teams.models import ReviewCosign
from coaching.teams.tasks import send_cosign_requests
from tests.coaching.api.factories_api import token_client
from tests.coaching.teams.team_world import TeamWorld
from tests.coaching.web.conftest import active_assignment, make_review
from tests.coaching.web.test_reviews import _form_data

pytestmark = pytest.mark.django_db
WEEK = dt.date(2026, 11, 16)


@pytest.fixture
def pain_review(tw: TeamWorld) -> WeeklyReview:
    return make_review(active_assignment(tw.client), WEEK, flags=["pain"])


def test_approving_before_the_cosign_is_a_409_naming_the_reviewer(tw: TeamWorld, pain_review: WeeklyReview) -> None:
    versions = PrescriptionVersion.objects.count()
    response = token_client(tw.owner.user).post(f"/api/v1/reviews/{pain_review.pk}/approve/", {}, format="json")
    assert response.status_code == 409
    assert "Pat Physio" in response.json()["detail"]
    pain_review.refresh_from_db()
    assert pain_review.status == "pending"
    assert PrescriptionVersion.objects.count() == versions


def test_the_page_says_whom_the_review_waits_for(client: Any, tw: TeamWorld, pain_review: WeeklyReview) -> None:
    client.force_login(tw.owner.user)
    data = _form_data(pain_review, mode="all")
    response = client.post(reverse("coach-review-approve", args=[pain_review.pk]), data, follow=True)
    body = response.content.decode()
    assert "Waiting for the co-sign of Pat Physio" in body
    assert WeeklyReview.objects.get(pk=pain_review.pk).status == "pending"


def test_after_the_reviewers_cosign_the_coach_approves(tw: TeamWorld, pain_review: WeeklyReview) -> None:
    reviewer_api = token_client(tw.reviewer)
    response = reviewer_api.post(
        f"/api/v1/reviews/{pain_review.pk}/cosign/", {"note": "Fine: hinge pain-free."}, format="json"
    )
    assert response.status_code == 200, response.content
    cosign = response.json()["cosigns"][0]
    assert cosign["reviewer"] == "Pat Physio"
    assert cosign["note"] == "Fine: hinge pain-free."
    assert cosign["at"]
    approved = token_client(tw.owner.user).post(f"/api/v1/reviews/{pain_review.pk}/approve/", {}, format="json")
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"
    assert approved.json()["cosigns"][0]["reviewer"] == "Pat Physio"


def test_an_unflagged_review_needs_no_cosign(tw: TeamWorld) -> None:
    review = make_review(active_assignment(tw.client), WEEK)
    response = token_client(tw.owner.user).post(f"/api/v1/reviews/{review.pk}/approve/", {}, format="json")
    assert response.status_code == 200


def test_approving_only_unflagged_items_needs_no_cosign(tw: TeamWorld, pain_review: WeeklyReview) -> None:
    unflagged = pain_review.items.exclude(flags__contains="pain").order_by("position")
    ids = [item.pk for item in pain_review.items.order_by("position") if not item.flags]
    assert ids, unflagged
    response = token_client(tw.owner.user).post(
        f"/api/v1/reviews/{pain_review.pk}/approve/", {"items": [{"id": ids[0]}]}, format="json"
    )
    assert response.status_code == 200, response.content


def test_a_reviewer_never_decides_and_a_coach_never_cosigns(tw: TeamWorld, pain_review: WeeklyReview) -> None:
    reviewer_api = token_client(tw.reviewer)
    assert reviewer_api.post(f"/api/v1/reviews/{pain_review.pk}/approve/", {}, format="json").status_code == 403
    assert reviewer_api.post(f"/api/v1/reviews/{pain_review.pk}/reject/").status_code == 403
    covering_api = token_client(tw.covering.user)
    assert covering_api.post(f"/api/v1/reviews/{pain_review.pk}/cosign/", {}, format="json").status_code == 403
    assert (
        token_client(tw.outsider.user).post(f"/api/v1/reviews/{pain_review.pk}/cosign/", {}, format="json").status_code
        == 404
    )
    assert WeeklyReview.objects.get(pk=pain_review.pk).status == "pending"
    assert not ReviewCosign.objects.exists()


def test_an_ended_share_needs_no_cosign(tw: TeamWorld, pain_review: WeeklyReview) -> None:
    from coaching.teams.services import client_unshare

    client_unshare(client=tw.client, by=tw.owner.user, member=tw.member(tw.reviewer))
    assert token_client(tw.reviewer).get(f"/api/v1/reviews/{pain_review.pk}/").status_code == 404
    response = token_client(tw.owner.user).post(f"/api/v1/reviews/{pain_review.pk}/approve/", {}, format="json")
    assert response.status_code == 200


def test_the_reviewer_is_emailed_and_sees_the_queue(client: Any, tw: TeamWorld, pain_review: WeeklyReview) -> None:
    other = make_review(active_assignment(tw.c_client), WEEK, flags=["pain"])  # not shared with them
    assert send_cosign_requests.apply(args=[[pain_review.pk, other.pk]]).get() == 1
    assert mail.outbox[-1].to == [tw.reviewer.email]
    assert "co-sign" in mail.outbox[-1].subject
    client.force_login(tw.reviewer)
    body = client.get(reverse("team-cosigns")).content.decode()
    assert tw.client.name in body
    assert tw.c_client.name not in body
    assert "Read and co-sign" in body
    response = client.post(reverse("team-review-cosign", args=[pain_review.pk]), {"note": "ok"})
    assert response.status_code == 302
    body = client.get(reverse("team-review", args=[pain_review.pk])).content.decode()
    assert "Co-signed</span> by Pat Physio" in body
    assert "Co-signed " in client.get(reverse("team-cosigns")).content.decode()


def test_the_reviewer_signs_in_to_their_queue(client: Any, tw: TeamWorld) -> None:
    client.force_login(tw.reviewer)
    assert client.get(reverse("home"))["Location"] == reverse("team-cosigns")
    # Coach pages are not theirs.
    assert client.get(reverse("coach-dashboard")).status_code == 404


def test_new_reviews_of_a_shared_client_queue_the_reviewers_email(
    tw: TeamWorld, pain_review: WeeklyReview, queued_team_mail: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    from coaching.teams.services import cosign_requests_for

    with django_capture_on_commit_callbacks(execute=True):
        cosign_requests_for(review_ids=[pain_review.pk], client_ids={tw.client.pk})
        cosign_requests_for(review_ids=[999], client_ids={tw.c_client.pk})  # shared with no reviewer
    assert queued_team_mail == [("cosign", ([pain_review.pk],))]


def test_generation_asks_for_the_cosign_emails(tw: TeamWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    """The generator hands its new reviews and their clients to the co-sign emails."""
    from coaching.reviews import generation

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(generation, "cosign_requests_for", lambda **kwargs: calls.append(kwargs))
    from tests.coaching.web.conftest import log_session

    assignment = active_assignment(tw.client)
    for day in (0, 2):
        log_session(tw.client.user, assignment, dt.datetime.combine(WEEK + dt.timedelta(days=day), dt.time(8), dt.UTC))
    generation.reviews_generate_batch(week_start=WEEK, assignment_ids=[assignment.pk])
    review = WeeklyReview.objects.get(assignment=assignment, week_start=WEEK)
    assert calls == [{"review_ids": [review.pk], "client_ids": {tw.client.pk}}]


def test_demo_data_has_a_team_with_a_pending_cosign(client: Any) -> None:
    import io

    from django.core.management import call_command

    from coaching.teams.models import ClientShare as Share
    from coaching.teams.models import TeamMembership as Member

    out = io.StringIO()
    call_command("demo_data", stdout=out)
    assert "physio@demo.hinge / hinge-demo-2026" in out.getvalue()
    roles = sorted(Member.objects.filter(team__name="Demo Strength Gym").values_list("role", flat=True))
    assert roles == ["coach", "owner", "reviewer"]
    share = Share.objects.get(member__email="physio@demo.hinge", ended__isnull=True)
    assert share.client.email == "jonas@demo.hinge"
    from accounts.models import User

    assert User.objects.get(email="physio@demo.hinge").check_password("hinge-demo-2026")
    client.force_login(User.objects.get(email="physio@demo.hinge"))
    body = client.get(reverse("team-cosigns")).content.decode()
    assert share.client.name in body
    assert "Read and co-sign" in body
    call_command("demo_data", "--quiet")  # again: nothing doubles
    assert Member.objects.filter(team__name="Demo Strength Gym").count() == 3
