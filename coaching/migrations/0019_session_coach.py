"""The coach on the session row, for the coach's change feed (issue 17).

Added nullable, filled from each session's client in batches of clients, then made non-null;
the feed's index ``(coach, change_seq)`` replaces the one on ``change_seq`` alone, whose scan
read every coach's rows in the cursor's range.
"""

from typing import Any

import django.db.models.deletion
from django.db import migrations, models

BATCH = 1000  # clients per UPDATE


def fill_coach(apps: Any, schema_editor: Any) -> None:
    Client = apps.get_model("coaching", "Client")
    LoggedSession = apps.get_model("coaching", "LoggedSession")
    db = schema_editor.connection.alias
    if schema_editor.connection.vendor == "postgresql":
        # The foreign key checks run now rather than at commit: PostgreSQL refuses to alter a
        # table with pending trigger events, and the column is made non-null below.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    last = 0
    while True:
        chunk = list(
            Client.objects.using(db).filter(pk__gt=last).order_by("pk").values_list("pk", "coach_id")[:BATCH]
        )
        if not chunk:
            break
        by_coach: dict[int, list[int]] = {}
        for client_id, coach_id in chunk:
            by_coach.setdefault(coach_id, []).append(client_id)
        for coach_id, client_ids in by_coach.items():
            LoggedSession.objects.using(db).filter(client_id__in=client_ids).update(coach_id=coach_id)
        last = chunk[-1][0]


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0018_teams"),
    ]

    operations = [
        migrations.AddField(
            model_name="loggedsession",
            name="coach",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sessions",
                to="coaching.coach",
            ),
        ),
        migrations.RunPython(fill_coach, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="loggedsession",
            name="coach",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sessions",
                to="coaching.coach",
            ),
        ),
        migrations.RemoveIndex(
            model_name="loggedsession",
            name="session_seq_idx",
        ),
        migrations.AddIndex(
            model_name="loggedsession",
            index=models.Index(fields=["coach", "change_seq"], name="session_coach_seq_idx"),
        ),
    ]
