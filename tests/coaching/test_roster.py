"""Roster import (coaching/clients/roster.py): reading the file, judging each row, creating clients."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from coaching.clients import roster
from coaching.clients.roster import RosterFileError, RosterRow, Status
from coaching.clients.tasks import send_client_invite
from coaching.models import Client
from tests.factories import ClientFactory


def _cells(rows: list[RosterRow]) -> list[tuple[int, str, str, str]]:
    return [(r.row, r.name, r.email, r.notes) for r in rows]


# --- reading: a table of files a spreadsheet or a person writes -------------------------------

READ_CASES = [
    ("plain", b"name,email\nAna Silva,ana@example.com\n", [(2, "Ana Silva", "ana@example.com", "")]),
    (
        "with notes",
        b"name,email,notes\nAna,ana@example.com,Knee surgery 2024\n",
        [(2, "Ana", "ana@example.com", "Knee surgery 2024")],
    ),
    ("byte-order mark", b"\xef\xbb\xbfname,email\nAna,ana@example.com\n", [(2, "Ana", "ana@example.com", "")]),
    ("semicolons", b"name;email;notes\nAna;ana@example.com;hi\n", [(2, "Ana", "ana@example.com", "hi")]),
    ("tabs", b"name\temail\nAna\tana@example.com\n", [(2, "Ana", "ana@example.com", "")]),
    ("CRLF", b"name,email\r\nAna,ana@example.com\r\nBo,bo@example.com\r\n", [
        (2, "Ana", "ana@example.com", ""), (3, "Bo", "bo@example.com", "")]),
    ("spaces and case in the header", b"  Name , EMAIL ,Notes \n Ana ,  ana@example.com , x \n", [
        (2, "Ana", "ana@example.com", "x")]),
    ("column order and other columns", b"phone,Email,name\n555,ana@example.com,Ana\n", [
        (2, "Ana", "ana@example.com", "")]),
    ("E-mail spelled out", b"Full name,E-mail address\nAna,ana@example.com\n", [(2, "Ana", "ana@example.com", "")]),
    ("trailing empty lines", b"name,email\nAna,ana@example.com\n\n\n", [(2, "Ana", "ana@example.com", "")]),
    ("blank and empty-cell rows are skipped, numbers stay the file's", b"name,email\n\n,\nAna,ana@example.com\n", [
        (4, "Ana", "ana@example.com", "")]),
    ("blank lines before the header", b"\n\nname,email\nAna,ana@example.com\n", [(4, "Ana", "ana@example.com", "")]),
    ("quoted comma and newline", b'name,email,notes\n"Li, Wei",wei@example.com,"two\nlines"\nBo,bo@example.com\n', [
        (2, "Li, Wei", "wei@example.com", "two\nlines"), (3, "Bo", "bo@example.com", "")]),
    ("short row", b"name,email,notes\nAna\n", [(2, "Ana", "", "")]),
    ("unicode names", "name,email\nZoë Ødegård,zoe@example.com\n".encode(), [
        (2, "Zoë Ødegård", "zoe@example.com", "")]),
    ("a str is read as is", "\ufeffname,email\nAna,ana@example.com", [(2, "Ana", "ana@example.com", "")]),
]  # fmt: skip


@pytest.mark.parametrize(("data", "expected"), [c[1:] for c in READ_CASES], ids=[c[0] for c in READ_CASES])
def test_roster_read(data: bytes, expected: list[tuple[int, str, str, str]]) -> None:
    assert _cells(roster.roster_read(data)) == expected


BAD_FILES = [
    ("empty", b"", "The file is empty.", False),
    ("only spaces", b"  \n \n", "The file is empty.", False),
    ("header only", b"name,email\n", "a header but no clients", False),
    ("no email column", b"name,phone\nAna,555\n", "must name the columns: name and email", False),
    ("no header", b"Ana,ana@example.com\n", "must name the columns", False),
    ("column twice", b"name,email,Email\nAna,a@example.com,b@example.com\n", "names the column email twice", False),
    ("not UTF-8", "name,email\nZoë,zoe@example.com\n".encode("latin-1"), "not UTF-8 text", False),
    ("an Excel workbook", b"PK\x03\x04\x14\x00\x06\x00", "spreadsheet workbook, not CSV", False),
    ("binary", b"name,email\n\x00\x01,x\n", "binary data", False),
    ("a cell over the csv limit", b"name,email,notes\nAna,a@example.com,\"" + b"x" * 200_000 + b'"\n',
     "not a CSV file that can be read", False),
    ("over 1 MB", b"name,email\n" + b"Ana,ana@example.com\n" * 60_000, "over 1 MB", True),
    ("over 1,000 rows", b"name,email\n" + b"".join(b"A,a%d@example.com\n" % n for n in range(1001)),
     "At most 1,000 clients", True),
]  # fmt: skip


@pytest.mark.parametrize(("data", "message", "too_large"), [c[1:] for c in BAD_FILES], ids=[c[0] for c in BAD_FILES])
def test_a_file_that_is_not_a_roster_is_refused_whole(data: bytes, message: str, too_large: bool) -> None:
    with pytest.raises(RosterFileError) as caught:
        roster.roster_read(data)
    assert message in caught.value.message
    assert caught.value.too_large is too_large


def test_exactly_1000_rows_are_read() -> None:
    data = b"name,email\n" + b"".join(b"A,a%d@example.com\n" % n for n in range(1000))
    assert len(roster.roster_read(data)) == 1000


# --- judging rows -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_each_row_is_judged_in_the_coachs_words(coach: Any, other_coach: Any) -> None:
    ClientFactory(coach=coach, name="Maya Okafor", email="maya@example.com")
    ClientFactory(coach=other_coach, name="Their Client", email="theirs@example.com")
    data = (
        "name,email,notes\n"
        "Ana,ana@example.com,\n"  # 2 valid
        ",nobody@example.com,\n"  # 3 no name
        "Bad,not-an-email,\n"  # 4 bad email
        "Ana Again,ANA@example.com,\n"  # 5 twice in the file (case-insensitive)
        "Maya,Maya@Example.COM,\n"  # 6 already my client
        "Theirs,theirs@example.com,\n"  # 7 another coach's client: fine for me
        f"Long,long@example.com,{'x' * 5001}\n"  # 8 notes too long
        ",,\n"  # blank: skipped
        f"{'N' * 151},n@example.com,\n"  # 10 name too long
        "NoEmail,,\n"  # 11 no email
    )
    entries = roster.roster_preview(coach=coach, file=data.encode())
    got = {e.row: (e.status, e.errors) for e in entries}
    assert got == {
        2: (Status.VALID, {}),
        3: (Status.REJECTED, {"name": ["The name is missing."]}),
        4: (Status.REJECTED, {"email": ["“not-an-email” is not an email address."]}),
        5: (Status.REJECTED, {"email": ["This email is also on row 2: only that row is imported."]}),
        6: (Status.EXISTING, {"email": ["Already one of your clients (Maya Okafor)."]}),
        7: (Status.VALID, {}),
        8: (Status.REJECTED, {"notes": ["The notes are too long: at most 5,000 characters."]}),
        10: (Status.REJECTED, {"name": ["The name is too long: at most 150 characters."]}),
        11: (Status.REJECTED, {"email": ["The email is missing."]}),
    }
    assert entries[0].email == "ana@example.com"
    assert Client.objects.filter(coach=coach).count() == 1  # a preview writes nothing


@pytest.mark.django_db
def test_an_existing_client_row_with_another_mistake_is_rejected_with_both(coach: Any) -> None:
    ClientFactory(coach=coach, name="Maya", email="maya@example.com")
    [entry] = roster.roster_preview(coach=coach, file=b"name,email\n,maya@example.com\n")
    assert entry.status == Status.REJECTED
    assert entry.errors == {"name": ["The name is missing."], "email": ["Already one of your clients (Maya)."]}


# --- importing --------------------------------------------------------------------------------


def _rows(n: int, start: int = 0) -> list[RosterRow]:
    return [RosterRow(row=i + 2, name=f"Client {i}", email=f"client.{i}@example.com") for i in range(start, start + n)]


@pytest.mark.django_db
def test_import_creates_the_valid_rows_invited_and_sends_each_invite_once_after_the_commit(
    coach: Any, django_capture_on_commit_callbacks: Any, queued_invites: list[Any]
) -> None:
    ClientFactory(coach=coach, email="client.1@example.com")
    rows = [*_rows(3), RosterRow(row=9, name="", email="x@example.com")]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entries = roster.roster_import(coach=coach, rows=rows, site_url="http://coach.test/")
        assert queued_invites == []  # nothing is handed to Celery before the commit
    for callback in callbacks:
        callback()
    assert [e.status for e in entries] == [Status.CREATED, Status.EXISTING, Status.CREATED, Status.REJECTED]
    created = Client.objects.filter(pk__in=[e.client_id for e in entries if e.client_id])
    assert sorted(c.email for c in created) == ["client.0@example.com", "client.2@example.com"]
    for client in created:
        assert client.coach == coach
        assert client.user is None
        assert client.invite_token
        assert client.invite_expires_at
    assert sorted(queued_invites) == sorted((c.pk, "http://coach.test/") for c in created)
    for args in queued_invites:  # a duplicate delivery sends nothing more
        send_client_invite.apply(args=args)
        send_client_invite.apply(args=args)
    assert sorted(m.to[0] for m in mail.outbox) == ["client.0@example.com", "client.2@example.com"]
    assert all("http://coach.test/invite/" in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_import_is_all_or_none(coach: Any, monkeypatch: pytest.MonkeyPatch, queued_invites: list[Any]) -> None:
    """An email added meanwhile (between the check and the insert) breaks the insert: nothing is kept."""

    def clash(objs: list[Client], **kwargs: Any) -> list[Client]:
        Client.objects.create(coach=coach, name="Meanwhile", email="meanwhile@example.com")
        raise IntegrityError("duplicate key value violates unique constraint client_coach_email_unique")

    monkeypatch.setattr(Client.objects, "bulk_create", clash)
    with pytest.raises(ValidationError) as caught:
        roster.roster_import(coach=coach, rows=_rows(3))
    assert "added meanwhile" in str(caught.value)
    assert not Client.objects.filter(coach=coach).exists()
    assert queued_invites == []


@pytest.mark.django_db(transaction=True)
def test_a_failed_import_leaves_no_client_and_queues_no_invite(
    coach: Any, monkeypatch: pytest.MonkeyPatch, queued_invites: list[Any]
) -> None:
    """Real commits (transactional test): an error after the insert rolls every row back."""
    from coaching.clients import roster as module

    calls = {"n": 0}
    original = module.client_invite_email_later

    def second_fails(**kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("failed mid-import")
        original(**kwargs)

    monkeypatch.setattr(module, "client_invite_email_later", second_fails)
    with pytest.raises(RuntimeError):
        roster.roster_import(coach=coach, rows=_rows(3))
    assert not Client.objects.filter(coach=coach).exists()
    assert queued_invites == []


@pytest.mark.django_db
def test_the_import_query_count_does_not_grow_with_rows(coach: Any, django_assert_max_num_queries: Any) -> None:
    ClientFactory(coach=coach, email="someone@example.com")
    with django_assert_max_num_queries(7) as small:
        roster.roster_import(coach=coach, rows=_rows(3))
    with django_assert_max_num_queries(len(small.captured_queries)):
        entries = roster.roster_import(coach=coach, rows=_rows(900, start=3))
    assert sum(e.status == Status.CREATED for e in entries) == 900


@pytest.mark.django_db
def test_the_signed_preview_round_trips_for_its_coach_only(coach: Any, other_coach: Any) -> None:
    entries = roster.roster_check(coach=coach, rows=[*_rows(2), RosterRow(row=5, name="", email="bad")])
    value = roster.roster_sign(coach=coach, entries=entries)
    assert _cells(roster.roster_unsign(coach=coach, value=value)) == _cells(_rows(2))
    for forged in (value[:-2] + "xx", "not signed", value.replace(":", ";", 1)):
        with pytest.raises(RosterFileError, match="expired or was changed"):
            roster.roster_unsign(coach=coach, value=forged)
    with pytest.raises(RosterFileError, match="expired or was changed"):
        roster.roster_unsign(coach=other_coach, value=value)
