"""On PostgreSQL, the observations' and standings' sequences stop below the first id block of
an indicator's own partition (``partitions.first_id``: ``indicator_id * 2**40``), so that ids
taken from the sequence and ids a partition gives its rows can never be the same. Elsewhere
(SQLite) nothing changes."""

from django.db import migrations

TABLES = ("benchmarking_observation", "benchmarking_standing")
# partitions.ID_BITS as it was when this was written (a migration does not follow the code).
LAST_SEQUENCE_ID = 2**40 - 1


def _cap(maximum: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN id SET {maximum}")

    return run


class Migration(migrations.Migration):
    dependencies = [("benchmarking", "0013_partitioned_by_indicator")]

    operations = [
        migrations.RunPython(_cap(f"MAXVALUE {LAST_SEQUENCE_ID}"), _cap("NO MAXVALUE")),
    ]
