"""Channels (发布渠道) and what went out on them.

One piece of information goes out on many channels, each with its own output and its own yearly
count (seed 一(三), 二). A `Delivery` is the one record that an item passed the gate in
`services.dispatch_create`; every record that carries an item to the public (an issue
appearance, a broadcast, a post, a printed notice) points at one, so there is no way to put an
item on a channel without passing that gate. Press records and public-service adverts carry no
item and need none.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.models import ColumnPage, DisclosureItem
from gongkai.orgs.models import Organisation


def secret_generate() -> str:
    return secrets.token_hex(32)


class Channel(models.Model):
    """A channel of one organisation: a website column, a screen, a newspaper, an account…"""

    class Kind(models.TextChoices):
        WEBSITE = "website", _("网站栏目")
        SCREEN = "screen", _("电子显示屏")
        KIOSK = "kiosk", _("触摸屏查询机")
        NEWSPAPER = "newspaper", _("报纸")
        MAGAZINE = "magazine", _("杂志")
        TV = "tv", _("电视台")
        NEW_MEDIA = "new_media", _("新媒体账号")
        NOTICE_BOARD = "notice_board", _("公告栏")
        WEBHOOK = "webhook", _("接口推送")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属组织"),
        on_delete=models.PROTECT,
        related_name="channels",
    )
    kind = models.CharField(_("渠道类型"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    slug = models.SlugField(
        _("代码"),
        max_length=60,
        unique=True,
        help_text=_("英文小写字母、数字和连字符，用于屏幕和查询机的网址，例如 plaza。"),
    )
    column = models.ForeignKey(
        ColumnPage,
        verbose_name=_("网站栏目"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("仅网站栏目渠道：信息发布到该栏目即完成网站发布。"),
    )
    config = models.JSONField(
        _("参数"),
        default=dict,
        blank=True,
        help_text=_("各类型渠道的参数，见操作手册 docs/channels.md；留空则使用默认值。"),
    )
    secret = models.CharField(
        _("签名密钥"),
        max_length=128,
        default=secret_generate,
        help_text=_("接口推送时用于 HMAC-SHA256 签名，请只告知接收方。"),
    )
    active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发布渠道")
        verbose_name_plural = _("发布渠道")
        ordering = ["organisation_id", "sort_order", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="channels_channel_name",
                violation_error_message=_("该组织已有同名渠道。"),
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        from .options import options_clean

        self.config = options_clean(self)

    def option(self, key: str):
        """The configured value of an option, or its documented default."""
        from .options import option_value

        return option_value(self, key)


class ChannelSelection(models.Model):
    """The channels an editor chose for an item. Each approved revision goes out on them."""

    item = models.ForeignKey(
        DisclosureItem,
        verbose_name=_("政府信息"),
        on_delete=models.CASCADE,
        related_name="channel_selections",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("发布渠道"),
        on_delete=models.PROTECT,
        related_name="selections",
    )
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("选择人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    selected_at = models.DateTimeField(_("选择时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("渠道选择")
        verbose_name_plural = _("渠道选择")
        constraints = [
            models.UniqueConstraint(fields=["item", "channel"], name="channels_one_selection")
        ]

    def __str__(self):
        return f"{self.item_id} → {self.channel}"


class Delivery(models.Model):
    """One approved revision of one item going out on one channel.

    Unique per (item, channel, revision): asking twice gives the same row. The worker claims a
    row with a conditional UPDATE and records the external id before it marks the row sent, so
    a worker dying half-way never makes a second copy (see services.delivery_attempt).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")
        CANCELLED = "cancelled", _("已取消")

    item = models.ForeignKey(
        DisclosureItem,
        verbose_name=_("政府信息"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    channel = models.ForeignKey(
        Channel, verbose_name=_("发布渠道"), on_delete=models.PROTECT, related_name="deliveries"
    )
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("版本"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("发布的是经审查通过的这一版本。"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    max_attempts = models.PositiveSmallIntegerField(_("最多尝试次数"), default=5)
    last_error = models.TextField(_("失败原因"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("开始发送时间"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    external_id = models.CharField(_("对方编号"), max_length=200, blank=True)
    output_ref = models.CharField(_("发布结果"), max_length=500, blank=True)
    idempotency_key = models.UUIDField(_("幂等键"), default=uuid.uuid4, unique=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("发布记录")
        verbose_name_plural = _("发布记录")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "channel", "revision"], name="channels_one_delivery_per_revision"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="channels_delivery_due"),
            models.Index(fields=["channel", "status", "sent_at"], name="channels_delivery_sent"),
        ]

    def __str__(self):
        return f"{self.item} → {self.channel}"

    @property
    def can_retry(self) -> bool:
        return self.status == self.Status.FAILED


class Issue(models.Model):
    """One issue (期) of a newspaper or magazine, composed from cleared items."""

    class PageSize(models.TextChoices):
        A3 = "A3", "A3"
        A4 = "A4", "A4"

    class RenderStatus(models.TextChoices):
        PENDING = "pending", _("待生成")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    channel = models.ForeignKey(
        Channel, verbose_name=_("报刊"), on_delete=models.PROTECT, related_name="issues"
    )
    number = models.PositiveIntegerField(_("期号"), help_text=_("当年第几期。"))
    date = models.DateField(_("出版日期"))
    copies = models.PositiveIntegerField(_("印数（份）"))
    page_size = models.CharField(_("纸张"), max_length=2, choices=PageSize.choices)
    columns = models.PositiveSmallIntegerField(_("栏数"), choices=[(2, _("两栏")), (3, _("三栏"))])
    pdf = models.FileField(_("印刷版 PDF"), upload_to="channels/issues/", blank=True)
    docx = models.FileField(_("Word 版"), upload_to="channels/issues/", blank=True)
    render_status = models.CharField(
        _("版面状态"),
        max_length=20,
        choices=RenderStatus.choices,
        default=RenderStatus.PENDING,
    )
    render_error = models.TextField(_("生成失败原因"), blank=True)
    rendered_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    composed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组版人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("报刊期次")
        verbose_name_plural = _("报刊期次")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "date"],
                name="channels_one_issue_per_day",
                violation_error_message=_("该报刊当天已有一期。"),
            )
        ]
        indexes = [models.Index(fields=["channel", "date"], name="channels_issue_date")]

    def __str__(self):
        return _("%(paper)s %(year)s年第%(number)s期") % {
            "paper": self.channel.name,
            "year": self.date.year,
            "number": self.number,
        }


class IssueAppearance(models.Model):
    """An item printed in an issue (刊登条次)."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("期次"), on_delete=models.PROTECT, related_name="appearances"
    )
    item = models.ForeignKey(
        DisclosureItem,
        verbose_name=_("政府信息"),
        on_delete=models.PROTECT,
        related_name="issue_appearances",
    )
    delivery = models.ForeignKey(
        Delivery, verbose_name=_("发布记录"), on_delete=models.PROTECT, related_name="appearances"
    )
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        verbose_name = _("刊登条次")
        verbose_name_plural = _("刊登条次")
        ordering = ["issue", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "item"], name="channels_once_per_issue")
        ]

    def __str__(self):
        return f"{self.issue_id}: {self.item_id}"


class Broadcast(models.Model):
    """A line of the TV station's broadcast log (节目单): an item or a public-service advert."""

    class Kind(models.TextChoices):
        ITEM = "item", _("政府信息")
        ADVERT = "advert", _("公益广告")

    channel = models.ForeignKey(
        Channel, verbose_name=_("电视台"), on_delete=models.PROTECT, related_name="broadcasts"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    item = models.ForeignKey(
        DisclosureItem,
        verbose_name=_("政府信息"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="broadcasts",
    )
    delivery = models.ForeignKey(
        Delivery,
        verbose_name=_("发布记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="broadcasts",
    )
    title = models.CharField(_("标题"), max_length=300)
    programme = models.CharField(_("节目"), max_length=100, blank=True)
    aired_at = models.DateTimeField(_("播出时间"))
    duration_seconds = models.PositiveIntegerField(_("时长（秒）"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("节目单")
        verbose_name_plural = _("节目单")
        ordering = ["-aired_at", "-id"]
        constraints = [
            # An item on air must have passed the gate; an advert carries no item.
            models.CheckConstraint(
                condition=(
                    Q(kind="item", item__isnull=False, delivery__isnull=False)
                    | Q(kind="advert", item__isnull=True, delivery__isnull=True)
                ),
                name="channels_broadcast_kind",
            ),
            models.CheckConstraint(
                condition=Q(duration_seconds__gt=0), name="channels_broadcast_duration"
            ),
        ]
        indexes = [models.Index(fields=["channel", "aired_at"], name="channels_broadcast_aired")]

    def __str__(self):
        return self.title

    @property
    def duration_minutes(self) -> float:
        return round(self.duration_seconds / 60, 1)


class Post(models.Model):
    """What goes out on a new-media account: the text fitted to the platform's limit."""

    class Status(models.TextChoices):
        READY = "ready", _("待发布")
        POSTED = "posted", _("已发布")

    channel = models.ForeignKey(
        Channel, verbose_name=_("账号"), on_delete=models.PROTECT, related_name="posts"
    )
    item = models.ForeignKey(
        DisclosureItem, verbose_name=_("政府信息"), on_delete=models.PROTECT, related_name="+"
    )
    delivery = models.OneToOneField(
        Delivery, verbose_name=_("发布记录"), on_delete=models.PROTECT, related_name="post"
    )
    text = models.TextField(_("发布文字"))
    url = models.CharField(_("原文链接"), max_length=500, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.READY
    )
    posted_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    external_ref = models.CharField(_("平台上的链接或编号"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)

    class Meta:
        verbose_name = _("新媒体发布稿")
        verbose_name_plural = _("新媒体发布稿")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.text[:40]


class NoticePrint(models.Model):
    """A notice (公告) printed for a notice board: who, when, which board."""

    channel = models.ForeignKey(
        Channel, verbose_name=_("公告栏"), on_delete=models.PROTECT, related_name="notice_prints"
    )
    item = models.ForeignKey(
        DisclosureItem, verbose_name=_("政府信息"), on_delete=models.PROTECT, related_name="+"
    )
    delivery = models.ForeignKey(
        Delivery,
        verbose_name=_("发布记录"),
        on_delete=models.PROTECT,
        related_name="notice_prints",
    )
    copies = models.PositiveSmallIntegerField(_("份数"), default=1)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("打印人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    printed_at = models.DateTimeField(_("打印时间"), default=timezone.now)

    class Meta:
        verbose_name = _("公告打印记录")
        verbose_name_plural = _("公告打印记录")
        ordering = ["-printed_at", "-id"]

    def __str__(self):
        return f"{self.channel} · {self.item_id}"


class PressConference(models.Model):
    """新闻发布会 or 集中采访活动 (seed 二(六))."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=200)
    held_on = models.DateField(_("日期"))
    venue = models.CharField(_("地点"), max_length=200, blank=True)
    topics = models.TextField(_("主要议题"), blank=True, help_text=_("每行一项。"))
    media_attending = models.TextField(_("到会媒体"), blank=True, help_text=_("每行一家。"))
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("新闻发布会")
        verbose_name_plural = _("新闻发布会")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title

    @property
    def topic_list(self) -> list[str]:
        return [line.strip() for line in self.topics.splitlines() if line.strip()]

    @property
    def media_list(self) -> list[str]:
        return [line.strip() for line in self.media_attending.splitlines() if line.strip()]


class NewsRelease(models.Model):
    """A news release (新闻发布): by conference, group interview, exclusive or press release."""

    class Form(models.TextChoices):
        CONFERENCE = "conference", _("新闻发布会")
        GROUP_INTERVIEW = "group_interview", _("记者集体采访")
        INTERVIEW = "interview", _("记者专访")
        RELEASE = "release", _("新闻通稿")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=200)
    released_on = models.DateField(_("发布日期"))
    form = models.CharField(_("形式"), max_length=20, choices=Form.choices, default=Form.RELEASE)
    is_major = models.BooleanField(_("重大新闻"), default=False)
    conference = models.ForeignKey(
        PressConference,
        verbose_name=_("所属发布会"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="releases",
    )
    summary = models.TextField(_("内容摘要"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("新闻发布")
        verbose_name_plural = _("新闻发布")
        ordering = ["-released_on", "-id"]

    def __str__(self):
        return self.title


class OutsideArticle(models.Model):
    """An article placed in outside media (外部媒体发稿): outlet, date, link."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    outlet = models.CharField(
        _("媒体"), max_length=100, help_text=_("例如：南方日报、东莞日报、阳光网。")
    )
    title = models.CharField(_("标题"), max_length=300)
    published_on = models.DateField(_("刊发日期"))
    url = models.URLField(_("链接"), max_length=500, blank=True)
    release = models.ForeignKey(
        NewsRelease,
        verbose_name=_("对应新闻发布"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("外部媒体发稿")
        verbose_name_plural = _("外部媒体发稿")
        ordering = ["-published_on", "-id"]
        indexes = [
            models.Index(fields=["organisation", "published_on"], name="channels_article_pub")
        ]

    def __str__(self):
        return f"{self.outlet}：{self.title}"
