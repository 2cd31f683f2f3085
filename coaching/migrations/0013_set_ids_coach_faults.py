import uuid

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
    ]
