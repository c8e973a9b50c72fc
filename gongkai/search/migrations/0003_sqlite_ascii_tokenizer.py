"""SQLite: the FTS5 tables use the `ascii` tokenizer instead of `unicode61`.

What we store is already tokenised (lower-cased letters and digits joined by spaces, see
text.tokens), so both tokenizers give the same tokens; `ascii` costs about half as much per
insert. The tables are re-created and their stored content copied over in SQL, so an existing
index keeps working without a rebuild. Statements are kept here as written (not imported from
backends/sqlite.py). PostgreSQL has nothing to do.
"""

from django.db import migrations

COLUMNS = {
    "search_fts_all": "title, docno, summary, extra, body, attach, meta",
    "search_fts_head": "title, docno, summary, grams, meta",
}


def _retokenize(schema_editor, tokenize: str) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, columns in COLUMNS.items():
        new = f"{table}_retokenized"
        for sql in (
            f"DROP TABLE IF EXISTS {new}",
            f"CREATE VIRTUAL TABLE {new} USING fts5({columns}, tokenize='{tokenize}')",
            f"INSERT INTO {new}(rowid, {columns}) SELECT rowid, {columns} FROM {table}",
            f"DROP TABLE {table}",
            f"ALTER TABLE {new} RENAME TO {table}",
        ):
            schema_editor.execute(sql)


def to_ascii(apps, schema_editor):
    _retokenize(schema_editor, "ascii")


def to_unicode61(apps, schema_editor):
    _retokenize(schema_editor, "unicode61 remove_diacritics 0")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_pg_index_statistics")]

    operations = [migrations.RunPython(to_ascii, to_unicode61)]
