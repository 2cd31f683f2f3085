"""Each event fires exactly once per change, from the one service where the change happens."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching.clients.services import client_create, client_invite_accept
from coaching.models import LoggedSession, WeeklyReview
from coaching.reviews.decisions import review_approve, review_reject
from coaching.reviews.generation import reviews_generate_batch
from coaching.sessions import csv_io
from coaching.sessions.services import SessionInput, SetInput, session_delete, sessions_apply
from coaching.webhooks import services
from coaching.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from tests.coaching.api.factories_api import make_review
from tests.coaching.test_review_generation import WEEK, good_week

pytestmark = pytest.mark.django_db
ALL = list(WebhookEvent.values)


def subscribe(coach: Any, events: list[str] | None = None) -> WebhookEndpoint:
    return services.endpoint_create(coach=coach, url="http://127.0.0.1:9/hooks", events=events or ALL)


def fired(type: str | None = None) -> list[dict[str, Any]]:
    rows = WebhookDelivery.objects.order_by("id")
    if type:
        rows = rows.filter(event_type=type)
    return [row.payload for row in rows]


def item(assignment: Any, sid: uuid.UUID, modified: dt.datetime, pain: int | None = None, reps: int = 10) -> Any:
    sets = (SetInput(exercise="romanian-deadlift", reps=reps, load=Decimal(60), pain=pain),) * 2
    return SessionInput(
        id=sid, assignment_id=assignment.pk, performed_at=modified, client_modified_at=modified, sets=sets
    )


def test_a_sync_fires_session_synced_once_per_changed_session_and_none_on_replay(client_profile: Any) -> None:
    subscribe(client_profile.coach)
    assignment = client_profile.assignments.get()
    t = timezone.now() - dt.timedelta(hours=2)
    a, b = uuid.uuid4(), uuid.uuid4()
    batch = [item(assignment, a, t), item(assignment, b, t, pain=4)]
    sessions_apply(user=client_profile.user, items=batch)
    synced = fired("session.synced")
    assert [(p["data"]["session_id"], p["data"]["change"]) for p in synced] == [
        (str(a), "created"),
        (str(b), "created"),
    ]
    assert synced[0]["type"] == "session.synced"
    assert synced[0]["data"]["client_id"] == client_profile.pk
    assert set(synced[0]) == {"type", "timestamp", "data"}
    [pain] = fired("pain.reported")
    assert pain["data"]["session_id"] == str(b)
    assert pain["data"]["max_pain"] == 4
    assert [s["pain"] for s in pain["data"]["sets"]] == [4, 4]

    # Replaying the same batch (unchanged) fires nothing; a stale write neither.
    sessions_apply(user=client_profile.user, items=batch)
    sessions_apply(user=client_profile.user, items=[item(assignment, a, t - dt.timedelta(minutes=5), reps=3)])
    assert WebhookDelivery.objects.count() == 3

    # A changed session fires once, with "updated"; pain under 3 fires no pain.reported.
    sessions_apply(user=client_profile.user, items=[item(assignment, a, t + dt.timedelta(minutes=1), pain=2)])
    assert [p["data"]["change"] for p in fired("session.synced")] == ["created", "created", "updated"]
    assert len(fired("pain.reported")) == 1


def test_a_session_sent_twice_in_one_batch_fires_once(client_profile: Any) -> None:
    subscribe(client_profile.coach)
    assignment = client_profile.assignments.get()
    t = timezone.now() - dt.timedelta(hours=2)
    sid = uuid.uuid4()
    sessions_apply(user=client_profile.user, items=[item(assignment, sid, t), item(assignment, sid, t, reps=8)])
    assert len(fired("session.synced")) == 1


def test_a_delete_fires_session_synced_deleted_once(client_profile: Any) -> None:
    subscribe(client_profile.coach)
    assignment = client_profile.assignments.get()
    sid = uuid.uuid4()
    sessions_apply(user=client_profile.user, items=[item(assignment, sid, timezone.now() - dt.timedelta(hours=1))])
    session = LoggedSession.objects.get(pk=sid)
    session_delete(session=session)
    session_delete(session=session)  # already a tombstone: no change, no event
    assert [p["data"]["change"] for p in fired("session.synced")] == ["created", "deleted"]


def test_a_put_and_a_csv_import_fire_through_the_same_service(client_profile: Any, coach_api: Any) -> None:
    subscribe(client_profile.coach, ["session.synced"])
    assignment = client_profile.assignments.get()
    sid = uuid.uuid4()
    t = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    body = {"assignment": assignment.pk, "performed_at": t, "client_modified_at": t,
            "sets": [{"exercise": "romanian-deadlift", "reps": 8, "load": 60, "unit": "kg"}]}  # fmt: skip
    assert coach_api.put(f"/api/v1/sessions/{sid}/", body, format="json").status_code == 201
    assert coach_api.put(f"/api/v1/sessions/{sid}/", body, format="json").status_code == 200  # replay
    assert len(fired()) == 1
    # Export, delete the session, import the file: the import re-creates it, once.
    exported = coach_api.get(f"/api/v1/clients/{client_profile.pk}/sessions.csv").content.decode()
    LoggedSession.objects.all().delete()
    csv_io.sessions_csv_import(user=client_profile.coach.user, client=client_profile, text=exported)
    csv_io.sessions_csv_import(user=client_profile.coach.user, client=client_profile, text=exported)
    assert [p["data"]["change"] for p in fired()] == ["created", "created"]


def test_a_generated_review_fires_review_ready_once(client_profile: Any) -> None:
    subscribe(client_profile.coach, ["review.ready"])
    good_week(client_profile)
    assignment = client_profile.assignments.get()
    reviews_generate_batch(week_start=WEEK, assignment_ids=[assignment.pk], notify=False)
    reviews_generate_batch(week_start=WEEK, assignment_ids=[assignment.pk], notify=False)
    review = WeeklyReview.objects.get()
    [ready] = fired()
    assert ready["data"] == {"review_id": review.pk, "client_id": client_profile.pk, "assignment_id": assignment.pk,
                             "week_start": WEEK.isoformat()}  # fmt: skip


def test_approving_or_rejecting_fires_review_decided_once(client_profile: Any) -> None:
    subscribe(client_profile.coach, ["review.decided"])
    assignment = client_profile.assignments.get()
    approved = review_approve(review=make_review(assignment), user=client_profile.coach.user)
    rejected = review_reject(
        review=make_review(assignment, WEEK + dt.timedelta(days=7)), user=client_profile.coach.user
    )
    assert [(p["data"]["review_id"], p["data"]["status"]) for p in fired()] == [
        (approved.pk, "approved"),
        (rejected.pk, "rejected"),
    ]


def test_an_accepted_invite_fires_client_joined_once(coach: Any) -> None:
    subscribe(coach, ["client.joined"])
    invited = client_create(coach=coach, name="Nia", email="nia@example.com")
    token = invited.invite_token
    client_invite_accept(token=token, password="hinge-and-brace-77")
    with pytest.raises(Exception):  # noqa: B017,PT011 - the spent link: whichever error, nothing fires
        client_invite_accept(token=token, password="hinge-and-brace-77")
    [joined] = fired()
    assert joined["data"]["client_id"] == invited.pk
    assert joined["data"]["email"] == "nia@example.com"


def test_only_the_coachs_endpoints_that_want_the_event_get_it(client_profile: Any, other_coach: Any) -> None:
    wants = subscribe(client_profile.coach, ["session.synced"])
    subscribe(client_profile.coach, ["review.ready"])
    subscribe(other_coach, ALL)
    disabled = subscribe(client_profile.coach, ["session.synced"])
    WebhookEndpoint.objects.filter(pk=disabled.pk).update(enabled=False)
    assignment = client_profile.assignments.get()
    sessions_apply(user=client_profile.user, items=[item(assignment, uuid.uuid4(), timezone.now(), pain=5)])
    assert list(WebhookDelivery.objects.values_list("endpoint_id", "event_type")) == [(wants.pk, "session.synced")]


def test_review_recomputed_is_subscribable(coach: Any) -> None:
    endpoint = subscribe(coach, ["review.recomputed"])
    assert endpoint.events == ["review.recomputed"]


def _sync_queries(client_profile: Any, n: int) -> int:
    assignment = client_profile.assignments.get()
    t = timezone.now() - dt.timedelta(hours=1)
    batch = [item(assignment, uuid.uuid4(), t, pain=4) for _ in range(n)]
    with CaptureQueriesContext(connection) as queries:
        sessions_apply(user=client_profile.user, items=batch)
    return len(queries)


def test_a_syncs_query_count_stays_flat_with_webhooks(client_profile: Any) -> None:
    _sync_queries(client_profile, 1)  # the user's coach row is cached from here on, as in one request
    without = _sync_queries(client_profile, 5)
    subscribe(client_profile.coach)
    subscribe(client_profile.coach, ["pain.reported"])
    one, fifty = _sync_queries(client_profile, 1), _sync_queries(client_profile, 50)
    # Webhooks add the endpoints' lookup (made with no endpoint too) and one insert of every
    # delivery, whatever the batch's size: 11 queries without an endpoint (one of them the late-data
    # lookup of the pending reviews the sessions can affect), 12 with.
    assert without == 11
    assert one == fifty == without + 1
    assert WebhookDelivery.objects.count() == 51 * 2 + 51
