"""The load of ``bench/load.py``, as Locust users: phones syncing sessions and coaches paging.

``bench/load.py`` runs it (``locust --headless``, from ``requirements/bench.txt``) against the
gunicorn it started, with the accounts it made in ``HINGE_LOAD_ACCOUNTS`` (a JSON file). At the
end every request (kind, status, seconds, error), the sync outcomes, the problems seen and the
sessions each phone sent are written to ``HINGE_LOAD_RESULTS`` for its figures and its database
check (``bench/load_check.py``).

- each phone (a ``FastHttpUser``) holds the token it signed in for (made at setup, or with
  ``--sign-in`` got from ``POST /api/v1/auth/token/`` at start) and every 1–4 s sends a session of 4–9 sets, by
  ``PUT /api/v1/sessions/{uuid}/`` or ``POST /api/v1/sessions/sync/``: mostly new sessions, also
  edits (a newer ``client_modified_at``), replays of what was already sent (``unchanged``) and,
  deliberately, an older version (``409`` / ``stale``);
- each coach signs in through the HTML form (CSRF) and pages through ``/dashboard/``,
  ``/api/v1/reviews/``, ``/api/v1/clients/`` and the ``/api/v1/sessions/?since=`` feed.

A write whose answer never came (a network error, a 5xx, or the run stopping while it was in
flight) leaves its session "uncertain": the database check does not hold it to a version.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import gevent
from locust import FastHttpUser, HttpUser, between, events, task

REQUEST_TIMEOUT = 30.0  # seconds per request
SETUP: dict[str, Any] = (
    json.loads(Path(os.environ["HINGE_LOAD_ACCOUNTS"]).read_text()) if "HINGE_LOAD_ACCOUNTS" in os.environ else {}
)

# What the run saw, written out when Locust quits.
samples: list[list[Any]] = []  # [kind, status (0: network error), seconds, error, end (epoch s)]
problems: list[str] = []
outcomes: Counter[str] = Counter()
sessions: dict[str, dict[str, Any]] = {}  # id -> {"versions": [bodies, oldest first], "uncertain": bool}
coach_seen: set[str] = set()
started: list[float] = []
_phone_numbers = itertools.count()
_coach_numbers = itertools.count()


def problem(text: str) -> None:
    if len(problems) < 20:
        problems.append(text)


def unexpected(status: int, text: str) -> None:
    """An answer that is no HTTP error but not what was asked for: an error of the run all the same."""
    samples.append(["unexpected outcome", status, 0.0, True, time.time()])
    problem(text)


@events.request.add_listener
def _record(name: str, response_time: float, response: Any = None, exception: Any = None, **_: Any) -> None:
    status = getattr(response, "status_code", 0) or 0
    samples.append([name, status, response_time / 1000, exception is not None, time.time()])


@events.test_start.add_listener
def _begin(**_: Any) -> None:
    started.append(time.time())


@events.quitting.add_listener
def _write_results(**_: Any) -> None:
    path = os.environ.get("HINGE_LOAD_RESULTS")
    if not path:
        return
    with open(path, "w") as out:
        json.dump(
            {
                "begin": started[0] if started else time.time(),
                "samples": samples,
                "problems": problems,
                "outcomes": outcomes,
                "sessions": {
                    sid: {"last": t["versions"][-1], "uncertain": t["uncertain"]} for sid, t in sessions.items()
                },
                "coach_seen": len(coach_seen),
            },
            out,
        )


def iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def judged(response: Any, kind: str, method: str, path: str, ok: tuple[int, ...]) -> tuple[int, bytes]:
    """Status (0 on a network error) and body; 2xx and ``ok`` statuses are not errors."""
    status, data = response.status_code or 0, response.content or b""
    if 200 <= status < 300 or status in ok:
        response.success()
    else:
        text = f"{kind} {method} {path}: HTTP {status or 'network error'} {data[:300]!r}"
        response.failure(text)
        problem(text)
    return status, data


class Browser(HttpUser):
    """A coach's browser (requests: cookies, CSRF, redirects): each answer judged."""

    abstract = True

    def send(self, kind: str, method: str, path: str, ok: tuple[int, ...] = (), **kwargs: Any) -> tuple[int, bytes]:
        with self.client.request(
            method, path, name=kind, catch_response=True, timeout=REQUEST_TIMEOUT, **kwargs
        ) as response:
            # Production marks the CSRF and session cookies Secure; the bench serves plain HTTP on
            # 127.0.0.1 (no TLS proxy in front), so they are sent back all the same.
            for cookie in self.client.cookies:
                cookie.secure = False
            return judged(response, kind, method, path, ok)


class Phone(FastHttpUser):
    """One client's phone (geventhttpclient: light on the load generator's CPU): its token, then a
    session write every 1–4 s (bench/load.py's ``--phone-wait``)."""

    wait_time = between(*SETUP.get("phone_wait", (1.0, 4.0)))
    network_timeout = connection_timeout = REQUEST_TIMEOUT

    def send(self, kind: str, method: str, path: str, ok: tuple[int, ...] = (), **kwargs: Any) -> tuple[int, bytes]:
        with self.client.request(
            method, path, name=kind, catch_response=True, headers=self.headers, **kwargs
        ) as response:
            return judged(response, kind, method, path, ok)

    def on_start(self) -> None:
        self.index = next(_phone_numbers)
        self.account = SETUP["accounts"][self.index % len(SETUP["accounts"])]
        self.rng = random.Random(SETUP["seed"] * 1000 + self.index)
        self.mine: list[str] = []
        self.made = 0
        self.last_modified = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
        self.offset = dt.timezone(dt.timedelta(hours=self.rng.choice([-5, 0, 1, 2])))
        self.headers = {"User-Agent": "hinge-load/1"}
        self.token = self.account.get("token")
        if not self.token:  # --sign-in: a PBKDF2 hash on the server per phone
            body = {"email": self.account["email"], "password": SETUP["password"]}
            status, data = self.send("token login", "POST", "/api/v1/auth/token/", json=body)
            self.token = json.loads(data)["token"] if status == 201 else None
        if self.token:
            self.headers["Authorization"] = f"Token {self.token}"
        # Phones are not in step: each writes first at its own moment within one wait, not all in
        # the few seconds of the spawn (at a slow pace that burst was most of the run's writes).
        gevent.sleep(self.rng.uniform(0, SETUP.get("phone_wait", (1.0, 4.0))[1]))

    # bodies

    def _modified(self) -> str:
        now = max(dt.datetime.now(dt.UTC), self.last_modified + dt.timedelta(milliseconds=1))
        self.last_modified = now
        return iso(now.astimezone(self.offset))

    def _set(self, exercise: dict[str, Any], side: str) -> dict[str, Any]:
        rng = self.rng
        unit = self.account["unit"]
        load = rng.randrange(20, 120, 5) if unit == "lb" else rng.randrange(16, 100) * 1.25
        item: dict[str, Any] = {"exercise": exercise["slug"], "side": side, "load": load, "unit": unit}
        if exercise["seconds"]:
            item["seconds"] = rng.randint(10, 40)
        else:
            item["reps"] = rng.randint(5, 12)
        if rng.random() < 0.6:
            item["rpe"] = rng.choice([6, 6.5, 7, 7.5, 8, 8.5, 9])
        if rng.random() < 0.3:
            item["tempo_kept"] = rng.random() < 0.8
        if exercise["faults"] and rng.random() < 0.2:
            item["faults"] = [rng.choice(exercise["faults"])]
        if rng.random() < 0.2:
            item["pain"] = rng.randint(0, 2)
        return item

    def _sets(self, count: int) -> list[dict[str, Any]]:
        sets: list[dict[str, Any]] = []
        exercises = self.account["exercises"]
        k = 0
        while len(sets) < count:
            exercise = exercises[k % len(exercises)]
            if exercise["per_side"]:
                sets.append(self._set(exercise, "left"))
                if len(sets) < count:
                    sets.append(self._set(exercise, "right"))
            else:
                sets.append(self._set(exercise, "both"))
            k += 1
        return sets

    def new_body(self) -> dict[str, Any]:
        self.made += 1
        performed = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=self.rng.randint(30, 6 * 24 * 60))
        return {
            "id": str(uuid.uuid4()),
            "assignment": self.account["assignment"],
            "performed_at": iso(performed.astimezone(self.offset).replace(microsecond=0)),
            "client_modified_at": self._modified(),
            "notes": f"Phone {self.index} session {self.made}.",
            "sets": self._sets(self.rng.randint(4, 9)),
        }

    def edited(self, body: dict[str, Any]) -> dict[str, Any]:
        sets = [dict(s) for s in body["sets"]]
        change = self.rng.random()
        first = self.account["exercises"][0]
        if change < 0.4 and len(sets) < 9:
            sets.append(self._set(first, "left" if first["per_side"] else "both"))
        elif change < 0.6 and len(sets) > 4:
            sets.pop()
        else:
            target = sets[self.rng.randrange(len(sets))]
            if "reps" in target:
                target["reps"] = max(1, target["reps"] + self.rng.choice([-1, 1]))
            else:
                target["seconds"] = max(1, target["seconds"] + self.rng.choice([-5, 5]))
        notes = body["notes"].split(" (edit", 1)[0]
        edits = len(sessions[body["id"]]["versions"])
        return body | {"sets": sets, "notes": f"{notes} (edit {edits})", "client_modified_at": self._modified()}

    # one step: what to send, and what the server must answer

    def choose(self) -> list[tuple[dict[str, Any], str]]:
        """(body, expected outcome) items: created / updated / unchanged / stale."""
        rng = self.rng
        sent = [sid for sid in self.mine if not sessions[sid]["uncertain"]]
        roll = rng.random()
        if not sent or roll < 0.6:
            items = [(self.new_body(), "created")]
        elif roll < 0.8:
            sid = rng.choice(sent)
            items = [(self.edited(sessions[sid]["versions"][-1]), "updated")]
        elif roll < 0.95:
            items = [(sessions[rng.choice(sent)]["versions"][-1], "unchanged")]
        else:
            edited = [sid for sid in sent if len(sessions[sid]["versions"]) > 1]
            if edited:
                items = [(sessions[rng.choice(edited)]["versions"][-2], "stale")]  # deliberate
            else:
                items = [(sessions[rng.choice(sent)]["versions"][-1], "unchanged")]
        # A phone that lost an answer re-sends its queue: sometimes a replay rides along.
        others = [sid for sid in sent if sid != items[0][0]["id"]]
        if others and rng.random() < 0.3:
            items.append((sessions[rng.choice(others)]["versions"][-1], "unchanged"))
        return items

    def sending(self, items: list[tuple[dict[str, Any], str]]) -> None:
        """Before a write goes out its sessions are uncertain: a run stopped while it is in flight
        (or an answer lost) leaves them so, since the server may or may not have applied it."""
        for body, expected in items:
            if expected == "created":
                sessions[body["id"]] = {"versions": [body], "uncertain": True}
                self.mine.append(body["id"])
            elif expected == "updated":
                sessions[body["id"]]["uncertain"] = True

    def applied(self, body: dict[str, Any], expected: str) -> None:
        if expected == "created":
            sessions[body["id"]]["uncertain"] = False
        elif expected == "updated":
            sessions[body["id"]]["versions"].append(body)
            sessions[body["id"]]["uncertain"] = False

    def refused(self, body: dict[str, Any], expected: str) -> None:
        """The server answered and did not apply it: as before the write."""
        if expected == "created":
            del sessions[body["id"]]
            self.mine.remove(body["id"])
        elif expected == "updated":
            sessions[body["id"]]["uncertain"] = False

    def failed(self, body: dict[str, Any], expected: str) -> None:
        """No answer (or a 5xx): the session stays uncertain."""

    def put(self, body: dict[str, Any], expected: str) -> None:
        ok = (409,) if expected == "stale" else ()
        self.sending([(body, expected)])
        status, data = self.send("session PUT", "PUT", f"/api/v1/sessions/{body['id']}/", ok=ok, json=body)
        want = {"created": 201, "updated": 200, "unchanged": 200, "stale": 409}[expected]
        if status == want:
            outcomes[f"PUT {expected}"] += 1
            try:
                stored = json.loads(data)
                same = len(stored["sets"]) == len(body["sets"]) and stored["id"] == body["id"]
            except (ValueError, KeyError, TypeError):
                same = False
            if expected != "stale" and not same:
                outcomes["PUT answer differs from the body sent"] += 1
                problem(f"PUT {body['id']}: answer {data[:300]!r}")
            self.applied(body, expected)
            return
        outcomes[f"PUT {expected}: got HTTP {status}"] += 1
        if status == 0 or status >= 500:
            self.failed(body, expected)
        elif 200 <= status < 300:  # an answer, but not the expected one (other statuses are errors already)
            unexpected(status, f"PUT {body['id']} ({expected}): HTTP {status} {data[:300]!r}")
            self.applied(body, expected)  # the server took it: the database check expects it
        else:
            self.refused(body, expected)

    def sync(self, items: list[tuple[dict[str, Any], str]]) -> None:
        payload = {"sessions": [body for body, _ in items]}
        self.sending(items)
        status, data = self.send("session sync", "POST", "/api/v1/sessions/sync/", json=payload)
        if status != 200:
            for body, expected in items:
                outcomes[f"sync {expected}: HTTP {status}"] += 1
                if status == 0 or status >= 500:
                    self.failed(body, expected)
                else:
                    self.refused(body, expected)
            return
        try:
            results = json.loads(data)["results"]
            assert len(results) == len(items)
        except (ValueError, KeyError, TypeError, AssertionError):
            unexpected(status, f"sync: malformed answer {data[:300]!r}")
            return  # what the server did is unknown: the sessions stay uncertain
        for (body, expected), result in zip(items, results, strict=True):
            got = result.get("status")
            if got == expected and result.get("id") == body["id"]:
                outcomes[f"sync {expected}"] += 1
                self.applied(body, expected)
            else:
                outcomes[f"sync {expected}: got {got}"] += 1
                unexpected(status, f"sync {body['id']} ({expected}): {json.dumps(result)[:300]}")
                if got in {"created", "updated", "unchanged"}:
                    self.applied(body, expected)  # the server has it: the database check expects it
                else:
                    self.refused(body, expected)

    @task
    def step(self) -> None:
        if not self.token:
            return
        items = self.choose()
        if len(items) == 1 and self.rng.random() < 0.5:
            self.put(*items[0])
        else:
            self.sync(items)


class Coach(Browser):
    """Signs in through the HTML form, then pages through the dashboard and the API lists."""

    fixed_count = len(SETUP.get("coach_emails", [])) or 1  # one user per coach of the setup
    wait_time = between(0.1, 0.5)

    def on_start(self) -> None:
        index = next(_coach_numbers)
        self.email = SETUP["coach_emails"][index % len(SETUP["coach_emails"])]
        self.rng = random.Random(SETUP["seed"] + index)
        self.cursor: str | None = None
        self.signed_in = self.login()

    def get(self, kind: str, path: str) -> tuple[int, bytes]:
        return self.send(kind, "GET", path)

    def login(self) -> bool:
        status, page = self.get("coach login form", "/accounts/login/")
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not found:
            problem("coach login: no CSRF token on the form")
            return False
        form = {
            "csrfmiddlewaretoken": found.group(1).decode(),
            "username": self.email,
            "password": SETUP["password"],
            "next": "",
        }
        status, _ = self.send(
            "coach login form", "POST", "/accounts/login/", ok=(302,), data=form, allow_redirects=False
        )
        if status != 302 or "sessionid" not in self.client.cookies:
            problem(f"coach login: HTTP {status}, cookies {sorted(self.client.cookies.keys())}")
            return False
        return True

    def pages(self, kind: str, path: str, limit: int = 20) -> None:
        for _ in range(limit):
            status, data = self.get(kind, path)
            if status != 200:
                return
            nxt = json.loads(data).get("next")
            if not nxt:
                return
            self.wait()
            parts = urlsplit(nxt)
            path = f"{parts.path}?{parts.query}"

    def feed(self, limit: int = 20) -> None:
        for _ in range(limit):
            query = urlencode({"since": self.cursor, "limit": 100} if self.cursor else {"limit": 100})
            status, data = self.get("coach sessions feed", f"/api/v1/sessions/?{query}")
            if status != 200:
                return
            body = json.loads(data)
            coach_seen.update(row["id"] for row in body["results"])
            self.cursor = body["next_cursor"]
            if not body["has_more"]:
                return
            self.wait()

    @task
    def browse(self) -> None:
        if not self.signed_in:
            return
        self.get("coach dashboard", "/dashboard/")
        self.wait()
        self.pages("coach reviews", "/api/v1/reviews/?status=pending")
        self.wait()
        self.pages("coach clients", "/api/v1/clients/?page_size=20")
        self.wait()
        self.feed()
