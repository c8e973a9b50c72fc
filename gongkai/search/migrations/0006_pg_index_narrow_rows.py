"""PostgreSQL: the index table's rows hold only the key and two TOAST pointers (see
backends/postgres.py, "Narrow rows"): title vectors are moved out of line too.

Rows already written keep their layout until the index is rebuilt from empty
(`manage.py rebuild_search_index --clear`, see docs/search.md). Kept here as written, not
imported from the backend.
"""

from django.db import migrations

STATEMENTS = [
    "ALTER TABLE search_pg_index SET (toast_tuple_target = 128)",
    "ALTER TABLE search_pg_index ALTER COLUMN head_tsv SET STORAGE EXTERNAL",
]


def narrow_rows(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in STATEMENTS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_pg_index_smaller_statistics")]

    operations = [migrations.RunPython(narrow_rows, migrations.RunPython.noop)]
