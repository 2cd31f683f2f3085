"""The dashboard's index: the latest sessions of a coach's clients, newest first (issue 17)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coaching', '0018_teams'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='loggedsession',
            index=models.Index(models.OrderBy(models.F('performed_at'), descending=True), condition=models.Q(('deleted_at__isnull', True)), name='session_recent_idx'),
        ),
    ]
