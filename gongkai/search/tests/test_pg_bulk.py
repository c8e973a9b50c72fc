"""PostgreSQL: a rebuild from empty clusters the table only when its rows are out of rank_key
order (CLUSTER rewrites the whole table: gigabytes at 1,000,000 items), and builds the GIN
indexes again, at the same time when it is not inside a transaction."""

import pytest
from django.db import connection

from gongkai.search.backends import get_backend
from gongkai.search.backends import postgres as backend

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend only")


def fill(keys):
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_pg_index")
        cursor.executemany(
            "INSERT INTO search_pg_index (rank_key, all_tsv, head_tsv) VALUES (%s, %s, %s)",
            [(key, "'通知':1", "'通知':1") for key in keys],
        )


def gin_indexes():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'search_pg_index' "
            "AND indexdef LIKE '%%USING gin%%' ORDER BY indexname"
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_rows_in_key_order_are_not_clustered_again():
    fill(range(1, 2001))
    with connection.cursor() as cursor:
        assert not backend.PostgresBackend._needs_cluster(cursor)


@pytest.mark.django_db
def test_rows_out_of_key_order_are_clustered():
    fill(range(2000, 0, -1))
    with connection.cursor() as cursor:
        assert backend.PostgresBackend._needs_cluster(cursor)
    get_backend().bulk_end(cleared=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT rank_key FROM search_pg_index ORDER BY ctid LIMIT 3")
        assert [row[0] for row in cursor.fetchall()] == [1, 2, 3]
    assert gin_indexes() == ["search_pg_all_gin", "search_pg_head_gin"]


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_both_gin_indexes_are_built_at_once():
    """Not inside a transaction (a real rebuild): the head index is built by a second
    connection while this one builds the big one. Self-contained: a transactional test may
    follow another that emptied the tables migrations fill."""
    fill(range(1, 201))
    index = get_backend()
    index.bulk_begin()
    assert gin_indexes() == []
    index.bulk_end(cleared=True)
    assert gin_indexes() == ["search_pg_all_gin", "search_pg_head_gin"]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SELECT count(*) FROM search_pg_index WHERE head_tsv @@ '通知'::tsquery")
        assert cursor.fetchone()[0] == 200
        cursor.execute("RESET enable_seqscan")
