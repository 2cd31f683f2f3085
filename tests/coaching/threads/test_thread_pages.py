"""Thread pages: the coach's beside each session of the client page, the phone's History, Today and
thread page; with and without htmx; unread counts on the phone's header and the dashboard."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from coaching.threads.models import SessionComment, ThreadRead
from coaching.threads.services import comment_add
from tests.coaching.threads.conftest import HTMX, log

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach_web(coach: Any) -> WebClient:
    web = WebClient()
    web.force_login(coach.user)
    return web


@pytest.fixture
def phone(client_profile: Any) -> WebClient:
    web = WebClient()
    web.force_login(client_profile.user)
    return web


def coach_url(session: Any) -> str:
    return reverse("coach-thread", args=[session.client_id, session.pk])


def phone_url(session: Any) -> str:
    return reverse("client-thread", args=[session.pk])


def test_the_client_page_links_each_sessions_thread_with_its_unread_count(
    coach_web: WebClient, session: Any, client_profile: Any
) -> None:
    comment_add(session=session, author=client_profile.user, body="Is the hinge right?")
    page = coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    assert f'href="{coach_url(session)}"' in page
    assert f'data-hx-get="{coach_url(session)}"' in page
    assert "Thread: 1 reply" in page
    assert "1 unread" in page


def test_the_coach_opens_a_thread_it_shows_notes_first_and_marks_read(
    coach_web: WebClient, coach: Any, session: Any, client_profile: Any
) -> None:
    comment_add(session=session, author=client_profile.user, body="Is the hinge right?")
    fragment = coach_web.get(coach_url(session), **HTMX)
    body = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in body
    assert body.index("Felt strong, left hamstring tight.") < body.index("Is the hinge right?")
    assert "new</span>" in body  # shown as new this once
    assert ThreadRead.objects.get(user=coach.user, session=session).last_read_id == SessionComment.objects.get().pk
    again = coach_web.get(coach_url(session)).content.decode()
    assert "<html" in again
    assert "new</span>" not in again


def test_the_coach_replies_without_javascript_and_is_redirected(coach_web: WebClient, session: Any) -> None:
    response = coach_web.post(coach_url(session), {"body": "Yes, nice and long."})
    assert response.status_code == 302
    assert response["Location"] == coach_url(session)
    comment = SessionComment.objects.get()
    assert comment.body == "Yes, nice and long."
    assert comment.author.email == "coach.a@example.com"


def test_the_coach_replies_with_htmx_and_gets_the_thread_back(coach_web: WebClient, session: Any) -> None:
    response = coach_web.post(coach_url(session), {"body": "Yes."}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Yes." in body
    assert f'id="thread-{session.pk}"' in body
    assert "HX-Request" in response["Vary"]


def test_an_empty_reply_is_a_form_error(coach_web: WebClient, phone: WebClient, session: Any) -> None:
    plain = coach_web.post(coach_url(session), {"body": "  "})
    assert plain.status_code == 400
    assert "Write a reply first." in plain.content.decode()
    htmx = phone.post(phone_url(session), {"body": ""}, **HTMX)
    assert htmx.status_code == 200
    assert "Write a reply first." in htmx.content.decode()
    too_long = phone.post(phone_url(session), {"body": "x" * 5001})
    assert too_long.status_code == 400
    assert not SessionComment.objects.exists()


def test_another_coach_or_client_gets_404_on_the_thread_pages(
    session: Any, other_coach: Any, other_client: Any, client_profile: Any
) -> None:
    web = WebClient()
    web.force_login(other_coach.user)
    assert web.get(coach_url(session)).status_code == 404
    assert web.post(coach_url(session), {"body": "x"}).status_code == 404
    # Another coach's client id in the URL with the right session: 404 too.
    other_url = reverse("coach-thread", args=[other_client.pk, session.pk])
    web.force_login(other_client.user)
    assert web.get(phone_url(session)).status_code == 404
    assert web.post(phone_url(session), {"body": "x"}).status_code == 404
    web.force_login(session.client.coach.user)
    assert web.get(other_url).status_code == 404
    web.force_login(client_profile.user)
    assert web.get(coach_url(session)).status_code == 404  # a client on the coach's page
    assert not SessionComment.objects.exists()


def test_the_phone_history_links_threads_and_the_header_shows_the_badge(
    phone: WebClient, session: Any, coach: Any
) -> None:
    comment_add(session=session, author=coach.user, body="Great depth today.")
    page = phone.get(reverse("client-history")).content.decode()
    assert f'href="{phone_url(session)}"' in page
    assert 'id="unread-badge"' in page
    assert "1 new" in page
    thread = phone.get(phone_url(session)).content.decode()
    assert "Great depth today." in thread
    assert "Felt strong" in thread
    assert 'id="unread-badge"' not in phone.get(reverse("client-history")).content.decode()


def test_the_client_replies_from_the_phone_with_and_without_htmx(phone: WebClient, session: Any) -> None:
    plain = phone.post(phone_url(session), {"body": "Thanks coach"})
    assert plain.status_code == 302
    assert plain["Location"] == phone_url(session)
    htmx = phone.post(phone_url(session), {"body": "One more"}, **HTMX)
    assert htmx.status_code == 200
    assert "One more" in htmx.content.decode()
    assert "<html" not in htmx.content.decode()
    assert [c.body for c in SessionComment.objects.order_by("id")] == ["Thanks coach", "One more"]


def test_today_shows_the_latest_sessions_thread_and_marks_it_read(
    phone: WebClient, client_profile: Any, coach: Any
) -> None:
    older = log(client_profile.user, client_profile, days_ago=3)
    latest = log(client_profile.user, client_profile, days_ago=1, notes="Short on time")
    comment_add(session=older, author=coach.user, body="Older reply")
    comment_add(session=latest, author=coach.user, body="Latest reply")
    # The service worker caching Today shows nothing to anyone: nothing is marked read.
    phone.get(reverse("client-today"), HTTP_SEC_FETCH_DEST="empty")
    assert not ThreadRead.objects.filter(user=client_profile.user).exists()
    page = phone.get(reverse("client-today")).content.decode()
    assert "Latest reply" in page
    assert "Short on time" in page
    assert "Older reply" not in page
    assert f'action="{phone_url(latest)}"' in page
    assert ThreadRead.objects.filter(user=client_profile.user, session=latest).exists()
    # The older thread is still unread: the badge says so.
    assert "1 new" in phone.get(reverse("client-today")).content.decode()


def test_the_dashboard_counts_unread_replies_per_client_and_in_all(
    coach_web: WebClient, coach: Any, session: Any, client_profile: Any
) -> None:
    comment_add(session=session, author=coach.user, body="Mine do not count")
    comment_add(session=session, author=client_profile.user, body="One")
    comment_add(session=session, author=client_profile.user, body="Two")
    page = coach_web.get(reverse("coach-dashboard")).content.decode()
    assert 'id="unread"' in page
    assert "2 unread" in page
    assert client_profile.name in page
    coach_web.get(coach_url(session), **HTMX)
    page = coach_web.get(reverse("coach-dashboard")).content.decode()
    assert 'id="unread"' not in page


def test_replying_reads_the_thread_up_to_the_reply(session: Any, coach: Any, client_profile: Any) -> None:
    from coaching.threads.selectors import unread_total

    comment_add(session=session, author=client_profile.user, body="Question")
    assert unread_total(coach.user) == 1
    comment_add(session=session, author=coach.user, body="Answer")
    assert unread_total(coach.user) == 0
    assert unread_total(client_profile.user) == 1


def test_the_review_page_links_the_client_pages_threads(
    coach_web: WebClient, session: Any, client_profile: Any
) -> None:
    from tests.coaching.api.factories_api import make_review

    review = make_review(client_profile.assignments.get(is_active=True))
    comment_add(session=session, author=client_profile.user, body="Hi")
    page = coach_web.get(reverse("coach-review", args=[review.pk])).content.decode()
    assert 'id="review-threads"' in page
    assert "1 unread" in page


def test_client_page_and_history_stay_flat_as_threads_grow(
    coach_web: WebClient, phone: WebClient, client_profile: Any, coach: Any, django_assert_max_num_queries: Any
) -> None:
    def grow(sessions: int) -> None:
        for _ in range(sessions):
            s = log(client_profile.user, client_profile, days_ago=2)
            for i in range(3):
                comment_add(session=s, author=coach.user if i % 2 else client_profile.user, body=f"c{i}")

    grow(1)
    pages = [reverse("coach-client", args=[client_profile.pk]), reverse("coach-dashboard")]
    counts = {}
    for url in pages:
        with django_assert_max_num_queries(200) as q:
            coach_web.get(url)
        counts[url] = len(q.captured_queries)
    for url in (reverse("client-history"), reverse("client-today")):
        with django_assert_max_num_queries(200) as q:
            phone.get(url)
        counts[url] = len(q.captured_queries)
    grow(6)
    for url in pages:
        with django_assert_max_num_queries(counts[url]):
            coach_web.get(url)
    for url in (reverse("client-history"), reverse("client-today")):
        with django_assert_max_num_queries(counts[url]):
            phone.get(url)
