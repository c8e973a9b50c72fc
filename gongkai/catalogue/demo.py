"""The Liaobu demo's two public sites, their column trees and the 寮步镇 guide.

寮步镇人民政府网 answers on 127.0.0.1 (and is the default site, so any other host name finds
it too); 寮步企业服务网 answers on localhost. Wagtail matches a request by host name first and
port second, so both resolve on `make run`'s port 8000 as well as on port 80.

Pages are created live directly (no revisions): the demo is loaded once into an empty
database, and editors' later changes go through Wagtail's normal revisions.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

from . import cache
from .models import (
    CataloguePage,
    ColumnPage,
    DisclosureSectionPage,
    GuidePage,
    SiteHomePage,
    StatutoryBasis,
    StatutoryContentPage,
)

Kind = ColumnPage.Kind
B = StatutoryBasis

# (title, slug, kind, statutory basis, children as (title, slug, basis))
GOV_COLUMNS = [
    ("政务动态", "zwdt", Kind.NEWS, "", []),
    ("通知公告", "tzgg", Kind.NOTICE, "", []),
    ("村(居)务公开", "cjwgk", Kind.OTHER, "", []),
]

# The disclosure portal (信息公开门户): columns below the 政府信息公开 section. The annual
# report counts the portal's items by category from these (seed: 1,328 of 1,986 in 2012).
GOV_PORTAL_COLUMNS = [
    ("政策文件", "zcwj", Kind.POLICY, B.ART20_1, []),
    ("规划计划", "ghjh", Kind.OTHER, B.ART20_3, []),
    ("统计数据", "tjsj", Kind.OTHER, B.ART20_4, []),
    (
        "业务工作",
        "ywgz",
        Kind.OTHER,
        B.ART20_5,
        [
            ("农业农村", "nyyc", B.ART21_1),
            ("社会救助", "shjz", B.ART21_8),
            ("安全生产", "aqsc", B.ART20_13),
            ("应急管理", "yjgl", B.ART20_12),
        ],
    ),
    ("人事任免", "rsrm", Kind.OTHER, "", []),
    ("政府采购", "zfcg", Kind.OTHER, B.ART20_9, []),
    ("财政预决算", "czyjs", Kind.OTHER, B.ART20_7, []),
    # The seed report's "其他" (1,024 of 1,328 items on the disclosure portal).
    ("其他信息", "qtxx", Kind.OTHER, "", []),
]

ENTERPRISE_COLUMNS = [
    ("机构职能", "jgzn", Kind.OTHER, B.ART20_2, []),
    ("政府文件", "zfwj", Kind.POLICY, B.ART20_1, []),
    ("村(居)委会", "cjwh", Kind.OTHER, "", []),
    ("企业服务", "qyfw", Kind.OTHER, B.ART20_5, []),
    ("其他", "qt", Kind.OTHER, "", []),
]

REPORT_COLUMN = "政府信息公开年度报告"
SECTION_TITLE = "政府信息公开"


def _guide_body(*, town_name: str) -> list[dict]:
    return [
        {"type": "classification", "value": None},
        {
            "type": "section",
            "value": {
                "heading": _("获取政府信息的方式"),
                "body": (
                    "<p>"
                    + _(
                        "（一）主动公开。%(town)s主动公开的政府信息，通过本网站“政府信息公开”"
                        "专栏、《寮步报》、寮步电视台、政府大楼电子显示屏和触摸屏、"
                        "各村（社区）信息公告栏等途径公开。公众也可以到寮步镇行政服务中心"
                        "政府信息公开查阅点查阅。"
                    )
                    % {"town": town_name}
                    + "</p><p>"
                    + _(
                        "（二）依申请公开。公民、法人或者其他组织可以通过本网站在线提交、"
                        "信函或者到政府信息公开工作机构当面提交等方式，以书面形式提出申请；"
                        "书面形式确有困难的，可以口头提出，由受理机构代为填写申请。"
                    )
                    + "</p><p>"
                    + _(
                        "（三）办理时限。能够当场答复的当场答复；不能当场答复的，自收到申请之日起"
                        "20个工作日内答复；需要延长答复期限的，经政府信息公开工作机构负责人同意"
                        "并告知申请人，延长的期限最长不超过20个工作日。"
                    )
                    + "</p><p>"
                    + _(
                        "（四）收费。依申请提供政府信息，不收取费用；申请人申请公开政府信息的数量、"
                        "频次明显超过合理范围的，可以依法收取信息处理费。"
                    )
                    + "</p>"
                ),
            },
        },
        {"type": "contact", "value": None},
        {
            "type": "section",
            "value": {
                "heading": _("监督和救济"),
                "body": "<p>"
                + _(
                    "公民、法人或者其他组织认为%(town)s在政府信息公开工作中侵犯其合法权益的，"
                    "可以向东莞市人民政府办公室投诉、举报，也可以依法申请行政复议或者提起"
                    "行政诉讼。"
                )
                % {"town": town_name}
                + "</p>",
            },
        },
    ]


def _p(text: str) -> str:
    return f"<p>{text}</p>"


def _add(parent, page, *, owner, now):
    page.owner = owner
    page.first_published_at = now
    page.last_published_at = now
    parent.add_child(instance=page)
    return page


def _build_columns(parent, specs, *, organisation, owner, now, found):
    for title, slug, kind, basis, children in specs:
        column = _add(
            parent,
            ColumnPage(
                title=title,
                slug=slug,
                kind=kind,
                statutory_basis=basis,
                organisation=organisation,
                show_in_menus=True,
            ),
            owner=owner,
            now=now,
        )
        found[title] = column
        for child_title, child_slug, child_basis in children:
            found[child_title] = _add(
                column,
                ColumnPage(
                    title=child_title,
                    slug=child_slug,
                    kind=Kind.OTHER,
                    statutory_basis=child_basis,
                    organisation=organisation,
                ),
                owner=owner,
                now=now,
            )


def _build_site(
    *, root, title, slug, organisation, columns, owner, now, guide_body, intro, portal_columns=()
) -> tuple[SiteHomePage, dict[str, ColumnPage]]:
    home = _add(
        root,
        SiteHomePage(title=title, slug=slug, organisation=organisation, intro=intro),
        owner=owner,
        now=now,
    )
    found: dict[str, ColumnPage] = {}
    _build_columns(home, columns, organisation=organisation, owner=owner, now=now, found=found)
    section = _add(
        home,
        DisclosureSectionPage(
            title=SECTION_TITLE,
            slug="xxgk",
            show_in_menus=True,
            intro=_p(
                _("依照《中华人民共和国政府信息公开条例》，本专栏公开%(org)s的政府信息。")
                % {"org": organisation.name}
            ),
        ),
        owner=owner,
        now=now,
    )
    _build_columns(
        section, portal_columns, organisation=organisation, owner=owner, now=now, found=found
    )
    _add(
        section,
        GuidePage(
            title=_("政府信息公开指南"),
            slug="zhinan",
            organisation=organisation,
            intro=_p(
                _(
                    "为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，"
                    "编制本指南。申请人在获取政府信息前，请仔细阅读本指南。"
                )
            ),
            body=guide_body,
        ),
        owner=owner,
        now=now,
    )
    _add(
        section,
        CataloguePage(
            title=_("政府信息公开目录"),
            slug="mulu",
            intro=_p(_("可按发布机构、栏目、信息类别、发布年份和有效性浏览本站公开的政府信息。")),
        ),
        owner=owner,
        now=now,
    )
    _add(
        section,
        StatutoryContentPage(title=_("法定主动公开内容"), slug="fdzdgknr"),
        owner=owner,
        now=now,
    )
    found[REPORT_COLUMN] = _add(
        section,
        ColumnPage(
            title=REPORT_COLUMN,
            slug="ndbg",
            kind=Kind.REPORT,
            organisation=organisation,
            intro=_(
                "本机关每年公布上一年度的政府信息公开工作年度报告（条例第四十九条、第五十条）。"
            ),
        ),
        owner=owner,
        now=now,
    )
    return home, found


def _town(orgs):
    from gongkai.orgs.models import Organisation

    if "liaobu" in orgs:
        return orgs["liaobu"]
    return next(
        org
        for org in orgs.values()
        if org.parent_id is None and org.kind == Organisation.Kind.GOVERNMENT
    )


@transaction.atomic
def load_demo(*, orgs, users, stdout) -> dict:
    """Build both demo sites; returns {"sites", "homes", "columns"} keyed "gov"/"enterprise"."""
    if SiteHomePage.objects.exists():
        raise ValueError(_("演示网站已经存在，不能重复创建。"))
    town = _town(orgs)
    owner = users.get("gkb_admin") or users.get("admin") or users.get("sysadmin")
    now = timezone.now()
    root = Page.get_first_root_node()
    town_name = town.short_name or town.name

    gov_home, gov_columns = _build_site(
        root=root,
        title="寮步镇人民政府网",
        slug="liaobu",
        organisation=town,
        columns=GOV_COLUMNS,
        portal_columns=GOV_PORTAL_COLUMNS,
        owner=owner,
        now=now,
        guide_body=_guide_body(town_name=town.name),
        intro=_p(
            _("%(town)s政府门户网站：政务动态、政策文件和政府信息公开。") % {"town": town_name}
        ),
    )
    ent_home, ent_columns = _build_site(
        root=root,
        title="寮步企业服务网",
        slug="qyfw",
        organisation=town,
        columns=ENTERPRISE_COLUMNS,
        owner=owner,
        now=now,
        guide_body=_guide_body(town_name=town.name),
        intro=_p(_("面向寮步镇企业的政务信息和办事服务。")),
    )

    # Wagtail's migration made one site (localhost:80, default) on a "Welcome" page: reuse the
    # site record for the government portal and remove the welcome page.
    default = Site.objects.filter(is_default_site=True).first()
    welcome_id = default.root_page_id if default else None
    if default is None:
        default = Site(is_default_site=True)
    default.hostname = "127.0.0.1"
    default.port = 80
    default.site_name = gov_home.title
    default.root_page = gov_home
    default.save()
    enterprise = Site.objects.create(
        hostname="localhost", port=80, site_name=ent_home.title, root_page=ent_home
    )
    page_type = ContentType.objects.get_for_model(Page)
    if welcome_id:
        Page.objects.filter(pk=welcome_id, depth=2, content_type=page_type).delete()
    Site.clear_site_root_paths_cache()
    cache.invalidate_on_commit()
    stdout.write(
        f"    {gov_home.title}: http://127.0.0.1:8000/ · {ent_home.title}: http://localhost:8000/"
    )
    return {
        "sites": {"gov": default, "enterprise": enterprise},
        "homes": {"gov": gov_home, "enterprise": ent_home},
        "columns": {"gov": gov_columns, "enterprise": ent_columns},
    }
