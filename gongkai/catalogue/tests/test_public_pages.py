"""The public portal's pages: every page type with real items, sites kept apart, bad input."""

from datetime import date

import pytest
from django.core.files.base import ContentFile

from gongkai.catalogue.cache import ELDER_COOKIE
from gongkai.catalogue.models import (
    CataloguePage,
    DisclosureItem,
    GuidePage,
    ItemAttachment,
    SiteHomePage,
)
from gongkai.catalogue.services import item_withdraw
from gongkai.orgs.services import organisation_update

from . import portal_fixtures
from .portal_fixtures import ENTERPRISE, GOV, info_category, publish_item

# Fixtures shared by the portal's test modules (see portal_fixtures).
portal = portal_fixtures.portal
clear_portal_cache = portal_fixtures.clear_portal_cache

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_it_builds_two_sites_with_their_column_trees(portal):
    gov, ent = portal["homes"]["gov"], portal["homes"]["enterprise"]
    assert gov.title == "寮步镇人民政府网"
    assert portal["sites"]["gov"].hostname == "127.0.0.1" and portal["sites"]["gov"].is_default_site
    assert portal["sites"]["enterprise"].hostname == "localhost"
    for name in ["政务动态", "通知公告", "政策文件", "规划计划", "统计数据", "业务工作", "人事任免",
                 "政府采购", "财政预决算", "村(居)务公开", "政府信息公开年度报告"]:  # fmt: skip
        assert (
            portal["columns"]["gov"][name].get_parent().specific.get_site().root_page_id == gov.pk
        )
    for name in ["机构职能", "政府文件", "村(居)委会", "企业服务", "其他"]:
        assert portal["columns"]["enterprise"][name].get_parent().pk == ent.pk
    assert portal["columns"]["gov"]["政府信息公开年度报告"].kind == "report"
    # Wagtail's "Welcome" page is gone; only the two homes sit under the root.
    assert SiteHomePage.objects.count() == 2
    assert gov.get_parent().get_children().count() == 2


@pytest.mark.parametrize(
    ("host", "title"),
    [
        ("127.0.0.1:8000", "寮步镇人民政府网"),
        ("localhost:8000", "寮步企业服务网"),
        ("127.0.0.1", "寮步镇人民政府网"),
        ("localhost", "寮步企业服务网"),
        ("gov.example.cn", "寮步镇人民政府网"),  # any other host: the default site
    ],
)
def test_it_resolves_each_site_by_host_name_on_any_port(client, portal, host, title):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 200
    assert f'<a class="site-name" href="/">{title}</a>' in text(response)


def test_it_lists_the_latest_items_per_column_on_the_home_page(
    client, portal, django_capture_on_commit_callbacks
):
    town = portal["orgs"]["town"]
    cols = portal["columns"]["gov"]
    old = publish_item(
        town,
        [cols["政务动态"]],
        title="寮步镇召开安全生产工作会议",
        published_date=date(2026, 3, 3),
    )
    new = publish_item(
        town, [cols["政务动态"]], title="寮步镇开展消防演练", published_date=date(2026, 3, 9)
    )
    notice = publish_item(town, [cols["通知公告"]], title="关于春节假期安排的通知")
    body = text(client.get("/", **GOV))
    assert body.index("寮步镇开展消防演练") < body.index("寮步镇召开安全生产工作会议")
    assert f'href="/xxgk/items/{new.pk}/"' in body and f'href="/xxgk/items/{old.pk}/"' in body
    assert "关于春节假期安排的通知" in body and f"/xxgk/items/{notice.pk}/" in body
    assert 'href="/xxgk/zhinan/"' in body  # the way into the disclosure section
    # Columns of the 政府信息公开 section have their box on the home page too.
    with django_capture_on_commit_callbacks(execute=True):  # forget the cached home page
        policy = publish_item(town, [cols["政策文件"]], title="寮步镇村级工程建设管理办法")
        report = publish_item(town, [cols["政府信息公开年度报告"]], title="寮步镇2025年年度报告")
    body = text(client.get("/", **GOV))
    assert (
        f'href="/xxgk/items/{policy.pk}/"' in body and '<a href="/xxgk/zcwj/">政策文件</a>' in body
    )
    assert f'href="/xxgk/items/{report.pk}/"' not in body


def test_it_paginates_a_column_twenty_a_page_newest_first(client, portal):
    town = portal["orgs"]["town"]
    column = portal["columns"]["gov"]["政策文件"]
    for day in range(1, 26):
        publish_item(
            town, [column], title=f"政策文件第{day:02d}号", published_date=date(2026, 1, day)
        )
    first = text(client.get("/xxgk/zcwj/", **GOV))
    assert first.count('<li>\n    <a href="/xxgk/items/') == 20
    assert "政策文件第25号" in first and "政策文件第06号" in first and "政策文件第05号" not in first
    assert "共 25 条，第 1 / 2 页" in first
    second = text(client.get("/xxgk/zcwj/?page=2", **GOV))
    assert (
        "政策文件第05号" in second and "政策文件第01号" in second and "政策文件第06号" not in second
    )
    missing = client.get("/xxgk/zcwj/?page=3", **GOV)
    assert missing.status_code == 404 and "该栏目没有这一页" in text(missing)


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=-1", "page=99999999999999999999"])
def test_it_answers_a_malformed_page_number_with_a_400_in_chinese(client, portal, query):
    response = client.get(f"/zwdt/?{query}", **GOV)
    assert response.status_code == 400
    assert "请求有误" in text(response) and "页码" in text(response)


def test_it_shows_an_item_with_its_metadata_table(client, portal):
    office = portal["orgs"]["office"]
    cols = portal["columns"]["gov"]
    replacement = publish_item(
        office, [cols["政策文件"]], title="寮步镇农村集体资产管理办法（2026年修订）"
    )
    item = publish_item(
        office,
        [cols["政策文件"]],
        title="寮步镇农村集体资产管理办法",
        summary="规范农村集体资产的管理。",
        document_number="寮府〔2026〕3号",
        keywords="集体资产 管理",
        genre=DisclosureItem.Genre.MEASURES,
        validity=DisclosureItem.Validity.REPEALED,
        effective_from=date(2026, 3, 10),
        validity_changed_on=date(2026, 6, 1),
        replaced_by=replacement,
        body="<p>第一条 为规范农村集体资产管理，制定本办法。</p>",
    )
    body = text(client.get(f"/xxgk/items/{item.pk}/", **GOV))
    for label, value in [
        ("索引号", item.index_number),
        ("发布机构", "寮步镇党政人大办"),
        ("生成日期", "2026-03-02"),
        ("文号", "寮府〔2026〕3号"),
        ("体裁分类", "办法"),
        ("信息类别", "业务工作"),
        ("关键词", "集体资产 管理"),
        ("公开方式", "主动公开"),
        ("内容概述", "规范农村集体资产的管理。"),
    ]:
        assert f'<th scope="row">{label}</th><td' in body
        assert value in body
    assert "已废止" in body and "2026-03-10 起施行" in body and "2026-06-01 废止" in body
    assert (
        f'<a href="/xxgk/items/{replacement.pk}/">寮步镇农村集体资产管理办法（2026年修订）</a>'
        in body
    )
    assert "第一条 为规范农村集体资产管理" in body
    assert f'href="/xxgk/items/{item.pk}/print/"' in body


def test_it_renders_the_print_view_without_navigation(client, portal):
    town = portal["orgs"]["town"]
    item = publish_item(town, [portal["columns"]["gov"]["通知公告"]], body="<p>通知正文</p>")
    response = client.get(f"/xxgk/items/{item.pk}/print/", **GOV)
    body = text(response)
    assert response.status_code == 200
    assert "通知正文" in body and item.index_number in body
    assert "site-nav" not in body and "print.css" in body and 'content="noindex"' in body


def test_it_sanitises_the_body_on_output(client, portal):
    town = portal["orgs"]["town"]
    item = publish_item(town, [portal["columns"]["gov"]["通知公告"]], body="<p>x</p>")
    # An import may write HTML straight into the table; the page must still be safe.
    DisclosureItem.objects.filter(pk=item.pk).update(
        body='<p onclick="steal()">正文</p><script>alert(1)</script><a href="javascript:evil()">链接</a>'
    )
    body = text(client.get(f"/xxgk/items/{item.pk}/", **GOV))
    assert "正文" in body and "链接" in body
    assert "<script>alert" not in body and "onclick" not in body and "javascript:" not in body


def test_it_offers_attachments_for_download_with_their_size(client, portal):
    town = portal["orgs"]["town"]
    attachment = ItemAttachment(
        title="附件1：检查表", file=ContentFile(b"%PDF-1.4\n" + b"0" * 2048, name="jianchabiao.pdf"),
        size=2057, content_type="application/pdf",
    )  # fmt: skip
    item = publish_item(town, [portal["columns"]["gov"]["通知公告"]], attachments=[attachment])
    attachment = item.attachments.get()
    body = text(client.get(f"/xxgk/items/{item.pk}/", **GOV))
    url = f"/xxgk/items/{item.pk}/files/{attachment.pk}/"
    assert f'href="{url}"' in body and "附件1：检查表" in body and "PDF" in body and "2.0" in body
    response = client.get(url, **GOV)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    assert "attachment" in response["Content-Disposition"]
    item_withdraw(actor=None, item=item, reason="内容有误")
    assert client.get(url, **GOV).status_code == 404


def test_it_keeps_each_sites_items_to_itself(client, portal):
    town = portal["orgs"]["town"]
    only_enterprise = publish_item(
        town, [portal["columns"]["enterprise"]["企业服务"]], title="寮步镇企业用工补贴申报指南"
    )
    both = publish_item(
        town,
        [portal["columns"]["gov"]["通知公告"], portal["columns"]["enterprise"]["政府文件"]],
        title="寮步镇关于做好企业安全生产工作的通知",
    )
    assert client.get(f"/xxgk/items/{only_enterprise.pk}/", **ENTERPRISE).status_code == 200
    response = client.get(f"/xxgk/items/{only_enterprise.pk}/", **GOV)
    assert response.status_code == 404 and "该信息不存在、尚未公开或已撤回" in text(response)
    assert client.get(f"/xxgk/items/{both.pk}/", **GOV).status_code == 200
    assert client.get(f"/xxgk/items/{both.pk}/", **ENTERPRISE).status_code == 200
    assert "寮步镇企业用工补贴申报指南" not in text(client.get("/xxgk/mulu/", **GOV))
    assert "寮步镇企业用工补贴申报指南" in text(client.get("/xxgk/mulu/", **ENTERPRISE))


def test_it_hides_drafts_and_withdrawn_items(client, portal, admin_user):
    town = portal["orgs"]["town"]
    column = portal["columns"]["gov"]["通知公告"]
    from gongkai.catalogue.services import item_create

    draft = item_create(
        organisation=town, columns=[column], title="尚未发布的草稿", created_date=date(2026, 3, 1),
        category=info_category(),
    )  # fmt: skip
    withdrawn = publish_item(town, [column], title="已撤回的通知")
    item_withdraw(actor=admin_user, item=withdrawn, reason="信息有误，重新发布")
    for pk in (draft.pk, withdrawn.pk):
        response = client.get(f"/xxgk/items/{pk}/", **GOV)
        assert response.status_code == 404 and "该信息不存在、尚未公开或已撤回" in text(response)
    listing = text(client.get("/tzgg/", **GOV))
    assert "尚未发布的草稿" not in listing and "已撤回的通知" not in listing
    # It stays in the records.
    withdrawn.refresh_from_db()
    assert withdrawn.withdrawn_reason == "信息有误，重新发布" and withdrawn.live


@pytest.mark.parametrize(
    "path",
    [
        "/xxgk/items/0/",
        "/xxgk/items/99999999/",
        "/xxgk/items/999999999999999999999999999/",
        "/xxgk/items/1/files/99999999999999999999999/",
        "/no-such-column/",
    ],
)
def test_it_answers_unknown_addresses_with_a_404_in_chinese(client, portal, path):
    response = client.get(path, **GOV)
    assert response.status_code == 404
    assert "页面不存在" in text(response) and 'lang="zh-hans"' in text(response)


def test_it_sends_item_addresses_with_parameters_to_the_clean_address(client, portal):
    town = portal["orgs"]["town"]
    item = publish_item(town, [portal["columns"]["gov"]["通知公告"]])
    response = client.get(f"/xxgk/items/{item.pk}/?from=singlemessage&x=%00", **GOV)
    assert response.status_code == 301 and response["Location"] == f"/xxgk/items/{item.pk}/"


def test_it_browses_the_catalogue_by_facets_with_counts(client, portal):
    town = portal["orgs"]["town"]
    office = portal["orgs"]["office"]
    village = portal["orgs"]["village"]
    cols = portal["columns"]["gov"]
    publish_item(town, [cols["政策文件"]], title="甲文件", published_date=date(2025, 5, 1),
                 category=info_category("guifanxing"))  # fmt: skip
    publish_item(office, [cols["政策文件"]], title="乙文件", published_date=date(2026, 5, 1),
                 category=info_category("guifanxing"), validity=DisclosureItem.Validity.REPEALED,
                 validity_changed_on=date(2026, 6, 1))  # fmt: skip
    publish_item(village, [cols["村(居)务公开"]], title="丙公开", published_date=date(2026, 7, 1),
                 summary="横坑村七月村务公开")  # fmt: skip
    body = text(client.get("/xxgk/mulu/", **GOV))
    for header in ("索引号", "名称", "内容概述", "生成日期"):
        assert f'<th scope="col">{header}</th>' in body
    assert "政府信息公开目录（共 3 条）" in body
    assert '规范性文件<span class="count">（2）</span>' in body
    assert (
        '2026<span class="count">（2）</span>' in body
        and '2025<span class="count">（1）</span>' in body
    )
    assert '已废止<span class="count">（1）</span>' in body
    assert '寮步镇横坑村<span class="count">（1）</span>' in body
    assert "横坑村七月村务公开" in body

    filtered = text(client.get("/xxgk/mulu/?year=2026&category=guifanxing", **GOV))
    assert "乙文件" in filtered and "甲文件" not in filtered and "丙公开" not in filtered
    assert "（共 1 条）" in filtered
    by_org = text(client.get(f"/xxgk/mulu/?organisation={village.code}", **GOV))
    assert "丙公开" in by_org and "甲文件" not in by_org
    by_column = text(client.get(f"/xxgk/mulu/?column={cols['村(居)务公开'].pk}", **GOV))
    assert "丙公开" in by_column and "乙文件" not in by_column
    assert "乙文件" in text(client.get("/xxgk/mulu/?validity=repealed", **GOV))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("year=twenty", "年份"),
        ("organisation=nowhere", "找不到代码为“nowhere”的机构"),
        ("category=nothing", "找不到代码为“nothing”的信息类别"),
        ("column=999999", "本站没有编号为 999999 的栏目"),
        ("validity=sometimes", "有效性"),
        ("organisation=%00", "发布机构"),
    ],
)
def test_it_answers_bad_catalogue_filters_with_a_400_in_chinese(client, portal, query, message):
    response = client.get(f"/xxgk/mulu/?{query}", **GOV)
    assert response.status_code == 400
    assert message in text(response)


def test_it_refuses_a_column_of_another_site_in_the_catalogue(client, portal):
    other = portal["columns"]["enterprise"]["企业服务"]
    assert client.get(f"/xxgk/mulu/?column={other.pk}", **GOV).status_code == 400


def test_it_shows_the_guide_with_the_offices_contact_details(client, portal):
    town = portal["orgs"]["town"]
    organisation_update(
        organisation=town,
        address="广东省东莞市寮步镇香市路1号",
        postcode="523400",
        phone="0769-83322000",
        fax="0769-83322001",
        email="xxgk@liaobu.example.gov.cn",
        office_hours="周一至周五 8:30-12:00，14:00-17:30",
    )
    guide = GuidePage.objects.get(slug="zhinan", url_path__startswith="/liaobu/")
    guide.fax = "0769-80000000"  # a field filled in on the guide overrides the organisation
    guide.save()
    body = text(client.get("/xxgk/zhinan/", **GOV))
    for expected in [
        "信息分类和编排体系",
        "获取政府信息的方式",
        "政府信息公开工作机构",
        "寮步镇人民政府",
        "广东省东莞市寮步镇香市路1号",
        "523400",
        "周一至周五 8:30-12:00，14:00-17:30",
        "0769-83322000",
        "0769-80000000",
        'href="mailto:xxgk@liaobu.example.gov.cn"',
        "http://127.0.0.1/",  # 网址: the site itself when none is recorded
        'href="/zwdt/"',  # the column tree (编排体系)
        "规范性文件",  # the information categories
        'href="/apply/"',
    ]:
        assert expected in body, expected
    assert "0769-83322001" not in body
    # The footer carries the organisation's contact too.
    assert "地址：广东省东莞市寮步镇香市路1号（邮编：523400）" in body


def test_it_lists_the_statutory_headings_with_their_columns(client, portal):
    body = text(client.get("/xxgk/fdzdgknr/", **GOV))
    assert body.count("第二十条（") == 15
    assert "第二十一条 社会救助的情况" in body
    assert "第二十条（一）行政法规、规章和规范性文件" in body
    assert '<a href="/xxgk/zcwj/">政策文件</a>' in body  # 20-1 → 政策文件
    assert '<a href="/xxgk/ywgz/shjz/">社会救助</a>' in body  # 21-8 → 业务工作/社会救助
    assert "本站暂未设置对应栏目" in body
    page = portal["homes"]["gov"].get_descendants().type(CataloguePage).first()
    assert page is not None


def test_it_leaves_out_the_township_headings_when_asked(client, portal):
    from gongkai.catalogue.models import StatutoryContentPage

    page = StatutoryContentPage.objects.get(url_path="/liaobu/xxgk/fdzdgknr/")
    page.include_township = False
    page.save_revision().publish()
    assert "第二十一条" not in text(client.get("/xxgk/fdzdgknr/", **GOV))


def test_it_shows_the_disclosure_section_with_the_way_to_apply(client, portal):
    body = text(client.get("/xxgk/", **GOV))
    for title in (
        "政府信息公开指南",
        "政府信息公开目录",
        "法定主动公开内容",
        "政府信息公开年度报告",
    ):
        assert title in body
    assert '<a href="/apply/">依申请公开</a>' in body


def test_it_lists_annual_reports_in_the_report_column(client, portal):
    town = portal["orgs"]["town"]
    report = publish_item(town, [portal["columns"]["gov"]["政府信息公开年度报告"]],
                          title="寮步镇2025年政府信息公开工作年度报告")  # fmt: skip
    body = text(client.get("/xxgk/ndbg/", **GOV))
    assert "寮步镇2025年政府信息公开工作年度报告" in body and f"/xxgk/items/{report.pk}/" in body


def test_it_switches_elder_mode_with_a_cookie_and_comes_back(client, portal):
    normal = text(client.get("/zwdt/", **GOV))
    assert 'class="elder"' not in normal and "elder.css" not in normal
    assert 'href="/elder-mode/?on=1&amp;next=%2Fzwdt%2F"' in normal
    response = client.get("/elder-mode/?on=1&next=/zwdt/", **GOV)
    assert response.status_code == 302 and response["Location"] == "/zwdt/"
    assert client.cookies[ELDER_COOKIE].value == "1"
    elder = text(client.get("/zwdt/", **GOV))
    assert '<html lang="zh-hans" class="elder">' in elder and "elder.css" in elder
    assert "退出长辈版" in elder
    response = client.post("/elder-mode/", {"on": "0", "next": "/"}, **GOV)
    assert response.status_code == 302 and response["Location"] == "/"
    assert 'class="elder"' not in text(client.get("/zwdt/", **GOV))


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/x",
        "http://127.0.0.1.evil.example/",
        "javascript:alert(1)",
    ],
)
def test_it_never_redirects_elsewhere_from_the_mode_switch(client, portal, target):
    response = client.get("/elder-mode/", {"on": "1", "next": target}, **GOV)
    assert response.status_code == 302 and response["Location"] == "/"


def test_it_refuses_a_bad_mode_value(client, portal):
    response = client.get("/elder-mode/?on=maybe", **GOV)
    assert response.status_code == 400 and "参数 on 只能是 0 或 1" in text(response)


def test_it_switches_the_language_with_a_link(client, portal):
    response = client.get("/language/?language=en&next=/zwdt/", **GOV)
    assert response.status_code == 302 and response["Location"] == "/zwdt/"
    assert '<html lang="en"' in text(client.get("/zwdt/", **GOV))
    assert client.get("/language/?language=xx", **GOV).status_code == 400


def test_it_serves_robots_txt_per_host(client, portal):
    body = text(client.get("/robots.txt", **ENTERPRISE))
    assert "Disallow: /admin/" in body and "Sitemap: http://localhost/sitemap.xml" in body
