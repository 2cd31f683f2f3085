"""Roster import: a CSV of ``name,email[,notes]`` becomes clients, each sent an invite (docs/api.md,
"Imports (coach)").

Three steps, shared by the API and the coach's page:

- ``roster_read`` turns the file into rows (no database): a byte-order mark, ``,`` ``;`` or tab
  between cells, CRLF, spaces around cells and any case in the header are all fine; blank lines
  are skipped; columns other than name, email and notes are ignored. A file that is not one
  (not UTF-8 text, no name and email columns, over ``MAX_BYTES`` or ``MAX_ROWS``) raises
  ``RosterFileError`` and nothing is read.
- ``roster_check`` / ``roster_preview`` judge each row, in the coach's words, writing nothing.
- ``roster_import`` creates the valid rows' clients in one transaction and has an invite
  emailed to each once it commits; rejected rows and rows already clients create nothing.

A row's number is its spreadsheet row: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import IO, Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from coaching.clients.services import INVITE_TTL, client_invite_email_later
from coaching.models import Client, Coach

MAX_BYTES = 1024 * 1024
MAX_ROWS = 1000
NAME_MAX = 150  # Client.name
EMAIL_MAX = 254
NOTES_MAX = 5000  # as the API's "add a client"
COLUMNS = ("name", "email", "notes")
# Other spellings a spreadsheet's header may use (compared after lower-casing and trimming).
ALIASES = {"e-mail": "email", "email address": "email", "e-mail address": "email", "full name": "name", "note": "notes"}
DELIMITERS = (",", ";", "\t")
# How long a preview's signed rows stay good for "Create N clients" on the coach's page.
PREVIEW_MAX_AGE = 60 * 60
_SALT = "coaching.clients.roster"


class RosterFileError(Exception):
    """The file as a whole cannot be imported (nothing was read or written).

    ``too_large`` marks a file over the limits (the API answers 413; otherwise 400).
    """

    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.too_large = too_large


class Status(StrEnum):
    VALID = "valid"  # will be (in a preview) a new client
    CREATED = "created"  # is now a client, invited
    REJECTED = "rejected"  # a mistake in the row: see its errors
    EXISTING = "existing"  # already one of the coach's clients: skipped


@dataclass(frozen=True)
class RosterRow:
    row: int
    name: str
    email: str
    notes: str = ""


@dataclass(frozen=True)
class RosterEntry:
    """A row and what happens to it; ``errors`` maps name, email or notes to messages."""

    row: int
    name: str
    email: str
    notes: str
    status: Status
    errors: dict[str, list[str]] = field(default_factory=dict)
    client_id: int | None = None


# --- reading ----------------------------------------------------------------------------------


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if len(data) > MAX_BYTES:
        raise RosterFileError(f"The file is over {MAX_BYTES // (1024 * 1024)} MB: split it.", too_large=True)
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFileError("This is a spreadsheet workbook, not CSV: save it as “CSV UTF-8” and upload that.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RosterFileError("This is not UTF-8 text: save it from the spreadsheet as “CSV UTF-8”.") from exc
    return text


def _column(cell: str) -> str:
    word = " ".join(cell.replace("\ufeff", "").split()).lower()
    return ALIASES.get(word, word)


def _header(text: str) -> tuple[str, dict[str, int]]:
    """The delimiter and each known column's position, from the first row."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    for delimiter in DELIMITERS:
        try:
            cells = next(csv.reader([first], delimiter=delimiter), [])
        except csv.Error:
            continue
        names = [_column(c) for c in cells]
        if "name" in names and "email" in names:
            twice = sorted({n for n in names if n in COLUMNS and names.count(n) > 1})
            if twice:
                raise RosterFileError(f"The first row names the column {', '.join(twice)} twice.")
            return delimiter, {n: names.index(n) for n in COLUMNS if n in names}
    raise RosterFileError(
        "The first row must name the columns: name and email (notes is optional), separated by commas or semicolons."
    )


def roster_read(data: bytes | str) -> list[RosterRow]:
    """The file's rows with their trimmed cells (blank rows left out), or ``RosterFileError``."""
    text = _text(data)
    if len(text.encode()) > MAX_BYTES:
        raise RosterFileError(f"The file is over {MAX_BYTES // (1024 * 1024)} MB: split it.", too_large=True)
    if "\x00" in text:
        raise RosterFileError("This is not a CSV file (it holds binary data).")
    if not text.strip():
        raise RosterFileError("The file is empty.")
    delimiter, positions = _header(text)
    rows: list[RosterRow] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header_seen = False
    try:
        for number, cells in enumerate(reader, start=1):
            if not any(c.strip() for c in cells):
                continue
            if not header_seen:  # the first row that is not blank
                header_seen = True
                continue
            if len(rows) == MAX_ROWS:
                raise RosterFileError(f"At most {MAX_ROWS:,} clients per file: split it.", too_large=True)

            def cell(name: str, cells: list[str] = cells) -> str:
                at = positions.get(name)
                return cells[at].strip() if at is not None and at < len(cells) else ""

            rows.append(RosterRow(row=number, name=cell("name"), email=cell("email"), notes=cell("notes")))
    except csv.Error as exc:
        raise RosterFileError(f"This is not a CSV file that can be read: {exc}.") from exc
    if not rows:
        raise RosterFileError("The file has a header but no clients.")
    return rows


# --- checking ---------------------------------------------------------------------------------


def _normal_email(email: str) -> str:
    return User.objects.normalize_email(email).strip().lower()


def _row_errors(row: RosterRow) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not row.name:
        errors["name"] = ["The name is missing."]
    elif len(row.name) > NAME_MAX:
        errors["name"] = [f"The name is too long: at most {NAME_MAX} characters."]
    if not row.email:
        errors["email"] = ["The email is missing."]
    else:
        try:
            if len(row.email) > EMAIL_MAX:
                raise ValidationError("too long")
            validate_email(row.email)
        except ValidationError:
            errors["email"] = [f"“{row.email[:80]}” is not an email address."]
    if len(row.notes) > NOTES_MAX:
        errors["notes"] = [f"The notes are too long: at most {NOTES_MAX:,} characters."]
    return errors


def _existing_emails(coach: Coach, emails: set[str]) -> dict[str, str]:
    """The coach's clients among ``emails`` (lower-cased): email → the client's name. One query."""
    if not emails:
        return {}
    found = (
        Client.objects.filter(coach=coach)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", "name")
    )
    return dict(found)


def roster_check(*, coach: Coach, rows: Sequence[RosterRow]) -> list[RosterEntry]:
    """Each row judged against the file and the coach's own clients (another coach's do not count)."""
    emails = {_normal_email(r.email) for r in rows if r.email}
    existing = _existing_emails(coach, emails)
    first_row: dict[str, int] = {}
    entries: list[RosterEntry] = []
    for row in rows:
        email = _normal_email(row.email) if row.email else ""
        errors = _row_errors(row)
        status = Status.REJECTED if errors else Status.VALID
        if "email" not in errors:
            if email in first_row:
                errors["email"] = [f"This email is also on row {first_row[email]}: only that row is imported."]
                status = Status.REJECTED
            else:
                first_row[email] = row.row
                if email in existing:
                    errors.setdefault("email", []).append(f"Already one of your clients ({existing[email]}).")
                    status = Status.REJECTED if status == Status.REJECTED else Status.EXISTING
        entries.append(
            RosterEntry(
                row=row.row,
                name=row.name,
                email=email or row.email,
                notes=row.notes,
                status=status,
                errors=errors,
            )
        )
    return entries


def roster_preview(*, coach: Coach, file: bytes | str | IO[bytes]) -> list[RosterEntry]:
    """What importing ``file`` would do, row by row; nothing is written."""
    data = file if isinstance(file, bytes | str) else file.read(MAX_BYTES + 1)
    return roster_check(coach=coach, rows=roster_read(data))


# --- importing --------------------------------------------------------------------------------


@transaction.atomic
def roster_import(*, coach: Coach, rows: Sequence[RosterRow], site_url: str | None = None) -> list[RosterEntry]:
    """Create a client for every valid row, all or none, each invited by email after the commit.

    The rows are checked again here (a preview's rows may be stale: the same email added since).
    The coach's row is locked so that two imports of one coach cannot both add an email; a
    client added meanwhile by "add a client" still breaks the unique constraint, and then
    nothing of the import is written.
    """
    if len(rows) > MAX_ROWS:
        raise RosterFileError(f"At most {MAX_ROWS:,} clients per import: split the file.", too_large=True)
    Coach.objects.select_for_update().get(pk=coach.pk)
    entries = roster_check(coach=coach, rows=rows)
    valid = [e for e in entries if e.status == Status.VALID]
    expires = timezone.now() + INVITE_TTL
    clients = [
        Client(
            coach=coach,
            name=e.name,
            email=e.email,
            notes=e.notes,
            invite_token=secrets.token_urlsafe(32),
            invite_expires_at=expires,
        )
        for e in valid
    ]
    try:
        with transaction.atomic():
            created = Client.objects.bulk_create(clients)
    except IntegrityError as exc:
        raise ValidationError(
            {"email": ["A client with one of these emails was added meanwhile: check the file again."]}
        ) from exc
    for client in created:
        client_invite_email_later(client=client, site_url=site_url)
    ids = iter(c.pk for c in created)
    return [replace(e, status=Status.CREATED, client_id=next(ids)) if e.status == Status.VALID else e for e in entries]


# --- the coach page's preview, carried to the commit -----------------------------------------


def roster_sign(*, coach: Coach, entries: Sequence[RosterEntry]) -> str:
    """The rows to create, signed for this coach: the page's "Create N clients" posts them back."""
    payload: list[Any] = [[e.row, e.name, e.email, e.notes] for e in entries if e.status == Status.VALID]
    return signing.dumps(payload, salt=f"{_SALT}:{coach.pk}", compress=True)


def roster_unsign(*, coach: Coach, value: str) -> list[RosterRow]:
    """The rows a preview signed for this coach; ``RosterFileError`` if altered, another's or stale."""
    try:
        payload = signing.loads(value, salt=f"{_SALT}:{coach.pk}", max_age=PREVIEW_MAX_AGE)
        rows = [RosterRow(row=int(r), name=str(n), email=str(e), notes=str(t)) for r, n, e, t in payload]
    except (signing.BadSignature, TypeError, ValueError) as exc:
        raise RosterFileError("This preview has expired or was changed: upload the file again.") from exc
    if not rows or len(rows) > MAX_ROWS:
        raise RosterFileError("This preview has no clients to create: upload the file again.")
    return rows
