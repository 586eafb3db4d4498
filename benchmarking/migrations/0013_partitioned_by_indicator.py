"""On PostgreSQL, the observations and the standings become tables partitioned by indicator
(issue 17).

A large indicator imported for the first time is loaded into a table of its own, indexed and
checked in one pass each, and attached as that indicator's partition; its standings are
computed into a table of their own and swapped in the same way (partitions.py). Every other
row lives in the default partition. The models do not change: the primary keys become
(id, indicator_id), as a partitioned table's unique keys must hold its partition key; ``id``
stays unique through its sequence, which hands a session ids 10,000 at a time. Elsewhere
(SQLite) nothing changes.
"""

from django.db import migrations

# Each table's own indexes and foreign keys, under the names Django gave them.
TABLES = {
    "benchmarking_observation": """
        ALTER TABLE {table} ADD CONSTRAINT observation_unique
            UNIQUE (indicator_id, municipality_id, year);
        CREATE INDEX observation_indicator_year ON {table} (indicator_id, year);
        CREATE INDEX {table}_municipality_id_fa05ed94 ON {table} (municipality_id);
        ALTER TABLE {table} ADD CONSTRAINT benchmarking_observa_indicator_id_8f95db85_fk_benchmark
            FOREIGN KEY (indicator_id) REFERENCES benchmarking_indicator (id)
            DEFERRABLE INITIALLY DEFERRED;
        ALTER TABLE {table}
            ADD CONSTRAINT benchmarking_observa_municipality_id_fa05ed94_fk_networks_
            FOREIGN KEY (municipality_id) REFERENCES networks_municipality (id)
            DEFERRABLE INITIALLY DEFERRED;
    """,
    "benchmarking_standing": """
        ALTER TABLE {table} ADD CONSTRAINT standing_unique
            UNIQUE (indicator_id, municipality_id, year, scope);
        ALTER TABLE {table} ADD CONSTRAINT benchmarking_standin_indicator_id_1b49976c_fk_benchmark
            FOREIGN KEY (indicator_id) REFERENCES benchmarking_indicator (id)
            DEFERRABLE INITIALLY DEFERRED;
        ALTER TABLE {table}
            ADD CONSTRAINT benchmarking_standin_municipality_id_de4c456d_fk_networks_
            FOREIGN KEY (municipality_id) REFERENCES networks_municipality (id)
            DEFERRABLE INITIALLY DEFERRED;
    """,
}

REBUILD = """
ALTER TABLE {table} RENAME TO {table}_before;
CREATE TABLE {table} (LIKE {table}_before INCLUDING DEFAULTS INCLUDING IDENTITY
    INCLUDING CONSTRAINTS) {partitioned};
{default}
INSERT INTO {table} SELECT * FROM {table}_before;
SELECT setval(pg_get_serial_sequence('{table}', 'id'),
              (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false);
DROP TABLE {table}_before CASCADE;
ALTER TABLE {table} ADD CONSTRAINT {table}_pkey PRIMARY KEY ({key});
ALTER TABLE {table} ALTER COLUMN id SET CACHE {cache};
"""


def _rebuild(*, partitioned: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for table, keys in TABLES.items():
            schema_editor.execute(
                REBUILD.format(
                    table=table,
                    partitioned="PARTITION BY LIST (indicator_id)" if partitioned else "",
                    default=(
                        f"CREATE TABLE {table}_default PARTITION OF {table} DEFAULT;"
                        if partitioned
                        else ""
                    ),
                    key="id, indicator_id" if partitioned else "id",
                    # A session takes ids 10,000 at a time: a million rows' ids cost the
                    # sequence a hundred visits, not a million (gaps in ids mean nothing).
                    cache=10_000 if partitioned else 1,
                )
                + keys.format(table=table)
            )

    return run


class Migration(migrations.Migration):
    dependencies = [("benchmarking", "0012_indicator_comparable_across_countries")]

    operations = [migrations.RunPython(_rebuild(partitioned=True), _rebuild(partitioned=False))]
