import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def give_sets_ids(apps, schema_editor):
    """Each stored set gets its own uuid4 (a field default would give every row the same one)."""
    LoggedSet = apps.get_model("coaching", "LoggedSet")
    batch = []
    for s in LoggedSet.objects.filter(uid__isnull=True).only("pk").iterator(chunk_size=2000):
        s.uid = uuid.uuid4()
        batch.append(s)
        if len(batch) >= 2000:
            LoggedSet.objects.bulk_update(batch, ["uid"])
            batch = []
    if batch:
        LoggedSet.objects.bulk_update(batch, ["uid"])
    if schema_editor.connection.vendor == "postgresql":
        # Fire the deferred foreign-key checks now, so the ALTER TABLE below has none pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ("coaching", "0012_threads"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="loggedset",
            name="uid",
            field=models.UUIDField(null=True),
        ),
        migrations.RunPython(give_sets_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="loggedset",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4),
        ),
        migrations.AddConstraint(
            model_name="loggedset",
            constraint=models.UniqueConstraint(fields=("session", "uid"), name="logged_set_uid_unique"),
        ),
        migrations.CreateModel(
            name="CoachFault",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("set_uid", models.UUIDField()),
                ("fault", models.CharField(max_length=40)),
                (
                    "role",
                    models.CharField(
                        choices=[("coach", "Coach"), ("reviewer", "Reviewer")], default="coach", max_length=10
                    ),
                ),
                ("at", models.DateTimeField()),
                (
                    "by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="coach_faults",
                        to="coaching.loggedsession",
                    ),
                ),
            ],
            options={
                "ordering": ["session", "set_uid", "at", "id"],
                "indexes": [models.Index(fields=["session", "set_uid"], name="coach_fault_set_idx")],
                "constraints": [
                    models.UniqueConstraint(fields=("session", "set_uid", "by", "fault"), name="coach_fault_unique")
                ],
            },
        ),
    ]
