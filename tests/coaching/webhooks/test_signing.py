"""Our signatures, checked with the Standard Webhooks reference package (never with our own code)."""

from __future__ import annotations

import base64
import datetime as dt
import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from coaching.webhooks import signing

BODY = b'{"type":"session.synced","timestamp":"2026-11-20T10:00:00Z","data":{"session_id":"abc"}}'


def test_a_new_secret_is_whsec_and_base64_of_32_random_bytes() -> None:
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert signing.new_secret() != secret
    assert signing.new_webhook_id().startswith("msg_")


def test_the_reference_library_verifies_our_signature() -> None:
    secret = signing.new_secret()
    headers = signing.headers(secrets_=[secret], webhook_id="msg_1", timestamp=int(time.time()), body=BODY)
    assert Webhook(secret).verify(BODY, headers)["data"] == {"session_id": "abc"}
    assert headers["webhook-signature"].startswith("v1,")


def test_a_changed_body_another_id_or_another_secret_fails_verification() -> None:
    secret = signing.new_secret()
    headers = signing.headers(secrets_=[secret], webhook_id="msg_1", timestamp=int(time.time()), body=BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace(b"abc", b"abd"), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, {**headers, "webhook-id": "msg_2"})
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(BODY, headers)


def test_an_old_timestamp_fails_verification_so_every_attempt_is_signed_afresh() -> None:
    secret = signing.new_secret()
    stale = int((dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).timestamp())
    headers = signing.headers(secrets_=[secret], webhook_id="msg_1", timestamp=stale, body=BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, headers)


def test_during_a_rotation_both_the_new_and_the_old_secret_verify() -> None:
    new, old = signing.new_secret(), signing.new_secret()
    headers = signing.headers(secrets_=[new, old], webhook_id="msg_1", timestamp=int(time.time()), body=BODY)
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(new).verify(BODY, headers)
    assert Webhook(old).verify(BODY, headers)
