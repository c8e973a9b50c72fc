"""PostgreSQL: back to smaller lexeme statistics on the index's tsvector columns (1,000, from the
5,000 of 0002; see backends/postgres.py, STATISTICS_TARGET).

The planner reads a column's whole most-common-elements list for every statement that matches
the column: at 5,000 that list held 50,000 lexemes and planning took 1.4 ms per statement,
tens of statements per search at 1,000,000 items; at 1,000 it takes 0.1-0.2 ms. The windows
that made the larger list necessary are now read with the key walk turned off. Kept here as
written, not imported from the backend.
"""

from django.db import migrations

STATEMENTS = [
    "ALTER TABLE search_pg_index ALTER COLUMN all_tsv SET STATISTICS 1000, "
    "ALTER COLUMN head_tsv SET STATISTICS 1000",
    "ANALYZE search_pg_index",
]


def smaller_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in STATEMENTS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_pg_key_histogram")]

    operations = [migrations.RunPython(smaller_statistics, migrations.RunPython.noop)]
