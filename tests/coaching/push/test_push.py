"""Web Push end to end against a real push service on 127.0.0.1 (pushservice.py): a coach's reply
and a new prescription reach the phone encrypted and VAPID-signed; 404/410 deletes the
subscription; failures that may pass are retried; the subscribe API checks its body."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client as WebClient
from django.test import TestCase

from coaching.clients.services import client_delete_data
from coaching.models import PrescriptionVersion
from coaching.push import services, tasks
from coaching.push.keys import b64url, configured_pair, new_key_pair, public_key_of
from coaching.push.models import PushSubscription
from coaching.reviews.decisions import review_approve
from coaching.services.prescriptions import prescription_edit
from coaching.threads.services import comment_add
from programs.lines import Line
from tests.coaching.api.factories_api import make_review
from tests.coaching.push.conftest import deliver
from tests.coaching.push.pushservice import PushService
from tests.coaching.threads.conftest import log
from tests.factories import exercise

pytestmark = pytest.mark.django_db
URL = "/api/v1/push/subscriptions/"
UNSUBSCRIBE = "/api/v1/push/subscriptions/unsubscribe/"


def subscribe(user: Any, service: PushService, **phone: Any) -> tuple[Any, PushSubscription]:
    made = service.phone(**phone)
    body = service.subscription(made)
    subscription, created = services.subscription_save(
        user=user, endpoint=body["endpoint"], p256dh=body["keys"]["p256dh"], auth=body["keys"]["auth"]
    )
    assert created
    return made, subscription


def committed(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run ``fn`` in a transaction and run its on-commit hooks (the test's own never commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        return fn(*args, **kwargs)


def test_a_coachs_reply_reaches_the_phone_decrypted_and_vapid_signed(
    coach: Any, client_profile: Any, push_service: PushService, pushed: list[Any]
) -> None:
    session = log(client_profile.user, client_profile)
    phone, _ = subscribe(client_profile.user, push_service)
    comment = committed(comment_add, session=session, author=coach.user, body="Nice   hinge.\nKeep the bar close.")

    assert pushed == [(client_profile.user.pk, {
        "title": "Coach A replied", "body": "Nice hinge. Keep the bar close.",
        "url": f"/history/{session.pk}/thread/",
    })]  # fmt: skip
    assert deliver(pushed) == ["sent"]
    [got] = push_service.received
    assert got.error == ""
    assert got.answered == 201
    assert got.message == pushed[0][1]
    assert got.claims is not None
    assert got.claims["aud"] == push_service.origin
    assert got.headers["content-encoding"] == "aes128gcm"
    assert int(got.headers["ttl"]) > 0
    assert push_service.messages(phone) == [pushed[0][1]]
    assert comment.pk


def test_the_clients_own_reply_is_not_pushed(client_profile: Any, push_service: PushService, pushed: list[Any]) -> None:
    session = log(client_profile.user, client_profile)
    subscribe(client_profile.user, push_service)
    committed(comment_add, session=session, author=client_profile.user, body="Back felt fine.")
    assert pushed == []


def test_a_rolled_back_reply_pushes_nothing(
    coach: Any, client_profile: Any, push_service: PushService, pushed: list[Any]
) -> None:
    session = log(client_profile.user, client_profile)
    subscribe(client_profile.user, push_service)

    def reply_then_fail() -> None:
        comment_add(session=session, author=coach.user, body="Soon gone.")
        raise RuntimeError

    with TestCase.captureOnCommitCallbacks(execute=True), pytest.raises(RuntimeError):
        transaction.atomic()(reply_then_fail)()
    assert pushed == []


def test_an_approved_review_and_a_coach_edit_push_the_new_prescription(
    coach: Any, client_profile: Any, push_service: PushService, pushed: list[Any]
) -> None:
    assignment = client_profile.assignments.get(is_active=True)
    phone, _ = subscribe(client_profile.user, push_service)
    review = make_review(assignment)
    committed(review_approve, review=review, user=coach.user)
    assert len(pushed) == 1
    user_id, message = pushed[0]
    assert user_id == client_profile.user.pk
    assert message["title"] == "Your training plan changed"
    assert message["url"] == "/today/"
    monday = review.week_start + dt.timedelta(days=7)
    assert message["body"] == f"From {monday:%a %d %b}: your coach approved changes. See them on Today."

    lines = [Line(exercise=exercise("deadlift"), sets=4, low=5, high=5, load=Decimal("100"))]
    committed(
        prescription_edit, assignment=assignment, lines=lines, effective_from=dt.date(2026, 12, 7),
        changed_by=coach.user, reason="Lighter week: travel.",
    )  # fmt: skip
    assert pushed[1] == (client_profile.user.pk, {
        "title": "Your training plan changed", "body": "From Mon 07 Dec, your coach says: Lighter week: travel.",
        "url": "/today/",
    })  # fmt: skip
    assert deliver(pushed) == ["sent", "sent"]
    assert push_service.messages(phone) == [message, pushed[1][1]]
    sources = list(assignment.versions.order_by("id").values_list("source", flat=True))
    assert sources[-2:] == [PrescriptionVersion.Source.REVIEW, PrescriptionVersion.Source.COACH_EDIT]


def test_a_410_deletes_only_that_subscription(
    coach: Any, client_profile: Any, push_service: PushService, pushed: list[Any]
) -> None:
    session = log(client_profile.user, client_profile)
    gone, gone_row = subscribe(client_profile.user, push_service, answer=410)
    kept, kept_row = subscribe(client_profile.user, push_service)
    committed(comment_add, session=session, author=coach.user, body="Check your email.")
    assert sorted(deliver(pushed)) == ["gone", "sent"]
    assert not PushSubscription.objects.filter(pk=gone_row.pk).exists()
    assert PushSubscription.objects.filter(pk=kept_row.pk).exists()
    # The 410 was answered to a verified, decryptable request: the service had it, then refused.
    assert [r.answered for r in push_service.received if r.path == gone.path] == [410]
    assert len(push_service.messages(kept)) == 1


def test_a_404_deletes_the_subscription(client_profile: Any, push_service: PushService) -> None:
    _, row = subscribe(client_profile.user, push_service, answer=404)
    assert services.push_send(subscription_id=row.pk, message={"title": "t", "body": "b", "url": "/today/"}) == "gone"
    assert not PushSubscription.objects.filter(pk=row.pk).exists()


def test_a_failing_push_service_is_logged_and_retried_then_sent(client_profile: Any, push_service: PushService) -> None:
    phone, row = subscribe(client_profile.user, push_service, fail_first=2)
    message = {"title": "t", "body": "b", "url": "/today/"}
    for _ in range(2):
        with pytest.raises(services.PushFailed):
            services.push_send(subscription_id=row.pk, message=message)
        row.refresh_from_db()
        assert row.last_error == "HTTP 500"
        assert row.last_error_at is not None
    assert services.push_send(subscription_id=row.pk, message=message) == "sent"
    row.refresh_from_db()
    assert (row.last_error, row.last_error_at) == ("", None)
    assert push_service.messages(phone)[-1] == message
    # The task retries PushFailed with backoff, a few times.
    assert services.PushFailed in tasks.send_push.autoretry_for
    assert tasks.send_push.max_retries == 4
    assert tasks.send_push.retry_backoff == 30


def test_a_push_service_that_refuses_the_message_is_not_retried(client_profile: Any, push_service: PushService) -> None:
    _, row = subscribe(client_profile.user, push_service, answer=413)
    assert services.push_send(subscription_id=row.pk, message={"title": "t", "body": "b", "url": "/"}) == "refused"
    row.refresh_from_db()
    assert row.last_error == "HTTP 413"


def test_a_push_service_on_a_private_address_is_refused_at_send_time(
    client_profile: Any, push_service: PushService, settings: Any
) -> None:
    _, row = subscribe(client_profile.user, push_service)
    settings.WEBHOOKS_ALLOW_PRIVATE = False  # production: the SSRF guard checks again at each send
    assert services.push_send(subscription_id=row.pk, message={"title": "t", "body": "b", "url": "/"}) == "refused"
    assert push_service.received == []
    row.refresh_from_db()
    assert "loopback" in row.last_error


def test_no_push_is_queued_for_a_client_without_subscriptions(
    coach: Any, client_profile: Any, pushed: list[Any]
) -> None:
    session = log(client_profile.user, client_profile)
    committed(comment_add, session=session, author=coach.user, body="Nobody listening.")
    assert pushed == []


def test_no_push_is_queued_without_vapid_keys(
    coach: Any, client_profile: Any, push_service: PushService, pushed: list[Any], settings: Any
) -> None:
    session = log(client_profile.user, client_profile)
    subscribe(client_profile.user, push_service)
    settings.PUSH_ENABLED = False
    committed(comment_add, session=session, author=coach.user, body="Quiet.")
    assert pushed == []


def test_the_task_fans_out_to_every_subscription_of_the_user(
    client_profile: Any, other_client: Any, push_service: PushService, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, first = subscribe(client_profile.user, push_service)
    _, second = subscribe(client_profile.user, push_service)
    subscribe(other_client.user, push_service)
    sent: list[tuple[int, Any]] = []
    monkeypatch.setattr(tasks.send_push, "delay", lambda sid, message: sent.append((sid, message)))
    assert tasks.push_to_user(client_profile.user.pk, {"title": "t"}) == 2
    assert sent == [(first.pk, {"title": "t"}), (second.pk, {"title": "t"})]


# --- the subscribe API ---------------------------------------------------------------


def test_subscribe_and_unsubscribe_through_the_api(
    client_api: Any, client_profile: Any, push_service: PushService
) -> None:
    phone = push_service.phone()
    body = push_service.subscription(phone)
    response = client_api.post(URL, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["endpoint"] == body["endpoint"]
    row = PushSubscription.objects.get(user=client_profile.user)
    assert (row.endpoint, row.p256dh, row.auth) == (body["endpoint"], phone.p256dh, phone.auth)
    # Again (the page re-sends its subscription on every visit): keys refreshed, one row.
    fresh = push_service.phone()
    body["keys"] = {"p256dh": fresh.p256dh, "auth": fresh.auth}
    assert client_api.post(URL, body, format="json").status_code == 200
    assert PushSubscription.objects.get(user=client_profile.user).p256dh == fresh.p256dh

    assert client_api.post(UNSUBSCRIBE, {"endpoint": body["endpoint"]}, format="json").status_code == 204
    assert not PushSubscription.objects.filter(user=client_profile.user).exists()
    assert client_api.post(UNSUBSCRIBE, {"endpoint": body["endpoint"]}, format="json").status_code == 204


def test_another_clients_subscription_is_untouched(
    client_api: Any, other_client_api: Any, client_profile: Any, other_client: Any, push_service: PushService
) -> None:
    body = push_service.subscription(push_service.phone())
    assert other_client_api.post(URL, body, format="json").status_code == 201
    # The same endpoint from another client: their own row; unsubscribing deletes only theirs.
    assert client_api.post(URL, body, format="json").status_code == 201
    assert client_api.post(UNSUBSCRIBE, {"endpoint": body["endpoint"]}, format="json").status_code == 204
    theirs = PushSubscription.objects.get(endpoint=body["endpoint"])
    assert theirs.user == other_client.user


def test_a_coach_cannot_subscribe(coach_api: Any, push_service: PushService) -> None:
    body = push_service.subscription(push_service.phone())
    assert coach_api.post(URL, body, format="json").status_code == 404
    assert coach_api.post(UNSUBSCRIBE, {"endpoint": body["endpoint"]}, format="json").status_code == 404
    assert not PushSubscription.objects.exists()


GOOD_P256DH = b64url(b"\x04" + b"\x00" * 64)  # the right length, not on the curve


AUTH = "AAAAAAAAAAAAAAAAAAAAAA"  # 16 bytes
NULL = ["This field may not be null."]
BAD_INPUT = [
    ({"endpoint": "ftp://127.0.0.1/push"}, {"endpoint": ["Use an http:// or https:// URL."]}),
    ({"endpoint": "not a url"}, {"endpoint": ["A URL has no spaces or control characters."]}),
    ({"endpoint": "https://user:pw@push.example.net/x"}, {"endpoint": ["A push endpoint carries no credentials."]}),
    ({"endpoint": "https://[::1/x"}, {"endpoint": ["This is not a valid URL."]}),
    ({"endpoint": "https://" + "a" * 2000 + ".example"},
     {"endpoint": ["Ensure this field has no more than 2000 characters."]}),
    ({"keys": {"p256dh": "@@@", "auth": AUTH}},
     {"keys": {"p256dh": ["Give the subscription's p256dh key in base64url."]}}),
    ({"keys": {"p256dh": GOOD_P256DH, "auth": AUTH}},
     {"keys": {"p256dh": ["The p256dh key is not a P-256 public key."]}}),
    ({"keys": {"p256dh": None, "auth": "AAAA"}}, {"keys": {"p256dh": NULL, "auth": ["The auth secret is 16 bytes."]}}),
    ({"keys": "nope"}, {"keys": {"non_field_errors": ["Invalid data. Expected a dictionary, but got str."]}}),
    ({"endpoint": None}, {"endpoint": NULL}),
]  # fmt: skip


@pytest.mark.parametrize(("change", "errors"), BAD_INPUT)
def test_bad_subscriptions_are_400_with_field_messages(
    client_api: Any, push_service: PushService, change: dict[str, Any], errors: dict[str, Any]
) -> None:
    body = {**push_service.subscription(push_service.phone()), **change}
    response = client_api.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json() == errors
    assert not PushSubscription.objects.exists()


def test_production_needs_https_and_a_public_address(client_api: Any, push_service: PushService, settings: Any) -> None:
    body = push_service.subscription(push_service.phone())
    settings.PUSH_ALLOW_HTTP = False
    response = client_api.post(URL, body, format="json")
    assert response.json() == {"endpoint": ["A push endpoint is an https:// URL."]}
    settings.WEBHOOKS_ALLOW_PRIVATE = False
    body["endpoint"] = body["endpoint"].replace("http://", "https://")
    response = client_api.post(URL, body, format="json")
    assert response.status_code == 400
    assert "loopback" in response.json()["endpoint"][0]


def test_subscribing_needs_vapid_keys_on_the_server(client_api: Any, push_service: PushService, settings: Any) -> None:
    settings.PUSH_ENABLED = False
    response = client_api.post(URL, push_service.subscription(push_service.phone()), format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Notifications are not set up on this server."]}


def test_the_phone_page_subscribes_with_its_session_and_csrf(client_profile: Any, push_service: PushService) -> None:
    browser = WebClient(enforce_csrf_checks=True)
    browser.force_login(client_profile.user)
    body = json.dumps(push_service.subscription(push_service.phone()))
    assert browser.post(URL, body, content_type="application/json").status_code == 403  # no CSRF token
    page = browser.get("/today/")
    token = page.cookies["csrftoken"].value
    response = browser.post(URL, body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 201


def test_a_user_keeps_only_the_newest_subscriptions(client_profile: Any, push_service: PushService) -> None:
    rows = [subscribe(client_profile.user, push_service)[1] for _ in range(services.MAX_SUBSCRIPTIONS_PER_USER + 2)]
    kept = set(PushSubscription.objects.filter(user=client_profile.user).values_list("pk", flat=True))
    assert kept == {row.pk for row in rows[2:]}


def test_vapid_keys_prints_a_matching_pair(capsys: Any) -> None:
    call_command("vapid_keys")
    out = dict(line.split("=", 1) for line in capsys.readouterr().out.strip().splitlines())
    assert set(out) == {"VAPID_PRIVATE_KEY", "VAPID_PUBLIC_KEY"}
    assert public_key_of(out["VAPID_PRIVATE_KEY"]) == out["VAPID_PUBLIC_KEY"]


def test_the_settings_take_both_vapid_keys_or_neither_and_check_they_match() -> None:
    private, public = new_key_pair()
    assert configured_pair("", "") == ("", "")
    assert configured_pair(f" {private}\n", public + "=") == (private, public)
    other_private, other_public = new_key_pair()
    for pair, says in [
        ((private, ""), "Set both"),
        (("", public), "Set both"),
        ((private, other_public), "not the public key of"),
        (("not a key!", public), "not a base64url P-256 private key"),
        ((b64url(b"\x00" * 32), public), "not a base64url P-256 private key"),
    ]:
        with pytest.raises(ValueError, match=says):
            configured_pair(*pair)
    assert other_private != private


def test_deleting_a_clients_data_deletes_their_subscriptions(
    client_profile: Any, other_client: Any, push_service: PushService
) -> None:
    subscribe(client_profile.user, push_service)
    _, theirs = subscribe(other_client.user, push_service)
    client_delete_data(client=client_profile)
    assert list(PushSubscription.objects.values_list("pk", flat=True)) == [theirs.pk]


def test_an_approval_with_a_note_pushes_the_coachs_words(
    coach: Any, client_profile: Any, push_service: PushService, pushed: list[Any]
) -> None:
    review = make_review(client_profile.assignments.get(is_active=True))
    subscribe(client_profile.user, push_service)
    item = review.items.order_by("position").first()
    note = {"id": item.pk, "note": "Earned it: smooth reps."}
    committed(review_approve, review=review, user=coach.user, items=[note])
    monday = review.week_start + dt.timedelta(days=7)
    [(_, message)] = pushed
    assert message["body"] == f"From {monday:%a %d %b}, your coach says: Earned it: smooth reps."
