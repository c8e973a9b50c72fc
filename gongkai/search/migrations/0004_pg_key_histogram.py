"""PostgreSQL: a finer histogram of rank_key (1,000 steps), from which a search lays out its
windows of keys, newest first (see backends/postgres.py, `_windows`). Kept here as written, not
imported from the backend.
"""

from django.db import migrations

STATEMENTS = [
    "ALTER TABLE search_pg_index ALTER COLUMN rank_key SET STATISTICS 1000",
    "ANALYZE search_pg_index (rank_key)",
]


def key_histogram(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in STATEMENTS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_sqlite_ascii_tokenizer")]

    operations = [migrations.RunPython(key_histogram, migrations.RunPython.noop)]
