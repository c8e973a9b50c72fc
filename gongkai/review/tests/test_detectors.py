"""The text detectors, through scan_text as callers use them. No database needed."""

import pytest

from gongkai.orgs.creditcode import make_credit_code
from gongkai.review.detectors import mask_id_numbers_in_html
from gongkai.review.kinds import Confidence, Kind
from gongkai.review.matchers import PhraseMatcher, Ruleset, WordMatcher, parse_word_list
from gongkai.review.scanner import scan_document, scan_text

from .helpers import CARD_16, CARD_19, CARD_BAD, ID_A, ID_BAD, ID_X, make_id


def kinds(text, **kwargs):
    return [f.kind for f in scan_text(text, **kwargs).findings]


def found(text, kind, **kwargs):
    return [f for f in scan_text(text, **kwargs).findings if f.kind == kind]


# -- classification marks ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("秘密★1年\n关于做好防汛工作的通知", "秘密★1年"),
        ("机密★10年", "机密★10年"),
        ("绝密 ★ 长期\n正文", "绝密 ★ 长期"),
        ("文件编号：2012-3\n【内部】\n会议纪要", "内部"),
        ("〔工作秘密〕关于人事调整的请示", "工作秘密"),
        ("密级：机密\n紧急程度：特急", "机密"),
        ("内部资料\n2012年度工作要点", "内部资料"),
        ("秘密 关于征地补偿的会议纪要", "秘密"),
        ("本材料仅供内部使用，请勿转发。", "仅供内部使用"),
        ("此件不得外传。", "不得外传"),
    ],
)
def test_it_flags_classification_marks(text, value):
    marks = found(text, Kind.CLASSIFICATION)
    assert [m.value for m in marks] == [value]


def test_it_scores_a_mark_where_marks_stand_above_one_in_a_sentence():
    (standalone,) = found("内部资料\n正文", Kind.CLASSIFICATION)
    (inline,) = found("请将这份内部资料交回办公室。", Kind.CLASSIFICATION)
    assert standalone.confidence == Confidence.HIGH
    assert inline.confidence == Confidence.MEDIUM


@pytest.mark.parametrize(
    "text",
    [
        "请党政人大办秘书科于周五前报送。",
        "秘书长出席会议并讲话。",
        "系统应保障数据的机密性、完整性和可用性。",
        "机密性是信息安全的基本要求之一。",
        "加强内部控制，完善内部审计制度。",
        "内部控制制度汇编",
        "涉及国家秘密、工作秘密和商业秘密的信息不予公开。",
        "依法保护商业秘密和个人隐私。",
        "取得内部资料性出版物准印证。",
        "国家秘密的密级分为绝密、机密、秘密三级。",
    ],
)
def test_it_does_not_flag_ordinary_words(text):
    assert found(text, Kind.CLASSIFICATION) == []


# -- ID numbers, credit codes, phones, cards ---------------------------------------------------


def test_it_flags_id_numbers_with_a_valid_check_digit():
    text = f"申请人张三，身份证号{ID_A}；代理人李四，身份证号码{ID_X}。"
    ids = found(text, Kind.ID_NUMBER)
    assert [f.value for f in ids] == [ID_A[:6] + "********" + ID_A[-4:], "110105********002X"]
    assert all(f.confidence == Confidence.HIGH for f in ids)


def test_it_reads_id_numbers_written_in_groups_or_full_width():
    grouped = f"{ID_A[:6]} {ID_A[6:14]} {ID_A[14:]}"
    full_width = ID_A.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert len(found(f"身份证：{grouped}", Kind.ID_NUMBER)) == 1
    assert len(found(f"身份证：{full_width}", Kind.ID_NUMBER)) == 1


def test_it_does_not_flag_an_id_number_with_a_wrong_check_digit():
    text = f"编号{ID_BAD}"
    assert found(text, Kind.ID_NUMBER) == []
    # nor takes it for a bank card
    assert found(text, Kind.BANK_CARD) == []


def test_it_does_not_flag_id_shaped_numbers_with_an_impossible_birth_date():
    assert found(make_id("44190019851345123"), Kind.ID_NUMBER) == []  # month 13


def test_it_does_not_take_credit_codes_for_ids_or_cards():
    codes = [
        make_credit_code("91441900MA4UABCD1"),  # letters inside
        make_credit_code("11441900007330001"),  # all digits (a government body)
        make_credit_code("12441900733100001"),
    ]
    text = "；".join(f"单位{i}统一社会信用代码：{code}" for i, code in enumerate(codes))
    assert scan_text(text).findings == []


def test_it_flags_an_id_that_happens_to_be_a_valid_credit_code_unless_it_is_labelled_one():
    # Search an ID number that is also a valid credit code (about one in 31 are).
    for serial in range(1000):
        first17 = f"441900198506{15:02d}{serial:03d}"[:17]
        number = make_id(first17)
        from gongkai.orgs.creditcode import is_valid_credit_code

        if number.isdigit() and is_valid_credit_code(number):
            break
    else:  # pragma: no cover
        pytest.fail("no ambiguous number found")
    assert len(found(f"身份证号 {number}", Kind.ID_NUMBER)) == 1
    assert found(f"统一社会信用代码：{number}", Kind.ID_NUMBER) == []


@pytest.mark.parametrize(
    "text",
    [
        "手机13800138000",
        "手机：138-0013-8000",
        "电话 +86 138 0013 8000",
        "8613900139000",
        "+8615012345678",
    ],
)
def test_it_flags_mobile_numbers(text):
    (mobile,) = found(text, Kind.MOBILE)
    assert "****" in mobile.value
    digits = [c for c in mobile.value if c.isdigit()]
    assert len(digits) == len([c for c in text if c.isdigit()]) - 4


@pytest.mark.parametrize(
    "text",
    [
        "办公电话 0769-83322000",
        "编号12345678901",
        "订单号 138001380001",
        "2012年1月1日至2012年12月31日",
        "投资 13800138000.5 万元",
    ],
)
def test_it_does_not_flag_other_numbers_as_mobiles(text):
    assert found(text, Kind.MOBILE) == []


def test_it_masks_phones_keeping_three_and_four():
    (mobile,) = found("手机13800138000", Kind.MOBILE)
    assert mobile.value == "138****8000"


def test_it_flags_bank_cards_that_pass_luhn():
    grouped = " ".join(CARD_19[i : i + 4] for i in range(0, 19, 4))
    text = f"开户银行卡号 {CARD_16}，另一张 {grouped}。"
    cards = found(text, Kind.BANK_CARD)
    assert [c.value for c in cards] == [
        "************" + CARD_16[-4:],
        "**** **** **** ***" + CARD_19[-4] + " " + CARD_19[-3:],  # the last four digits
    ]


def test_it_does_not_flag_card_numbers_failing_luhn():
    assert found(f"卡号 {CARD_BAD}", Kind.BANK_CARD) == []


def test_it_flags_email_addresses_masked_to_first_letter_and_domain():
    (email,) = found("请发送至 zhang.san@example.com 。", Kind.EMAIL)
    assert email.value == "z***@example.com"
    assert email.confidence == Confidence.MEDIUM
    (official,) = found("邮箱xxgk@liaobu.gov.cn", Kind.EMAIL)
    assert official.confidence == Confidence.LOW


@pytest.mark.parametrize("text", ["@寮步镇人民政府 发布", "用户名 admin@localhost", "a@b"])
def test_it_does_not_flag_what_is_not_an_email(text):
    assert found(text, Kind.EMAIL) == []


def test_it_flags_house_addresses_with_low_confidence():
    (address,) = found("户籍地址：寮步镇香园路12号3栋2单元501室。", Kind.ADDRESS)
    assert address.confidence == Confidence.LOW
    assert address.value.endswith("香园路**号*栋*单元***室")
    assert len(found("居住在金域花园B座1203房", Kind.ADDRESS)) == 1
    assert len(found("家住横坑村三组15号", Kind.ADDRESS)) == 1


def test_it_does_not_flag_an_office_address_without_a_room():
    assert found("办公地址：东莞市寮步镇香市路1号", Kind.ADDRESS) == []


# -- snippets, fingerprints --------------------------------------------------------------------


def test_it_masks_every_personal_value_in_a_snippet():
    text = f"经核实，申请人王五（身份证号{ID_A}，手机13800138000）已于2012年提交申请材料。"
    report = scan_text(text)
    assert {f.kind for f in report.findings} == {Kind.ID_NUMBER, Kind.MOBILE}
    for finding in report.findings:
        assert ID_A not in finding.snippet
        assert "13800138000" not in finding.snippet
        assert "138****8000" in finding.snippet
        assert ID_A[:6] + "********" + ID_A[-4:] in finding.snippet
    everything = str(report.as_dict())
    assert ID_A not in everything and "13800138000" not in everything


def test_it_shows_about_twenty_characters_each_side():
    before = "甲" * 30
    after = "乙" * 30
    (mark,) = found(f"{before}【机密】{after}", Kind.CLASSIFICATION)
    assert mark.snippet == "…" + "甲" * 19 + "【机密】" + "乙" * 19 + "…"


def test_it_gives_a_finding_the_same_fingerprint_when_the_text_around_it_changes():
    first = found("第一行\n手机13800138000", Kind.MOBILE)[0]
    moved = found("新加的一行\n第一行改了\n手机 138-0013-8000", Kind.MOBILE)[0]
    assert moved.line == 3
    assert first.fingerprint == moved.fingerprint
    second_occurrence = found("13800138000 和 13800138000", Kind.MOBILE)
    assert second_occurrence[0].fingerprint != second_occurrence[1].fingerprint
    other_field = found("手机13800138000", Kind.MOBILE, field="摘要")[0]
    assert other_field.fingerprint != first.fingerprint


def test_it_never_puts_the_raw_number_in_a_fingerprint():
    (finding,) = found(f"身份证号{ID_A}", Kind.ID_NUMBER)
    assert ID_A not in finding.fingerprint and len(finding.fingerprint) == 40


# -- words and the allow-list ------------------------------------------------------------------


def test_it_finds_listed_words_with_their_category_once_each():
    words = WordMatcher([("征求意见稿", "未定稿"), ("意见稿", "未定稿"), ("FLG", "政治")])
    report = scan_text("附件：征求意见稿（flg）\n第二行没有", ruleset=Ruleset(words=words))
    hits = [(f.value, f.category, f.line) for f in report.findings if f.kind == Kind.SENSITIVE_WORD]
    assert hits == [("征求意见稿", "未定稿", 1), ("FLG", "政治", 1)]


def test_it_keeps_finding_words_after_learning_the_character_order():
    words = WordMatcher([("标底", "招标")])
    text = ("寮步镇召开安全生产工作会议。" * 2000) + "本项目标底为100万元。"
    for _ in range(12):  # enough text for the matcher to reorder itself
        assert [
            f.value for f in found(text, Kind.SENSITIVE_WORD, ruleset=Ruleset(words=words))
        ] == ["标底"]
    assert words._sample is None  # it has learned


def test_it_suppresses_findings_inside_an_allowed_phrase():
    words = WordMatcher([("秘书", "测试")])
    ruleset = Ruleset(words=words, allowed=PhraseMatcher(["秘书科"]))
    report = scan_text("请秘书科收文。秘书处另行通知。", ruleset=ruleset)
    assert [f.snippet.count("秘书处") for f in report.findings] == [1]
    assert report.suppressed == 1


def test_it_never_lets_an_allowed_phrase_hide_an_unrelated_finding():
    ruleset = Ruleset(allowed=PhraseMatcher(["联系电话"]))
    assert kinds("联系电话13800138000", ruleset=ruleset) == [Kind.MOBILE]


def test_it_parses_the_word_list_file_format():
    parsed = parse_word_list(
        "\ufeff# 注释\n\n标底\t招标采购\n  病历  \n标底\n单\n讨论稿 # 行尾注释\n".encode()
    )
    assert parsed.entries == [("标底", "招标采购"), ("病历", ""), ("讨论稿", "")]
    assert [lineno for lineno, _msg in parsed.errors] == [6]


def test_it_refuses_a_word_list_that_is_not_utf8():
    with pytest.raises(ValueError, match="UTF-8"):
        parse_word_list("标底\n".encode("gb18030"))


# -- fields, HTML, the one-click mask ----------------------------------------------------------


def test_it_scans_html_bodies_as_text_with_paragraph_lines():
    body = f"<p>第一段</p><p>第二段<b>秘密★1年</b></p><p>身份证 {ID_A}</p>"
    report = scan_document(fields={"title": "通知", "body": body}, attachments=[])
    by_kind = {f.kind: f for f in report.findings}
    assert by_kind[Kind.ID_NUMBER].field == "正文"
    assert by_kind[Kind.ID_NUMBER].line == 3
    assert by_kind[Kind.CLASSIFICATION].value == "秘密★1年"
    assert "<p>" not in by_kind[Kind.ID_NUMBER].snippet


def test_it_masks_valid_id_numbers_in_html_in_one_click():
    code = make_credit_code("11441900007330001")
    html = (
        f'<p data-block-key="a1">申请人身份证 {ID_A}</p>'
        f"<p>代理人 <b>{ID_X}</b>；错号 {ID_BAD}；信用代码 {code}</p>"
    )
    masked, count = mask_id_numbers_in_html(html)
    assert count == 2
    assert ID_A not in masked and ID_X not in masked
    assert ID_A[:6] + "********" + ID_A[-4:] in masked
    assert "<b>110105********002X</b>" in masked
    assert ID_BAD in masked and code in masked
    assert masked.count("<p") == 2 and 'data-block-key="a1"' in masked
    assert mask_id_numbers_in_html("<p>没有号码</p>") == ("<p>没有号码</p>", 0)


def test_it_reports_a_field_it_could_not_scan_instead_of_raising():
    class Broken:
        def __str__(self):
            raise RuntimeError("boom")

    report = scan_text(Broken(), field="title")
    assert [(f.kind, f.field) for f in report.findings] == [(Kind.UNREADABLE, "标题")]
