#!/usr/bin/env python3
"""Sync a folder of logged sessions (one JSON file per session) to Hinge Coach.

Standard library only. Each ``*.json`` file holds one session in the API's shape
(docs/api.md, "Logged sessions"), with the id the device made for it. Files go up in
batches of at most 500 through ``POST /api/v1/sessions/sync/``; the per-file status is printed.

Retrying is safe: the server keys sessions by their id and answers a replay ``unchanged``,
so a batch whose answer was lost is simply sent again. Network errors, 429 (honouring
``Retry-After``) and 5xx are retried with exponential backoff and jitter; other errors stop.

    python3 examples/sync_client.py --server http://127.0.0.1:8000 --email me@example.com sessions/
    HINGE_TOKEN=... python3 examples/sync_client.py --server https://coach.example.com sessions/

Exit status: 0 all applied (created, updated, unchanged; stale means the server already has
a newer version), 1 some files rejected or unreadable, 2 could not sync (auth, retries used up).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import os
import random
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

MAX_BATCH = 500
RETRY_STATUSES = {429, 500, 502, 503, 504}


class SyncError(Exception):
    """The sync cannot go on (bad credentials, a 4xx, retries used up)."""


class Api:
    def __init__(
        self,
        server: str,
        *,
        token: str | None = None,
        retries: int = 5,
        backoff: float = 0.5,
        timeout: float = 30.0,
        max_delay: float = 30.0,
    ) -> None:
        self.base = server.rstrip("/") + "/api/v1/"
        self.token = token
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.max_delay = max_delay

    def request(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        """Send with retries; returns (status, decoded JSON or None). Raises ``SyncError``."""
        data = None if body is None else json.dumps(body).encode()
        headers = {"Accept": "application/json", "User-Agent": "hinge-sync-client/1"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
            retry_after: float | None = None
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    return response.status, _decode(response.read())
            except urllib.error.HTTPError as exc:
                payload = _decode(exc.read())
                if exc.code not in RETRY_STATUSES:
                    return exc.code, payload
                problem = f"HTTP {exc.code}"
                retry_after = _seconds(exc.headers.get("Retry-After"))
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                problem = f"network error: {getattr(exc, 'reason', exc)}"
            if attempt == self.retries:
                raise SyncError(f"{method} {path}: {problem}; gave up after {self.retries + 1} tries")
            delay = self.pause(attempt, retry_after)
            print(f"  {problem}; retrying in {delay:.1f} s", file=sys.stderr)
            time.sleep(delay)
        raise AssertionError("unreachable")

    def pause(self, attempt: int, retry_after: float | None) -> float:
        """Exponential backoff with full jitter; the server's ``Retry-After`` when it sends one."""
        if retry_after is not None:
            return min(retry_after, self.max_delay)
        return random.uniform(0, min(self.max_delay, self.backoff * 2**attempt))

    def login(self, email: str, password: str) -> None:
        status, body = self.request("POST", "auth/token/", {"email": email, "password": password})
        if status != 201 or not isinstance(body, dict) or "token" not in body:
            raise SyncError(f"login failed (HTTP {status}): {body}")
        self.token = body["token"]

    def logout(self) -> None:
        self.request("POST", "auth/logout/")


def _decode(raw: bytes) -> Any:
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode("utf-8", "replace")[:500]


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


def read_sessions(folder: Path) -> tuple[list[tuple[str, Any]], list[tuple[str, str]]]:
    """(name, session) for each readable file, and (name, problem) for the others."""
    good, bad = [], []
    for path in sorted(folder.glob("*.json")):
        try:
            session = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            bad.append((path.name, f"unreadable: {exc}"))
            continue
        if not isinstance(session, dict):
            bad.append((path.name, "unreadable: not a JSON object"))
            continue
        good.append((path.name, session))
    return good, bad


def sync(api: Api, files: list[tuple[str, Any]], batch: int = MAX_BATCH) -> Counter[str]:
    """Send the sessions in batches; print one line per file; count the statuses."""
    counts: Counter[str] = Counter()
    for start in range(0, len(files), batch):
        chunk = files[start : start + batch]
        status, body = api.request("POST", "sessions/sync/", {"sessions": [s for _, s in chunk]})
        if status != 200 or not isinstance(body, dict) or len(body.get("results", [])) != len(chunk):
            raise SyncError(f"sync failed (HTTP {status}): {body}")
        for (name, _), result in zip(chunk, body["results"], strict=True):
            counts[result["status"]] += 1
            errors = f" {json.dumps(result['errors'], ensure_ascii=False)}" if result.get("errors") else ""
            print(f"{name}: {result['status']}{errors}")
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder of *.json session files")
    parser.add_argument("--server", default=os.environ.get("HINGE_SERVER", "http://127.0.0.1:8000"))
    parser.add_argument("--token", default=os.environ.get("HINGE_TOKEN"), help="API token (or HINGE_TOKEN)")
    parser.add_argument("--email", help="log in with this email instead of a token")
    parser.add_argument("--password", help="default: HINGE_PASSWORD, else asked for")
    parser.add_argument("--batch", type=int, default=MAX_BATCH, help=f"sessions per request, at most {MAX_BATCH}")
    parser.add_argument("--retries", type=int, default=5)
    parser.add_argument("--backoff", type=float, default=0.5, help="first retry delay ceiling, seconds")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    if not args.token and not args.email:
        parser.error("give --token (or HINGE_TOKEN) or --email")

    api = Api(args.server, token=args.token, retries=args.retries, backoff=args.backoff, timeout=args.timeout)
    files, unreadable = read_sessions(args.folder)
    for name, problem in unreadable:
        print(f"{name}: {problem}")
    logged_in = False
    try:
        if not args.token:
            password = args.password or os.environ.get("HINGE_PASSWORD") or getpass.getpass("Password: ")
            api.login(args.email, password)
            logged_in = True
        counts = sync(api, files, batch=max(1, min(args.batch, MAX_BATCH)))
    except SyncError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        if logged_in:
            with contextlib.suppress(SyncError):
                api.logout()  # the token this run made is of no further use
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    print(f"synced {len(files)} file(s): {summary or 'nothing to send'}; unreadable: {len(unreadable)}")
    return 1 if unreadable or counts["rejected"] else 0


if __name__ == "__main__":
    sys.exit(main())
