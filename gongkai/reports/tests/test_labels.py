"""Every label of the 2021 format, character for character (RULES.md §2)."""

from django.utils import translation

from gongkai.reports.formats import y2008, y2021


def _s(value) -> str:
    with translation.override("zh-hans"):
        return str(value)


def test_it_keeps_the_section_headings_of_the_2021_format():
    assert [_s(y2021.HEADINGS[k]) for k in y2021.SECTION_ORDER] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_it_keeps_the_section_two_labels():
    assert _s(y2021.ART20_1) == "第二十条第（一）项"
    assert _s(y2021.ART20_5) == "第二十条第（五）项"
    assert _s(y2021.ART20_6) == "第二十条第（六）项"
    assert _s(y2021.ART20_8) == "第二十条第（八）项"
    assert _s(y2021.CONTENT) == "信息内容"
    assert _s(y2021.ISSUED) == "本年制发件数"
    assert _s(y2021.REPEALED) == "本年废止件数"
    assert _s(y2021.IN_FORCE) == "现行有效件数"
    assert _s(y2021.RULES) == "规章"
    assert _s(y2021.NORMATIVE) == "行政规范性文件"
    assert _s(y2021.DECISIONS) == "本年处理决定数量"
    assert _s(y2021.LICENSING) == "行政许可"
    assert _s(y2021.PENALTY) == "行政处罚"
    assert _s(y2021.ENFORCEMENT) == "行政强制"
    assert _s(y2021.FEE_AMOUNT) == "本年收费金额（单位：万元）"
    assert _s(y2021.FEES) == "行政事业性收费"


def test_it_keeps_the_section_three_header_and_columns():
    assert (
        _s(y2021.IDENTITY_NOTE)
        == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    )
    assert _s(y2021.APPLICANTS) == "申请人情况"
    assert _s(y2021.LEGAL) == "法人或其他组织"
    assert [_s(label) for _key, label in y2021.COLUMNS] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]


def test_it_keeps_every_row_of_the_section_three_table():
    assert _s(y2021.NEW) == "一、本年新收政府信息公开申请数量"
    assert _s(y2021.CARRIED_IN) == "二、上年结转政府信息公开申请数量"
    assert _s(y2021.RESULTS) == "三、本年度办理结果"
    assert _s(y2021.RESULTS_TOTAL) == "（七）总计"
    assert _s(y2021.CARRIED_OUT) == "四、结转下年度继续办理"
    printed = []
    for _group, label, subs in y2021.GROUPS:
        printed.append(_s(label))
        printed += [_s(sub) for _k, sub in subs]
    assert printed == [
        "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（三）不予公开",
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4.保护第三方合法权益",
        "5.属于三类内部事务信息",
        "6.属于四类过程性信息",
        "7.属于行政执法案卷",
        "8.属于行政查询事项",
        "（四）无法提供",
        "1.本机关不掌握相关政府信息",
        "2.没有现成信息需要另行制作",
        "3.补正后申请内容仍不明确",
        "（五）不予处理",
        "1.信访举报投诉类申请",
        "2.重复申请",
        "3.要求提供公开出版物",
        "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
    ]
    # 三、本年度办理结果 spans 22 rows in the 2021 format (20 in the 2019 trial format).
    assert len(y2021.OUTCOME_ROW_KEYS) + 1 == 22


def test_it_keeps_the_section_four_labels():
    assert _s(y2021.RECONSIDERATION) == "行政复议"
    assert _s(y2021.LITIGATION) == "行政诉讼"
    assert _s(y2021.DIRECT_SUIT) == "未经复议直接起诉"
    assert _s(y2021.SUIT_AFTER) == "复议后起诉"
    assert [_s(label) for _k, label in y2021.APPEAL_COLUMNS] == [
        "结果维持",
        "结果纠正",
        "其他结果",
        "尚未审结",
        "总计",
    ]


def test_it_agrees_with_the_outcome_labels_of_the_applications_app():
    from gongkai.applications.outcomes import OUTCOMES

    for code, info in OUTCOMES.items():
        key = {"other": "other_other"}.get(code, code)
        assert y2021.row_label(key).endswith(_s(info.row_label)), code


def test_it_keeps_the_2008_headings_and_numbers_subsections_in_order():
    assert [_s(y2008.HEADINGS[k]) for k in y2008.SECTION_ORDER] == [
        "一、基本工作情况",
        "二、主动公开政府信息情况",
        "三、依申请公开政府信息情况",
        "四、政府信息公开相关费用情况",
        "五、申请行政复议、提起行政诉讼情况",
        "六、主要问题和改进措施",
    ]
    assert [y2008.subsection_number(n) for n in (1, 2, 6, 10, 11, 20, 21)] == [
        "（一）",
        "（二）",
        "（六）",
        "（十）",
        "（十一）",
        "（二十）",
        "（二十一）",
    ]
