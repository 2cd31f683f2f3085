"""The thread API: GET|POST /api/v1/sessions/{uuid}/comments/ and POST .../comments/read/."""

from __future__ import annotations

from typing import Any

import pytest

from coaching.threads.models import SessionComment
from coaching.threads.services import comment_add
from tests.coaching.threads.conftest import log

pytestmark = pytest.mark.django_db


def url(session: Any, read: bool = False) -> str:
    return f"/api/v1/sessions/{session.pk}/comments/" + ("read/" if read else "")


def test_client_and_coach_reply_and_the_thread_reads_oldest_first(
    session: Any, client_api: Any, coach_api: Any, coach: Any
) -> None:
    first = client_api.post(url(session), {"body": "Was the last set too heavy?"}, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["author"]["role"] == "client"
    assert first.json()["read"] is True
    reply = coach_api.post(url(session), {"body": "  No: the extra 2.5 kg is earned.  "}, format="json")
    assert reply.status_code == 201
    assert reply.json()["body"] == "No: the extra 2.5 kg is earned."
    assert reply.json()["author"] == {"name": "Coach A", "role": "coach"}

    body = client_api.get(url(session)).json()
    assert body["notes"]["body"] == "Felt strong, left hamstring tight."
    assert body["notes"]["author"]["role"] == "client"
    assert [c["body"] for c in body["results"]] == ["Was the last set too heavy?", "No: the extra 2.5 kg is earned."]
    assert [c["read"] for c in body["results"]] == [True, False]
    assert body["count"] == 2
    assert body["unread"] == 1
    assert set(body["results"][0]) == {"id", "author", "body", "created_at", "read"}


def test_a_session_without_notes_has_null_notes(client_profile: Any, coach_api: Any) -> None:
    bare = log(client_profile.user, client_profile)
    assert coach_api.get(url(bare)).json()["notes"] is None


def test_marking_read_clears_the_unread_count(session: Any, client_api: Any, coach_api: Any) -> None:
    client_api.post(url(session), {"body": "One"}, format="json")
    client_api.post(url(session), {"body": "Two"}, format="json")
    assert coach_api.get(url(session)).json()["unread"] == 2
    marked = coach_api.post(url(session, read=True))
    assert marked.status_code == 200
    assert marked.json()["unread"] == 0
    assert marked.json()["last_read_id"] == SessionComment.objects.latest("id").pk
    assert all(c["read"] for c in coach_api.get(url(session)).json()["results"])
    # Reading does not mark the client's side: their own replies are read, nothing else changes.
    assert client_api.get(url(session)).json()["unread"] == 0


def test_reading_the_thread_does_not_mark_it_read(session: Any, client_api: Any, coach_api: Any) -> None:
    client_api.post(url(session), {"body": "Hello"}, format="json")
    coach_api.get(url(session))
    assert coach_api.get(url(session)).json()["unread"] == 1


@pytest.mark.parametrize(
    ("body", "field_message"),
    [
        ({"body": ""}, "Write a reply first."),
        ({"body": "   "}, "Write a reply first."),
        ({}, "This field is required."),
        ({"body": "x" * 5001}, "5000"),
        ({"body": ["a list"]}, "Not a valid string."),
    ],
)
def test_a_bad_body_is_a_400_on_body(session: Any, client_api: Any, body: Any, field_message: str) -> None:
    response = client_api.post(url(session), body, format="json")
    assert response.status_code == 400
    assert field_message in " ".join(response.json()["body"])
    assert not SessionComment.objects.exists()


def test_a_body_of_5000_characters_is_kept(session: Any, client_api: Any) -> None:
    assert client_api.post(url(session), {"body": "x" * 5000}, format="json").status_code == 201


def test_another_coach_and_another_client_get_404(session: Any, other_coach_api: Any, other_client_api: Any) -> None:
    for api in (other_coach_api, other_client_api):
        assert api.get(url(session)).status_code == 404
        assert api.post(url(session), {"body": "Hi"}, format="json").status_code == 404
        assert api.post(url(session, read=True)).status_code == 404
    assert not SessionComment.objects.exists()


def test_a_deleted_session_and_a_malformed_id_are_404(session: Any, client_api: Any) -> None:
    assert client_api.get("/api/v1/sessions/not-a-uuid/comments/").status_code == 404
    assert client_api.delete(f"/api/v1/sessions/{session.pk}/").status_code == 204
    assert client_api.get(url(session)).status_code == 404


def test_the_thread_reads_in_a_fixed_number_of_queries(
    session: Any, client_profile: Any, coach: Any, coach_api: Any, django_assert_max_num_queries: Any
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            comment_add(session=session, author=client_profile.user if i % 2 else coach.user, body=f"c{i}")

    add(2)
    with django_assert_max_num_queries(8) as few:
        coach_api.get(url(session))
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert coach_api.get(url(session)).json()["count"] == 32
