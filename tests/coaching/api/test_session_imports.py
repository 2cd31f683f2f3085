"""POST /api/v1/clients/{id}/imports/ (dry run) and .../imports/{id}/commit/ (docs/api.md, "Imports (coach)")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from coaching.models import ExerciseAlias, LoggedSession, LoggedSet, SessionImport
from coaching.sessions.imports import common
from programs.models import Exercise

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "imports"
STRONG_MAP = {"Deadlift (Barbell)": "deadlift", "Romanian Deadlift (Barbell)": "romanian-deadlift"}


def url(client: Any) -> str:
    return f"/api/v1/clients/{client.pk}/imports/"


def upload(api: APIClient, client: Any, name: str, **fields: Any) -> Any:
    body = (FIXTURES / name).read_bytes() if name.endswith(".csv") else name.encode()
    data = {"file": SimpleUploadedFile("export.csv", body, "text/csv"), **fields}
    return api.post(url(client), data, format="multipart")


def commit(api: APIClient, client: Any, import_id: int, exercise_map: dict[str, Any]) -> Any:
    return api.post(f"{url(client)}{import_id}/commit/", {"exercise_map": exercise_map}, format="json")


def test_a_strong_dry_run_reports_sessions_unmatched_names_warmups_and_row_errors(
    coach_api: APIClient, client_profile: Any
) -> None:
    response = upload(coach_api, client_profile, "strong_current_lb.csv", format="strong", unit="lb")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["sessions"], body["new_sessions"], body["sets"], body["warmups_skipped"]) == (2, 2, 7, 1)
    assert {m["name"]: m["exercise"] for m in body["matched"]} == {
        "RDL Isometric Hold": "rdl-isometric-hold",  # the library's name, in another case
        "Hip Thrust": "hip-thrust",
        "Single Leg RDL": "single-leg-rdl",  # the library's slug
    }
    unmatched = {u["name"]: u for u in body["unmatched"]}
    assert set(unmatched) == set(STRONG_MAP)
    assert unmatched["Deadlift (Barbell)"]["suggestions"][0] == "deadlift"
    assert "romanian-deadlift" in unmatched["Romanian Deadlift (Barbell)"]["suggestions"]
    assert body["errors"] == [
        {"row": 10, "message": "Reps: “ten” is not a number."},
        {"row": 11, "message": "This set records a distance: only reps, seconds and loads are imported."},
    ]
    assert not LoggedSession.objects.exists()  # a dry run writes nothing of the client's
    assert SessionImport.objects.get().status == "pending"


def test_commit_writes_through_the_sync_service_and_a_second_import_creates_nothing(
    coach_api: APIClient, client_profile: Any, coach: Any
) -> None:
    first = upload(coach_api, client_profile, "strong_current_lb.csv", format="strong", unit="lb", time_zone="UTC")
    report = commit(coach_api, client_profile, first.json()["id"], STRONG_MAP)
    assert report.status_code == 200, report.content
    assert report.json()["counts"] == {"created": 2}
    sessions = list(LoggedSession.objects.filter(client=client_profile).order_by("performed_at"))
    assert [s.performed_at.isoformat() for s in sessions] == ["2025-03-04T07:30:00+00:00", "2025-03-06T18:15:00+00:00"]
    assert sessions[0].notes.startswith("Morning Hinge\nFelt strong")
    sets = list(LoggedSet.objects.filter(session=sessions[0]).order_by("position").select_related("exercise"))
    assert [(s.exercise.slug, s.reps, s.seconds, s.unit, str(s.rpe)) for s in sets] == [
        ("deadlift", 5, None, "lb", "8.0"),
        ("deadlift", 5, None, "lb", "8.5"),
        ("romanian-deadlift", 8, None, "lb", "None"),
        ("romanian-deadlift", 8, None, "lb", "None"),
        ("rdl-isometric-hold", None, 20, "lb", "None"),
    ]
    # A one-side-at-a-time exercise's set becomes a left and a right set.
    assert [s.side for s in sessions[1].sets.order_by("position")] == ["both", "left", "right"]
    seq = coach.change_counter.__class__.objects.get(coach=coach).value

    again = upload(coach_api, client_profile, "strong_current_lb.csv", format="strong", unit="lb", time_zone="UTC")
    assert again.json()["new_sessions"] == 0
    assert again.json()["unmatched"] == []  # the mapping was remembered
    second = commit(coach_api, client_profile, again.json()["id"], {})
    assert second.json()["counts"] == {"unchanged": 2}
    assert LoggedSession.objects.count() == 2
    assert LoggedSet.objects.count() == 8
    assert coach.change_counter.__class__.objects.get(coach=coach).value == seq  # nothing new in the feed


def test_a_different_mapping_later_never_deletes_the_stored_sets(coach_api: APIClient, client_profile: Any) -> None:
    first = upload(coach_api, client_profile, "strong_legacy_kg.csv", format="strong")
    commit(coach_api, client_profile, first.json()["id"], {"Deadlift (Barbell)": "deadlift"})
    again = upload(coach_api, client_profile, "strong_legacy_kg.csv", format="strong")
    report = commit(coach_api, client_profile, again.json()["id"], {"Deadlift (Barbell)": "romanian-deadlift"})
    assert report.json()["counts"] == {"conflict": 1}
    assert set(LoggedSet.objects.values_list("exercise__slug", flat=True)) == {"deadlift", "kettlebell-swing"}


def test_legacy_strong_says_its_units_and_the_form_unit_is_not_used(coach_api: APIClient, client_profile: Any) -> None:
    dry = upload(coach_api, client_profile, "strong_legacy_kg.csv", format="strong", unit="lb").json()
    assert dry["errors"] == [{"row": 6, "message": "Weight Unit: “stone” is neither kg nor lbs."}]
    commit(coach_api, client_profile, dry["id"], {"Deadlift (Barbell)": "deadlift"})
    loads = sorted((unit, round(float(kg), 2)) for unit, kg in LoggedSet.objects.values_list("unit", "load_kg"))
    assert loads == [("kg", 100.0), ("kg", 100.0), ("lb", 24.04)]


def test_hevy_kg_and_lbs_with_warmups_asked_for(coach_api: APIClient, client_profile: Any) -> None:
    kg = upload(coach_api, client_profile, "hevy_kg.csv", format="hevy", include_warmups="true").json()
    assert (kg["sessions"], kg["sets"], kg["warmups_skipped"]) == (2, 7, 0)
    assert kg["errors"] == [{"row": 8, "message": "reps: “abc” is not a number."}]
    lbs = upload(coach_api, client_profile, "hevy_lbs.csv", format="hevy").json()
    assert (lbs["sessions"], lbs["sets"], lbs["warmups_skipped"]) == (1, 1, 1)
    report = commit(coach_api, client_profile, lbs["id"], {"Deadlift (Barbell)": "deadlift"})
    assert report.json()["counts"] == {"created": 1}
    assert LoggedSet.objects.get().unit == "lb"


def test_skipping_a_name_leaves_its_sets_out(coach_api: APIClient, client_profile: Any) -> None:
    dry = upload(coach_api, client_profile, "hevy_kg.csv", format="hevy").json()
    names = {u["name"] for u in dry["unmatched"]}
    assert names == {"Deadlift (Barbell)", "Hip Thrust (Barbell)", "Romanian Deadlift (Barbell)", "Plank"}
    mapping = dict.fromkeys(names) | {"Plank": "rdl-isometric-hold", "Deadlift (Barbell)": ""}
    report = commit(coach_api, client_profile, dry["id"], mapping)
    assert report.json()["counts"] == {"created": 2}, report.content
    assert not LoggedSet.objects.filter(exercise__slug="deadlift").exists()
    assert LoggedSet.objects.get(exercise__slug="rdl-isometric-hold").seconds == 60


def test_a_commit_with_names_left_unmapped_or_unknown_slugs_is_a_400(coach_api: APIClient, client_profile: Any) -> None:
    dry = upload(coach_api, client_profile, "strong_legacy_kg.csv", format="strong").json()
    missing = commit(coach_api, client_profile, dry["id"], {})
    assert missing.status_code == 400
    assert "Deadlift (Barbell)" in missing.json()["exercise_map"]["non_field_errors"][0]
    unknown = commit(coach_api, client_profile, dry["id"], {"Deadlift (Barbell)": "nope", "Squat": "deadlift"})
    assert unknown.json()["exercise_map"] == {
        "Deadlift (Barbell)": ["Unknown exercise “nope”."],
        "Squat": ["This name is not in the file."],
    }
    assert not LoggedSession.objects.exists()
    assert not ExerciseAlias.objects.exists()


def test_the_coachs_own_exercise_is_suggested_first(coach_api: APIClient, client_profile: Any, coach: Any) -> None:
    Exercise.objects.create(slug="trap-bar-deadlift", name="Deadlift (Trap bar)", owner=coach.user, implement="barbell")
    dry = upload(coach_api, client_profile, "strong_legacy_kg.csv", format="strong").json()
    assert dry["unmatched"][0]["suggestions"][0] == "trap-bar-deadlift"


@pytest.mark.parametrize(
    ("body", "fields", "message"),
    [
        ("a,b\n1,2\n", {"format": "strong"}, "This is not a Strong export"),
        ("a,b\n1,2\n", {"format": "hevy"}, "This is not a Hevy export"),
        ("", {"format": "strong"}, "The submitted file is empty."),
        ("Date,Workout Name,Exercise Name,Set Order,Weight,Reps\n", {"format": "strong"}, "no sets"),
    ],
)
def test_files_that_are_not_the_format_are_a_400_under_file(
    coach_api: APIClient, client_profile: Any, body: str, fields: dict[str, str], message: str
) -> None:
    response = upload(coach_api, client_profile, body, **fields)
    assert response.status_code == 400
    assert message in response.json()["file"][0]
    assert not SessionImport.objects.exists()


def test_bad_fields_are_400s(coach_api: APIClient, client_profile: Any) -> None:
    bad = upload(coach_api, client_profile, "hevy_kg.csv", format="fitbod", time_zone="Mars/Base", unit="stone")
    assert bad.status_code == 400
    assert set(bad.json()) == {"format", "time_zone", "unit"}
    binary = coach_api.post(
        url(client_profile),
        {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04zz"), "format": "hevy"},
        format="multipart",
    )
    assert binary.status_code == 400
    assert "workbook" in binary.json()["file"][0]
    assert coach_api.post(url(client_profile), {"format": "hevy"}, format="json").status_code == 415


def test_over_the_row_limit_is_a_413(coach_api: APIClient, client_profile: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(common, "MAX_ROWS", 3)
    assert upload(coach_api, client_profile, "hevy_kg.csv", format="hevy").status_code == 413


def test_over_the_size_limit_is_a_413(coach_api: APIClient, client_profile: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(common, "MAX_BYTES", 100)
    assert upload(coach_api, client_profile, "hevy_kg.csv", format="hevy").status_code == 413


def test_another_coachs_client_and_dry_run_are_404(
    coach_api: APIClient, other_coach_api: APIClient, client_profile: Any, other_client: Any, client_api: APIClient
) -> None:
    assert upload(coach_api, other_client, "hevy_kg.csv", format="hevy").status_code == 404
    dry = upload(coach_api, client_profile, "hevy_kg.csv", format="hevy").json()
    assert commit(other_coach_api, client_profile, dry["id"], {}).status_code == 404
    assert commit(other_coach_api, other_client, dry["id"], {}).status_code == 404
    assert upload(client_api, client_profile, "hevy_kg.csv", format="hevy").status_code == 404
    assert not LoggedSession.objects.exists()


def test_an_expired_dry_run_is_404(coach_api: APIClient, client_profile: Any) -> None:
    dry = upload(coach_api, client_profile, "hevy_lbs.csv", format="hevy").json()
    SessionImport.objects.update(expires_at="2000-01-01T00:00:00Z")
    assert commit(coach_api, client_profile, dry["id"], {"Deadlift (Barbell)": "deadlift"}).status_code == 404


def _strong_file(workouts: int) -> str:
    lines = ["Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE"]
    for day in range(workouts):
        for order in (1, 2, 3):
            start = f"2025-01-{1 + day % 28:02d} 0{day // 28}:00:00"
            lines.append(f"{start},W{day},1h,Deadlift (Barbell),{order},100,5,0,0,,,8")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("workouts", [2, 40])
def test_query_counts_are_flat_in_the_files_rows(
    coach_api: APIClient, client_profile: Any, django_assert_max_num_queries: Any, workouts: int
) -> None:
    with django_assert_max_num_queries(12):
        dry = upload(coach_api, client_profile, _strong_file(workouts), format="strong").json()
    assert dry["sessions"] == workouts
    # The commit: the checks, one chunk (its lock, sessions_apply, the progress) and the status;
    # +1: the pending reviews the written sessions may change (late data).
    with django_assert_max_num_queries(31):
        report = commit(coach_api, client_profile, dry["id"], {"Deadlift (Barbell)": "deadlift"})
    assert report.json()["counts"] == {"created": workouts}


def test_our_own_export_imports_as_unchanged(coach_api: APIClient, client_profile: Any) -> None:
    first = upload(coach_api, client_profile, "hevy_lbs.csv", format="hevy").json()
    commit(coach_api, client_profile, first["id"], {"Deadlift (Barbell)": "deadlift"})
    export = coach_api.get(f"/api/v1/clients/{client_profile.pk}/sessions.csv").content.decode()
    dry = upload(coach_api, client_profile, export, format="hinge").json()
    assert (dry["sessions"], dry["new_sessions"], dry["unmatched"]) == (1, 0, [])
    assert commit(coach_api, client_profile, dry["id"], {}).json()["counts"] == {"unchanged": 1}
