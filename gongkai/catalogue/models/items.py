"""The catalogue of government information (政府信息公开目录).

Disclosure items are records (a snippet with drafts, revisions, workflow, scheduling and
locking), not pages: a town's catalogue must be imported, counted and searched in bulk. Sites
and columns are pages; a column lists the items placed in it.
"""

import re
import unicodedata

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.actions.publish_revision import PublishRevisionAction
from wagtail.fields import RichTextField
from wagtail.models import (
    DraftStateMixin,
    LockableMixin,
    Orderable,
    PreviewableMixin,
    RevisionMixin,
    WorkflowMixin,
)
from wagtail.search import index

from gongkai.orgs.models import Organisation

from .pages import ColumnPage

# 索引号 seen on government sites (RULES.md §5): credit codes or 9-character organisation codes,
# with or without a hyphen, lower-case suffixes, YYYY or YYYYMM, 5- or 6-digit serials, and the
# older dash-separated Ningbo scheme. So: ASCII letters and digits separated by "/", "-", "_"
# or ".", at least one digit, no spaces.
INDEX_NUMBER_RE = re.compile(r"^[0-9A-Za-z]+(?:[-/_.][0-9A-Za-z]+)*$")
OWN_INDEX_NUMBER_RE = re.compile(r"^(?P<code>[0-9A-Z]{18})/(?P<year>\d{4})-(?P<serial>\d{5})$")


def index_number_normalise(value: str) -> str:
    """Full-width characters (／, －, Ｙ) become ASCII; surrounding spaces go."""
    return unicodedata.normalize("NFKC", value or "").strip()


def validate_index_number(value: str) -> None:
    """Permissive: accept every format in use, refuse what cannot be an index number."""
    if not (4 <= len(value) <= 60) or not INDEX_NUMBER_RE.match(value):
        raise ValidationError(
            _("索引号“%(value)s”格式不正确：只能由字母、数字和 / - _ . 组成，长度 4–60 位。"),
            params={"value": value},
            code="index_number",
        )
    if not any(ch.isdigit() for ch in value):
        raise ValidationError(
            _("索引号“%(value)s”中没有数字。"), params={"value": value}, code="index_number"
        )


class ItemPublishRevisionAction(PublishRevisionAction):
    """Publishing an item also records its 发布日期: the day it first went public.

    Republishing keeps the first date (with_content_json carries it over), and a scheduled
    publication records the day it actually goes live. The catalogue, the reports and the
    条例第二十六条 check all read this date.
    """

    def check(self, skip_permission_checks=False):
        # Confidentiality review (gongkai/review): only a revision a review workflow approved
        # is ever published, whatever calls this action (the model's publish(), the snippet
        # API through the action registry). Not skippable with skip_permission_checks.
        from gongkai.review.clearance import require_clearance

        require_clearance(item=self.object, revision=self.revision)
        # Report-period lock (issue #8): publishing an item dated in a locked year would change
        # that year's report (items published, 规范性文件 issued). PeriodLocked is a
        # ValidationError: the review page shows it at the decision and nothing is published.
        from gongkai.catalogue.services import item_period_check

        after = self.object  # the revision's content
        before = type(after).objects.filter(pk=after.pk).first()
        if after.published_date is None:
            after = self.revision.as_object()
            after.published_date = timezone.localdate()
        item_period_check(item=after, before=before)
        return super().check(skip_permission_checks=skip_permission_checks)

    def _publish_revision(
        self, revision, object, user, changed, log_action, previous_revision=None
    ):
        goes_live_now = not (object.go_live_at and object.go_live_at > timezone.now())
        if goes_live_now and object.published_date is None:
            object.published_date = timezone.localdate()
        return super()._publish_revision(
            revision, object, user, changed, log_action, previous_revision=previous_revision
        )


class Category(models.Model):
    """An entry of an editable classification list: 信息类别 or 主题分类."""

    class Scheme(models.TextChoices):
        INFO = "info", _("信息类别")
        SUBJECT = "subject", _("主题分类")

    scheme = models.CharField(_("分类体系"), max_length=20, choices=Scheme.choices)
    name = models.CharField(_("名称"), max_length=40)
    code = models.SlugField(_("代码"), max_length=40)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        verbose_name = _("分类")
        verbose_name_plural = _("分类")
        ordering = ["scheme", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="catalogue_category_code"),
            models.UniqueConstraint(fields=["scheme", "name"], name="catalogue_category_name"),
        ]

    def __str__(self):
        return self.name


class IndexNumberSequence(models.Model):
    """The last serial used for an organisation and year (索引号 后段码)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="catalogue_one_sequence")
        ]

    def __str__(self):
        return f"{self.organisation_id}/{self.year}-{self.last_serial:05d}"


class ItemStatus(models.TextChoices):
    """Where an item stands, as staff see it in the list (computed: selectors.items_with_status).

    Not stored: it follows from the item's record, its review workflow (gongkai/review) and its
    revisions. Each item has exactly one; the order of precedence is in selectors.
    """

    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("审核中")
    SENT_BACK = "sent_back", _("已退回")
    SCHEDULED = "scheduled", _("定时发布")
    LIVE = "live", _("已发布")
    LIVE_CHANGED = "live_changed", _("已发布（有未发布的修改）")
    EXPIRED = "expired", _("已过期下线")
    WITHDRAWN = "withdrawn", _("已撤回")


class DisclosureItem(
    WorkflowMixin,
    DraftStateMixin,
    LockableMixin,
    RevisionMixin,
    PreviewableMixin,
    index.Indexed,
    ClusterableModel,
):
    """One piece of government information with its statutory metadata (条例第十二条)."""

    class Validity(models.TextChoices):
        IN_FORCE = "in_force", _("现行有效")
        AMENDED = "amended", _("已修改")
        REPEALED = "repealed", _("已废止")

    class RegulatoryKind(models.TextChoices):
        # Counted in the annual report's section 二, 第二十条第（一）项.
        NONE = "", _("否")
        RULE = "rule", _("规章")
        NORMATIVE = "normative", _("行政规范性文件")

    class DisclosureMode(models.TextChoices):
        PROACTIVE = "proactive", _("主动公开")
        ON_REQUEST = "on_request", _("依申请公开")
        WITHHELD = "withheld", _("不予公开")

    class Genre(models.TextChoices):
        NOTICE = "通知", _("通知")
        ANNOUNCEMENT = "公告", _("公告")
        BULLETIN = "通告", _("通告")
        DECISION = "决定", _("决定")
        OPINION = "意见", _("意见")
        MEASURES = "办法", _("办法")
        PROVISIONS = "规定", _("规定")
        PLAN = "方案", _("方案")
        REPORT = "报告", _("报告")
        REPLY = "批复", _("批复")
        LETTER = "函", _("函")
        MINUTES = "纪要", _("纪要")
        NEWS = "动态", _("工作动态")
        TABLE = "表格", _("表格")
        OTHER = "其他", _("其他")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("所属组织"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    index_number = models.CharField(
        _("索引号"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("自动生成，唯一且永不改变。"),
    )
    title = models.CharField(_("名称"), max_length=300)
    summary = models.TextField(_("内容概述"), max_length=300, blank=True)
    publisher = models.CharField(
        _("发布机构"), max_length=100, blank=True, help_text=_("留空则为所属组织名称。")
    )
    created_date = models.DateField(_("生成日期"))
    published_date = models.DateField(
        _("发布日期"), null=True, blank=True, help_text=_("发布时自动记录。")
    )
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    subject = models.ForeignKey(
        Category,
        verbose_name=_("主题分类"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"scheme": Category.Scheme.SUBJECT},
    )
    genre = models.CharField(_("体裁分类"), max_length=20, choices=Genre.choices, blank=True)
    category = models.ForeignKey(
        Category,
        verbose_name=_("信息类别"),
        on_delete=models.PROTECT,
        related_name="items",
        limit_choices_to={"scheme": Category.Scheme.INFO},
    )
    keywords = models.CharField(_("关键词"), max_length=200, blank=True)
    validity = models.CharField(
        _("有效性"), max_length=20, choices=Validity.choices, default=Validity.IN_FORCE
    )
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    validity_changed_on = models.DateField(_("修改/废止日期"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("替代文件"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )
    regulatory_kind = models.CharField(
        _("规章/规范性文件"),
        max_length=20,
        choices=RegulatoryKind.choices,
        default=RegulatoryKind.NONE,
        blank=True,
    )
    disclosure_mode = models.CharField(
        _("公开方式"),
        max_length=20,
        choices=DisclosureMode.choices,
        default=DisclosureMode.PROACTIVE,
    )
    withheld_reason = models.TextField(_("不予公开理由"), blank=True)
    body = RichTextField(_("正文"), blank=True)
    columns = ParentalManyToManyField(
        ColumnPage, verbose_name=_("所在栏目"), blank=True, related_name="items"
    )
    source = models.CharField(_("信息来源"), max_length=100, blank=True)

    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True, editable=False)
    withdrawn_reason = models.TextField(_("撤回理由"), blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撤回人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="disclosureitem")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="disclosureitem",
        for_concrete_model=False,
    )

    search_fields = [
        index.SearchField("title"),
        index.SearchField("summary"),
        index.SearchField("document_number"),
        index.FilterField("organisation"),
        index.FilterField("live"),
    ]

    class Meta:
        verbose_name = _("政府信息")
        verbose_name_plural = _("政府信息")
        ordering = ["-published_date", "-id"]
        indexes = [
            models.Index(fields=["organisation", "published_date"], name="catalogue_item_org_pub"),
            models.Index(fields=["live", "published_date"], name="catalogue_item_live_pub"),
            models.Index(fields=["category", "published_date"], name="catalogue_item_cat_pub"),
            # The annual report's 规章/规范性文件 counts (selectors.regulatory_counts) read only
            # the few items whose kind is set: a partial index holds just those, so the counts
            # no longer scan the whole table. It also holds every column the counts read, so
            # they are answered from the index alone (SQLite "COVERING INDEX", PostgreSQL
            # "Index Only Scan"), not by fetching each row from the table.
            models.Index(
                fields=[
                    "regulatory_kind",
                    "organisation",
                    "created_date",
                    "published_date",
                    "first_published_at",
                    "withdrawn_at",
                    "validity",
                    "validity_changed_on",
                    "effective_from",
                    "id",
                ],
                name="catalogue_item_regulatory",
                condition=~models.Q(regulatory_kind=""),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if (
            self.disclosure_mode == self.DisclosureMode.WITHHELD
            and not self.withheld_reason.strip()
        ):
            errors["withheld_reason"] = _("不予公开的信息须填写理由。")
        if (
            self.validity in (self.Validity.AMENDED, self.Validity.REPEALED)
            and not self.validity_changed_on
        ):
            errors["validity_changed_on"] = _("已修改或已废止的文件须填写修改/废止日期。")
        if self.replaced_by_id and self.pk and self.replaced_by_id == self.pk:
            errors["replaced_by"] = _("替代文件不能是本文件。")
        if self.published_date and self.created_date and self.published_date < self.created_date:
            errors["published_date"] = _("发布日期不能早于生成日期。")
        if (
            self.validity_changed_on
            and self.created_date
            and self.validity_changed_on < self.created_date
        ):
            errors["validity_changed_on"] = _("修改/废止日期不能早于生成日期。")
        if errors:
            raise ValidationError(errors)

    def with_content_json(self, content):
        # A revision holds what an editor typed. The index number, the withdrawal and the
        # publication date belong to the record as a whole: publishing or reverting to an
        # older revision must never bring back an old value (or undo a withdrawal).
        obj = super().with_content_json(content)
        obj.index_number = self.index_number
        obj.withdrawn_at = self.withdrawn_at
        obj.withdrawn_reason = self.withdrawn_reason
        obj.withdrawn_by_id = self.withdrawn_by_id
        obj.published_date = self.published_date
        obj.created_at = self.created_at
        return obj

    def publish(
        self,
        revision,
        user=None,
        changed=True,
        log_action=True,
        previous_revision=None,
        skip_permission_checks=False,
    ):
        # Nothing reaches the public without passing review (gongkai/review/clearance.py).
        from gongkai.review.clearance import require_clearance

        require_clearance(item=self, revision=revision)
        return ItemPublishRevisionAction(
            revision,
            user=user,
            changed=changed,
            log_action=log_action,
            previous_revision=previous_revision,
        ).execute(skip_permission_checks=skip_permission_checks)

    def get_workflow(self):
        # The review workflow of the nearest organisation up the tree that has one.
        from gongkai.review.selectors import workflow_for_item

        return workflow_for_item(item=self)

    def get_preview_template(self, request, mode_name):
        return "catalogue/admin/item_preview.html"

    @property
    def revisions(self):
        return self._revisions

    @property
    def publisher_name(self) -> str:
        return self.publisher or self.organisation.name

    @property
    def published_on(self):
        """The day the item went public: recorded, or the first publication on the platform."""
        if self.published_date:
            return self.published_date
        if self.first_published_at:
            return timezone.localdate(self.first_published_at)
        return None

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_public(self) -> bool:
        return self.live and not self.is_withdrawn


class ItemAttachment(Orderable):
    """A file attached to an item, stored with its size and SHA-256."""

    item = ParentalKey(DisclosureItem, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("附件名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to="attachments/%Y/%m/")
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, editable=False)
    content_type = models.CharField(_("文件类型"), max_length=100, blank=True, editable=False)

    class Meta(Orderable.Meta):
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self):
        return self.title
