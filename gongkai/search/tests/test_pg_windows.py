"""PostgreSQL: a search takes its candidates newest first in windows of keys laid out from the
rank_key histogram (backends/postgres.py, `_windows`), so a common word reads a few thousand
rows, not every match; the windows together give the same candidates as one search of the
whole range."""

import random

import pytest
from django.db import connection

from gongkai.search import query as q
from gongkai.search.backends import get_backend
from gongkai.search.backends import postgres as backend
from gongkai.search.backends.base import MAX_KEY, Filters

BOUNDS = [0, 100, 200, 400, 800, 1000]  # five steps of 20% of the rows each


def fill(rows):
    """The index table holding exactly rows (rank_key, all_tsv, head_tsv), analysed."""
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE search_pg_index")
        cursor.executemany(
            "INSERT INTO search_pg_index (rank_key, all_tsv, head_tsv) VALUES (%s, %s, %s)", rows
        )
        cursor.execute("ANALYZE search_pg_index")  # five steps of 20% of the rows each


def test_position_and_key_at_read_the_histogram_both_ways():
    assert backend._position(BOUNDS, -5) == 0.0
    assert backend._position(BOUNDS, 5000) == 1.0
    assert backend._position(BOUNDS, 150) == pytest.approx(0.3)
    assert backend._position(BOUNDS, 600) == pytest.approx(0.7)
    assert backend._key_at(BOUNDS, 0.3) == 150
    assert backend._key_at(BOUNDS, 0.7) == 600
    assert backend._key_at(BOUNDS, 1.0) == 1000
    for key in (0, 37, 250, 999):
        assert backend._key_at(BOUNDS, backend._position(BOUNDS, key)) == pytest.approx(key, abs=1)


def test_windows_run_newest_first_without_gaps_or_overlap_and_grow():
    stats = (1_000_000, BOUNDS)
    windows = list(backend._windows(stats, 0, 1000, expected=100_000, cap=400))
    # A word in 10% of the rows: the first window holds ~2 × 400 matches, i.e. 8,000 rows.
    first_bottom, first_top = windows[0]
    assert first_top == 1000
    assert backend._position(BOUNDS, first_bottom) == pytest.approx(1 - 0.008, abs=1e-4)
    for (bottom, _top), (_lower_bottom, lower_top) in zip(windows, windows[1:], strict=False):
        assert lower_top == bottom - 1
    assert windows[-1][0] == 0
    sizes = [top - bottom for bottom, top in windows[:-1]]
    assert all(later > earlier for earlier, later in zip(sizes, sizes[1:], strict=False))


def test_a_rare_word_or_a_small_index_is_searched_in_one_window():
    assert list(backend._windows((1_000_000, BOUNDS), 0, 1000, expected=50, cap=400)) == [(0, 1000)]
    assert list(backend._windows((1_000, BOUNDS), 0, 1000, expected=900, cap=400)) == [(0, 1000)]
    assert list(backend._windows((1_000_000, []), 0, 1000, expected=900, cap=400)) == [(0, 1000)]


def test_windows_stay_inside_a_year_range():
    windows = list(backend._windows((1_000_000, BOUNDS), 150, 620, expected=200_000, cap=100))
    assert windows[0][1] == 620
    assert windows[-1][0] == 150
    assert all(150 <= bottom <= top <= 620 for bottom, top in windows)


@pytest.mark.django_db
def test_windowed_candidates_are_the_newest_matches_of_the_whole_range(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    rng = random.Random(7)
    rows = []
    for key in range(1, 3001):
        words = ["'通知':1"]
        if rng.random() < 0.3:
            words.append("'防汛':2")
        if key % 250 == 0:
            words.append("'台风':3")
        if rng.random() < 0.2:
            words.append("'防汛':5 '工作':6")  # the phrase 防汛工作
        if key <= 1000:
            words.append("'旧闻':7")  # in a third of the rows, but none of the newer ones
        rows.append((key, " ".join(words), " ".join(words)))
    fill(rows)
    index = get_backend()

    def keys(expr, lo=0, hi=MAX_KEY, cap=40):
        cset = index.candidates(
            all_expr=expr,
            head_expr=None,
            exclude=None,
            filters=Filters(key_lo=lo, key_hi=hi),
            cap=cap,
        )
        return sorted((c.rank_key for c in cset.candidates), reverse=True)

    queries = [
        q.Tok("通知"),
        q.Tok("防汛"),
        q.Tok("台风"),
        q.Near(("防汛", "工作")),
        q.Phrase(("防汛", "工作")),
        q.Tok("旧闻"),
    ]
    monkeypatch.setattr(backend, "_table_stats", {})
    monkeypatch.setattr(backend, "WINDOW_MIN_ROWS", 10**9)
    whole = [keys(expr) for expr in queries] + [keys(q.Tok("防汛"), 500, 1800)]
    monkeypatch.setattr(backend, "_table_stats", {})
    monkeypatch.setattr(backend, "WINDOW_MIN_ROWS", 0)
    seen = []
    real_windows = backend._windows

    def recording(*args, **kwargs):
        for window in real_windows(*args, **kwargs):
            seen.append(window)
            yield window

    monkeypatch.setattr(backend, "_windows", recording)
    windowed = [keys(expr) for expr in queries] + [keys(q.Tok("防汛"), 500, 1800)]
    assert windowed == whole
    assert whole[0] == list(range(3000, 2960, -1))
    assert whole[2] == [3000, 2750, 2500, 2250, 2000, 1750, 1500, 1250, 1000, 750, 500, 250]
    assert all(500 <= key <= 1800 for key in whole[6]) and len(whole[6]) == 40
    # 通知 is in every row: its first window is about 2 × 40 rows, not the whole table.
    assert seen[0][1] == MAX_KEY and 2850 < seen[0][0] < 2950
    assert whole[5] == list(range(1000, 960, -1))
    # 旧闻's first window was ~2 × 40 / ⅓ rows, near the top; the windows grew back to 1000.
    seen.clear()
    assert keys(q.Tok("旧闻")) == whole[5]
    assert len(seen) >= 3 and seen[0][0] > 2700 and seen[-1][0] <= 1000


@pytest.mark.django_db
def test_index_scans_are_turned_back_on_after_a_search(monkeypatch):
    """Windows of a word in few rows are read with index scans off (GIN's matches intersected
    with the key range); the session's settings are restored afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    rows = [
        (key, "'通知':1" + (" '台风':2" if key % 50 == 0 else ""), "'通知':1")
        for key in range(1, 1001)
    ]
    fill(rows)
    index = get_backend()

    def settings():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('enable_indexscan'), current_setting('enable_seqscan'), "
                "current_setting('work_mem'), current_setting('cpu_operator_cost')"
            )
            return cursor.fetchone()

    before = settings()
    assert before[:2] == ("on", "on")
    cset = index.candidates(
        all_expr=q.Tok("台风"), head_expr=None, exclude=None, filters=Filters(), cap=10
    )
    assert sorted((c.rank_key for c in cset.candidates), reverse=True) == list(
        range(1000, 500, -50)
    )
    assert settings() == before
    assert index.count(all_expr=q.Tok("台风"), filters=Filters(), limit=100) == 20
    assert index.count(all_expr=q.Tok("通知"), filters=Filters(), limit=100) == 100
    assert settings() == before

    # A statement failing while index scans are off: the caller sees that failure (not one
    # from restoring the settings in the aborted transaction), and the rollback restores them.
    from django.db import ProgrammingError, transaction

    monkeypatch.setattr(
        backend, "SELECT_ALL", "SELECT no_such_column, %s, %s, %s, %s FROM search_pg_index"
    )
    with pytest.raises(ProgrammingError, match="no_such_column"), transaction.atomic():
        index.candidates(
            all_expr=q.Tok("台风"), head_expr=None, exclude=None, filters=Filters(), cap=10
        )
    assert settings() == before


@pytest.mark.django_db
def test_a_big_filter_group_is_checked_on_the_rows_not_given_to_gin(monkeypatch):
    """A filter of more than BIG_META_GROUP tokens (a town with its sub-organisations) is
    checked on each row the words find (ts_match_vq on head_tsv), not merged by GIN; the
    candidates and counts are those of the plain query, and a phrase is ranked by its words."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from django.test.utils import CaptureQueriesContext

    rows = []
    for key in range(1, 2001):
        org = f"'~o{key % 12}':16383"  # twelve organisations
        words = "'通知':1" + (" '防汛':2 '工作':3" if key % 3 == 0 else "")
        rows.append((key, f"{words} {org}", f"{words} {org}"))
    fill(rows)
    index = get_backend()
    town = tuple(f"o{n}" for n in range(10))  # ten of the twelve: a big group
    filters = Filters(meta=[town])

    def run(expr, flt):
        with CaptureQueriesContext(connection) as captured:
            cset = index.candidates(
                all_expr=expr, head_expr=expr, exclude=None, filters=flt, cap=50
            )
            count = index.count(all_expr=expr, filters=flt, limit=1000)
        keys = sorted((c.rank_key for c in cset.candidates), reverse=True)
        sql = " ".join(query["sql"] for query in captured.captured_queries)
        return keys, cset.count, count, sql

    monkeypatch.setattr(backend, "_table_stats", {})
    checked = [run(expr, filters) for expr in (q.Tok("防汛"), q.Near(("防汛", "工作")))]
    monkeypatch.setattr(backend, "BIG_META_GROUP", 100)
    plain = [run(expr, filters) for expr in (q.Tok("防汛"), q.Near(("防汛", "工作")))]
    for (keys, _estimate, count, sql), (plain_keys, _plain_estimate, plain_count, plain_sql) in zip(
        checked, plain, strict=True
    ):
        assert "ts_match_vq(head_tsv" in sql and "ts_match_vq" not in plain_sql
        assert keys == plain_keys
        assert len(keys) == 50 and all(key % 3 == 0 and key % 12 < 10 for key in keys)
        assert (
            count
            == plain_count
            == sum(1 for key in range(1, 2001) if key % 3 == 0 and key % 12 < 10)
        )
    # The phrase's candidates hold it already: both lists are ranked by its words (no
    # distance operator in either ranking).
    score = checked[1][3].split("ts_rank_cd(", 1)[1]
    all_rank, head_rank = score.split("ts_rank_cd(", 1)
    assert "防汛" in all_rank and "<1>" not in all_rank
    head_rank = head_rank.split("FROM", 1)[0]
    assert "防汛" in head_rank and "<1>" not in head_rank

    # Filters alone (no words) still go to GIN whole.
    keys, _estimate, _count, sql = run(None, filters)
    assert keys == [key for key in range(2000, 0, -1) if key % 12 < 10][:50]


@pytest.mark.django_db
def test_the_title_probe_runs_only_when_it_can_fill_the_cap(monkeypatch):
    """The title list tries the words alone first (the probe) only where they may fill the
    cap; otherwise it runs the words-or-title-bigrams query at once, with the same result."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    from django.test.utils import CaptureQueriesContext

    rows = [
        (
            key,
            "'通知':1" + (" '台风':2" if key % 100 == 0 else ""),
            "'通知':1 '%通知':3" + (" '台风':2" if key == 1000 else ""),
        )
        for key in range(1, 1001)
    ]
    fill(rows)
    monkeypatch.setattr(backend, "_table_stats", {})
    index = get_backend()
    title = q.Or((q.Tok("通知"), q.Phrase(("通知",), column="grams")))

    def head_selects(word, cap):
        with CaptureQueriesContext(connection) as captured:
            cset = index.candidates(
                all_expr=word,
                head_expr=title,
                exclude=None,
                filters=Filters(),
                cap=cap,
                head_probe=word,
            )
        selects = [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].startswith("SELECT rank_key FROM search_pg_index WHERE head_tsv")
        ]
        return len(selects), len([c for c in cset.candidates if c.in_head])

    # 通知 is in every title: the probe alone fills the cap, the bigram query is not run.
    assert head_selects(q.Tok("通知"), 50) == (1, 50)
    # 台风 is in ten bodies and one title. With a cap of 50 the all-fields list found fewer:
    # the probe, a subset of it, cannot fill the cap. With a cap of 5 it could by that rule,
    # but the planner expects about one title with 台风, so it is skipped all the same.
    assert head_selects(q.Tok("台风"), 50) == (1, 50)
    assert head_selects(q.Tok("台风"), 5) == (1, 5)
    monkeypatch.setattr(backend, "PROBE_SHARE", 0)
    assert head_selects(q.Tok("台风"), 5) == (2, 5)


def test_estimates_from_the_lexeme_list_as_an_upper_bound_and_as_the_planner_makes_them():
    # 住房 in 1.3% of the rows and 保障 in 2.6%, nearly always together: the planner's product
    # (0.03%) made the first window the whole table; the rarest part is the upper bound.
    elements = backend._Elements(
        ["住房", "保障", "工作", "~o1", "~o2", "#2012", "%寮步"],
        [0.013, 0.026, 1.0, 0.2, 0.1, 0.001, 0.05, 0.001, 1.0, 0.0],
    )
    rows = 1_000_000
    assert elements.floor == pytest.approx(0.0005)  # half the rarest listed share
    both = q.And((q.Tok("住房"), q.Tok("保障")))
    assert elements.expected(both, Filters(), rows) == 13_000
    assert elements.expected(q.Or((q.Tok("住房"), q.Tok("保障"))), Filters(), rows) == 39_000
    assert elements.expected(q.Near(("工作", "住房")), Filters(), rows) == 13_000
    assert elements.expected(q.Tok("台风"), Filters(), rows) == 500  # not listed
    assert elements.expected(q.Phrase(("寮步",), column="grams"), Filters(), rows) == 50_000
    # Filters multiply: a group is the sum of its tokens, the document number its own share.
    flt = Filters(meta=[("o1", "o2")], docno=q.Tok("2012"))
    assert elements.expected(both, flt, rows) == round(13_000 * 0.3 * 0.001)
    assert elements.expected(None, Filters(meta=[("o1",)]), rows) == 200_000
    # Taken as independent, as the planner does: an AND multiplies, an OR is the union.
    assert elements.expected(both, Filters(), rows, independent=True) == 338
    either = q.Or((q.Tok("住房"), q.Tok("保障")))
    assert elements.expected(either, Filters(), rows, independent=True) == round(
        (1 - 0.987 * 0.974) * rows
    )
    assert elements.expected(q.Near(("工作", "住房")), Filters(), rows, independent=True) == 13_000


def test_each_window_after_the_first_is_sized_by_what_the_last_one_held():
    """The estimate is an upper bound: when a window holds fewer matches than expected, the
    next is sized by the share that really matched (at least 4 times larger), and after an
    empty one it is 16 times larger."""
    bounds = list(range(0, 1_000_001, 1000))  # a key per row: 1,000 steps of 1,000 rows
    stats = (1_000_000, bounds)
    # Expected in 10% of the rows: the first window is 2 × 400 / 10% = 8,000 rows.
    windows = backend._windows(stats, 0, 1_000_000, expected=100_000, cap=400)
    bottom, top = next(windows)
    assert top - bottom == pytest.approx(8_000, rel=0.01)
    # It held 80 (1% of its rows): 320 more at 1% is 2 × 320 / 1% = 64,000 rows.
    bottom, top = windows.send(80)
    assert top - bottom == pytest.approx(64_000, rel=0.01)
    # That held none at all: 16 times larger, 1,024,000 rows, which is all the rest.
    bottom, top = windows.send(0)
    assert bottom == 0 and top > 900_000
    with pytest.raises(StopIteration):
        windows.send(5)
    # Not told (a plain iteration): 4 times larger each time, as before.
    sizes = [t - b for b, t in backend._windows(stats, 0, 1_000_000, expected=100_000, cap=400)]
    assert sizes[1] == pytest.approx(4 * sizes[0], rel=0.01)


def test_a_window_ending_just_above_a_tier_start_ends_at_it():
    # A word in 10% of the rows: the first window holds the newest 0.8% of the rows, keys
    # 992-1000 (the last step, 800-1000, holds 20%). A tier starting at key 991 is within a
    # quarter of the window below it: the window ends there, and the next one starts below the
    # tier, not inside it.
    stats = (1_000_000, BOUNDS)
    plain = list(backend._windows(stats, 0, 1000, expected=100_000, cap=400))
    snapped = list(backend._windows(stats, 0, 1000, expected=100_000, cap=400, tiers=[991]))
    assert plain[0] == (992, 1000)
    assert snapped[0] == (991, 1000)
    assert snapped[1][1] == 990
    # A tier further down (most of a window's worth of rows below) is left alone.
    assert list(backend._windows(stats, 0, 1000, expected=100_000, cap=400, tiers=[985]))[0] == (
        992,
        1000,
    )
    # The same at the bottom of the range: a sliver left above lo goes with the window.
    # (The same word, 10% of the rows of each range.)
    assert list(backend._windows(stats, 991, 1000, expected=900, cap=400)) == [(991, 1000)]
    assert list(backend._windows(stats, 985, 1000, expected=1500, cap=400))[0] == (992, 1000)
    for found in (None, 0, 50):
        gen = backend._windows(stats, 0, 1000, expected=100_000, cap=400, tiers=[991, 900])
        pieces = [next(gen)]
        try:
            while True:
                pieces.append(gen.send(found))
        except StopIteration:
            pass
        for (bottom, _top), (_b, lower_top) in zip(pieces, pieces[1:], strict=False):
            assert lower_top == bottom - 1
        assert pieces[-1][0] == 0
