"""PostgreSQL: finer statistics on the index's tsvector columns (see backends/postgres.py).

Without them the planner estimated a rare word or document number at ~0.9% of the rows and
walked the whole key at 1,000,000 items. Kept here as written, not imported from the backend.
"""

from django.db import migrations

STATEMENTS = [
    "ALTER TABLE search_pg_index ALTER COLUMN all_tsv SET STATISTICS 5000, "
    "ALTER COLUMN head_tsv SET STATISTICS 5000",
    "ANALYZE search_pg_index",
]


def finer_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in STATEMENTS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(finer_statistics, migrations.RunPython.noop)]
