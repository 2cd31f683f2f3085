"""The coach's page importing a client's sessions from Strong or Hevy: upload, dry run, map, commit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coaching.models import ExerciseAlias, LoggedSession, SessionImport

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"


def _upload(coach_web: Any, client_id: int, name: str, **fields: Any) -> Any:
    raw = (FIXTURES / name).read_bytes() if name.endswith(".csv") else name.encode()
    data = {"file": SimpleUploadedFile("export.csv", raw, "text/csv"), "format": "strong"}
    data |= {"time_zone": "Europe/Berlin", "unit": "lb"} | fields
    return coach_web.post(reverse("coach-client-imports", args=[client_id]), data)


def test_the_client_page_links_to_the_import(coach_web: Any, client_profile: Any) -> None:
    body = coach_web.get(reverse("coach-client", args=[client_profile.pk])).content.decode()
    assert f'href="{reverse("coach-client-imports", args=[client_profile.pk])}"' in body


def test_the_upload_form_defaults_to_the_coachs_time_zone(coach_web: Any, client_profile: Any, coach: Any) -> None:
    coach.time_zone = "America/Chicago"
    coach.save()
    page = coach_web.get(reverse("coach-client-imports", args=[client_profile.pk])).content.decode()
    assert 'value="America/Chicago"' in page
    assert 'enctype="multipart/form-data"' in page


def test_upload_map_commit_then_the_same_file_again_creates_nothing(coach_web: Any, client_profile: Any) -> None:
    response = _upload(coach_web, client_profile.pk, "strong_current_lb.csv")
    assert response.status_code == 302
    page = coach_web.get(response["Location"]).content.decode()
    assert "2 new sessions" in page
    assert "1 warm-up set skipped" in page
    assert "Row 10: Reps: “ten” is not a number." in page
    assert "Deadlift (Barbell) (2 sets)" in page
    # The suggestions come first in each select, preselected.
    assert '<option value="deadlift" selected>Deadlift</option>' in page
    session_import = SessionImport.objects.get()
    commit_url = reverse("coach-client-import-commit", args=[client_profile.pk, session_import.pk])
    done = coach_web.post(commit_url, {"map_0": "deadlift", "map_1": "romanian-deadlift"})
    assert done.status_code == 302
    report = coach_web.get(done["Location"]).content.decode()
    assert '<span data-status="created">2 added</span>' in report
    assert LoggedSession.objects.filter(client=client_profile).count() == 2
    assert ExerciseAlias.objects.count() == 2

    again = coach_web.get(_upload(coach_web, client_profile.pk, "strong_current_lb.csv")["Location"]).content.decode()
    assert "0 new sessions" in again
    assert "Exercises to match" not in again  # remembered
    second = SessionImport.objects.latest("pk")
    url = reverse("coach-client-import-commit", args=[client_profile.pk, second.pk])
    report = coach_web.get(coach_web.post(url, {})["Location"]).content.decode()
    assert '<span data-status="unchanged">2 already up to date</span>' in report
    assert LoggedSession.objects.filter(client=client_profile).count() == 2


def test_a_file_of_another_format_is_a_form_error(coach_web: Any, client_profile: Any) -> None:
    response = _upload(coach_web, client_profile.pk, "hevy_kg.csv", format="strong")
    assert response.status_code == 400
    assert "This is not a Strong export" in response.content.decode()
    bad_zone = _upload(coach_web, client_profile.pk, "hevy_kg.csv", format="hevy", time_zone="Nowhere/Land")
    assert bad_zone.status_code == 400
    assert "is not a time zone" in bad_zone.content.decode()
    assert not SessionImport.objects.exists()


def test_an_htmx_upload_navigates_to_the_dry_run(coach_web: Any, client_profile: Any) -> None:
    response = coach_web.post(
        reverse("coach-client-imports", args=[client_profile.pk]),
        {
            "file": SimpleUploadedFile("h.csv", (FIXTURES / "hevy_lbs.csv").read_bytes()),
            "format": "hevy",
            "time_zone": "UTC",
            "unit": "kg",
        },
        headers={"HX-Request": "true"},
    )
    session_import = SessionImport.objects.get()
    assert response["HX-Redirect"] == reverse(
        "coach-client-import-dry-run", args=[client_profile.pk, session_import.pk]
    )


def test_another_coachs_dry_run_is_404(coach_web: Any, client_profile: Any, other_client: Any, client: Any) -> None:
    _upload(coach_web, client_profile.pk, "strong_legacy_kg.csv")
    session_import = SessionImport.objects.get()
    client.force_login(other_client.coach.user)
    assert (
        client.get(reverse("coach-client-import-dry-run", args=[client_profile.pk, session_import.pk])).status_code
        == 404
    )
    url = reverse("coach-client-import-commit", args=[client_profile.pk, session_import.pk])
    assert client.post(url, {"map_0": "deadlift"}).status_code == 404
    assert not LoggedSession.objects.exists()


def test_commit_is_post_only(coach_web: Any, client_profile: Any) -> None:
    _upload(coach_web, client_profile.pk, "strong_legacy_kg.csv")
    url = reverse("coach-client-import-commit", args=[client_profile.pk, SessionImport.objects.get().pk])
    assert coach_web.get(url).status_code == 405
