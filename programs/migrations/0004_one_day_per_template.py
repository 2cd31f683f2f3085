"""Every existing template becomes one day, "Day A" (docs/domain.md "Training days": a
prescription of one day is what every body without days means); its lines are on day 1 already."""

from django.db import migrations


def one_day(apps, schema_editor):
    ProgramTemplate = apps.get_model("programs", "ProgramTemplate")
    ProgramDay = apps.get_model("programs", "ProgramDay")
    have = set(ProgramDay.objects.values_list("template_id", flat=True))
    ProgramDay.objects.bulk_create(
        [
            ProgramDay(template_id=pk, number=1, name="Day A", position=0, weekday_mask=0)
            for pk in ProgramTemplate.objects.values_list("pk", flat=True).iterator()
            if pk not in have
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("programs", "0003_training_days")]

    operations = [migrations.RunPython(one_day, migrations.RunPython.noop)]
