"""The change feed builds its pages from tuples (``feed_results``), not model instances: a page
must be the very bytes the model/DRF path gives for the same sessions, for every kind of set."""

from __future__ import annotations

import datetime as dt
import gc
import uuid
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from coaching.models import CoachFault, LoggedSession, LoggedSet, SetVideo
from coaching.sessions.serializers import SessionOutSerializer, SetOutSerializer, TombstoneSerializer
from coaching.sessions.services.feed import IsoAtOffset, IsoUTC, UUIDIn, UUIDText
from tests import factories
from tests.coaching.api.test_sessions_api import api_for, session_body, url
from tests.coaching.api.test_set_representation import SETS

pytestmark = pytest.mark.django_db

FEED = "/api/v1/sessions/"


def declared_page(sessions: list[LoggedSession]) -> list[dict[str, Any]]:
    """The page through the model instances and DRF's declared fields (the reference)."""
    shown = []
    for session in sessions:
        if session.deleted_at is not None:
            shown.append(TombstoneSerializer(session).data)
            continue
        sets = list(LoggedSet.objects.filter(session=session).select_related("exercise").order_by("position"))
        body = SessionOutSerializer(session, context={"sets": sets}).declared_representation(session)
        # The sets field attached the coach tags and video URLs; render each set by its declared fields too.
        body["sets"] = [SetOutSerializer().declared_representation(s) for s in sets]
        shown.append(body)
    return shown


def walk(api: APIClient, limit: int) -> list[tuple[bytes, dict[str, Any]]]:
    pages, since = [], None
    while True:
        response = api.get(FEED, {"limit": limit} | ({"since": since} if since else {}))
        assert response.status_code == 200, response.content
        page = response.json()
        pages.append((response.content, page))
        since = page["next_cursor"]
        if not page["has_more"]:
            return pages


@pytest.fixture
def logged(client_profile: Any, coach_api: APIClient, coach: Any) -> list[str]:
    """Sessions with every kind of set and session: lb and kg loads, seconds, sides, client
    faults, pain, tempo, coach tags (a coach's and a nameless reviewer's), a video, check-ins
    (complete, partial, cut taken), offsets, no sets, a unicode note, and a deleted one."""
    assignment = client_profile.assignments.get(is_active=True)
    phone = api_for(client_profile.user)
    bodies = [
        session_body(assignment.pk) | {"sets": SETS, "checkin": {"sleep": 2, "soreness": 4, "stress": 3}},
        session_body(assignment.pk) | {"performed_at": "2026-11-17T07:42:00-05:30", "day": 1, "notes": "Ça — 💪"},
        session_body(assignment.pk) | {"checkin": {"low_back": "painful", "cut_taken": True}, "sets": [], "notes": ""},
        session_body(assignment.pk) | {"performed_at": "2026-11-18T23:59:30+14:00"},
        session_body(assignment.pk),
        session_body(assignment.pk) | {"notes": 'line\u2028para\u2029"quoted" \\ tab\t'},
    ]
    for body in bodies:
        response = phone.put(url(body["id"]), body, format="json")
        assert response.status_code == 201, response.content
    first = LoggedSet.objects.filter(session_id=bodies[0]["id"]).order_by("position")
    uids = [str(s.uid) for s in first]
    tag = f"/api/v1/sessions/{bodies[0]['id']}/sets/{uids[0]}/coach-faults/"
    assert coach_api.put(tag, {"faults": ["core_lost", "bar_drift"]}, format="json").status_code == 200
    reviewer = factories.UserFactory(name="", email="reviewer@example.com")
    CoachFault.objects.create(
        session_id=bodies[0]["id"], set_uid=uids[2], fault="core_lost", by=reviewer, role="reviewer", at=timezone.now()
    )
    SetVideo.objects.create(
        session_id=bodies[0]["id"],
        set_uid=uids[1],
        file="videos/x.webm",
        content_type="video/webm",
        bytes=10,
        duration_seconds=3.0,
        uploaded_at=timezone.now(),
    )
    later = (dt.datetime.fromisoformat(bodies[4]["client_modified_at"]) + dt.timedelta(minutes=5)).isoformat()
    assert phone.delete(url(bodies[4]["id"]), {"client_modified_at": later}, format="json").status_code in (200, 204)
    return [b["id"] for b in bodies]


@pytest.mark.parametrize("limit", [2, 200])
def test_a_feed_page_is_the_bytes_of_the_model_path(
    logged: list[str], client_profile: Any, coach_api: APIClient, limit: int
) -> None:
    for api in (coach_api, api_for(client_profile.user)):  # the coach's feed and the phone's
        pages = walk(api, limit)
        ordered = list(LoggedSession.objects.filter(pk__in=logged).order_by("change_seq"))
        assert [r["id"] for _, page in pages for r in page["results"]] == [str(s.id) for s in ordered]
        at = 0
        for content, page in pages:
            sessions = ordered[at : at + len(page["results"])]
            at += len(sessions)
            expected = {"results": declared_page(sessions), "next_cursor": page["next_cursor"]}
            assert content == JSONRenderer().render(expected | {"has_more": page["has_more"]})
    results = {r["id"]: r for _, page in walk(coach_api, 200) for r in page["results"]}
    # What the page shows, spelled out (so an equal but empty reference cannot pass).
    sets = results[logged[0]]["sets"]
    assert [s["load"] for s in sets] == [135, 61.25, 25, 0, 45, 102.5]
    assert [s["unit"] for s in sets] == ["lb", "kg", "lb", "kg", "lb", "kg"]
    assert (sets[4]["seconds"], sets[4]["reps"], sets[4]["tempo_kept"]) == (15, None, True)
    assert [len(s["coach_faults"]) for s in sets] == [2, 0, 1, 0, 0, 0]
    assert sets[2]["coach_faults"][0]["by"] == {"name": "reviewer@example.com", "role": "reviewer"}
    assert [s["video"] is not None for s in sets] == [False, True, False, False, False, False]
    assert (sets[2]["faults"], sets[3]["pain"], sets[0]["rpe"]) == (["knees_too_bent"], 4, 7.5)
    assert results[logged[0]]["checkin"]["readiness"] == 2.3
    assert results[logged[1]]["performed_at"] == "2026-11-17T07:42:00-05:30"
    assert (results[logged[1]]["notes"], results[logged[1]]["day"]) == ("Ça — 💪", 1)
    assert results[logged[2]]["checkin"] == {
        "sleep": None,
        "soreness": None,
        "stress": None,
        "low_back": "painful",
        "cut_taken": True,
        "readiness": None,
    }
    assert results[logged[2]]["sets"] == []
    assert results[logged[3]]["performed_at"] == "2026-11-18T23:59:30+14:00"
    assert results[logged[4]] == {
        "id": logged[4],
        "deleted": True,
        "client_modified_at": results[logged[4]]["client_modified_at"],
    }
    assert "Ça — 💪".encode() in walk(coach_api, 200)[0][0]  # UNICODE_JSON, as the contract sends


def test_an_empty_or_all_deleted_page(client_profile: Any, coach_api: APIClient) -> None:
    assert walk(coach_api, 200)[0][1] == {"results": [], "next_cursor": walk(coach_api, 5)[0][1]["next_cursor"]} | {
        "has_more": False
    }
    assignment = client_profile.assignments.get(is_active=True)
    body = session_body(assignment.pk, sid=uuid.uuid4())
    phone = api_for(client_profile.user)
    assert phone.put(url(body["id"]), body, format="json").status_code == 201
    later = (dt.datetime.fromisoformat(body["client_modified_at"]) + dt.timedelta(minutes=5)).isoformat()
    assert phone.delete(url(body["id"]), {"client_modified_at": later}, format="json").status_code in (200, 204)
    (content, page), *_ = walk(coach_api, 200)
    assert page["results"] == [{"id": body["id"], "deleted": True, "client_modified_at": later_utc(later)}]
    assert content == JSONRenderer().render(
        {
            "results": declared_page(list(LoggedSession.objects.all())),
            "next_cursor": page["next_cursor"],
            "has_more": False,
        }
    )


def logged_in_order(ids: list[str]) -> list[Any]:
    return list(LoggedSession.objects.filter(pk__in=ids).order_by("change_seq").values_list("pk", flat=True))


def later_utc(value: str) -> str:
    return dt.datetime.fromisoformat(value).astimezone(dt.UTC).isoformat()


def test_the_collector_is_paused_while_a_page_is_built_and_back_on_after(
    logged: list[str], coach_api: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coaching.sessions import api as sessions_api

    seen: list[bool] = []
    real = sessions_api.feed_page_json

    def spy(*args: Any) -> str:
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(sessions_api, "feed_page_json", spy)
    assert gc.isenabled()
    response = coach_api.get(FEED)
    assert response.status_code == 200
    assert seen == [False]  # built and printed in the pause (the renderer builds it)
    assert response.data is None  # and the page's objects let go before the pause ends
    assert [r["id"] for r in response.json()["results"]] == [str(pk) for pk in logged_in_order(logged)]
    assert gc.isenabled()

    def broken(*args: Any) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(sessions_api, "feed_page_json", broken)
    with pytest.raises(RuntimeError):
        coach_api.get(FEED)
    assert gc.isenabled()  # a failing page leaves it on too
    monkeypatch.setattr(sessions_api, "feed_page_json", real)
    gc.disable()
    try:
        assert coach_api.get(FEED, {"limit": 1}).status_code == 200
        assert not gc.isenabled()  # whoever turned it off keeps it off
    finally:
        gc.enable()


def test_an_indented_page_is_the_renderers_indented_text(logged: list[str], coach_api: APIClient) -> None:
    accept = "application/json; indent=4"
    response = coach_api.get(FEED, HTTP_ACCEPT=accept)
    assert response.status_code == 200
    page = response.json()
    sessions = list(LoggedSession.objects.filter(pk__in=logged).order_by("change_seq"))
    expected = {"results": declared_page(sessions), "next_cursor": page["next_cursor"], "has_more": False}
    assert response.content == JSONRenderer().render(expected, accept)
    assert response.content.startswith(b'{\n    "results": [\n')
    assert response["Content-Type"] == "application/json"


def test_the_page_printed_from_pieces_is_the_renderers_text_with_either_separators(
    logged: list[str], coach: Any
) -> None:
    from coaching.sessions.api import FeedRenderer
    from coaching.sessions.serializers import FeedPage
    from coaching.sessions.services import sessions_changed_since

    rows, _, has_more = sessions_changed_since(user=coach.user, since=0, limit=200)
    page = FeedPage(rows, "a-cursor", has_more)
    assert len(page.data()["results"]) == len(logged)
    for compact in (True, False):
        fast, usual = FeedRenderer(), JSONRenderer()
        fast.compact = usual.compact = compact
        assert fast.render(page, "application/json") == usual.render(page.data(), "application/json")
    text = FeedRenderer().render(page, "application/json")
    assert b'line\\u2028para\\u2029\\"quoted\\" \\\\ tab\\t' in text  # escaped as JSONRenderer escapes
    assert FeedRenderer().render({"detail": "x"}) == b'{"detail":"x"}'  # other bodies as usual


AT = [
    dt.datetime(2026, 11, 17, 6, 42, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 17, 6, 42, 5, 1, tzinfo=dt.UTC),
    dt.datetime(2026, 12, 31, 23, 30, 59, 999999, tzinfo=dt.UTC),
    dt.datetime(2028, 2, 29, 0, 15, 0, 120000, tzinfo=dt.timezone(dt.timedelta(hours=-3))),
    dt.datetime(2027, 1, 1, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))),
]
OFFSETS = [0, 60, -60, 330, -330, 45, -45, 840, -720]


def test_the_times_the_database_prints_are_pythons_isoformat(client_profile: Any) -> None:
    """``IsoUTC`` and ``IsoAtOffset`` (the feed's times as text from SQL) print what
    ``isoformat()`` prints: microseconds only when there are some, across midnight, a new year and
    a leap day, at offsets east and west, whole hours or not."""
    assignment = client_profile.assignments.get(is_active=True)
    body = session_body(assignment.pk)
    assert api_for(client_profile.user).put(url(body["id"]), body, format="json").status_code == 201
    row = LoggedSession.objects.filter(pk=body["id"])
    seen = []
    for at in AT:
        for offset in OFFSETS:
            row.update(client_modified_at=at, performed_at=at, performed_at_offset=offset)
            ((modified, performed),) = row.values_list(
                IsoUTC("client_modified_at"), IsoAtOffset("performed_at", "performed_at_offset")
            )
            zone = dt.timezone(dt.timedelta(minutes=offset))
            assert (modified, performed) == (at.astimezone(dt.UTC).isoformat(), at.astimezone(zone).isoformat())
            seen.append(performed)
    assert "2027-01-01T00:30:59.999999+01:00" in seen
    assert "2028-02-29T03:15:00.120000+00:00" in seen
    assert "2027-01-01T00:00:00+05:30" in seen
    assert "2026-11-17T05:57:00-00:45" in seen


def test_ids_the_database_prints_are_the_uuids_text(logged: list[str]) -> None:
    ids = LoggedSession.objects.filter(pk__in=logged).values_list(UUIDText("id"), "id")
    assert sorted(text for text, _ in ids) == sorted(logged)
    assert all(text == str(pk) for text, pk in ids)
    for asked in (logged[:1], [logged[0], logged[2]], logged[2:3], logged, []):
        got = LoggedSet.objects.filter(UUIDIn("session_id", asked)).values_list(UUIDText("session_id"), "uid")
        expected = LoggedSet.objects.filter(session_id__in=asked).values_list("session_id", "uid")
        assert sorted(got) == sorted((str(sid), uid) for sid, uid in expected)
    assert LoggedSet.objects.filter(UUIDIn("session_id", logged[2:3])).count() == 0  # the one without sets
    assert LoggedSet.objects.filter(UUIDIn("session_id", logged[:1])).count() == 6
