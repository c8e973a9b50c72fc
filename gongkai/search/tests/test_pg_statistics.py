"""PostgreSQL: the index's tsvector columns keep fine statistics, so the planner sees that a rare
word or a document number matches few rows and uses the GIN index (at 1,000,000 items the
default statistics made it walk the whole key: 644 ms instead of 0.3 ms)."""

import pytest
from django.db import connection

from gongkai.search.backends.postgres import STATISTICS_TARGET


@pytest.mark.django_db
def test_the_tsvector_columns_keep_fine_statistics():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstattarget FROM pg_attribute "
            "WHERE attrelid = 'search_pg_index'::regclass AND attname IN ('all_tsv', 'head_tsv') "
            "ORDER BY attname"
        )
        assert cursor.fetchall() == [
            ("all_tsv", STATISTICS_TARGET),
            ("head_tsv", STATISTICS_TARGET),
        ]


@pytest.mark.django_db
def test_index_rows_keep_both_vectors_out_of_line():
    """A row holds its key and two TOAST pointers (migration 0006), so the table that every
    GIN match is fetched from stays small: once a row is over PostgreSQL's 2 kB threshold
    (an item's body), its short title vector is moved out of line too."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    head = " ".join(f"'标题{n}':{n}" for n in range(1, 40))
    body = " ".join(f"'正文{n}':{100 + n}" for n in range(300))
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_pg_index")
        cursor.execute(
            "INSERT INTO search_pg_index (rank_key, all_tsv, head_tsv) VALUES (1, %s, %s)",
            [f"{head} {body}", head],
        )
        cursor.execute(
            "SELECT reltoastrelid::regclass::text FROM pg_class "
            "WHERE oid = 'search_pg_index'::regclass"
        )
        toast = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(DISTINCT chunk_id) FROM {toast}")  # noqa: S608
        assert cursor.fetchone()[0] == 2  # all_tsv and head_tsv, each its own TOAST value
        # The vectors read back whole.
        cursor.execute("SELECT length(all_tsv), length(head_tsv) FROM search_pg_index")
        assert cursor.fetchone() == (339, 39)
