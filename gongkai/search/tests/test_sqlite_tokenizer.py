"""SQLite: the FTS5 tables use the `ascii` tokenizer (migration search 0003), which costs about
half of `unicode61` per insert and gives the same tokens for what we store; the migration keeps
an existing index's content and it stays searchable."""

import importlib

import pytest
from django.db import connection

from gongkai.search.selectors import search_items

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 backend only")

migration = importlib.import_module("gongkai.search.migrations.0003_sqlite_ascii_tokenizer")


class Editor:
    """What the migration's RunPython functions use of a schema editor."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def table_sql(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [name])
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_the_index_tables_use_the_ascii_tokenizer():
    assert "tokenize='ascii'" in table_sql("search_fts_all")
    assert "tokenize='ascii'" in table_sql("search_fts_head")


def test_the_migration_keeps_the_index_both_ways(publish):
    item = publish("关于寮步镇ABC科技园防汛工作的通知", document_number="寮府办〔2024〕7号")
    before = [hit.item.pk for hit in search_items(query="防汛 abc").hits]
    assert before == [item.pk]

    migration.to_unicode61(None, Editor())
    assert "unicode61" in table_sql("search_fts_all")
    assert [hit.item.pk for hit in search_items(query="ABC 防汛").hits] == [item.pk]

    migration.to_ascii(None, Editor())
    assert "tokenize='ascii'" in table_sql("search_fts_all")
    assert "tokenize='ascii'" in table_sql("search_fts_head")
    for query in ("防汛 abc", "寮府办[2024]7号", "科技园", "“防汛工作”"):
        assert [hit.item.pk for hit in search_items(query=query).hits] == [item.pk], query
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_fts_all_content")
        assert cursor.fetchone()[0] == 1


CONFIG = {
    "search_fts_all": "SELECT k, v FROM search_fts_all_config WHERE k != 'version'",
    "search_fts_head": "SELECT k, v FROM search_fts_head_config WHERE k != 'version'",
}


def fts_config(table):
    with connection.cursor() as cursor:
        cursor.execute(CONFIG[table])
        return dict(cursor.fetchall())


@pytest.mark.django_db
def test_a_bulk_load_merges_less_and_the_tables_return_to_normal_settings(publish):
    from gongkai.search.backends import get_backend
    from gongkai.search.backends.sqlite import BULK_CONFIG, NORMAL_CONFIG

    index = get_backend()
    index.bulk_begin()
    for table in ("search_fts_all", "search_fts_head"):
        assert fts_config(table) == BULK_CONFIG
    item = publish("寮步镇防汛抢险应急预案", document_number="寮府办〔2024〕9号")
    index.bulk_end(cleared=True)
    for table in ("search_fts_all", "search_fts_head"):
        assert fts_config(table) == NORMAL_CONFIG
    assert [hit.item.pk for hit in search_items(query="防汛 预案").hits] == [item.pk]
