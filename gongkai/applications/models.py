"""依申请公开 cases, their append-only event list, their documents and the letters' templates.

State set by a person (status, outcome, the dates of what happened) is kept apart from state
computed from dates: the due date is recomputed from the events by `deadlines.py` after every
event and stored only so that queues can be filtered in SQL; "overdue" is never stored.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organisation

from .fees import FeeBasis
from .outcomes import Outcome
from .storage import private_storage


class ApplicantType(models.TextChoices):
    """The applicant columns of the report's section-三 table (RULES.md §2)."""

    NATURAL = "natural", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    SOCIAL = "social", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER = "other", _("其他")


class Channel(models.TextChoices):
    """How the application arrived; it decides the date of receipt (条例第三十一条)."""

    IN_PERSON = "in_person", _("当面提交")
    POST_SIGNED = "post_signed", _("邮寄（需签收）")
    LETTER = "letter", _("平常信函")
    FAX = "fax", _("传真")
    ONLINE = "online", _("互联网")


class IdDocument(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    OTHER = "other", _("其他有效身份证件")


class InfoForm(models.TextChoices):
    PAPER = "paper", _("纸质文本")
    ELECTRONIC = "electronic", _("电子文件")
    INSPECTION = "inspection", _("查阅、抄录")


class Delivery(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    COLLECTION = "collection", _("自行领取")
    ONLINE = "online", _("网上获取")


class Status(models.TextChoices):
    NEW = "new", _("待分办")
    IN_PROGRESS = "in_progress", _("办理中")
    AWAITING_CORRECTION = "awaiting_correction", _("待补正")
    AWAITING_FEE = "awaiting_fee", _("待缴费")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = [s for s in Status if s != Status.CLOSED]


class EnteredVia(models.TextChoices):
    PUBLIC_FORM = "public_form", _("网上申请表")
    STAFF = "staff", _("工作人员登记")
    IMPORT = "import", _("台账导入")


prefix_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{0,9}$", _("前缀应为1至10位大写字母或数字，以字母开头，例如 LB。")
)


class ApplicationDesk(models.Model):
    """An agency that takes applications (条例第二十七条), with the prefix of its case numbers."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("受理机关"),
        on_delete=models.PROTECT,
        related_name="application_desk",
    )
    prefix = models.CharField(
        _("编号前缀"),
        max_length=10,
        unique=True,
        validators=[prefix_validator],
        help_text=_("申请编号的前缀，例如 LB 生成 LB-2026-00017。启用后请勿修改。"),
    )
    accepts_online = models.BooleanField(_("接受网上申请"), default=True)
    intro = models.TextField(_("申请须知"), blank=True, help_text=_("显示在网上申请表上方。"))

    class Meta:
        verbose_name = _("申请受理机关")
        verbose_name_plural = _("申请受理机关")
        ordering = ["organisation__sort_order", "organisation_id"]

    def __str__(self):
        return f"{self.organisation}（{self.prefix}）"


class Application(models.Model):
    """One 政府信息公开申请 with what 条例第二十九条 requires it to contain."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("受理机关"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("申请编号"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("编号年份"))
    serial = models.PositiveIntegerField(_("编号序号"), null=True, blank=True)
    secret_code = models.CharField(_("查询码"), max_length=16)
    entered_via = models.CharField(_("登记方式"), max_length=20, choices=EnteredVia.choices)

    # 条例第三十一条: the dates that decide the date of receipt, as they happened.
    channel = models.CharField(_("提交方式"), max_length=20, choices=Channel.choices)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    signed_for_on = models.DateField(_("签收日期"), null=True, blank=True)
    confirmed_on = models.DateField(_("确认日期"), null=True, blank=True)
    received_on = models.DateField(_("收到申请日期"), db_index=True)

    # 条例第二十九条（一）: name, identity proof, contact.
    applicant_type = models.CharField(_("申请人类型"), max_length=20, choices=ApplicantType.choices)
    name = models.CharField(_("姓名或名称"), max_length=100)
    id_document = models.CharField(
        _("证件类型"), max_length=20, choices=IdDocument.choices, blank=True
    )
    id_number = models.CharField(_("证件号码"), max_length=40, blank=True, db_index=True)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True, db_index=True)
    contact_person = models.CharField(_("联系人"), max_length=60, blank=True)
    # Blank only for cases imported from an old ledger; intake requires it (validation.py).
    phone = models.CharField(_("联系电话"), max_length=30, blank=True, db_index=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("通信地址"), max_length=200, blank=True)
    postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    # 条例第二十九条（二）: what is wanted.
    description = models.TextField(_("所需信息的名称或描述"))
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    # 条例第二十九条（三）: in what form and how to receive it.
    info_form = models.CharField(
        _("信息的形式"), max_length=20, choices=InfoForm.choices, blank=True
    )
    delivery = models.CharField(_("获取方式"), max_length=20, choices=Delivery.choices, blank=True)

    status = models.CharField(
        _("状态"), max_length=30, choices=Status.choices, default=Status.NEW, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Recomputed from the events after each one; None while the clock is stopped or unknown.
    due_on = models.DateField(_("答复期限"), null=True, blank=True, db_index=True)
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices, blank=True)
    closed_on = models.DateField(_("答复日期"), null=True, blank=True, db_index=True)
    responsible_agency = models.CharField(
        _("负责公开的机关"),
        max_length=200,
        blank=True,
        help_text=_("条例第三十六条第（五）项：能够确定的，写明该机关的名称和联系方式。"),
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("政府信息公开申请")
        verbose_name_plural = _("政府信息公开申请")
        ordering = ["-received_on", "-id"]
        permissions = [
            ("approve_application", _("可批准延长答复期限")),
            ("reveal_application", _("可查看申请人完整个人信息")),
        ]
        indexes = [
            models.Index(fields=["organisation", "received_on"], name="applications_org_received"),
            models.Index(fields=["organisation", "closed_on"], name="applications_org_closed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "serial"],
                condition=models.Q(serial__isnull=False),
                name="applications_one_serial_per_org_year",
            ),
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("received_on")),
                name="applications_closed_after_received",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="closed", closed_on__isnull=False) & ~models.Q(outcome="")
                )
                | (~models.Q(status="closed") & models.Q(closed_on__isnull=True, outcome="")),
                name="applications_closed_has_outcome",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def is_legal_person(self) -> bool:
        return self.applicant_type != ApplicantType.NATURAL


class CaseEvent(models.Model):
    """What happened to a case, on which date. Append-only: an event is never changed."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("收到申请")
        ASSIGNED = "assigned", _("指定经办人")
        CORRECTION_REQUESTED = "correction_requested", _("发出补正通知")
        CORRECTION_RECEIVED = "correction_received", _("收到补正后的申请")
        THIRD_PARTY_SENT = "third_party_sent", _("书面征求第三方意见")
        THIRD_PARTY_REPLIED = "third_party_replied", _("第三方意见征求结束")
        AGENCY_CONSULTED = "agency_consulted", _("征求其他机关意见")
        AGENCY_ANSWERED = "agency_answered", _("其他机关意见征求结束")
        FEE_NOTICE_SENT = "fee_notice_sent", _("发出收费通知")
        FEE_NOTICE_RECEIVED = "fee_notice_received", _("收费通知送达")
        FEE_PAID = "fee_paid", _("缴纳信息处理费")
        EXTENDED = "extended", _("延长答复期限")
        REPLIED = "replied", _("作出答复")
        ABANDONED = "abandoned", _("视为放弃申请")
        INFORMATION_ATTACHED = "information_attached", _("附上提供的信息")
        DELIVERED = "delivered", _("送达")
        NOTE = "note", _("备注")

    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("事项"), max_length=30, choices=Kind.choices)
    happened_on = models.DateField(_("日期"))
    recorded_at = models.DateTimeField(_("记录时间"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The officer assigned, or the leader who approved an extension.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("相关人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A consultation's end points at its start, so the paused span is known exactly.
    closes = models.ForeignKey(
        "self",
        verbose_name=_("对应事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closed_by",
    )
    due_on = models.DateField(_("期限"), null=True, blank=True)
    amount = models.DecimalField(
        _("金额（元）"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_basis = models.CharField(_("计收方式"), max_length=10, choices=FeeBasis.choices, blank=True)
    outcome = models.CharField(_("办理结果"), max_length=40, choices=Outcome.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("其他"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["happened_on", "recorded_at", "id"]
        indexes = [models.Index(fields=["kind", "happened_on"], name="applications_event_kind")]

    def __str__(self):
        return f"{self.happened_on:%Y-%m-%d} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        # Append-only (CONVENTIONS: Alaveteli's event list): a correction is a new event.
        if not self._state.adding:
            raise ValidationError(_("办理记录一经保存不得修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("办理记录不得删除。"))


class CaseDocument(models.Model):
    class Kind(models.TextChoices):
        PROOF = "proof", _("身份证明")
        INFORMATION = "information", _("提供的信息")
        LETTER = "letter", _("告知书")

    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="documents"
    )
    # For a letter: the event it was written for (a letter is issued once per event).
    event = models.ForeignKey(
        CaseEvent,
        verbose_name=_("对应事项"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    file = models.FileField(_("文件"), upload_to="applications/%Y/%m/", storage=private_storage)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    # Whether the applicant may download it from the tracking page.
    for_applicant = models.BooleanField(_("向申请人提供"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.name


class LetterTemplate(models.Model):
    """The editable text of one kind of letter. Placeholders are written {申请人} and so on."""

    class Key(models.TextChoices):
        CORRECTION_NOTICE = "correction_notice", _("补正通知书")
        EXTENSION_NOTICE = "extension_notice", _("延期答复告知书")
        FEE_NOTICE = "fee_notice", _("收费通知书")

    key = models.CharField(
        _("用于"), max_length=40, unique=True, choices=Key.choices + Outcome.choices
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(
        _("正文"),
        help_text=_("段落之间空一行。可用的占位符见下方说明，例如 {申请人}、{申请编号}。"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("告知书模板")
        verbose_name_plural = _("告知书模板")
        ordering = ["key"]

    def __str__(self):
        return self.title

    def clean(self):
        from .letters import check_template

        unknown = check_template(self.body)
        if unknown:
            raise ValidationError(
                {"body": _("无法识别的占位符：%(names)s。") % {"names": "、".join(unknown)}}
            )


class ReminderSent(models.Model):
    """A deadline reminder that went out; the unique constraint makes sending idempotent."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("到期前提醒")
        DUE = "due", _("到期当日提醒")

    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="reminders"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    due_on = models.DateField(_("答复期限"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)
    recipients = models.TextField(_("收件人"), blank=True)

    class Meta:
        verbose_name = _("期限提醒")
        verbose_name_plural = _("期限提醒")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind", "due_on"], name="applications_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.application} {self.get_kind_display()} {self.due_on:%Y-%m-%d}"


class RateCounter(models.Model):
    """Hits per key in a fixed time window, shared by every process through the database."""

    key = models.CharField(max_length=200)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="applications_rate_key")
        ]
        indexes = [models.Index(fields=["window_start"], name="applications_rate_window")]

    def __str__(self):
        return f"{self.key} @ {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
