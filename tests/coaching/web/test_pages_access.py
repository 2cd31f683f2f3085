"""Every coach page: renders for its coach, 404 for another coach's object, login for strangers,
404 for a client's login; no inline script, style or onclick; every hx-get link has an href."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.urls import reverse

from coaching.webhooks.services import endpoint_create
from programs.services import exercise_create, template_create
from tests.coaching.web.conftest import active_assignment, make_review
from tests.factories import exercise

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(coach: Any, client_profile: Any, other_coach: Any, other_client: Any) -> dict[str, Any]:
    mine = template_create(owner=coach.user, name="Hinge basics")
    theirs = template_create(owner=other_coach.user, name="Their plan")
    own_ex = exercise_create(owner=coach.user, name="Band pull-through", implement="bodyweight")
    their_ex = exercise_create(owner=other_coach.user, name="Cable pull-through", implement="bodyweight")
    review = make_review(active_assignment(client_profile), dt.date(2026, 11, 16))
    their_review = make_review(active_assignment(other_client), dt.date(2026, 11, 16))
    hook = endpoint_create(coach=coach, url="http://127.0.0.1:9/hooks", events=["session.synced"])
    their_hook = endpoint_create(coach=other_coach, url="http://127.0.0.1:9/theirs", events=["session.synced"])
    return {
        "mine": {
            "client": client_profile.pk,
            "template": mine.pk,
            "exercise": own_ex.slug,
            "review": review.pk,
            "webhook": hook.pk,
        },
        "theirs": {
            "client": other_client.pk,
            "template": theirs.pk,
            "exercise": their_ex.slug,
            "review": their_review.pk,
            "webhook": their_hook.pk,
        },
    }


OBJECT_PAGES = [
    ("coach-client", "client"),
    ("coach-client-assign", "client"),
    ("coach-client-import", "client"),
    ("coach-client-imports", "client"),
    ("coach-prescription-edit", "client"),
    ("coach-program", "template"),
    ("coach-program-assign", "template"),
    ("coach-line-form", "template"),
    ("coach-exercise", "exercise"),
    ("coach-review", "review"),
    ("coach-webhook", "webhook"),
    ("team-review", "review"),
]
LIST_PAGES = [
    "coach-dashboard",
    "coach-clients",
    "coach-client-add",
    "coach-clients-import",
    "coach-exercises",
    "coach-exercise-add",
    "coach-programs",
    "coach-reviews",
    "coach-webhooks",
    "team",
    "team-cosigns",
    "team-library",
]


def _url(name: str, kind: str, ids: dict[str, Any]) -> str:
    arg = {
        "client": "client_id",
        "template": "template_id",
        "exercise": "slug",
        "review": "review_id",
        "webhook": "endpoint_id",
    }[kind]
    return reverse(name, kwargs={arg: ids[kind]})


def _all_urls(world: dict[str, Any]) -> list[str]:
    return [reverse(n) for n in LIST_PAGES] + [_url(n, k, world["mine"]) for n, k in OBJECT_PAGES]


def test_every_coach_page_renders_for_its_coach(coach_web: Any, world: dict[str, Any]) -> None:
    for url in _all_urls(world):
        response = coach_web.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize(("name", "kind"), OBJECT_PAGES)
def test_another_coachs_object_is_404_on_every_page(
    coach_web: Any, world: dict[str, Any], name: str, kind: str
) -> None:
    assert coach_web.get(_url(name, kind, world["theirs"])).status_code == 404


MUTATIONS = [
    ("coach-client-invite", "client", {}),
    ("coach-client-assign", "client", {}),
    ("coach-prescription-edit", "client", {}),
    ("coach-program-settings", "template", {"name": "x"}),
    ("coach-program-delete", "template", {}),
    ("coach-line-add", "template", {}),
    ("coach-review-approve", "review", {}),
    ("coach-review-reject", "review", {}),
    ("coach-webhook-delete", "webhook", {}),
    ("coach-webhook-rotate", "webhook", {}),
    ("coach-webhook-enable", "webhook", {}),
    ("coach-client-share", "client", {"member": "1"}),
    ("coach-client-transfer", "client", {"coach": "1"}),
    ("team-review-cosign", "review", {}),
]


@pytest.mark.parametrize(("name", "kind", "data"), MUTATIONS)
def test_another_coachs_object_cannot_be_changed(
    coach_web: Any, world: dict[str, Any], name: str, kind: str, data: dict[str, Any]
) -> None:
    assert coach_web.post(_url(name, kind, world["theirs"]), data).status_code == 404


def test_line_pages_of_another_coachs_template_are_404(coach_web: Any, world: dict[str, Any]) -> None:
    template_id = world["theirs"]["template"]
    for name in ("coach-line-edit", "coach-line-remove", "coach-line-move", "coach-line-to-day"):
        url = reverse(name, args=[template_id, 1, 0])
        assert coach_web.post(url, {"direction": "up", "to_day": "1"}).status_code == 404, name
    for name in ("coach-day-edit", "coach-day-move", "coach-day-duplicate", "coach-day-delete"):
        url = reverse(name, args=[template_id, 1])
        assert coach_web.post(url, {"direction": "up", "day1-name": "Mine"}).status_code == 404, name


def test_strangers_are_sent_to_sign_in(client: Any, world: dict[str, Any]) -> None:
    for url in _all_urls(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_clients_login_gets_404_on_coach_pages(client: Any, client_profile: Any, world: dict[str, Any]) -> None:
    client.force_login(client_profile.user)
    for url in _all_urls(world):
        assert client.get(url).status_code == 404, url
    for name in ("coach-clients-import", "coach-clients-import-create"):
        assert client.post(reverse(name), {"rows": "x"}).status_code == 404, name


def test_strangers_cannot_post_to_the_roster_import(client: Any, world: dict[str, Any]) -> None:
    for name in ("coach-clients-import", "coach-clients-import-create"):
        response = client.post(reverse(name), {"rows": "x"})
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name


def test_bulk_approve_ignores_another_coachs_reviews(coach_web: Any, world: dict[str, Any]) -> None:
    coach_web.post(reverse("coach-reviews-bulk-approve"), {"review": [world["theirs"]["review"]]})
    from coaching.models import WeeklyReview

    assert WeeklyReview.objects.get(pk=world["theirs"]["review"]).status == "pending"


def test_library_exercise_from_another_coach_is_not_in_my_library(coach_web: Any, world: dict[str, Any]) -> None:
    body = coach_web.get(reverse("coach-exercises")).content.decode()
    assert "Band pull-through" in body
    assert "Cable pull-through" not in body
    assert exercise("deadlift").name in body


@pytest.mark.parametrize("method", ["put", "delete"])
def test_pages_refuse_other_methods(coach_web: Any, world: dict[str, Any], method: str) -> None:
    assert getattr(coach_web, method)(reverse("coach-dashboard")).status_code == 405
    assert getattr(coach_web, method)(_url("coach-review-approve", "review", world["mine"])).status_code == 405


def test_mutations_refuse_get(coach_web: Any, world: dict[str, Any]) -> None:
    for name, kind, _ in MUTATIONS:
        if name in {"coach-client-assign", "coach-prescription-edit"}:
            continue  # these are form pages: GET shows the form
        assert coach_web.get(_url(name, kind, world["mine"])).status_code == 405, name
    assert coach_web.get(reverse("coach-reviews-bulk-approve")).status_code == 405
    assert coach_web.get(reverse("coach-clients-import-create")).status_code == 405


INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|\son[a-z]+=", re.IGNORECASE)
HX_GET_A = re.compile(r"<a\b[^>]*\bdata-hx-get=[^>]*>", re.IGNORECASE)


def test_pages_have_no_inline_script_style_or_handlers(coach_web: Any, world: dict[str, Any], client: Any) -> None:
    urls = [*_all_urls(world), reverse("coach-client", args=[world["mine"]["client"]]) + "?invited=1"]
    for url in urls:
        body = coach_web.get(url).content.decode()
        assert not INLINE.search(body), (url, INLINE.search(body))
        for anchor in HX_GET_A.findall(body):
            assert "href=" in anchor, (url, anchor)
    coach_web.logout()
    for name in ("login", "coach-signup", "password_reset"):
        body = client.get(reverse(name)).content.decode()
        assert not INLINE.search(body), name


def test_base_sets_csrf_header_and_htmx_config(coach_web: Any, world: dict[str, Any]) -> None:
    body = coach_web.get(reverse("coach-dashboard")).content.decode()
    assert 'data-hx-headers=\'{"X-CSRFToken": "' in body
    # Strict CSP: htmx neither injects its indicator <style> nor copies style attributes on settle.
    config = json.loads(re.search(r'<meta name="htmx-config" content=\'([^\']*)\'>', body).group(1))
    assert config["includeIndicatorStyles"] is False
    assert "style" not in config["attributesToSettle"]
    assert "django_htmx/htmx-2.min.js" in body
    assert "cdn" not in body.lower()


def test_every_input_has_a_label(coach_web: Any, world: dict[str, Any]) -> None:
    ids_with_label = re.compile(r'<label[^>]*\bfor="([^"]+)"')
    controls = re.compile(r'<(?:input|select|textarea)\b(?![^>]*type="(?:hidden|submit)")[^>]*>', re.IGNORECASE)
    for url in _all_urls(world):
        body = coach_web.get(url).content.decode()
        labelled = set(ids_with_label.findall(body))
        for control in controls.findall(body):
            match = re.search(r'\bid="([^"]+)"', control)
            ok = (match and match.group(1) in labelled) or "aria-label=" in control
            assert ok, (url, control)
