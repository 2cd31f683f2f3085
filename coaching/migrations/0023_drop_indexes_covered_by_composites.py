"""Drop two single-column foreign key indexes that composite indexes already cover.

``coaching_loggedsession.client_id`` is led by ``session_client_seq_idx`` and
``session_client_time_idx``, ``coaching_loggedsession.assignment_id`` by
``session_assignment_time_idx``: each session written updated them for no read. Only the indexes
go: Django's own ``AlterField`` would also drop and re-add (and so re-check) the foreign keys, a
full read of the sessions under a lock. (The sets' own ``session_id`` index stays: see the model.)
"""

import django.db.models.deletion
from django.db import migrations, models

# (index, table, column): the names Django gave them (the same on PostgreSQL and SQLite).
INDEXES = [
    ("coaching_loggedsession_client_id_cf4381d3", "coaching_loggedsession", "client_id"),
    ("coaching_loggedsession_assignment_id_13ccad14", "coaching_loggedsession", "assignment_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0022_attention_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in INDEXES
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="loggedsession",
                    name="assignment",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sessions",
                        to="coaching.assignment",
                    ),
                ),
                migrations.AlterField(
                    model_name="loggedsession",
                    name="client",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sessions",
                        to="coaching.client",
                    ),
                ),
            ],
        ),
    ]
