"""The annual report's section-三 table for a hand-built set of cases (RULES.md §2)."""

from datetime import date

from gongkai.applications import services
from gongkai.applications.selectors import (
    REPORT_COLUMNS,
    application_report_table,
    report_rows_by_key,
)

from .factories import company

LABELS = [
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果",
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
    "（七）总计",
    "四、结转下年度继续办理",
]
COLUMNS = ["natural", "commercial", "research", "social", "legal_service", "other", "total"]


def build(receive, village, erin):
    def reply(case, outcome, on):
        services.application_reply(actor=erin, application=case, outcome=outcome, replied_on=on)

    a = receive(date(2025, 12, 10))
    reply(a, "disclosed", date(2026, 1, 8))
    b = receive(date(2025, 11, 3), **company())
    reply(b, "disclosed", date(2025, 11, 20))
    receive(date(2025, 12, 22), **company(applicant_type="research"))  # still open
    d = receive(date(2026, 3, 2))
    reply(d, "withheld_enforcement", date(2026, 3, 20))
    receive(date(2026, 11, 20), **company(applicant_type="social"))  # open at year end
    f = receive(date(2026, 9, 18), **company(applicant_type="legal_service"))
    services.application_send_fee_notice(
        actor=erin,
        application=f,
        sent_on=date(2026, 9, 22),
        basis="page",
        pages=40,
        received_on=date(2026, 9, 23),
    )
    services.application_close_if_abandoned(application_id=f.pk, today=date(2026, 11, 10))
    g = receive(date(2026, 6, 1), **company(applicant_type="other"))
    reply(g, "not_handled_repeat", date(2026, 6, 3))
    h = receive(date(2026, 4, 1))
    reply(h, "partial", date(2026, 4, 20))
    from gongkai.applications.models import ApplicationDesk

    ApplicationDesk.objects.create(organisation=village, prefix="HK")
    i = receive(date(2026, 5, 6), organisation=village)
    reply(i, "unavailable_not_held", date(2026, 5, 20))


def row(rows, key):
    return [rows[key].values[c] for c in COLUMNS]


def test_it_builds_section_three_with_carried_over_cases(
    receive, village, erin, town, django_assert_max_num_queries
):
    build(receive, village, erin)
    with django_assert_max_num_queries(2):
        table = application_report_table(organisation=town, year=2026, include_subtree=True)
    assert [r.label for r in table] == LABELS
    assert [label for _key, label in REPORT_COLUMNS] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    rows = report_rows_by_key(table)
    assert row(rows, "new") == [3, 0, 0, 1, 1, 1, 6]
    assert row(rows, "carried_in") == [1, 0, 1, 0, 0, 0, 2]
    assert row(rows, "disclosed") == [1, 0, 0, 0, 0, 0, 1]
    assert row(rows, "partial") == [1, 0, 0, 0, 0, 0, 1]
    assert row(rows, "withheld_enforcement") == [1, 0, 0, 0, 0, 0, 1]
    assert row(rows, "unavailable_not_held") == [1, 0, 0, 0, 0, 0, 1]
    assert row(rows, "not_handled_repeat") == [0, 0, 0, 0, 0, 1, 1]
    assert row(rows, "other_fee_unpaid") == [0, 0, 0, 0, 1, 0, 1]
    assert row(rows, "results_total") == [4, 0, 0, 0, 1, 1, 6]
    assert row(rows, "carried_out") == [0, 0, 1, 1, 0, 0, 2]
    assert rows["results"].values is None and rows["withheld"].values is None
    # 第一项加第二项之和，等于第三项加第四项之和 — in every column.
    for column in COLUMNS:
        assert (
            rows["new"].values[column] + rows["carried_in"].values[column]
            == rows["results_total"].values[column] + rows["carried_out"].values[column]
        )


def test_it_counts_only_the_organisation_itself_when_asked(receive, village, erin, town):
    build(receive, village, erin)
    rows = report_rows_by_key(
        application_report_table(organisation=town, year=2026, include_subtree=False)
    )
    assert row(rows, "new") == [2, 0, 0, 1, 1, 1, 5]
    assert row(rows, "unavailable_not_held") == [0] * 7
    village_rows = report_rows_by_key(application_report_table(organisation=village, year=2026))
    assert row(village_rows, "new") == [1, 0, 0, 0, 0, 0, 1]


def test_it_builds_the_previous_year(receive, village, erin, town):
    build(receive, village, erin)
    rows = report_rows_by_key(application_report_table(organisation=town, year=2025))
    assert row(rows, "new") == [1, 1, 1, 0, 0, 0, 3]
    assert row(rows, "carried_in") == [0] * 7
    assert row(rows, "results_total") == [0, 1, 0, 0, 0, 0, 1]
    assert row(rows, "carried_out") == [1, 0, 1, 0, 0, 0, 2]
