"""Administrative reconsideration (行政复议) and lawsuits (行政诉讼) arising from a case.

The report's section 四 counts them in three groups, each by result (RULES.md §2).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.applications.models import Application
from gongkai.orgs.models import Organisation


class Appeal(models.Model):
    class Kind(models.TextChoices):
        RECONSIDERATION = "reconsideration", _("行政复议")
        SUIT_DIRECT = "suit_direct", _("行政诉讼：未经复议直接起诉")
        SUIT_AFTER_RECONSIDERATION = "suit_after_reconsideration", _("行政诉讼：复议后起诉")

    class Result(models.TextChoices):
        UPHELD = "upheld", _("结果维持")
        CORRECTED = "corrected", _("结果纠正")
        OTHER = "other", _("其他结果")
        PENDING = "pending", _("尚未审结")

    application = models.ForeignKey(
        Application,
        verbose_name=_("政府信息公开申请"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    # The case's agency, kept here so lists can be scoped by the organisation tree.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("被申请/被诉机关"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("类别"), max_length=30, choices=Kind.choices)
    filed_on = models.DateField(_("申请或起诉日期"))
    authority = models.CharField(
        _("复议机关或人民法院"),
        max_length=100,
        help_text=_("例如 东莞市人民政府、东莞市第一人民法院。"),
    )
    reference = models.CharField(_("案号"), max_length=100, blank=True)
    follows = models.ForeignKey(
        "self",
        verbose_name=_("此前的行政复议"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("复议后起诉的，选择此前的行政复议。"),
    )
    result = models.CharField(
        _("结果"), max_length=20, choices=Result.choices, default=Result.PENDING
    )
    decided_on = models.DateField(_("审结日期"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("行政复议、行政诉讼")
        verbose_name_plural = _("行政复议、行政诉讼")
        ordering = ["-filed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(result="pending") & models.Q(decided_on__isnull=True))
                | (~models.Q(result="pending") & models.Q(decided_on__isnull=False)),
                name="appeals_decided_iff_result",
                violation_error_message=_("已审结的请填写审结日期；尚未审结的不要填写审结日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.application} · {self.get_kind_display()}（{self.filed_on:%Y-%m-%d}）"

    def clean(self):
        errors = {}
        if self.application_id:
            # The agency is the case's; never chosen separately.
            self.organisation_id = self.application.organisation_id
            if self.filed_on and self.filed_on < self.application.received_on:
                errors["filed_on"] = _("申请或起诉日期不能早于收到政府信息公开申请之日。")
        if self.decided_on and self.filed_on and self.decided_on < self.filed_on:
            errors["decided_on"] = _("审结日期不能早于申请或起诉日期。")
        if self.result == self.Result.PENDING and self.decided_on:
            errors["decided_on"] = _("尚未审结的不要填写审结日期。")
        if self.result != self.Result.PENDING and not self.decided_on:
            errors["decided_on"] = _("已审结的请填写审结日期。")
        if self.follows_id:
            if self.kind != self.Kind.SUIT_AFTER_RECONSIDERATION:
                errors["follows"] = _("只有复议后起诉需要选择此前的行政复议。")
            elif (
                self.follows.kind != self.Kind.RECONSIDERATION
                or self.follows.application_id != self.application_id
            ):
                errors["follows"] = _("请选择同一申请的行政复议。")
        if errors:
            raise ValidationError(errors)
