"""A script of attacks on the login pages and the API; each must be refused cleanly.

Wrong passwords in a loop, another coach's ids, oversized bodies, forged posts, and SQL-ish and
HTML/script strings in every text field, which must come back escaped.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client as WebClient
from rest_framework.test import APIClient

from coaching.clients.services import client_create
from coaching.models import Client
from coaching.reviews.generation import reviews_generate, week_batches
from coaching.services.prescriptions import assignment_create
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from programs.lines import Line
from programs.services import template_create
from tests.factories import PASSWORD, exercise

pytestmark = pytest.mark.django_db

NASTY = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "Robert'); DROP TABLE coaching_client;--",
    "' OR '1'='1",
]


@pytest.fixture(autouse=True)
def _fresh_counters() -> Any:
    cache.clear()
    yield
    cache.clear()


def test_web_login_locks_out_after_five_wrong_passwords_even_with_the_right_one(coach: Any) -> None:
    web = WebClient()
    for _ in range(5):
        response = web.post("/accounts/login/", {"username": coach.user.email, "password": "guess"})
        assert response.status_code in {200, 429}
    locked = web.post("/accounts/login/", {"username": coach.user.email, "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in web.session
    # The lock is per email and address: another coach can still sign in from here.


def test_api_token_endpoint_locks_out_a_password_loop(coach: Any) -> None:
    api = APIClient()
    statuses = [
        api.post("/api/v1/auth/token/", {"email": coach.user.email, "password": f"guess{i}"}, format="json").status_code
        for i in range(8)
    ]
    assert set(statuses) <= {400, 429}
    final = api.post("/api/v1/auth/token/", {"email": coach.user.email, "password": PASSWORD}, format="json")
    assert final.status_code == 429
    assert "Retry-After" in final


def test_another_coachs_ids_are_404_everywhere(coach: Any, other_client: Client) -> None:
    api = APIClient()
    api.force_authenticate(coach.user)
    assignment = other_client.assignments.get()
    for path in (
        f"/api/v1/clients/{other_client.pk}/",
        f"/api/v1/assignments/{assignment.pk}/",
        f"/api/v1/clients/{other_client.pk}/sessions.csv",
    ):
        assert api.get(path).status_code == 404, path
    web = WebClient()
    web.force_login(coach.user)
    for path in (
        f"/clients/{other_client.pk}/",
        f"/clients/{other_client.pk}/assign/",
        f"/clients/{other_client.pk}/delete/",
    ):
        assert web.get(path).status_code == 404, path


def test_a_session_id_owned_by_another_coachs_client_is_refused_and_untouched(
    client_profile: Client, other_client: Client
) -> None:
    performed = dt.datetime(2026, 11, 17, 8, tzinfo=dt.UTC)
    sid = uuid.uuid4()
    sessions_apply(
        user=other_client.user,
        items=[SessionInput(id=sid, assignment_id=other_client.assignments.get().pk, performed_at=performed,
                            client_modified_at=performed,
                            sets=(SetInput(exercise="deadlift", reps=5, load=Decimal(100)),))],
    )  # fmt: skip
    api = APIClient()
    api.force_authenticate(client_profile.user)
    body = {
        "id": str(sid), "assignment": client_profile.assignments.get().pk,
        "performed_at": "2026-11-18T08:00:00+00:00", "client_modified_at": "2026-11-18T09:00:00+00:00",
        "notes": "hijack", "sets": [],
    }  # fmt: skip
    assert api.put(f"/api/v1/sessions/{sid}/", body, format="json").status_code == 404
    assert api.get(f"/api/v1/sessions/{sid}/").status_code == 404
    result = api.post("/api/v1/sessions/sync/", {"sessions": [body]}, format="json").json()["results"][0]
    assert result["status"] == "rejected"
    assert other_client.sessions.get().notes == ""


def test_oversized_bodies_are_refused_without_a_server_error(client_profile: Client) -> None:
    api = APIClient()
    api.force_authenticate(client_profile.user)
    huge = '{"sessions": [' + ",".join(['{"id": "x", "notes": "' + "a" * 1000 + '"}'] * 11_000) + "]}"
    response = api.post("/api/v1/sessions/sync/", huge, content_type="application/json")
    assert response.status_code in {400, 413}
    too_many = {"sessions": [{"id": str(uuid.uuid4())} for _ in range(501)]}
    assert api.post("/api/v1/sessions/sync/", too_many, format="json").status_code == 413


def test_forged_html_posts_without_a_csrf_token_are_refused(coach: Any) -> None:
    web = WebClient(enforce_csrf_checks=True)
    web.force_login(coach.user)
    response = web.post("/clients/new/", {"name": "Forged", "email": "forged@example.com"})
    assert response.status_code == 403
    assert not Client.objects.filter(email="forged@example.com").exists()


def test_admin_is_for_staff_only(coach: Any, client_profile: Client) -> None:
    web = WebClient()
    web.force_login(coach.user)
    assert web.get("/admin/").status_code == 302
    web.force_login(client_profile.user)
    assert web.get("/admin/").status_code == 302
    coach.user.is_staff = coach.user.is_superuser = True
    coach.user.save()
    web.force_login(coach.user)
    assert web.get("/admin/").status_code == 200


def test_errors_show_no_stack_trace_or_settings(client_profile: Client, settings: Any) -> None:
    settings.DEBUG = False
    web = WebClient()
    page = web.get("/no/such/page/")
    assert page.status_code == 404
    body = page.content.decode()
    assert "Traceback" not in body
    assert "SECRET_KEY" not in body
    api = APIClient()
    api.force_authenticate(client_profile.user)
    bad = api.post("/api/v1/sessions/sync/", "{not json", content_type="application/json")
    assert bad.status_code == 400
    assert "Traceback" not in bad.content.decode()


@pytest.mark.parametrize("nasty", NASTY)
def test_hostile_text_in_every_field_is_stored_verbatim_and_rendered_escaped(coach: Any, nasty: str) -> None:
    client = client_create(coach=coach, name=f"Client {nasty}", email="hostile@example.com", notes=nasty)
    template = template_create(owner=coach.user, name=f"Program {nasty}", notes=nasty)
    assignment = assignment_create(
        client=client, start_date=dt.date(2026, 10, 5), changed_by=coach.user, program=template,
        lines=[Line(exercise=exercise("romanian-deadlift"), sets=3, low=8, high=10, load=Decimal(60))],
    )  # fmt: skip
    performed = dt.datetime(2026, 11, 17, 8, tzinfo=dt.UTC)
    [result] = sessions_apply(
        user=coach.user,
        items=[SessionInput(id=uuid.uuid4(), assignment_id=assignment.pk, performed_at=performed,
                            client_modified_at=performed, notes=nasty,
                            sets=(SetInput(exercise="romanian-deadlift", reps=10, load=Decimal(60)),))],
    )  # fmt: skip
    assert result.status == "created"
    reviews_generate(week_batches(dt.date(2026, 11, 16)))
    assert Client.objects.get(pk=client.pk).name == f"Client {nasty}"  # stored as typed, no SQL ran

    web = WebClient()
    web.force_login(coach.user)
    review = client.assignments.get().reviews.get()
    for path in ("/dashboard/", "/clients/", f"/clients/{client.pk}/", f"/clients/{client.pk}/delete/",
                 "/programs/", f"/programs/{template.pk}/", "/reviews/", f"/reviews/{review.pk}/"):  # fmt: skip
        html = web.get(path).content.decode()
        assert "<script>alert" not in html, path
        assert "<img src=x" not in html, path
    api = APIClient()
    api.force_authenticate(coach.user)
    listed = api.get("/api/v1/clients/").json()["results"]
    assert any(row["name"] == f"Client {nasty}" for row in listed)  # JSON carries it as data
