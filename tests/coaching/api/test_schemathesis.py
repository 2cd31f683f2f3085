"""Property-based conformance: schemathesis generates requests from our OpenAPI schema.

In process (WSGI), as coach A and as a client of A, over every operation: no 5xx, every
status documented, every body and header as the schema says. Half of the generated ids are
swapped for ids of real objects the persona can see, so the happy paths are fuzzed too.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, settings
from knox.models import AuthToken
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)

from coaching.clients.services import client_create
from coaching.sessions.services import SessionInput, SetInput, sessions_apply
from config.wsgi import application
from programs.models import ProgramTemplate
from tests.coaching.api.factories_api import make_review
from tests.factories import ClientFactory, CoachFactory

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
schema.config.generation.update(allow_x00=False)

# Business rules answer 400 to schema-valid bodies (a duplicate email, a wrong password), and
# DRF's paginator ignores a malformed page_size instead of refusing it: neither is a conformance
# failure. Everything else runs: no 5xx, documented statuses, content types, bodies, headers,
# and auth that is not ignored.
NOT_OUR_CONTRACT = [positive_data_acceptance, negative_data_rejection]

EXAMPLES_PER_OPERATION = {"coach": 45, "client": 12}
CASES: Counter[str] = Counter()


def hypothesis_settings(persona: str) -> settings:
    return settings(
        max_examples=EXAMPLES_PER_OPERATION[persona],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


class World:
    """Coach A's practice: a client with a login, an assignment, a logged session, a pending
    review, an open invite and a program. Rebuilt for each operation (transactional_db)."""

    user: Any = None

    def __init__(self) -> None:
        coach = CoachFactory()
        client = ClientFactory(coach=coach, with_login=True, with_assignment=True)
        assignment = client.assignments.get()
        self.coach_user, self.client_user = coach.user, client.user
        self.ids: dict[str, list[Any]] = {
            "programs": [ProgramTemplate.objects.create(owner=coach.user, name="Fuzz").pk],
            "clients": [client.pk],
            "assignments": [assignment.pk],
            "reviews": [make_review(assignment).pk],
            "invites": [client_create(coach=coach, name="Invitee", email="invitee@example.com").invite_token],
            "sessions": [str(uuid.uuid4())],
        }
        performed = timezone.now() - dt.timedelta(days=1)
        rdl = SetInput(exercise="romanian-deadlift", reps=10, load=60, unit="kg")
        sessions_apply(
            user=coach.user,
            items=[
                SessionInput(
                    id=uuid.UUID(self.ids["sessions"][0]),
                    assignment_id=assignment.pk,
                    performed_at=performed,
                    client_modified_at=performed,
                    sets=(rdl,),
                )
            ],
        )

    def real_id(self, path: str) -> Any:
        resource = path.removeprefix("/api/v1/").split("/", 1)[0]
        return self.ids.get(resource, [None])[0]


WORLD: dict[str, Any] = {}


@schema.auth(refresh_interval=None)
class TokenAuth:
    """A fresh knox token for each case, so a generated logout never signs out the next case."""

    def get(self, case: Any, ctx: Any) -> str:
        if WORLD.get("user") is None:  # schemathesis also asks while collecting, before any database
            return "collecting"
        _, token = AuthToken.objects.create(user=WORLD["user"])
        return token

    def set(self, case: Any, data: str, ctx: Any) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Token {data}"}


@pytest.fixture
def world(transactional_db: Any, settings: Any) -> Any:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    yield World()
    WORLD.clear()


# Cases get their auth while Hypothesis generates them, before the test body runs: pick the
# persona in a fixture.
@pytest.fixture
def as_coach(world: World) -> World:
    WORLD["user"] = world.coach_user
    return world


@pytest.fixture
def as_client(world: World) -> World:
    WORLD["user"] = world.client_user
    return world


def _run(case: Any, world: World, persona: str) -> None:
    if case.path_parameters:
        # Half the cases (by the generated value's parity) aim at an object that exists.
        for name, value in list(case.path_parameters.items()):
            real = world.real_id(case.operation.path)
            if real is not None and hash(str(value)) % 2 == 0:
                case.path_parameters[name] = real if name != "client_id" else world.ids["clients"][0]
    CASES[persona] += 1
    case.call_and_validate(excluded_checks=NOT_OUR_CONTRACT)


@schema.parametrize()
@hypothesis_settings("coach")
def test_api_as_a_coach(case: Any, as_coach: World) -> None:
    _run(case, as_coach, "coach")


@schema.parametrize()
@hypothesis_settings("client")
def test_api_as_a_client(case: Any, as_client: World) -> None:
    _run(case, as_client, "client")


def test_zz_report_cases(request: Any) -> None:
    """Runs last in this module: at least 1,000 generated cases when the whole module ran."""
    print(f"schemathesis cases: {dict(CASES)}, total {sum(CASES.values())}")
    if request.config.getoption("-k") or request.config.getoption("--lf", default=False):
        return
    assert sum(CASES.values()) >= 1000
