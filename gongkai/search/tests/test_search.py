"""Finding published items: fields, segmentation, document numbers, filters, ranking, paging.

These run unchanged on SQLite (FTS5) and PostgreSQL (tsvector); see DATABASE_URL in the docs.
"""

from datetime import date

import pytest
from django.utils import timezone

from gongkai.catalogue.models import Category, DisclosureItem
from gongkai.search.selectors import search_items


def test_it_finds_a_word_inside_a_longer_segmented_phrase(publish, search):
    item = publish("关于做好政府信息公开工作的通知")
    other = publish("关于做好安全生产工作的通知")
    assert search("信息公开") == [item.pk]
    assert set(search("工作 通知")) == {item.pk, other.pk}


def test_it_searches_titles_summaries_bodies_and_document_numbers(publish, search):
    by_title = publish("寮步镇河长制工作方案")
    by_summary = publish("一季度通报", summary="通报河长制巡河情况")
    by_body = publish("会议纪要", body="<p>会议研究了<b>河长制</b>落实问题。</p>")
    publish("无关的信息", body="<p>道路维修</p>")
    assert set(search("河长制")) == {by_title.pk, by_summary.pk, by_body.pk}


def test_it_finds_attachment_text(publish, make_attachment, search):
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("附件：寮步镇防汛抢险物资储备清单")
    buffer = io.BytesIO()
    document.save(buffer)
    item = publish(
        "关于印发防汛工作方案的通知",
        attachments=[make_attachment("清单.docx", buffer.getvalue(), title="物资清单")],
    )
    publish("关于印发防汛宣传方案的通知")
    assert search("抢险物资") == [item.pk]
    hit = search_items(query="抢险物资", filters={}).hits[0]
    assert hit.matched_in == "attachment"
    assert "<mark>抢险物资</mark>" in hit.snippet_html


@pytest.mark.parametrize(
    "typed",
    [
        "东府办函〔2012〕53号",
        "东府办函[2012]53号",
        "东府办函【2012】53号",
        "东府办函(2012)53号",
        "东府办函（2012）53号",
        "东府办函［2012］53号",
        "东府办函〔2012〕第53号",
        "东府办函【2012】第53号",
        "东府办函2012年第53号",
    ],
)
def test_it_finds_a_document_number_however_the_brackets_are_typed(publish, search, typed):
    item = publish("关于调整镇级财政预算的函", document_number="东府办函〔2012〕53号")
    publish("关于调整镇级财政决算的函", document_number="东府办函〔2012〕54号")
    publish("关于另一事项的函", document_number="东府办函〔2013〕53号")
    assert search(typed) == [item.pk]
    assert search(document_number=typed) == [item.pk]


def test_it_finds_a_document_number_stored_with_other_brackets(publish, search):
    item = publish("关于某事项的批复", document_number="东府办函[2012]第53号")
    assert search("东府办函〔2012〕53号") == [item.pk]
    assert search("〔2012〕53号") == [item.pk]


def test_it_ranks_the_document_itself_before_documents_citing_it(publish, search):
    citing = publish(
        "关于落实有关文件的通知", body="<p>根据东府办函〔2012〕53号文件精神，现通知如下。</p>"
    )
    itself = publish("关于调整预算的函", document_number="东府办函〔2012〕53号")
    assert search("东府办函[2012]53号") == [itself.pk, citing.pk]


def test_it_filters_by_organisation_including_sub_organisations(
    publish, search, town, village, other_town
):
    own = publish("村务公开栏更新", organisation=town)
    in_village = publish("村务公开栏更新", organisation=village)
    elsewhere = publish("村务公开栏更新", organisation=other_town)
    assert set(search("村务公开")) == {own.pk, in_village.pk, elsewhere.pk}
    assert set(search("村务公开", organisation=town.pk)) == {own.pk, in_village.pk}
    assert search("村务公开", organisation=village) == [in_village.pk]


def test_it_filters_by_category_year_and_validity(publish, search):
    plans = Category.objects.get(scheme="info", name="规划计划")
    planned = publish("寮步镇环境保护工作计划", category=plans, published=date(2012, 3, 1))
    later = publish("寮步镇环境保护工作计划", published=date(2013, 3, 1))
    repealed = publish(
        "寮步镇环境保护工作计划",
        published=date(2013, 4, 1),
        validity=DisclosureItem.Validity.REPEALED,
        validity_changed_on=date(2014, 1, 1),
    )
    assert search("环境保护", category=plans.pk) == [planned.pk]
    assert search("环境保护", year=2012) == [planned.pk]
    assert set(search("环境保护", year="2013")) == {later.pk, repealed.pk}
    assert search("环境保护", validity="repealed") == [repealed.pk]
    assert set(search("环境保护", validity=["in_force", "amended"])) == {planned.pk, later.pk}


def test_it_filters_by_column_and_site(publish, search, town):
    from wagtail.models import Page, Site

    from gongkai.catalogue.models import ColumnPage

    root = Page.get_first_root_node()
    home_a = root.add_child(instance=Page(title="站点甲", slug="site-a"))
    home_b = root.add_child(instance=Page(title="站点乙", slug="site-b"))
    site_a = Site.objects.create(hostname="a.example", root_page=home_a)
    site_b = Site.objects.create(hostname="b.example", root_page=home_b)
    notices = home_a.add_child(instance=ColumnPage(title="通知公告", slug="tzgg"))
    sub = notices.add_child(instance=ColumnPage(title="镇政府通知", slug="zzf"))
    news = home_b.add_child(instance=ColumnPage(title="工作动态", slug="gzdt"))
    in_sub = publish("防台风工作部署", columns=[sub])
    in_news = publish("防台风工作部署", columns=[news])
    nowhere = publish("防台风工作部署")
    assert set(search("防台风")) == {in_sub.pk, in_news.pk, nowhere.pk}
    assert search("防台风", column=notices.pk) == [in_sub.pk]  # with its sub-columns
    assert search("防台风", column=sub) == [in_sub.pk]
    assert search("防台风", site=site_b.pk) == [in_news.pk]
    results = search_items(query="防台风", filters={}, site=site_a)
    assert [h.item.pk for h in results.hits] == [in_sub.pk]


def test_it_browses_filters_without_words_newest_first(publish, search):
    old = publish("甲", published=date(2012, 1, 5))
    new = publish("乙", published=date(2012, 6, 5))
    publish("丙", published=date(2013, 1, 5))
    assert search("", year=2012) == [new.pk, old.pk]


def test_it_highlights_matches_in_escaped_html(publish):
    publish(
        "<script>alert(1)</script>关于安全生产的通知",
        summary="请各单位做好安全生产检查 & 整改。",
    )
    hit = search_items(query="安全生产", filters={}).hits[0]
    assert hit.title_html == (
        "&lt;script&gt;alert(1)&lt;/script&gt;关于<mark>安全生产</mark>的通知"
    )
    assert "<mark>安全生产</mark>检查 &amp; 整改" in hit.snippet_html
    assert "<script>" not in hit.snippet_html


def test_it_highlights_the_document_number_however_it_was_typed(publish):
    publish("关于预算的函", document_number="东府办函〔2012〕53号")
    hit = search_items(query="东府办函[2012]53号", filters={}).hits[0]
    assert hit.document_number_html == "<mark>东府办函〔2012〕53号</mark>"
    assert hit.matched_in == "document_number"


def test_it_ranks_newer_items_first_among_equals(publish, search):
    old = publish("关于开展消防安全检查的通知", published=date(2015, 3, 2))
    new = publish("关于开展消防安全检查的通知", published=date(2024, 3, 4))
    middle = publish("关于开展消防安全检查的通知", published=date(2020, 3, 2))
    assert search("消防安全") == [new.pk, middle.pk, old.pk]


def test_it_ranks_a_title_match_above_a_newer_passing_mention(publish, search):
    titled = publish("寮步镇垃圾分类工作实施方案", published=date(2019, 5, 6))
    mention = publish(
        "镇领导调研环境卫生",
        body="<p>调研中提到了垃圾分类。</p><p>" + "环境卫生整治工作要持续推进。" * 20 + "</p>",
        published=date(2024, 5, 6),
    )
    assert search("垃圾分类") == [titled.pk, mention.pk]


def test_it_pages_through_results(publish):
    items = [publish(f"第{i}期安全生产简报", published=date(2024, 1, 1 + i)) for i in range(5)]
    first = search_items(query="安全生产", filters={}, per_page=2, page=1)
    second = search_items(query="安全生产", filters={}, per_page=2, page=2)
    third = search_items(query="安全生产", filters={}, per_page=2, page=3)
    assert first.total == 5 and first.num_pages == 3
    seen = [h.item.pk for r in (first, second, third) for h in r.hits]
    assert sorted(seen) == sorted(i.pk for i in items)
    assert first.has_next and not third.has_next and third.has_previous
    beyond = search_items(query="安全生产", filters={}, per_page=2, page=99)
    assert beyond.page == 3 and len(beyond.hits) == 1


def test_it_caps_candidates_and_says_so(publish, settings):
    settings.GONGKAI_SEARCH_CANDIDATES = 3
    for i in range(6):
        publish(f"第{i}期安全生产简报", published=date(2024, 1, 1 + i))
    results = search_items(query="安全生产", filters={}, per_page=2)
    assert results.total_is_estimate
    assert results.total >= 3
    assert len(results.hits) == 2


def test_it_excludes_words_with_a_minus(publish, search):
    tender = publish("寮步镇道路工程招标公告")
    publish("寮步镇道路工程中标公告")
    assert search("道路工程 -中标") == [tender.pk]


def test_it_matches_a_quoted_phrase_only_when_the_words_are_together(publish, search):
    together = publish("关于财务收支情况的公示")
    apart = publish(
        "财务人员名单", body="<p>" + "各单位要按时报送。" * 10 + "年度收支另行通知。</p>"
    )
    assert set(search("财务 收支")) == {together.pk, apart.pk}
    assert search('"财务收支"') == [together.pk]


def test_it_suggests_dropping_filters_when_nothing_matches(publish):
    publish("寮步镇农村土地承包经营权流转情况", published=date(2013, 3, 4))
    results = search_items(query="土地承包", filters={"year": 2012})
    assert results.total == 0
    drop = [s for s in results.suggestions if s.kind == "drop_filters"]
    assert drop and drop[0].count == 1 and drop[0].keep_filters is False


def test_it_suggests_fewer_words_when_nothing_matches(publish):
    publish("寮步镇农村土地承包经营权流转情况")
    results = search_items(query="土地承包 飞机场", filters={})
    assert results.total == 0
    fewer = [s for s in results.suggestions if s.kind == "fewer_words"]
    assert fewer and fewer[0].query == "土地承包" and fewer[0].count == 1


def test_it_suggests_similar_titles_by_character_ngrams(publish):
    item = publish("寮步镇最低生活保障对象名单公示")
    results = search_items(query="寮步镇最低生活保证对像名单", filters={})
    assert results.total == 0
    similar = [s for s in results.suggestions if s.kind == "similar_title"]
    assert [s.item.pk for s in similar] == [item.pk]


def test_it_ignores_bad_filter_values_with_a_notice(publish, search):
    item = publish("寮步镇安全生产月活动方案")
    results = search_items(
        query="安全生产", filters={"organisation": "abc", "year": "九九", "validity": "bogus"}
    )
    assert [h.item.pk for h in results.hits] == [item.pk]
    assert len(results.notices) == 3
    with pytest.raises(ValueError):
        search_items(query="安全生产", filters={"colour": "red"})


def test_it_never_returns_an_item_the_index_still_holds_after_withdrawal(publish, search):
    item = publish("寮步镇安全生产月活动方案")
    assert search("安全生产") == [item.pk]
    # Withdrawn behind the index's back (no signal): the query-time guard still drops it.
    DisclosureItem.objects.filter(pk=item.pk).update(withdrawn_at=timezone.now())
    assert search("安全生产") == []


def test_fewer_words_counts_stop_at_their_limit_and_say_so(publish, monkeypatch):
    monkeypatch.setattr("gongkai.search.selectors.FEWER_WORDS_COUNT_LIMIT", 2)
    for n in range(3):
        publish(f"寮步镇农村土地承包经营权流转情况第{n}期")
    results = search_items(query="土地承包 飞机场", filters={})
    assert results.total == 0
    fewer = [s for s in results.suggestions if s.kind == "fewer_words"]
    assert fewer and fewer[0].count == 2
    assert "2+条结果" in fewer[0].label


def test_a_quoted_phrase_is_marked_as_a_whole(publish):
    item = publish(
        "寮步镇消防工作简报",
        body="<p>全镇开展消防检查。本镇消防工作取得成效，各单位工作落实到位。</p>",
    )
    hits = search_items(query="“消防工作”", filters={}).hits
    assert [hit.item.pk for hit in hits] == [item.pk]
    hit = hits[0]
    assert hit.title_html == "寮步镇<mark>消防工作</mark>简报"
    assert "本镇<mark>消防工作</mark>取得成效" in hit.snippet_html
    # Its words alone are not marked where the phrase itself is found.
    assert "<mark>消防</mark>" not in hit.snippet_html
    assert "<mark>工作</mark>" not in hit.snippet_html
    # Unquoted, the words are marked wherever they are.
    loose = search_items(query="消防工作", filters={}).hits[0]
    assert "<mark>消防</mark>检查" in loose.snippet_html


def test_a_phrase_found_across_punctuation_marks_its_words(publish):
    # The words are neighbours in the index (punctuation is not a token), so the phrase
    # matches, but it is not in the text as typed: its words are marked instead.
    item = publish("寮步镇消防，工作简报", body="<p>本期内容。</p>")
    hits = search_items(query="“消防工作”", filters={}).hits
    assert [hit.item.pk for hit in hits] == [item.pk]
    assert hits[0].title_html == "寮步镇<mark>消防</mark>，<mark>工作</mark>简报"
    assert hits[0].matched_in == "title"
