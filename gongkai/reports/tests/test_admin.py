"""The admin pages: preview, compose, submit, publish draft, statistics; and who may see them."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongkai.catalogue.models import DisclosureItem
from gongkai.orgs.models import Role
from gongkai.reports.figures import report_data
from gongkai.reports.models import AnnualReport
from gongkai.reports.services import report_compose, report_publish_draft, report_submit

from .conftest import YEAR


def preview_url(code="liaobu", year=YEAR, fmt="2021", subtree=1):
    return reverse("reports_preview", args=[code, year, fmt]) + f"?subtree={subtree}"


def test_it_previews_the_report_for_the_disclosure_office(client, alice, year_of_records):
    client.force_login(alice)
    response = client.get(preview_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "寮步镇人民政府2025年政府信息公开工作年度报告" in body
    assert "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）" in body
    assert "全部检查通过" in body
    assert "检查并提交审核" in body


def test_it_refuses_a_report_outside_the_users_tree(client, make_user, town, village, dave):
    village_admin = make_user("vic", roles=[(Role.ADMIN, village)])
    client.force_login(village_admin)
    assert client.get(preview_url(code="liaobu")).status_code == 403
    assert client.get(preview_url(code="liaobu-hengkeng")).status_code == 200
    export = reverse("reports_export", args=["liaobu", YEAR, "2021", "json"])
    assert client.get(export).status_code == 403
    client.force_login(dave)  # a village editor holds no report role at all
    assert client.get(preview_url(code="liaobu-hengkeng")).status_code == 403
    assert client.get(reverse("reports_index")).status_code == 403


def test_the_leading_group_reads_but_does_not_compose(client, lena, year_of_records):
    client.force_login(lena)
    response = client.get(preview_url())
    assert response.status_code == 200
    assert "检查并提交审核" not in response.content.decode()
    assert client.post(preview_url(), {"action": "submit"}).status_code == 403
    assert not AnnualReport.objects.exists()


def test_it_saves_the_narrative_and_submits_when_the_checks_pass(client, alice, year_of_records):
    client.force_login(alice)
    client.post(
        preview_url(),
        {
            "action": "save_texts",
            "title": "寮步镇2025年政府信息公开工作年度报告",
            "overview": "2025年，寮步镇扎实推进政务公开。",
            "problems": "主要问题：部分栏目更新不及时。",
            "other": "",
        },
    )
    report = AnnualReport.objects.get()
    assert report.texts == {
        "overview": "2025年，寮步镇扎实推进政务公开。",
        "problems": "主要问题：部分栏目更新不及时。",
    }
    page = client.get(preview_url()).content.decode()
    assert "部分栏目更新不及时" in page and "本年度未收取信息处理费。" in page
    client.post(preview_url(), {"action": "submit"})
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.SUBMITTED
    assert report.snapshot["tables"]["requests"]["rows"]["new"]["total"] == 5
    assert report.submitted_by == alice


def test_it_refuses_to_submit_a_report_whose_title_has_another_year(town, alice, year_of_records):
    report = report_compose(
        actor=alice, organisation=town, year=YEAR, fmt="2021", include_subtree=True
    )
    report.title = "寮步镇2024年政府信息公开工作年度报告"
    report.save()
    with pytest.raises(Exception) as exc:
        report_submit(actor=alice, report=report)
    assert "标题年份 2024 与数据年度 2025 不一致。" in exc.value.messages
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT


def test_it_places_a_draft_in_the_annual_report_column(town, alice, site, year_of_records):
    report = report_compose(
        actor=alice, organisation=town, year=YEAR, fmt="2021", include_subtree=True
    )
    report = report_submit(actor=alice, report=report)
    item = report_publish_draft(actor=alice, report=report)
    item.refresh_from_db()
    assert item.live is False  # publication is left to the review workflow
    assert item.title == "寮步镇人民政府2025年政府信息公开工作年度报告"
    assert item.category.name == "其他"
    assert list(item.columns.all()) == [site["reports"]]
    assert "本年新收政府信息公开申请数量" in item.body
    attachment = item.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.file.read(5) == b"%PDF-"
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.PUBLISHING and report.item == item
    assert DisclosureItem.objects.filter(live=True, title=item.title).count() == 0


def test_it_shows_the_statistics_page_and_its_charts(client, alice, year_of_records):
    client.force_login(alice)
    url = reverse("reports_statistics", args=["liaobu", YEAR, "2021"]) + "?subtree=1"
    body = client.get(url).content.decode()
    assert body.count("chart/") == 4
    png = client.get(reverse("reports_chart", args=["liaobu", YEAR, "2021", "on_time"]))
    assert png["Content-Type"] == "image/png" and png.content[:4] == b"\x89PNG"


def test_it_exports_word_and_pdf_from_the_admin(client, alice, year_of_records):
    client.force_login(alice)
    docx = client.get(reverse("reports_export", args=["liaobu", YEAR, "2021", "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert "liaobu-2025-annual-report-2021.docx" in docx["Content-Disposition"]


def test_a_year_without_data_gives_a_report_of_zeros_that_says_so(town, capsys):
    data = report_data(organisation=town, year=2019, fmt="2021", include_subtree=True)
    assert data["has_data"] is False
    assert data["no_data_note"] == "本年度无相关数据"
    rows = data["tables"]["requests"]["rows"]
    assert all(v == 0 for row in rows.values() for v in row.values())
    assert data["sections"][0]["paragraphs"][0] == "本年度无相关数据。"
    call_command("annual_report", org="liaobu", year=2019, format="2008")
    out = capsys.readouterr().out
    assert "寮步镇人民政府2019年政府信息公开工作年度报告" in out
    assert "本年度无相关数据：本报告各项数据均为零。" in out
    assert "全年共受理政府信息公开申请0宗。" in out


def test_the_command_refuses_a_user_without_a_role_there(town, charlie, alice):
    with pytest.raises(CommandError, match="没有可查看年度报告的角色"):
        call_command("annual_report", org="liaobu", year=2019, user="charlie")
    with pytest.raises(CommandError, match="没有代码为"):
        call_command("annual_report", org="nowhere", year=2019)
    call_command("annual_report", org="liaobu", year=2019, user="alice")


def test_the_dashboard_shows_the_due_date(client, alice):
    client.force_login(alice)
    body = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "政府信息公开工作年度报告" in body
    year = date.today().year
    assert f"{year}-03-31" in body
