"""The demo's work records and 2012 staff figures, as the seed's section 一 describes them."""

import io
from decimal import Decimal

from gongkai.orgs import demo as orgs_demo
from gongkai.reports.demo import load_demo
from gongkai.reports.figures import report_data
from gongkai.reports.models import JointMeeting, OfficeRule, StaffFigure


def test_it_loads_the_2012_work_records_and_zero_staff_figures(db):
    orgs = orgs_demo.load_organisations()
    users, _logins = orgs_demo.load_users(orgs=orgs)
    orgs_demo.load_rosters(orgs=orgs)
    load_demo(orgs=orgs, users=users, stdout=io.StringIO())

    assert JointMeeting.objects.filter(held_on__year=2012).count() == 4
    titles = set(OfficeRule.objects.values_list("title", flat=True))
    assert {
        "寮步镇政务信息公开实施细则",
        "寮步镇电子政务公开审核制度",
        "寮步镇2013年政务信息公开工作计划",
    } <= titles
    figures = StaffFigure.objects.filter(year=2012)
    assert figures.count() == 4 and all(f.value == Decimal(0) for f in figures)
    assert all(f.entered_by.username == "gkb_admin" for f in figures)

    data = report_data(organisation=orgs["liaobu"], year=2012, fmt="2008", include_subtree=False)
    assert data["title"] == "寮步镇2012年政府信息公开工作年度报告"
    basic = data["sections"][0]["text"]
    assert "全年召开联席会议4次" in basic
    assert "《寮步镇政务信息公开实施细则》、《寮步镇电子政务公开审核制度》" in basic
    assert "名单报寮步镇党政人大办备案" in basic
    problems = data["sections"][-1]["text"]
    assert "《寮步镇2013年政务信息公开工作计划》" in problems
    current = report_data(organisation=orgs["liaobu"], year=2026, fmt="2021", include_subtree=True)
    assert current["tables"]["article20"]["item5"] == {"licensing": 1286}
