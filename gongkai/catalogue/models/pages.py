"""Sites and their columns (栏目) are Wagtail pages.

A site is a tree under one `SiteHomePage` (one Wagtail `Site` record per host name). Its
columns list the items placed in them; its 政府信息公开 section holds the guide, the catalogue,
the statutory headings and the annual-report column (条例第十二条、第二十条、第二十一条).
Items themselves are snippets: the home page routes `xxgk/items/<pk>/` for every item placed in
any column of its site, so the same notice has one address on each site that shows it.

The page classes hold fields and routing only; reads are in `selectors`, rendering in `views`.
"""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from gongkai.orgs.models import Organisation

# The prefix under which a site serves items; the section page's usual slug is also "xxgk"
# (信息公开), so item addresses read /xxgk/items/123/ whatever column they are shown in.
ITEM_ROUTE_PREFIX = "xxgk/items/"


class StatutoryBasis(models.TextChoices):
    """The headings of 条例第二十条 (every agency) and 第二十一条 (乡、镇 governments)."""

    ART20_1 = "20-1", _("第二十条（一）行政法规、规章和规范性文件")
    ART20_2 = (
        "20-2",
        _("第二十条（二）机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名"),
    )
    ART20_3 = "20-3", _("第二十条（三）国民经济和社会发展规划、专项规划、区域规划及相关政策")
    ART20_4 = "20-4", _("第二十条（四）国民经济和社会发展统计信息")
    ART20_5 = (
        "20-5",
        _("第二十条（五）办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果"),
    )
    ART20_6 = (
        "20-6",
        _("第二十条（六）实施行政处罚、行政强制的依据、条件、程序以及有一定社会影响的行政处罚决定"),
    )
    ART20_7 = "20-7", _("第二十条（七）财政预算、决算信息")
    ART20_8 = "20-8", _("第二十条（八）行政事业性收费项目及其依据、标准")
    ART20_9 = "20-9", _("第二十条（九）政府集中采购项目的目录、标准及实施情况")
    ART20_10 = "20-10", _("第二十条（十）重大建设项目的批准和实施情况")
    ART20_11 = (
        "20-11",
        _("第二十条（十一）扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况"),
    )
    ART20_12 = "20-12", _("第二十条（十二）突发公共事件的应急预案、预警信息及应对情况")
    ART20_13 = (
        "20-13",
        _("第二十条（十三）环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况"),
    )
    ART20_14 = "20-14", _("第二十条（十四）公务员招考的职位、名额、报考条件等事项以及录用结果")
    ART20_15 = (
        "20-15",
        _("第二十条（十五）法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息"),
    )
    ART21_1 = "21-1", _("第二十一条 贯彻落实农业农村政策的情况")
    ART21_2 = "21-2", _("第二十一条 农田水利工程建设运营的情况")
    ART21_3 = "21-3", _("第二十一条 农村土地承包经营权流转的情况")
    ART21_4 = "21-4", _("第二十一条 宅基地使用情况审核的情况")
    ART21_5 = "21-5", _("第二十一条 土地征收的情况")
    ART21_6 = "21-6", _("第二十一条 房屋征收的情况")
    ART21_7 = "21-7", _("第二十一条 筹资筹劳的情况")
    ART21_8 = "21-8", _("第二十一条 社会救助的情况")

    @classmethod
    def article(cls, article: int) -> list["StatutoryBasis"]:
        return [member for member in cls if member.value.startswith(f"{article}-")]


class SiteHomePage(RoutablePageMixin, Page):
    """The root of one public site. Its title is the site's name (e.g. 寮步镇人民政府网)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("主办单位"),
        on_delete=models.PROTECT,
        related_name="site_homes",
    )
    intro = RichTextField(_("网站简介"), blank=True, features=["bold", "italic", "link"])
    contact_footer = models.TextField(
        _("页脚联系信息"),
        blank=True,
        help_text=_("留空则显示主办单位的地址、邮编、电话和电子邮箱。"),
    )
    latest_count = models.PositiveSmallIntegerField(
        _("首页每栏条数"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("首页每个栏目显示的最新信息条数。"),
    )

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["catalogue.ColumnPage", "catalogue.DisclosureSectionPage"]
    template = "catalogue/site_home_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("organisation"),
        FieldPanel("intro"),
        FieldPanel("contact_footer"),
        FieldPanel("latest_count"),
    ]

    class Meta:
        verbose_name = _("网站首页")
        verbose_name_plural = _("网站首页")

    def item_path(self, pk: int) -> str:
        """The item's path below this site's root (no leading slash)."""
        return f"{ITEM_ROUTE_PREFIX}{pk}/"

    @path("")
    def index_route(self, request):
        from gongkai.catalogue import views

        return views.site_home(request, home=self)

    @path(ITEM_ROUTE_PREFIX + "<int:pk>/", name="item")
    def item_route(self, request, pk):
        from gongkai.catalogue import views

        return views.item_detail(request, home=self, pk=pk)

    @path(ITEM_ROUTE_PREFIX + "<int:pk>/print/", name="item_print")
    def item_print_route(self, request, pk):
        from gongkai.catalogue import views

        return views.item_detail(request, home=self, pk=pk, printable=True)

    @path(ITEM_ROUTE_PREFIX + "<int:pk>/files/<int:attachment_pk>/", name="item_attachment")
    def item_attachment_route(self, request, pk, attachment_pk):
        from gongkai.catalogue import views

        return views.item_attachment(request, home=self, pk=pk, attachment_pk=attachment_pk)

    @path("feed/rss/", name="rss")
    def rss_route(self, request):
        from gongkai.catalogue import feeds

        return feeds.serve_feed(request, home=self, column=None, atom=False)

    @path("feed/atom/", name="atom")
    def atom_route(self, request):
        from gongkai.catalogue import feeds

        return feeds.serve_feed(request, home=self, column=None, atom=True)


class ColumnPage(RoutablePageMixin, Page):
    """A column (栏目) of a site. It lists the published items placed in it, newest first."""

    class Kind(models.TextChoices):
        NEWS = "news", _("动态/要闻")
        NOTICE = "notice", _("通知公告")
        POLICY = "policy", _("政策文件")
        STATUTORY = "statutory", _("法定主动公开内容")
        REPORT = "report", _("年度报告")
        OTHER = "other", _("其他")

    intro = models.TextField(_("栏目简介"), blank=True)
    kind = models.CharField(_("栏目类型"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("责任单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="columns",
    )
    statutory_basis = models.CharField(
        _("法定依据"),
        max_length=100,
        blank=True,
        choices=StatutoryBasis.choices,
        help_text=_(
            "本栏目承载的法定主动公开内容（条例第二十条、第二十一条），用于“法定主动公开内容”页。"
        ),
    )

    parent_page_types = [
        "catalogue.SiteHomePage",
        "catalogue.ColumnPage",
        "catalogue.DisclosureSectionPage",
    ]
    subpage_types = ["catalogue.ColumnPage"]
    template = "catalogue/column_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("kind"),
        FieldPanel("organisation"),
        FieldPanel("statutory_basis"),
    ]

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")

    @path("")
    def index_route(self, request):
        from gongkai.catalogue import views

        return views.column_list(request, column=self)

    @path("feed/rss/", name="rss")
    def rss_route(self, request):
        from gongkai.catalogue import feeds

        return feeds.serve_feed(request, home=None, column=self, atom=False)

    @path("feed/atom/", name="atom")
    def atom_route(self, request):
        from gongkai.catalogue import feeds

        return feeds.serve_feed(request, home=None, column=self, atom=True)


class DisclosureSectionPage(Page):
    """政府信息公开: the way into the guide, catalogue, statutory contents, reports, requests."""

    intro = RichTextField(_("简介"), blank=True, features=["bold", "italic", "link"])
    apply_url = models.CharField(
        _("依申请公开入口地址"),
        max_length=200,
        default="/apply/",
        validators=[
            RegexValidator(r"^(/|https?://)\S*$", _("请填写以 / 或 http(s):// 开头的地址。"))
        ],
    )
    apply_text = models.CharField(
        _("依申请公开入口说明"),
        max_length=200,
        blank=True,
        default=_("公民、法人或者其他组织可以向本机关申请获取相关政府信息。"),
    )

    parent_page_types = ["catalogue.SiteHomePage"]
    subpage_types = [
        "catalogue.GuidePage",
        "catalogue.CataloguePage",
        "catalogue.StatutoryContentPage",
        "catalogue.ColumnPage",
    ]
    max_count_per_parent = 1
    template = "catalogue/disclosure_section_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel([FieldPanel("apply_url"), FieldPanel("apply_text")], _("依申请公开")),
    ]

    class Meta:
        verbose_name = _("政府信息公开专栏")
        verbose_name_plural = _("政府信息公开专栏")

    def serve(self, request, *args, **kwargs):
        from gongkai.catalogue import views

        return views.section(request, page=self)


class GuideSectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("标题"), max_length=100)
    body = blocks.RichTextBlock(
        label=_("正文"), features=["bold", "italic", "link", "ol", "ul", "h3"]
    )

    class Meta:
        icon = "doc-full"
        label = _("章节")
        template = "catalogue/blocks/guide_section.html"


class GuideClassificationBlock(blocks.StaticBlock):
    class Meta:
        icon = "list-ul"
        label = _("信息分类和编排体系（自动）")
        admin_text = _("自动列出本站的栏目体系和信息类别，随栏目和分类调整而更新。")
        template = "catalogue/blocks/guide_classification.html"


class GuideContactBlock(blocks.StaticBlock):
    class Meta:
        icon = "mail"
        label = _("工作机构联系方式（自动）")
        admin_text = _(
            "自动显示政府信息公开工作机构的名称、地址、办公时间、电话、传真、电子邮箱和网址。"
        )
        template = "catalogue/blocks/guide_contact.html"


def guide_default_body():
    """The headings a guide needs under 条例第十二条, for a new guide page to start from."""
    return [
        {"type": "classification", "value": None},
        {
            "type": "section",
            "value": {
                "heading": gettext("获取政府信息的方式"),
                "body": "".join(
                    f"<p>{paragraph}</p>"
                    for paragraph in (
                        gettext(
                            "（一）主动公开：通过本网站“政府信息公开”专栏、政府公报、新闻发布会以及"
                            "报刊、广播、电视等途径公开，并在公共查阅室、资料索取点、信息公告栏、"
                            "电子信息屏等场所提供查阅。"
                        ),
                        gettext(
                            "（二）依申请公开：公民、法人或者其他组织可以通过网上申请、信函、"
                            "当面提交等方式向本机关申请获取政府信息。"
                        ),
                    )
                ),
            },
        },
        {"type": "contact", "value": None},
        {
            "type": "section",
            "value": {
                "heading": gettext("监督和救济"),
                "body": "<p>{}</p>".format(
                    gettext(
                        "公民、法人或者其他组织认为本机关在政府信息公开工作中侵犯其合法权益的，"
                        "可以向上一级行政机关或者政府信息公开工作主管部门投诉、举报，"
                        "也可以依法申请行政复议或者提起行政诉讼。"
                    )
                ),
            },
        },
    ]


class GuidePage(Page):
    """政府信息公开指南 (条例第十二条): classification, how to obtain information, the office.

    The office's contact details come from the organisation record (one source of truth);
    a field filled in here overrides it for this guide only.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("公开机关"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("留空则为本站主办单位。"),
    )
    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])
    body = StreamField(
        [
            ("section", GuideSectionBlock()),
            ("classification", GuideClassificationBlock()),
            ("contact", GuideContactBlock()),
        ],
        verbose_name=_("指南正文"),
        blank=True,
        default=guide_default_body,
    )
    office_name = models.CharField(_("工作机构名称"), max_length=100, blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    fax = models.CharField(_("传真"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    website = models.URLField(_("网址"), blank=True)

    parent_page_types = ["catalogue.DisclosureSectionPage"]
    subpage_types: list[str] = []
    template = "catalogue/guide_page.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("organisation"),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("office_name"),
                FieldPanel("address"),
                FieldPanel("postcode"),
                FieldPanel("office_hours"),
                FieldPanel("phone"),
                FieldPanel("fax"),
                FieldPanel("email"),
                FieldPanel("website"),
            ],
            _("工作机构（留空的项目取自公开机关的组织信息）"),
        ),
    ]

    class Meta:
        verbose_name = _("政府信息公开指南")
        verbose_name_plural = _("政府信息公开指南")

    def serve(self, request, *args, **kwargs):
        from gongkai.catalogue import views

        return views.guide(request, page=self)


class CataloguePage(Page):
    """政府信息公开目录 (条例第十二条): browse the site's public items with counts per facet."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])

    parent_page_types = ["catalogue.DisclosureSectionPage"]
    subpage_types: list[str] = []
    template = "catalogue/catalogue_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    class Meta:
        verbose_name = _("政府信息公开目录")
        verbose_name_plural = _("政府信息公开目录")

    def serve(self, request, *args, **kwargs):
        from gongkai.catalogue import views

        return views.catalogue_browse(request, page=self)


class StatutoryContentPage(Page):
    """法定主动公开内容: each heading of 条例第二十条 (and 第二十一条 for towns) with its column."""

    intro = RichTextField(_("导语"), blank=True, features=["bold", "italic", "link"])
    include_township = models.BooleanField(
        _("列出第二十一条内容"),
        default=True,
        help_text=_("乡（镇）人民政府还应主动公开条例第二十一条所列信息。"),
    )

    parent_page_types = ["catalogue.DisclosureSectionPage"]
    subpage_types: list[str] = []
    template = "catalogue/statutory_content_page.html"

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("include_township")]

    class Meta:
        verbose_name = _("法定主动公开内容")
        verbose_name_plural = _("法定主动公开内容")

    def serve(self, request, *args, **kwargs):
        from gongkai.catalogue import views

        return views.statutory_contents(request, page=self)
