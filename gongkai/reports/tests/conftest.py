"""Fixtures for the reports tests: a site with its columns, items in bulk, cases, appeals."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from wagtail.models import Locale, Page, Site

from gongkai.applications import services as cases
from gongkai.applications.models import ApplicationDesk, Channel, EnteredVia
from gongkai.applications.tests.factories import company, natural_person
from gongkai.catalogue.models import Category, ColumnPage, DisclosureItem
from gongkai.catalogue.models.pages import DisclosureSectionPage, SiteHomePage
from gongkai.orgs.models import Role
from gongkai.reports.models import OfficeRule
from gongkai.reports.services import staff_figure_set

YEAR = 2025
SHANGHAI = ZoneInfo("Asia/Shanghai")
CATEGORIES = [
    ("guifanxing", "规范性文件"),
    ("guihua", "规划计划"),
    ("yewu", "业务工作"),
    ("tongji", "统计数据"),
    ("jigou", "机构职能"),
    ("zhengfu-wenjian", "政府文件"),
    ("cunju", "村(居)委会"),
    ("caigou", "政府采购"),
    ("qita", "其他"),
]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.GONGKAI_PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def categories(db):
    out = {}
    for order, (code, name) in enumerate(CATEGORIES):
        out[name], _created = Category.objects.get_or_create(
            scheme=Category.Scheme.INFO, name=name, defaults={"code": code, "sort_order": order}
        )
    return out


def _root():
    # Wagtail's migrations create the locale and the root page; --nomigrations runs do not.
    Locale.get_default() if Locale.objects.exists() else Locale.objects.create(
        language_code="zh-hans"
    )
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


@pytest.fixture
def site(town, categories):
    """寮步镇人民政府网: 政务动态 (a column) and 政府信息公开 (a section with columns)."""
    home = _root().add_child(
        instance=SiteHomePage(title="寮步镇人民政府网", slug="liaobu", organisation=town)
    )
    Site.objects.create(hostname="liaobu.test", root_page=home, site_name=home.title)
    news = home.add_child(instance=ColumnPage(title="政务动态", slug="news", kind="news"))
    section = home.add_child(
        instance=DisclosureSectionPage(title="寮步信息公开门户网站", slug="xxgk")
    )
    portal = section.add_child(
        instance=ColumnPage(title="信息公开目录", slug="ml", kind="statutory")
    )
    reports = section.add_child(instance=ColumnPage(title="年度报告", slug="ndbg", kind="report"))
    return {"home": home, "news": news, "section": section, "portal": portal, "reports": reports}


@pytest.fixture
def enterprise_site(town, categories):
    home = _root().add_child(
        instance=SiteHomePage(title="寮步企业服务网", slug="qyfw", organisation=town)
    )
    Site.objects.create(hostname="qyfw.test", root_page=home, site_name=home.title)
    column = home.add_child(instance=ColumnPage(title="企业服务", slug="fw", kind="other"))
    return {"home": home, "column": column}


@pytest.fixture
def place_items(categories):
    """Bulk-create published items: place_items(org, column, {"规范性文件": 28}, on=date)."""

    def make(organisation, column, counts: dict[str, int], *, on=date(2012, 6, 1), **extra):
        items = []
        for name, count in counts.items():
            for n in range(count):
                day = on if isinstance(on, date) else on(n)
                items.append(
                    DisclosureItem(
                        organisation=organisation,
                        title=f"{name}{n}",
                        created_date=day,
                        published_date=day,
                        category=categories[name],
                        live=True,
                        has_unpublished_changes=False,
                        first_published_at=datetime.combine(day, time(9), tzinfo=SHANGHAI),
                        **extra,
                    )
                )
        DisclosureItem.objects.bulk_create(items, batch_size=1000)
        through = DisclosureItem.columns.through
        through.objects.bulk_create(
            [through(disclosureitem_id=i.pk, columnpage_id=column.pk) for i in items],
            batch_size=2000,
        )
        return items

    return make


@pytest.fixture
def lena(make_user, town):
    """A member of the leading group: reads reports, composes nothing."""
    return make_user("lena", roles=[(Role.LEADING_GROUP, town)])


@pytest.fixture
def desks(town, village):
    ApplicationDesk.objects.create(organisation=town, prefix="LB")
    ApplicationDesk.objects.create(organisation=village, prefix="HK")


def receive(org, on, **applicant):
    fields = applicant or natural_person()
    return cases.application_receive(
        organisation=org,
        entered_via=EnteredVia.STAFF,
        channel=Channel.IN_PERSON,
        submitted_on=on,
        **fields,
    )


def reply(application, outcome, on):
    cases.application_reply(
        actor=None, application=application, outcome=outcome, replied_on=on, reasons="理由"
    )


@pytest.fixture
def year_of_records(town, village, desks, site, place_items, alice):
    # Cases: one carried in from 2024 and closed in 2025; four new in 2025, one still open.
    carried = receive(town, date(2024, 12, 20))
    reply(carried, "disclosed", date(2025, 1, 8))
    reply(receive(town, date(2025, 3, 3)), "partial", date(2025, 3, 20))
    reply(receive(town, date(2025, 4, 7), **company()), "withheld_process", date(2025, 4, 25))
    reply(receive(town, date(2025, 5, 6), **company()), "not_handled_repeat", date(2025, 5, 9))
    receive(town, date(2025, 12, 29))  # still open at the year's end → 结转下年度
    # A village case: counted only in the roll-up.
    reply(receive(village, date(2025, 6, 2)), "unavailable_not_held", date(2025, 6, 10))

    # 规范性文件: three issued in 2025, one older one repealed in 2025, one older in force.
    normative = DisclosureItem.RegulatoryKind.NORMATIVE
    place_items(
        town, site["portal"], {"规范性文件": 3}, on=date(2025, 2, 10), regulatory_kind=normative
    )
    place_items(
        town, site["portal"], {"规范性文件": 1}, on=date(2020, 5, 5), regulatory_kind=normative
    )
    place_items(
        town,
        site["portal"],
        {"规范性文件": 1},
        on=date(2019, 5, 5),
        regulatory_kind=normative,
        validity=DisclosureItem.Validity.REPEALED,
        validity_changed_on=date(2025, 9, 1),
    )
    place_items(town, site["news"], {"业务工作": 6, "其他": 2}, on=date(2025, 7, 1))

    OfficeRule.objects.create(
        organisation=town,
        title="寮步镇2026年政务公开工作要点",
        kind=OfficeRule.Kind.PLAN,
        adopted_on=date(2025, 12, 10),
        plan_year=2026,
    )
    staff_figure_set(actor=alice, organisation=town, year=YEAR, key="licensing", value=120)
    staff_figure_set(actor=alice, organisation=town, year=YEAR, key="penalty", value=7)
    staff_figure_set(actor=alice, organisation=town, year=YEAR, key="enforcement", value=1)
    staff_figure_set(actor=alice, organisation=town, year=YEAR, key="fees", value="1.25")
