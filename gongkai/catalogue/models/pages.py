"""Sites and their columns (栏目) are Wagtail pages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from gongkai.orgs.models import Organisation


class ColumnPage(Page):
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
        help_text=_("例如：条例第二十条第（一）项。"),
    )

    class Meta:
        verbose_name = _("栏目")
        verbose_name_plural = _("栏目")
