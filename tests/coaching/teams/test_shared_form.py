"""Team members the client is shared with watch the client's form videos and tag faults on their
sets (docs/domain.md "Conversation and form", "Teams"); uploads stay the client's own."""

from __future__ import annotations

from typing import Any

import pytest

from coaching.models import CoachFault
from tests.coaching.teams.test_team_matrix import TeamWorld, tw  # noqa: F401
from tests.video_files import video_bytes

pytestmark = pytest.mark.django_db


def _video(world: TeamWorld) -> str:
    return f"/api/v1/sessions/{world.session_id}/sets/{world.set_id}/video/"


def test_a_reviewer_the_client_is_shared_with_watches_the_video_and_tags_as_reviewer(tw: TeamWorld) -> None:  # noqa: F811
    reviewer = tw.apis["reviewer"]
    watched = reviewer.get(_video(tw))
    assert watched.status_code == 200
    assert b"".join(watched.streaming_content if watched.streaming else [watched.content])
    assert reviewer.get(_video(tw) + "poster/").status_code in {200, 404}  # 404 only until the poster is made
    tagged = reviewer.put(
        f"/api/v1/sessions/{tw.session_id}/sets/{tw.set_id}/coach-faults/", {"faults": ["core_lost"]}, format="json"
    )
    assert tagged.status_code == 200, tagged.content
    [tag] = tagged.json()["coach_faults"]
    assert tag["fault"] == "core_lost"
    assert tag["by"]["role"] == "reviewer"
    assert CoachFault.objects.get().role == "reviewer"
    # Watching is not uploading: a reviewer (or a covering coach) replaces or deletes nothing.
    for persona in ("reviewer", "covering"):
        api = tw.apis[persona]
        put = api.generic("PUT", _video(tw), video_bytes("webm"), content_type="video/webm")
        assert put.status_code == 404
        assert api.delete(_video(tw)).status_code == 404
    assert tw.apis["reviewer"].get(_video(tw)).status_code == 200


@pytest.mark.parametrize("persona", ["team_coach", "other_team"])
def test_members_the_client_is_not_shared_with_get_404(tw: TeamWorld, persona: str) -> None:  # noqa: F811
    api = tw.apis[persona]
    assert api.get(_video(tw)).status_code == 404
    assert (
        api.put(
            f"/api/v1/sessions/{tw.session_id}/sets/{tw.set_id}/coach-faults/", {"faults": ["core_lost"]}, format="json"
        ).status_code
        == 404
    )
    assert not CoachFault.objects.exists()


def test_a_covering_coach_reads_the_client_page_and_replies_but_not_the_program(
    client: Any,
    tw: TeamWorld,  # noqa: F811
) -> None:
    """docs/domain.md "Teams": a coach the client is shared with covers them (a colleague on
    holiday): the client's page and threads open, the primary coach's actions are not offered and
    answer 404."""
    client.force_login(tw.users["covering"])
    page = client.get(f"/clients/{tw.client.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="shared-note"' in html
    assert "Edit prescription" not in html
    assert "Delete client" not in html
    thread = f"/clients/{tw.client.pk}/sessions/{tw.session_id}/thread/"
    assert client.get(thread).status_code == 200
    assert client.post(thread, {"body": "Covering this week: keep the hinge slow."}).status_code == 302
    assert "Covering this week" in client.get(thread).content.decode()
    assert client.get(f"/clients/{tw.client.pk}/prescription/").status_code == 404
    assert client.post(f"/clients/{tw.client.pk}/delete/").status_code == 404
    # A coach of the team the client is not shared with still gets a 404.
    client.force_login(tw.users["team_coach"])
    assert client.get(f"/clients/{tw.client.pk}/").status_code == 404
