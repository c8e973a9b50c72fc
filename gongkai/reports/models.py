"""Annual reports (条例第四十九、五十条) and the records they draw on.

Every number in a report is computed from records (items, cases, appeals, channel logs);
the figures the platform cannot know — licences, penalties and fees handled by other systems —
are entered once per year as `StaffFigure` rows, which are never changed: a correction is a
new row that names the one it replaces, so who entered what, when, stays known.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from gongkai.orgs.models import Organisation


class ScopedOrganisationForm(WagtailAdminModelForm):
    """Offers only the organisations the user's roles reach (the tree, not the whole list)."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None or for_user.is_superuser:
            return
        from .selectors import user_report_organisation_ids

        ids = user_report_organisation_ids(user=for_user, action="change")
        for name in ("organisation", "attendees"):
            if name in self.fields:
                self.fields[name].queryset = Organisation.objects.filter(id__in=ids)


class StaffFigure(models.Model):
    """A yearly figure entered by staff: 条例第二十条第（五）（六）（八）项 (section 二)."""

    class Key(models.TextChoices):
        LICENSING = "licensing", _("行政许可")
        PENALTY = "penalty", _("行政处罚")
        ENFORCEMENT = "enforcement", _("行政强制")
        FEES = "fees", _("行政事业性收费")

    # Counts are whole numbers; the fee is in 万元 with up to four decimals (i.e. to the 元).
    WHOLE_NUMBER_KEYS = (Key.LICENSING, Key.PENALTY, Key.ENFORCEMENT)

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    key = models.CharField(_("项目"), max_length=20, choices=Key.choices)
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=4)
    note = models.TextField(_("说明"), blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("更正的记录"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("录入时间"), default=timezone.now)

    class Meta:
        verbose_name = _("年度统计数据（人工录入）")
        verbose_name_plural = _("年度统计数据（人工录入）")
        ordering = ["organisation_id", "year", "key", "-entered_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "year", "key"], name="reports_fig_org_year")
        ]

    def __str__(self):
        return f"{self.organisation} {self.year} {self.get_key_display()} = {self.value}"

    def save(self, *args, **kwargs):
        # History is kept: a figure once entered is never changed, only superseded.
        if not self._state.adding:
            raise ValidationError(_("已录入的统计数据不得修改，请录入新值。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("已录入的统计数据不得删除。"))


class JointMeeting(models.Model):
    """信息公开联席会议 (seed 一(二)): who attended, what was discussed, what was decided."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("召集单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    held_on = models.DateField(_("会议日期"))
    title = models.CharField(_("会议名称"), max_length=200)
    attendees = models.ManyToManyField(
        Organisation, verbose_name=_("参会单位"), blank=True, related_name="+"
    )
    topics = models.TextField(_("会议议题"))
    decisions = models.TextField(_("议定事项"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    base_form_class = ScopedOrganisationForm

    class Meta:
        verbose_name = _("联席会议")
        verbose_name_plural = _("联席会议")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class TrainingSession(models.Model):
    """A training session on disclosure work (seed 六 第四)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("主办单位"), on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("培训日期"))
    title = models.CharField(_("培训名称"), max_length=200)
    trainer = models.CharField(_("授课人"), max_length=200)
    attendee_count = models.PositiveIntegerField(_("参训人数"))
    attendee_names = models.TextField(_("参训人员"), blank=True, help_text=_("每行一人。"))
    materials = models.FileField(
        _("培训材料"), upload_to="reports/training/%Y/", blank=True, max_length=200
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    base_form_class = ScopedOrganisationForm

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"

    def clean(self):
        names = [n for n in self.attendee_names.splitlines() if n.strip()]
        if names and self.attendee_count is not None and len(names) > self.attendee_count:
            raise ValidationError(
                {"attendee_count": _("参训人数少于所列参训人员（%(n)d 人）。") % {"n": len(names)}}
            )


class OfficeRule(models.Model):
    """The office's own rules and plans (实施细则、审核制度、工作计划; seed 一(二) 第三)."""

    class Kind(models.TextChoices):
        IMPLEMENTING = "implementing", _("实施细则")
        REVIEW = "review", _("审核制度")
        PLAN = "plan", _("工作计划")
        OTHER = "other", _("其他制度")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("名称"), max_length=200, help_text=_("不带书名号。"))
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    adopted_on = models.DateField(_("制定/修订日期"))
    plan_year = models.PositiveSmallIntegerField(
        _("计划年度"), null=True, blank=True, help_text=_("工作计划所针对的年度。")
    )
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    document = models.FileField(
        _("文件"), upload_to="reports/rules/%Y/", blank=True, max_length=200
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    base_form_class = ScopedOrganisationForm

    class Meta:
        verbose_name = _("工作制度与计划")
        verbose_name_plural = _("工作制度与计划")
        ordering = ["-adopted_on", "-id"]

    def __str__(self):
        return f"《{self.title}》"

    def clean(self):
        if self.kind == self.Kind.PLAN and not self.plan_year:
            raise ValidationError({"plan_year": _("工作计划须填写计划年度。")})


class ReportPeriodLock(models.Model):
    """A report period closed for changes: cases and items dated in it stay as reported.

    A lock on an organisation covers its whole subtree (the town's report rolls up its
    villages). Unlocking keeps the row and records who unlocked it, when and why.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    reason = models.TextField(_("锁定说明"), blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("锁定人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    locked_at = models.DateTimeField(_("锁定时间"), default=timezone.now)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("解锁人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unlocked_at = models.DateTimeField(_("解锁时间"), null=True, blank=True)
    unlock_reason = models.TextField(_("解锁理由"), blank=True)

    class Meta:
        verbose_name = _("报告期锁定")
        verbose_name_plural = _("报告期锁定")
        ordering = ["-locked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"],
                condition=models.Q(unlocked_at__isnull=True),
                name="reports_one_active_lock",
                violation_error_message=_("该组织该年度的报告期已锁定。"),
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.year}"

    @property
    def is_active(self) -> bool:
        return self.unlocked_at is None


class AnnualReport(models.Model):
    """One report being composed: the editable narrative, its status, what was submitted."""

    class Format(models.TextChoices):
        Y2021 = "2021", _("现行格式（国办公开办函〔2021〕30号）")
        Y2008 = "2008", _("2008年条例时期格式")

    class Status(models.TextChoices):
        DRAFT = "draft", _("编写中")
        SUBMITTED = "submitted", _("已通过检查，提交审核")
        PUBLISHING = "publishing", _("已生成发布草稿，待审核发布")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    format = models.CharField(_("格式"), max_length=4, choices=Format.choices)
    include_subtree = models.BooleanField(_("含下级组织"), default=False)
    title = models.CharField(_("标题"), max_length=200)
    # Section key (see formats/) → text; empty means "use the computed sentences".
    texts = models.JSONField(_("文字部分"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The figures as they were when the report passed its checks and was submitted.
    snapshot = models.JSONField(_("提交时的数据"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    item = models.ForeignKey(
        "catalogue.DisclosureItem",
        verbose_name=_("发布草稿"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度报告")
        verbose_name_plural = _("年度报告")
        ordering = ["-year", "organisation_id", "format"]
        permissions = [
            ("compose_annualreport", _("可编写、检查和导出年度报告")),
            ("lock_reportperiod", _("可锁定和解锁报告期")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "format", "include_subtree"],
                name="reports_one_report",
            )
        ]

    def __str__(self):
        return self.title


class ReportReminder(models.Model):
    """A reminder that went out; the unique constraint makes sending idempotent."""

    class Milestone(models.TextChoices):
        START = "start", _("年初提醒")
        MONTH_BEFORE = "month_before", _("截止前30日")
        WEEK_BEFORE = "week_before", _("截止前7日")
        DUE = "due", _("截止当日")
        OVERDUE = "overdue", _("已逾期")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("报告年度"))
    milestone = models.CharField(_("提醒节点"), max_length=20, choices=Milestone.choices)
    due_on = models.DateField(_("截止日期"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("收件人"), on_delete=models.PROTECT
    )
    email = models.EmailField(_("电子邮箱"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("年度报告提醒")
        verbose_name_plural = _("年度报告提醒")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year", "milestone", "user"],
                name="reports_reminder_once",
            )
        ]

    def __str__(self):
        return f"{self.organisation} {self.year} {self.get_milestone_display()} → {self.email}"
