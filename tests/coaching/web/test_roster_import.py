"""The coach's "Import clients" page: upload, a preview of every row, then "Create N clients"."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaching.clients import roster
from coaching.clients.tasks import send_client_invite
from coaching.models import Client
from tests.coaching.web.conftest import HTMX
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

ROSTER = (
    "Name;Email;Notes\r\n"
    "Ana Silva;ana@example.com;Knee\r\n"
    "Bo Lind;not-an-email;\r\n"
    "Maya Again;MAYA@example.com;\r\n"
    "Cy Park;cy@example.com;\r\n"
    "\r\n"
)


def _upload(coach_web: Any, text: str | bytes, **extra: Any) -> Any:
    raw = text.encode() if isinstance(text, str) else text
    url = reverse("coach-clients-import")
    return coach_web.post(url, {"file": SimpleUploadedFile("roster.csv", raw, "text/csv")}, **extra)


def _signed(page: str) -> str:
    match = re.search(r'name="rows" value="([^"]+)"', page)
    assert match, "no signed rows on the page"
    return match.group(1)


@pytest.fixture
def maya(coach: Any) -> Client:
    return ClientFactory(coach=coach, name="Maya Okafor", email="maya@example.com")


def test_the_clients_list_links_to_the_import(coach_web: Any) -> None:
    page = coach_web.get(reverse("coach-clients")).content.decode()
    assert f'href="{reverse("coach-clients-import")}"' in page
    assert "Import clients" in page


def test_the_page_before_a_file_is_a_plain_multipart_form(coach_web: Any) -> None:
    response = coach_web.get(reverse("coach-clients-import"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in page
    assert f'action="{reverse("coach-clients-import")}"' in page
    assert 'name="file"' in page
    assert "roster-preview" not in page


def test_the_preview_shows_every_row_and_writes_nothing(coach_web: Any, coach: Any, maya: Client) -> None:
    response = _upload(coach_web, ROSTER)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" in page  # without htmx: the whole page
    statuses = re.findall(r'<tr data-status="(\w+)">', page)
    assert statuses == ["valid", "rejected", "existing", "valid"]
    assert "“not-an-email” is not an email address." in page
    assert "Skipped: already your client" in page
    assert "Already one of your clients (Maya Okafor)." in page
    assert "2 new clients to create · 1 already your client, skipped · 1 row with mistakes, not imported" in page
    assert "Create 2 clients and send invites" in page
    assert f'action="{reverse("coach-clients-import-create")}"' in page
    assert list(Client.objects.filter(coach=coach)) == [maya]


def test_with_htmx_the_preview_is_the_fragment(coach_web: Any) -> None:
    response = _upload(coach_web, ROSTER, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page
    assert page.lstrip().startswith('<div id="roster"')
    assert "Create 3 clients and send invites" in page
    assert response["Vary"].count("HX-Request") == 1


def test_commit_creates_the_clients_invited_and_the_list_shows_them(
    coach_web: Any,
    coach: Any,
    maya: Client,
    django_capture_on_commit_callbacks: Any,
    queued_invites: list[Any],
) -> None:
    signed = _signed(_upload(coach_web, ROSTER).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        response = coach_web.post(reverse("coach-clients-import-create"), {"rows": signed})
    assert response.status_code == 302
    assert response["Location"] == reverse("coach-clients")
    created = Client.objects.filter(coach=coach).exclude(pk=maya.pk).order_by("name")
    assert [(c.name, c.email, c.notes) for c in created] == [
        ("Ana Silva", "ana@example.com", "Knee"),
        ("Cy Park", "cy@example.com", ""),
    ]
    assert sorted(queued_invites) == sorted((c.pk, "http://testserver/") for c in created)
    for args in queued_invites:
        send_client_invite.apply(args=args)
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.com", "cy@example.com"]
    listing = coach_web.get(reverse("coach-clients")).content.decode()
    assert "2 clients added; their invites are on their way." in listing
    for client in created:
        row = re.search(rf"{re.escape(client.email)}.*?</tr>", listing, re.S)
        assert row
        assert '<span class="badge">Invited</span>' in row.group(0)


def test_commit_with_htmx_redirects_the_browser_to_the_list(coach_web: Any, queued_invites: list[Any]) -> None:
    signed = _signed(_upload(coach_web, ROSTER).content.decode())
    response = coach_web.post(reverse("coach-clients-import-create"), {"rows": signed}, **HTMX)
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("coach-clients")
    assert Client.objects.filter(email__in=["ana@example.com", "cy@example.com", "maya@example.com"]).count() == 3


def test_commit_checks_the_rows_again(coach_web: Any, coach: Any, queued_invites: list[Any]) -> None:
    """A row that became a client after the preview is skipped, not created twice."""
    signed = _signed(_upload(coach_web, "name,email\nAna,ana@example.com\nCy,cy@example.com\n").content.decode())
    ClientFactory(coach=coach, name="Ana (added by hand)", email="ANA@example.com")
    response = coach_web.post(reverse("coach-clients-import-create"), {"rows": signed}, follow=True)
    assert "1 client added; their invites are on their way. Skipped 1: already your client." in (
        response.content.decode()
    )
    assert Client.objects.filter(coach=coach, email__iexact="ana@example.com").count() == 1
    assert Client.objects.filter(coach=coach, email="cy@example.com").exists()


@pytest.mark.parametrize("forged", ["", "not-signed", "tampered"])
def test_commit_does_not_trust_the_browser(coach_web: Any, coach: Any, forged: str) -> None:
    signed = _signed(_upload(coach_web, "name,email\nAna,ana@example.com\n").content.decode())
    value = {"": "", "not-signed": "[[2, 'Eve', 'eve@example.com', '']]", "tampered": signed[:-3] + "abc"}[forged]
    response = coach_web.post(reverse("coach-clients-import-create"), {"rows": value})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Upload the file again." in page or "upload the file again." in page
    assert 'name="file"' in page  # the upload form, to start again
    assert not Client.objects.filter(coach=coach).exists()


def test_another_coachs_preview_cannot_be_committed(coach_web: Any, coach: Any, other_coach: Any, client: Any) -> None:
    entries = roster.roster_check(coach=other_coach, rows=[roster.RosterRow(row=2, name="Eve", email="eve@x.com")])
    theirs = roster.roster_sign(coach=other_coach, entries=entries)
    response = coach_web.post(reverse("coach-clients-import-create"), {"rows": theirs})
    assert response.status_code == 400
    assert not Client.objects.filter(email="eve@x.com").exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "The file is empty."),
        (b"name,phone\nAna,555\n", "must name the columns: name and email"),
        (b"\xff\xfe\x00\x01", "not UTF-8 text"),
        (b"name,email\n" + b"A,a@example.com\n" * 70_000, "over 1 MB"),
        (b"name,email\n" + b"".join(b"A,a%d@example.com\n" % n for n in range(1001)), "At most 1,000 clients"),
    ],
)
def test_a_file_that_is_not_a_roster_is_a_form_error(coach_web: Any, raw: bytes, message: str) -> None:
    response = _upload(coach_web, raw)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="field-error"' in page
    assert message in page
    assert "roster-preview" not in page


def test_no_file_is_a_form_error_and_htmx_gets_it_in_the_fragment(coach_web: Any) -> None:
    plain = coach_web.post(reverse("coach-clients-import"), {})
    assert plain.status_code == 400
    assert "Choose the CSV file to import." in plain.content.decode()
    htmx = coach_web.post(reverse("coach-clients-import"), {}, **HTMX)
    assert htmx.status_code == 200  # htmx swaps only 2xx answers in
    assert "<html" not in htmx.content.decode()
    assert "Choose the CSV file to import." in htmx.content.decode()


def test_a_file_where_nothing_can_be_created_offers_no_button(coach_web: Any, maya: Client) -> None:
    page = _upload(coach_web, "name,email\nMaya,maya@example.com\n,x@example.com\n").content.decode()
    assert "No row can be created" in page
    assert 'name="rows"' not in page


def test_commit_refuses_get(coach_web: Any) -> None:
    assert coach_web.get(reverse("coach-clients-import-create")).status_code == 405


def test_the_commit_query_count_is_flat_in_rows(
    coach_web: Any, django_assert_max_num_queries: Any, queued_invites: list[Any]
) -> None:
    def signed(start: int, n: int) -> str:
        text = "name,email\n" + "".join(f"A,a{i}@example.com\n" for i in range(start, start + n))
        return _signed(_upload(coach_web, text).content.decode())

    few, many = signed(0, 2), signed(2, 400)
    url = reverse("coach-clients-import-create")
    with django_assert_max_num_queries(20) as small:
        coach_web.post(url, {"rows": few})
    with django_assert_max_num_queries(len(small.captured_queries)):
        coach_web.post(url, {"rows": many})
    assert Client.objects.count() == 402


def test_the_import_pages_are_valid_html(coach_web: Any, maya: Client, tmp_path: Any) -> None:
    from tests.coaching.web.test_html_valid import _check

    pages = {
        "form": coach_web.get(reverse("coach-clients-import")).content.decode(),
        "preview": _upload(coach_web, ROSTER).content.decode(),
        "error": _upload(coach_web, b"name,phone\n").content.decode(),
        "stale": coach_web.post(reverse("coach-clients-import-create"), {"rows": "x"}).content.decode(),
    }
    errors = _check(pages, tmp_path)
    assert not errors, "\n".join(errors)
