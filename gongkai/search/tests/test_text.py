"""Segmentation, document numbers and query parsing: the pieces both backends share."""

import pytest

from gongkai.search import docnumbers, query, text


def test_it_segments_in_search_mode_so_parts_of_long_words_are_tokens():
    tokens = text.tokens("中华人民共和国政府信息公开条例")
    for part in ("中华", "人民", "共和国", "信息", "公开", "条例"):
        assert part in tokens


def test_it_normalises_full_width_and_case_like_the_fts_tokenizer():
    assert set(text.tokens("ＡＢＣ１２３ Covid-19")) == {"abc123", "covid", "19"}
    assert all(t.isalnum() for t in text.tokens("（一）关于“安全生产”的通知！"))


def test_joined_runs_give_their_pieces_once_in_order_on_both_sides():
    # jieba keeps covid-19, v2.0, 3.5% and c++ whole; their pieces are the tokens, each once
    # (search mode used to give the sub-word covid again beside the run's own pieces).
    assert text.tokens("COVID-19疫情 v2.0 增长3.5% C++语言\r\n第二行") == [
        "covid",
        "19",
        "疫情",
        "v2",
        "0",
        "增长",
        "3",
        "5",
        "c",
        "语言",
        "第二",
        "二行",
        "第二行",
    ]
    # A query is cut the same way, so its words are the document's tokens.
    assert text.query_words("COVID-19疫情") == ["covid", "19", "疫情"]
    assert text.query_words("at&t") == text.tokens("AT&T") == ["at", "t"]


def test_it_knows_place_names_of_organisations(town):
    from gongkai.search import segment

    segment.reset()
    assert "寮步" in text.tokens("东莞市寮步镇横坑村财务公开")
    assert "寮步镇" in text.tokens("寮步镇人民政府关于安全生产的通知")


def test_it_takes_text_out_of_rich_text():
    html = "<p>第一段&amp;<b>加粗</b></p><script>alert(1)</script><ul><li>一</li><li>二</li></ul>"
    assert text.html_to_text(html) == "第一段&加粗\n一\n二"


def test_it_makes_title_bigrams():
    assert text.grams("寮步镇2012年") == ["寮步", "步镇", "年"]


@pytest.mark.parametrize(
    "typed",
    [
        "东府办函〔2012〕53号",
        "东府办函[2012]53号",
        "东府办函【2012】53号",
        "东府办函(2012)53号",
        "东府办函（2012）53号",
        "东府办函［2012］53号",
        "东府办函﹝2012﹞53号",
        "东府办函〔2012〕第53号",
        "东府办函[2012]第053号",
        "东府办函 ( 2012 ) 第 53 号",
        "东府办函2012年第53号",
    ],
)
def test_it_gives_every_bracket_style_the_same_document_number_token(typed):
    assert docnumbers.canonical(typed) == "东府办函2012h53"


def test_it_reads_numbers_without_a_year_and_without_an_agency():
    assert docnumbers.canonical("粤府令第262号") == "粤府令h262"
    assert docnumbers.canonical("〔2012〕53号") == "2012h53"
    assert docnumbers.canonical("第3号") == ""
    assert docnumbers.canonical("安全生产") == ""


def test_it_finds_a_document_number_after_other_words_in_a_query():
    parsed = query.parse("关于东府办函〔2012〕53号的通知")
    tokens = [t for n in parsed.docnos() for t in n.query_tokens()]
    assert "东府办函2012h53" in tokens
    assert "2012" not in list(query.walk_tokens(parsed.all_expr()))


@pytest.mark.parametrize(
    "raw",
    [
        'AND OR NOT NEAR * ^ : " ( ) - +',
        '"unpaired',
        "'; DROP TABLE catalogue_disclosureitem; --",
        "NEAR(a b, 3)",
        "title:安全",
        "\x00\x01\x1f",
        "安全 -",
        "-",
        "^*^*",
    ],
)
def test_it_turns_operators_into_plain_words_or_nothing(raw):
    parsed = query.parse(raw)
    for token in query.walk_tokens(parsed.all_expr()):
        assert token.isalnum()


def test_it_makes_quoted_text_a_phrase_and_minus_an_exclusion():
    parsed = query.parse("“安全生产 管理” -招标")
    assert isinstance(parsed.chunks[0].all_expr, query.Near)
    assert list(query.walk_tokens(parsed.exclusion_expr())) == ["招标"]


def test_it_cuts_a_long_query_with_a_notice():
    parsed = query.parse("安全" * 150)
    assert parsed.truncated
    assert len(parsed.text) == query.MAX_QUERY_CHARS
    assert "200" in parsed.notices[0]
