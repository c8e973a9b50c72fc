"""Whatever is typed into the box, the answer is results or an empty page with a hint."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.search.selectors import search_items

BAD_QUERIES = [
    "",
    "   ",
    "安全" * 150,  # over 200 characters
    "！？。，、；：“”（）【】《》",
    "...---+++***",
    "AND",
    "OR NOT",
    "安全 AND 生产 OR NOT 通知",
    "NEAR(安全 生产, 2)",
    "安全*",
    "^安全",
    "title:安全",
    "meta : o1",
    '"',
    '"安全生产',
    '安全生产"',
    "“安全生产",
    "(安全",
    "安全)",
    "-安全",
    "+安全 -",
    "'; DROP TABLE catalogue_disclosureitem; --",
    "1' OR '1'='1",
    "安全' UNION SELECT * FROM auth_user --",
    "\\'\\\"\\\\",
    "%_%",
    "\x00安全\x00",
    "😀🏛️",
    "〔〕【】[]()",
    "第号",
    "东府办函〔",
    "<script>alert(1)</script>",
    "&amp;&lt;",
    "a" * 5000,
]


@pytest.fixture
def items(publish):
    return [
        publish("关于做好安全生产工作的通知", body="<p>安全生产责任重大。</p>"),
        publish("寮步镇政府信息公开指南", document_number="东府办函〔2012〕53号"),
    ]


@pytest.mark.parametrize("raw", BAD_QUERIES)
def test_it_answers_any_query_without_an_error(items, raw):
    results = search_items(query=raw, filters={})
    assert results.total >= 0
    assert results.total == 0 or results.hits
    if results.total == 0:
        assert results.suggestions or results.notices or results.empty_query
    for hit in results.hits:
        assert "<script>" not in hit.title_html + hit.snippet_html


def test_it_explains_an_empty_query(items):
    results = search_items(query="", filters={})
    assert results.empty_query and results.hits == []
    assert results.suggestions[0].kind == "tip"


def test_it_explains_a_punctuation_only_query(items):
    results = search_items(query="！？。，、", filters={})
    assert results.empty_query and results.notices


def test_it_still_finds_the_words_among_operators(items):
    first = items[0].pk
    for raw in ["安全 AND 生产", "安全*", "(安全", '"安全生产', "安全:", "+安全", "NOT 安全"]:
        assert [h.item.pk for h in search_items(query=raw, filters={}).hits] == [first], raw


def test_it_cuts_a_very_long_query_and_says_so(items):
    results = search_items(query="安全生产" + "。" * 300, filters={})
    assert any("200" in notice for notice in results.notices)
    assert [h.item.pk for h in results.hits] == [items[0].pk]


def test_it_survives_bad_paging_and_filters(items):
    results = search_items(
        query="安全",
        filters={"year": "1' OR 1=1", "organisation": ["1", "x"], "document_number": "〔〕"},
        page="-3",
        per_page="lots",
    )
    assert results.page == 1 and results.per_page == 20
    assert len(results.notices) == 3


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    raw=st.text(
        alphabet=st.one_of(
            st.characters(codec="utf-8"),
            st.sampled_from(list('安全生产通知东府办函〔〕[]()（）【】第号"“”*^:-+ ANDORNOT')),
        ),
        max_size=300,
    )
)
def test_it_never_fails_on_fuzzed_queries(items, raw):
    results = search_items(query=raw, filters={})
    assert results.total >= 0
    for hit in results.hits:
        assert "<script" not in hit.title_html
