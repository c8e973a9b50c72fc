"""PostgreSQL: from TIER_MIN_ROWS rows, a rebuild from empty builds each GIN index as partial
indexes over ranges of keys (tiers), and every statement searches one tier at a time, so a
window of the newest keys scans only the newest tier's posting lists (backends/postgres.py,
TIER_SHARES). The answers are the same as with one index per column."""

import random
import threading

import pytest
from django.db import connection

from gongkai.search import query as q
from gongkai.search.backends import get_backend
from gongkai.search.backends import postgres as backend
from gongkai.search.backends.base import MAX_KEY, Filters

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL backend only")

ROWS = 2000


def rows():
    rng = random.Random(11)
    out = []
    for key in range(1, ROWS + 1):
        words = ["'通知':1"]
        if rng.random() < 0.3:
            words.append("'防汛':2")
        if rng.random() < 0.2:
            words.append("'防汛':5 '工作':6")  # the phrase 防汛工作
        if key % 97 == 0:
            words.append("'台风':3")
        if key == 5:
            words.append("'~org-old':16383")  # a filter token only in the oldest tier
        head = words + [f"'%台风':{9 + key % 3}"] if key % 7 == 0 else words
        out.append((key, " ".join(words), " ".join(head)))
    return out


def fill():
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_pg_index")
        cursor.executemany(
            "INSERT INTO search_pg_index (rank_key, all_tsv, head_tsv) VALUES (%s, %s, %s)", rows()
        )


def recorder(statements):
    """An execute wrapper that appends each statement's SQL to statements."""

    def recording(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    return recording


def gin_indexes():
    with connection.cursor() as cursor:
        return backend._gin_indexes(cursor)


def rebuild(monkeypatch, *, tiers: bool):
    """bulk_end of a rebuild from empty, with tiers or with one index per column."""
    monkeypatch.setattr(backend, "TIER_MIN_ROWS", 100 if tiers else 10**9)
    index = get_backend()
    index.bulk_begin()
    index.bulk_end(cleared=True)
    backend._table_stats.clear()
    backend._element_stats.clear()
    return index


QUERIES = [
    q.Tok("通知"),
    q.Tok("防汛"),
    q.Tok("台风"),
    q.Near(("防汛", "工作")),
    q.Phrase(("防汛", "工作")),
    q.And((q.Tok("防汛"), q.Tok("台风"))),
]


def answers(index):
    out = []
    for expr in QUERIES:
        for lo, hi in ((0, MAX_KEY), (300, 1700)):
            cset = index.candidates(
                all_expr=expr,
                head_expr=q.Or((expr, q.Phrase(("台风",), column="grams"))),
                exclude=None,
                filters=Filters(key_lo=lo, key_hi=hi),
                cap=50,
            )
            out.append(
                (
                    sorted((c.rank_key, c.in_all, c.in_head) for c in cset.candidates),
                    cset.capped,
                    index.count(all_expr=expr, filters=Filters(key_lo=lo, key_hi=hi), limit=500),
                )
            )
    browse = index.candidates(
        all_expr=None,
        head_expr=None,
        exclude=None,
        filters=Filters(meta=[("org-old",)], key_lo=0, key_hi=MAX_KEY),
        cap=50,
    )
    out.append(sorted(c.rank_key for c in browse.candidates))
    out.append(index.similar_titles(grams=["台风"], filters=Filters(), limit=10))
    out.append((index.has_meta("org-old"), index.has_meta("org-none")))
    return out


def test_pieces_cut_a_range_at_the_tier_bounds_newest_first():
    assert backend._pieces(0, 100, []) == [(0, 100)]
    assert backend._pieces(0, 100, [40, 80, 95]) == [(95, 100), (80, 94), (40, 79), (0, 39)]
    assert backend._pieces(50, 90, [40, 80, 95]) == [(80, 90), (50, 79)]
    assert backend._pieces(80, 80, [40, 80, 95]) == [(80, 80)]
    assert backend._pieces(10, 20, [40, 80, 95]) == [(10, 20)]


def test_builds_are_one_per_column_or_one_per_tier_largest_first(monkeypatch):
    assert backend._gin_builds([]) == [backend.ALL_GIN, backend.HEAD_GIN]
    monkeypatch.setattr(backend, "TIER_SHARES", (0.4, 0.8, 0.95))
    builds = backend._gin_builds([400, 800, 950])
    assert len(builds) == 8
    assert builds[0].startswith("CREATE INDEX search_pg_all_gin_")
    assert all("head_tsv" in sql for sql in builds[4:])
    predicates = [sql.split(" WHERE ")[1] for sql in builds[:4]]
    assert sorted(predicates) == sorted(
        [
            "rank_key < 400",
            "rank_key >= 400 AND rank_key < 800",
            "rank_key >= 800 AND rank_key < 950",
            "rank_key >= 950",
        ]
    )
    # The two 40% tiers first, the newest 5% last.
    assert predicates[2:] == ["rank_key >= 800 AND rank_key < 950", "rank_key >= 950"]


@pytest.mark.django_db
def test_a_small_table_keeps_one_index_per_column(monkeypatch):
    fill()
    rebuild(monkeypatch, tiers=False)
    assert sorted(gin_indexes()) == ["search_pg_all_gin", "search_pg_head_gin"]
    with connection.cursor() as cursor:
        assert get_backend()._tiers(cursor) == []


@pytest.mark.django_db
def test_a_rebuild_lays_out_tiers_that_give_the_same_answers(monkeypatch):
    fill()
    whole = answers(rebuild(monkeypatch, tiers=False))
    backend._tier_cache.clear()
    index = rebuild(monkeypatch, tiers=True)
    indexes = gin_indexes()
    tiers = len(backend.TIER_SHARES) + 1
    assert sorted(indexes) == [
        f"search_pg_{c}_gin_{n}" for c in ("all", "head") for n in range(tiers)
    ]
    with connection.cursor() as cursor:
        bounds = index._tiers(cursor)
    # Each tier starts where its share of the keys 1..2000 says.
    assert len(bounds) == tiers - 1
    for bound, share in zip(bounds, backend.TIER_SHARES, strict=True):
        assert bound == pytest.approx(share * ROWS, abs=ROWS * 0.02)
    newest = f"search_pg_all_gin_{tiers - 1}"
    assert indexes[newest] == f"(rank_key >= {bounds[-1]})"
    tiered = answers(index)
    assert tiered == whole
    # The newest matches of a word come from the newest tier's index alone.
    monkeypatch.setattr(backend, "WINDOW_MIN_ROWS", 0)
    backend._table_stats.clear()
    with connection.cursor() as cursor:
        cursor.execute(backend.BITMAP_ON)
        cursor.execute(
            "EXPLAIN " + backend.SELECT_ALL.format(check=""),
            ("'台风'", bounds[-1], MAX_KEY, 20),
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(backend.BITMAP_OFF)
    assert newest in plan
    assert "search_pg_all_gin_0" not in plan


@pytest.mark.django_db
def test_rows_written_after_a_tiered_rebuild_are_found(monkeypatch):
    fill()
    index = rebuild(monkeypatch, tiers=True)
    with connection.cursor() as cursor:
        bounds = index._tiers(cursor)
    index.write_rows(
        rows=[(ROWS + 10, "'寒潮':1", "'寒潮':1"), (3, "'寒潮':1 '通知':2", "'寒潮':1")],
        remove_keys=[],
    )
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        found = backend._newest_in(
            cursor,
            backend.SELECT_ALL.format(check=""),
            "'寒潮'",
            None,
            0,
            MAX_KEY,
            10,
            bounds,
        )
        cursor.execute("RESET enable_seqscan")
    assert found == [ROWS + 10, 3]
    cset = index.candidates(
        all_expr=q.Tok("寒潮"), head_expr=None, exclude=None, filters=Filters(), cap=10
    )
    assert sorted(c.rank_key for c in cset.candidates) == [3, ROWS + 10]


@pytest.mark.django_db
def test_a_refresh_in_place_keeps_the_tiers_and_restores_a_missing_index(monkeypatch):
    fill()
    index = rebuild(monkeypatch, tiers=True)
    before = gin_indexes()
    index.bulk_end(cleared=False)
    assert gin_indexes() == before
    heads = [name for name in before if name.startswith("search_pg_head")]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX {', '.join(heads)}")
    index.bulk_end(cleared=False)
    after = gin_indexes()
    assert "search_pg_head_gin" in after
    assert {name for name in after if name.startswith("search_pg_all")} == {
        name for name in before if name.startswith("search_pg_all")
    }


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_tiers_are_built_two_at_a_time(monkeypatch):
    """A real rebuild: the builds go to two connections of their own."""
    fill()
    used = []
    real = backend._build_in_own_connection

    def recording(alias, sql):
        used.append(threading.get_ident())
        real(alias, sql)

    monkeypatch.setattr(backend, "_build_in_own_connection", recording)
    rebuild(monkeypatch, tiers=True)
    tiers = len(backend.TIER_SHARES) + 1
    assert len(used) == 2 * tiers
    assert len(set(used)) <= 2
    assert threading.get_ident() not in used
    assert len(gin_indexes()) == 2 * tiers
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute(
            "SELECT count(*) FROM search_pg_index WHERE head_tsv @@ '通知'::tsquery "
            "AND rank_key >= %s",
            (get_backend()._tiers(cursor)[-1],),
        )
        assert cursor.fetchone()[0] == ROWS - get_backend()._tiers(cursor)[-1] + 1
        cursor.execute("RESET enable_seqscan")


@pytest.mark.django_db
def test_a_phrase_over_all_fields_is_checked_only_on_the_rows_holding_its_words():
    """The words find the rows (GIN, exactly), then PHRASE_CHECK tests the word order on
    those alone; an excluded phrase is checked with the phrase, not loosened to its words."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_pg_index")
        cursor.executemany(
            "INSERT INTO search_pg_index (rank_key, all_tsv, head_tsv) VALUES (%s, %s, %s)",
            [
                (
                    key,
                    {
                        0: "'防汛':1 '工作':2",
                        1: "'防汛':1 '工作':9",  # both words, too far apart
                        2: "'防汛':1 '工作':2 '台风':3 '预警':4",
                        3: "'防汛':1 '工作':2 '台风':3 '天气':4 '预警':9",
                    }[key % 4],
                    "'通知':1",
                )
                for key in range(1, 401)
            ],
        )
    statements = []
    index = get_backend()
    with connection.execute_wrapper(recorder(statements)):
        cset = index.candidates(
            all_expr=q.Near(("防汛", "工作")),
            head_expr=None,
            exclude=q.Near(("台风", "预警")),
            filters=Filters(),
            cap=500,
        )
    assert sorted(c.rank_key for c in cset.candidates) == [
        key for key in range(1, 401) if key % 4 in (0, 3)
    ]
    assert backend.PHRASE_CHECK in statements


@pytest.mark.django_db
def test_a_range_over_several_tiers_is_read_in_one_statement_newest_first(monkeypatch):
    fill()
    index = rebuild(monkeypatch, tiers=True)
    statements = []
    with connection.execute_wrapper(recorder(statements)):
        cset = index.candidates(
            all_expr=q.Tok("台风"), head_expr=None, exclude=None, filters=Filters(), cap=5
        )
        counted = index.count(all_expr=q.Tok("台风"), filters=Filters(), limit=1000)
    # A rare word over the whole range: one statement for every tier, and the newest
    # matches come first.
    reads = [sql for sql in statements if "BETWEEN" in sql]
    assert len(reads) == 2
    assert all(sql.count("UNION ALL") == len(backend.TIER_SHARES) for sql in reads)
    assert sorted(c.rank_key for c in cset.candidates) == [1552, 1649, 1746, 1843, 1940]
    assert counted == ROWS // 97


@pytest.mark.django_db
def test_a_phrase_is_checked_in_chunks_until_enough_are_found(monkeypatch):
    """Chunks sized by the share of rows found to hold the phrase so far: the newest matches,
    none missed at the seams."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_pg_index")
        cursor.executemany(
            "INSERT INTO search_pg_index (rank_key, all_tsv, head_tsv) VALUES (%s, %s, %s)",
            [
                (key, "'防汛':1 '工作':2" if key % 5 == 0 else "'防汛':1 '工作':9", "'通知':1")
                for key in range(1, 1001)
            ],
        )
    monkeypatch.setattr(backend, "PHRASE_CHUNK", 60)
    monkeypatch.setattr(backend, "PHRASE_MIN_CHUNK", 10)
    checks = []

    def recording(execute, sql, params, many, context):
        if sql == backend.PHRASE_CHECK:
            checks.append(len(params[0].strip("{}").split(",")))  # an array literal
        return execute(sql, params, many, context)

    with connection.execute_wrapper(recording):
        cset = get_backend().candidates(
            all_expr=q.Near(("防汛", "工作")),
            head_expr=None,
            exclude=None,
            filters=Filters(),
            cap=30,
        )
    assert sorted((c.rank_key for c in cset.candidates), reverse=True) == list(range(1000, 850, -5))
    # The first chunk took 1.5 × 30 rows (as if every row held it); then the observed
    # share (one in five) sized the next ones, up to the ceiling.
    assert checks[0] == 45
    assert all(size == 60 for size in checks[1:-1])
    assert sum(checks) < 150 + 60  # the rows down to the 30th match, and one chunk at most
