"""A large indicator's rows as a partition of their own (PostgreSQL only).

Inserting 900,000 rows into a shared table costs PostgreSQL a lookup in each index and two
foreign-key checks per row: most of an import's time, and of the standings' (bench/README.md).
Written into a fresh table instead, the rows have nothing to maintain; attaching that table as
the indicator's partition then builds each index in one sort and checks the foreign keys in
one join, as ``CREATE INDEX`` and ``ADD FOREIGN KEY`` do. The migration 0013 made the
observations and the standings partitioned by indicator, each with a default partition for
every other indicator.

Locks: attaching takes a SHARE UPDATE EXCLUSIVE lock on the table (reads and writes go on) and
an ACCESS EXCLUSIVE one on its default partition. Replacing an indicator's standings drops
their old partition first, which locks the whole standings table until the refresh commits:
pages that read standings wait for the attach (0.25 s for 88,000 rows on the bench's machine).

Ids: a row written through the parent table takes its id from the table's sequence, about two
microseconds a row even with ids cached (3.5 s of the bench's 1.8 million observations, as much
again for their standings). A table loaded here numbers its rows itself instead, in the
indicator's own block: ``indicator_id * 2**40 + 1, + 2, ...`` (``first_id``). The migration 0014
caps both sequences below the first block, so the two never meet: 2**40 ids (a thousand billion)
for the shared path, 2**40 rows for each indicator's partition, 2**23 indicators.
"""

import io
import logging

from django.db import connection

logger = logging.getLogger(__name__)

# Below this many rows an indicator stays in the default partition: a partition per small
# indicator would make thousands of tables for little gain.
OWN_PARTITION_ROWS = 50_000

# An indicator's block of ids (see the module); the sequences stay below 2**ID_BITS.
ID_BITS = 40


def partition_name(model, indicator_id: int) -> str:
    return f"{model._meta.db_table}_i{int(indicator_id)}"


def with_partition(model, indicator_ids) -> set[int]:
    """The indicators among these whose rows of the model have a partition of their own."""
    names = {partition_name(model, pk): int(pk) for pk in indicator_ids}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass AND c.relname = ANY(%s)",
            [model._meta.db_table, list(names)],
        )
        return {names[name] for (name,) in cursor.fetchall()}


def first_id(indicator_id: int) -> int:
    """The first id of the indicator's block (see the module)."""
    return int(indicator_id) << ID_BITS


def _new_table(cursor, model, indicator_id: int) -> str:
    """An empty table shaped as the model's, without an id default: its writer numbers the
    rows from ``first_id``."""
    parent = model._meta.db_table
    table = partition_name(model, indicator_id) + "_new"
    cursor.execute(f"DROP TABLE IF EXISTS {table}")
    cursor.execute(f"CREATE TABLE {table} (LIKE {parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
    return table


def _attach(cursor, model, indicator_id: int, table: str) -> None:
    """The filled table becomes the indicator's partition, in place of any earlier one (of
    this indicator, or left by a test's flush: ids are not reused otherwise)."""
    parent = model._meta.db_table
    name = partition_name(model, indicator_id)
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    # Rows an earlier write left in the default partition would stop the attach.
    # (Every name here is the model's table and an integer: nothing from a user.)
    cursor.execute(f"DELETE FROM {parent}_default WHERE indicator_id = {int(indicator_id)}")  # noqa: S608
    cursor.execute(f"ALTER TABLE {table} RENAME TO {name}")
    cursor.execute(
        f"ALTER TABLE {parent} ATTACH PARTITION {name} FOR VALUES IN ({int(indicator_id)})"
    )
    logger.info("indicator %s: partition %s attached", indicator_id, name)


def load_as_partition(model, indicator_id: int, columns: list[str], csv: io.BytesIO) -> None:
    """Copy an indicator's rows (CSV as ``imports._csv`` writes it, ``id`` among the columns,
    numbered from ``first_id``) into a table of its own and attach it as the indicator's
    partition. For an indicator without rows yet."""
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        table = _new_table(cursor, model, indicator_id)
        # FREEZE: the table is new in this transaction, so its rows may be written as already
        # visible to all; the first read (the standings) then needs not set their hint bits.
        cursor.copy_expert(f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, FREEZE)", csv)
        _attach(cursor, model, indicator_id, table)


def replace_partition(
    model, indicator_id: int, columns: list[str], selects: list[tuple[str, dict]]
) -> int:
    """Fill a new table with the rows of ``selects`` (each a SELECT of ``columns`` and its
    parameters), numbered from ``first_id``, and make it the indicator's partition, dropping
    its rows of before. Returns the rows inserted."""
    inserted = 0
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        table = _new_table(cursor, model, indicator_id)
        for select, params in selects:
            cursor.execute(
                f"INSERT INTO {table} (id, {names}) "  # noqa: S608 (names from the model)
                f"SELECT %(first_id)s + row_number() OVER (), selected.* FROM ({select}) selected",
                {**params, "first_id": first_id(indicator_id) + inserted},
            )
            inserted += cursor.rowcount
        _attach(cursor, model, indicator_id, table)
    return inserted
