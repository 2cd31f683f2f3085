"""A client handed over to another coach takes their sessions' coach with them (issue 17): the
new coach's change feed shows every session, tombstones too, and the old coach's no longer does."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db.models import F

from coaching.models import ChangeCounter, Client, LoggedSession
from coaching.sessions.services import session_delete
from coaching.teams.services import client_transfer
from tests import factories
from tests.coaching.api.factories_api import token_client
from tests.coaching.teams.team_world import TeamWorld
from tests.coaching.teams.test_team_api import _log

pytestmark = pytest.mark.django_db


def _feed(user: Any) -> list[tuple[str, bool]]:
    page = token_client(user).get("/api/v1/sessions/").json()
    return [(r["id"], r["deleted"]) for r in page["results"]]


def test_a_transfer_moves_the_clients_sessions_to_the_new_coach_and_their_feed(tw: TeamWorld) -> None:
    kept = _log(tw.client.user, tw.client)
    gone = _log(tw.client.user, tw.client)
    session_delete(session=gone)
    others = _log(tw.c_client.user, tw.c_client)  # another client of the team stays where it is
    assert {sid for sid, _ in _feed(tw.owner.user)} == {str(kept.pk), str(gone.pk)}

    response = token_client(tw.owner.user).post(
        f"/api/v1/clients/{tw.client.pk}/transfer/", {"coach": tw.member(tw.team_coach.user).pk}, format="json"
    )

    assert response.status_code == 200, response.content
    assert set(LoggedSession.objects.filter(client=tw.client).values_list("coach_id", flat=True)) == {tw.team_coach.pk}
    assert LoggedSession.objects.get(pk=others.pk).coach_id == tw.covering.pk
    assert not LoggedSession.objects.exclude(coach_id=F("client__coach_id")).exists()
    assert sorted(_feed(tw.team_coach.user)) == sorted([(str(kept.pk), False), (str(gone.pk), True)])
    assert _feed(tw.owner.user) == []


def test_after_a_transfer_the_clients_phone_keeps_its_cursor_and_misses_nothing(tw: TeamWorld) -> None:
    # The old coach's sequence is far ahead of the new coach's (another client's busy history).
    busy = factories.ClientFactory(coach=tw.owner, with_login=True, with_assignment=True, name="Busy Client")
    for _ in range(10):
        _log(busy.user, busy)
    _log(tw.c_client.user, tw.c_client)
    for _ in range(6):
        _log(tw.client.user, tw.client)
    phone = token_client(tw.client.user)
    cursor = phone.get("/api/v1/sessions/").json()["next_cursor"]
    response = token_client(tw.owner.user).post(
        f"/api/v1/clients/{tw.client.pk}/transfer/", {"coach": tw.member(tw.covering.user).pk}, format="json"
    )
    assert response.status_code == 200, response.content

    later = _log(tw.client.user, tw.client)

    page = phone.get("/api/v1/sessions/", {"since": cursor}).json()
    assert str(later.pk) in [r["id"] for r in page["results"]]
    # The new coach's feed holds their own client's session, the moved ones and the later one.
    assert len(_feed(tw.covering.user)) == 1 + 6 + 1


def test_a_client_handed_over_while_their_phone_writes_ends_up_with_the_new_coach(
    tw: TeamWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The transfer lands between the write reading the assignment (old coach) and locking the
    client: the write reads again and numbers the session in the new coach's feed."""
    from coaching.sessions.services import writes

    real = writes.exercise_map
    calls: list[int] = []

    def transfer_first(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 1:
            client_transfer(client=Client.objects.get(pk=tw.client.pk), by=tw.owner.user, to=tw.team_coach)
        return real(*args, **kwargs)

    monkeypatch.setattr(writes, "exercise_map", transfer_first)
    session = _log(tw.client.user, tw.client)

    assert len(calls) == 2  # read, decided and written again
    assert session.coach_id == tw.team_coach.pk
    counter = ChangeCounter.objects.get(coach=tw.team_coach)
    assert session.change_seq == counter.value
    assert str(session.pk) in {sid for sid, _ in _feed(tw.team_coach.user)}
    assert _feed(tw.owner.user) == []


def test_a_second_transfer_from_a_stale_page_is_refused_not_applied_over_the_first(tw: TeamWorld) -> None:
    stale = Client.objects.select_related("coach").get(pk=tw.client.pk)
    client_transfer(client=Client.objects.get(pk=tw.client.pk), by=tw.owner.user, to=tw.team_coach)

    with pytest.raises(ValidationError) as refused:
        client_transfer(client=stale, by=tw.owner.user, to=tw.covering)

    assert "just handed to another coach" in str(refused.value.message_dict["coach"])
    assert Client.objects.get(pk=tw.client.pk).coach_id == tw.team_coach.pk
