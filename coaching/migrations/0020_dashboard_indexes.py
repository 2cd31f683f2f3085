"""The coach pages' indexes (issue 17): the dashboard's latest sessions, newest first; the review
queue of all statuses, newest week first."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('coaching', '0019_session_coach'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='loggedsession',
            index=models.Index(models.OrderBy(models.F('performed_at'), descending=True), condition=models.Q(('deleted_at__isnull', True)), name='session_recent_idx'),
        ),
        migrations.AddIndex(
            model_name='weeklyreview',
            index=models.Index(models.OrderBy(models.F('week_start'), descending=True), name='review_week_idx'),
        ),
    ]
