"""Every existing assignment becomes one day, "Day A" (docs/domain.md "Training days"); its lines,
its sessions (dayless, so they go to the one line of their exercise) and its review items (day 1)
read as they did."""

from django.db import migrations


def one_day(apps, schema_editor):
    Assignment = apps.get_model("coaching", "Assignment")
    AssignmentDay = apps.get_model("coaching", "AssignmentDay")
    have = set(AssignmentDay.objects.values_list("assignment_id", flat=True))
    AssignmentDay.objects.bulk_create(
        [
            AssignmentDay(assignment_id=pk, number=1, name="Day A", position=0, weekday_mask=0)
            for pk in Assignment.objects.values_list("pk", flat=True).iterator()
            if pk not in have
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("coaching", "0006_training_days"), ("programs", "0004_one_day_per_template")]

    operations = [migrations.RunPython(one_day, migrations.RunPython.noop)]
