"""The SQLite backend's large-index paths (issue 7, 1,000,000 items), forced on small data.

On a large index bm25() leaves out phrases in more than half the rows, and a filter group of
many tokens (an organisation with its sub-units) is checked on the candidates' stored meta
column. Those paths must give the same hits as the plain ones.
"""

from datetime import date

import pytest
from django.db import connection

from gongkai.search.backends import sqlite as backend

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite FTS5 backend only")


def treat_as_large(monkeypatch):
    monkeypatch.setattr(backend, "SMALL_TABLE", 0)
    monkeypatch.setattr(backend, "BIG_META_GROUP", 1)


@pytest.fixture
def large(monkeypatch):
    """Treat the test index as a large one."""
    treat_as_large(monkeypatch)


def test_the_row_count_comes_from_the_averages_record(publish):
    for n in range(3):
        publish(f"第{n}号公告")
    with connection.cursor() as cursor:
        assert backend._rows(cursor, backend.ALL_TABLE, {}) == 3
        assert backend._rows(cursor, backend.HEAD_TABLE, {}) == 3
    assert backend._varints(bytes([0x81, 0x00])) == [128]


def test_a_phrase_in_most_rows_is_common_and_left_out_of_scoring(publish, large):
    publish("寮步镇防汛工作通知")
    publish("寮步镇工作简报")
    publish("寮步镇预算公开")
    publish("寮步镇招商引资工作")
    memo = {}
    with connection.cursor() as cursor:
        assert backend._common(cursor, backend.ALL_TABLE, '"寮步镇"', memo)
        assert not backend._common(cursor, backend.ALL_TABLE, '"防汛"', memo)
        common = lambda phrase: backend._common(cursor, backend.ALL_TABLE, phrase, memo)  # noqa: E731
        from gongkai.search import query as q

        pruned = backend._prune(q.And((q.Tok("寮步镇"), q.Tok("防汛"))), common)
    assert pruned == q.Tok("防汛")


def test_large_index_paths_give_the_same_hits(
    publish, search, town, village, other_town, monkeypatch
):
    titled = publish("寮步镇垃圾分类工作实施方案", published=date(2019, 5, 6))
    mention = publish(
        "镇领导调研环境卫生",
        body="<p>调研中提到了垃圾分类。</p><p>" + "环境卫生整治工作要持续推进。" * 20 + "</p>",
        published=date(2024, 5, 6),
        organisation=village,
    )
    elsewhere = publish("垃圾分类宣传周", organisation=other_town, published=date(2023, 1, 1))
    # so that 垃圾分类 is not in most rows
    briefs = [publish(f"第{n}期工作简报", published=date(2023, 6, 1)).pk for n in range(3)]
    plain = search("垃圾分类")
    assert set(plain) == {titled.pk, elsewhere.pk, mention.pk}
    treat_as_large(monkeypatch)
    # Ranking unchanged (垃圾分类 is not in most rows, so it is still scored).
    assert search("垃圾分类") == plain
    # The organisation with its village is two tokens: checked on the candidates.
    assert search("垃圾分类", organisation=town.pk) == [titled.pk, mention.pk]
    assert search("垃圾分类", organisation=village.pk) == [mention.pk]
    # Browsing by organisation (no words) too.
    assert set(search("", organisation=town.pk)) == {titled.pk, mention.pk, *briefs}
    # When too few fetched rows pass, the full query runs and still finds them all.
    monkeypatch.setattr(backend, "META_OVERFETCH", 1)
    monkeypatch.setattr("gongkai.search.selectors.DEFAULT_CANDIDATES", 2)
    assert search("垃圾分类", organisation=town.pk) == [titled.pk, mention.pk]


def test_a_query_whose_uncommon_words_never_meet_is_proved_empty_without_the_full_walk(
    publish, large
):
    from gongkai.search import query as q
    from gongkai.search.backends.base import Filters
    from gongkai.search.selectors import search_items

    publish("寮步镇防汛工作通知")
    publish("寮步镇预算公开")
    publish("寮步镇工作简报")
    both = q.And((q.Tok("寮步镇"), q.Tok("防汛"), q.Tok("预算")))
    meet = q.And((q.Tok("寮步镇"), q.Tok("防汛"), q.Tok("通知")))
    with connection.cursor() as cursor:
        # 寮步镇 is in every row: left out, 防汛 AND 预算 matches nothing, so neither can the query.
        assert backend._surely_empty(cursor, backend.ALL_TABLE, both, Filters(), {})
        # When the looser query matches something, nothing is claimed: the full query decides.
        assert not backend._surely_empty(cursor, backend.ALL_TABLE, meet, Filters(), {})
        # No common word to leave out: no proof attempted.
        plain = q.And((q.Tok("防汛"), q.Tok("预算")))
        assert not backend._surely_empty(cursor, backend.ALL_TABLE, plain, Filters(), {})
    assert search_items(query="寮步镇 防汛 预算").total == 0
    found = search_items(query="寮步镇 防汛 通知")
    assert found.total == 1 and found.hits[0].item.title == "寮步镇防汛工作通知"
    # The "fewer words" counts use the same proof and still find what is there.
    fewer = [
        s for s in search_items(query="寮步镇 防汛 预算").suggestions if s.kind == "fewer_words"
    ]
    assert fewer and fewer[0].count == 1


def test_the_title_character_pairs_still_find_a_title_jieba_cut_differently(publish, large):
    from gongkai.search.selectors import search_items

    # In large mode the title (head) search and its character-pair fallback still run.
    item = publish("寮步镇最低生活保障对象名单公示")
    publish("寮步镇工作简报")
    results = search_items(query="寮步镇 生活保障对象")
    assert [h.item.pk for h in results.hits] == [item.pk]


def test_scores_are_fts5_bm25_computed_from_the_stored_columns(publish):
    """`_scores` gives what bm25() gives, without bm25()'s walk over whole posting lists."""
    from gongkai.search import query as q
    from gongkai.search.backends.base import Filters

    publish("寮步镇垃圾分类工作方案", body="<p>垃圾分类要分类投放。</p>", summary="垃圾分类")
    publish("寮步镇环境卫生通知", body="<p>" + "环境卫生整治。" * 5 + "垃圾分类。</p>")
    publish("寮步镇预算公开", body="<p>预算公开。</p>")
    publish("防汛通知", body="<p>防汛工作要求。</p>")
    expr = q.And((q.Tok("垃圾"), q.Or((q.Tok("分类"), q.Tok("通知")))))
    match = backend.render(expr)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, -bm25(search_fts_all, 10.0, 10.0, 4.0, 2.0, 1.0, 0.5, 0.0) "
            "FROM search_fts_all WHERE search_fts_all MATCH %s",
            [match],
        )
        expected = dict(cursor.fetchall())
        ours = backend.SQLiteBackend(connection)._scores(
            cursor, backend.ALL_TABLE, expr, Filters(), sorted(expected), {}
        )
    assert len(expected) == 2
    assert ours.keys() == expected.keys()
    for key, value in expected.items():
        assert ours[key] == pytest.approx(value, rel=1e-9)


def test_document_frequencies_are_counted_then_estimated(publish, monkeypatch):
    monkeypatch.setattr(backend, "EXACT_DF", 5)
    monkeypatch.setattr(backend, "DF_ESTIMATE_SAMPLE", 3)
    monkeypatch.setattr(backend, "SMALL_TABLE", 0)  # counts are kept for large indexes only
    backend._df_cache.clear()
    for n in range(12):
        title = f"第{n}期防汛通知" if n % 4 == 0 else f"第{n}期工作简报"
        publish(title, published=date(2024, 1, 1 + n))
    with connection.cursor() as cursor:
        memo = {}
        assert backend._doc_freq(cursor, backend.ALL_TABLE, '"防汛"', memo) == 3  # counted
        # Estimated from the rows the newest 3 matches span (9 of 12 rows match).
        assert 5 <= backend._doc_freq(cursor, backend.ALL_TABLE, '"简报"', memo) <= 12
        # Kept for the next query in this process.
        assert (connection.settings_dict["NAME"], backend.ALL_TABLE, '"简报"') in backend._df_cache
    backend._df_cache.clear()


def test_a_capped_count_on_a_large_index_is_estimated_from_the_span(
    publish, large, settings, monkeypatch
):
    from gongkai.search.selectors import search_items

    settings.GONGKAI_SEARCH_CANDIDATES = 2
    for n in range(10):
        publish(f"第{n}期安全生产简报", published=date(2024, 1, 1 + n))
    publish("预算公开", published=date(2024, 2, 1))
    # Counted span: the newest two matches and the newer item without the words are three of
    # eleven rows, so about 7 rows match (10 really do).
    monkeypatch.setattr(backend, "DF_ESTIMATE_SAMPLE", 1000)
    results = search_items(query="安全生产", per_page=1)
    assert results.total_is_estimate
    assert results.total == 7
    # A span too long to count is taken from the days it covers: 9 January to 1 February is
    # 24 of the index's 32 days, so 8 rows, and 2 matches in 8 rows of 11 is about 3.
    monkeypatch.setattr(backend, "DF_ESTIMATE_SAMPLE", 1)
    results = search_items(query="安全生产", per_page=1)
    assert results.total == 3
