"""The phone's "Add to my calendar" card: its links, and "Reset link" with and without htmx."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client as WebClient

pytestmark = pytest.mark.django_db

PAGE = "/calendar/"
RESET = "/calendar/reset/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def links(html: str) -> tuple[str, str]:
    webcal = re.search(r'id="calendar-subscribe" href="(webcal://[^"]+)"', html)
    https = re.search(r'id="calendar-url" class="calendar-url" type="url" value="([^"]+)"', html)
    assert webcal
    assert https
    return webcal.group(1), https.group(1)


def feed_path(url: str) -> str:
    return url.split("testserver", 1)[1]


def test_the_card_shows_the_webcal_and_https_links_of_one_feed(signed_in: Any) -> None:
    response = signed_in.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    webcal, https = links(html)
    assert https.startswith("http://testserver/calendar/")
    assert https.endswith(".ics")
    assert webcal == "webcal://" + https.removeprefix("http://")
    assert "Add to my calendar" in html
    assert '<a href="/calendar/" aria-current="page">Calendar</a>' in html
    assert "no-store" in response["Cache-Control"]
    assert WebClient().get(feed_path(https)).status_code == 200
    # The same link on every visit (a second device, or copying it again).
    assert links(signed_in.get(PAGE).content.decode()) == (webcal, https)


def test_the_card_has_no_inline_script_or_style(signed_in: Any) -> None:
    html = signed_in.get(PAGE).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>(?!</script>)", html.replace('type="application/json"', ""))
    assert " style=" not in html
    assert "onclick" not in html


def test_reset_without_htmx_redirects_and_the_old_link_stops(signed_in: Any) -> None:
    _, old = links(signed_in.get(PAGE).content.decode())
    response = signed_in.post(RESET)
    assert response.status_code == 302
    assert response["Location"] == PAGE
    page = signed_in.get(PAGE).content.decode()
    assert "Your calendar link was reset" in page
    _, new = links(page)
    assert new != old
    assert WebClient().get(feed_path(old)).status_code == 404
    assert WebClient().get(feed_path(new)).status_code == 200


def test_reset_with_htmx_swaps_in_the_card_with_the_new_link(signed_in: Any) -> None:
    _, old = links(signed_in.get(PAGE).content.decode())
    response = signed_in.post(RESET, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card calendar-card" id="calendar-card"')
    assert "<html" not in html
    assert "your link was reset" in html
    _, new = links(html)
    assert new != old
    assert "HX-Request" in response["Vary"]
    assert WebClient().get(feed_path(old)).status_code == 404


def test_the_page_with_htmx_is_the_card_alone(signed_in: Any) -> None:
    html = signed_in.get(PAGE, **HTMX).content.decode()
    assert html.lstrip().startswith('<section class="card calendar-card"')


def test_reset_needs_the_csrf_token(client_profile: Any) -> None:
    browser = WebClient(enforce_csrf_checks=True)
    browser.force_login(client_profile.user)
    page = browser.get(PAGE).content.decode()
    assert browser.post(RESET).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert token
    assert browser.post(RESET, {"csrfmiddlewaretoken": token.group(1)}).status_code == 302


def test_reset_is_post_only(signed_in: Any) -> None:
    assert signed_in.get(RESET).status_code == 405
    assert signed_in.post(PAGE).status_code == 405


def test_strangers_sign_in_and_coaches_get_404(client: Any, coach: Any) -> None:
    for url, method in ((PAGE, client.get), (RESET, client.post)):
        response = method(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    client.force_login(coach.user)
    assert client.get(PAGE).status_code == 404
    assert client.post(RESET).status_code == 404


def test_today_and_history_link_to_the_calendar(signed_in: Any) -> None:
    for url in ("/today/", "/history/"):
        assert '<a href="/calendar/">Calendar</a>' in signed_in.get(url).content.decode()
