"""Holiday schedules entered by administrators, for years the chinesecalendar library lacks.

The State Council publishes each year's schedule (放假安排) late in the year before; a release
of chinesecalendar may come weeks later. Until then an administrator enters the notice here.
A year entered here overrides the library and the data files shipped with the platform.

Nothing is deleted: a wrong date is corrected by editing the year, and every edit keeps a
revision of the whole year (its special days included) and an entry in the audit log.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import RevisionMixin

# Years a schedule may be entered for. The 2008 regulation took effect in 2008; the upper bound
# only catches typing mistakes (20277 for 2027).
MIN_YEAR = 2000
MAX_YEAR = 2100


class ScheduleOrigin(models.TextChoices):
    """Where the schedule of a year was read from."""

    ADMIN = "admin", _("后台录入")
    FILE = "file", _("文件导入")
    CHINESECALENDAR = "chinesecalendar", _("chinesecalendar 库")
    SHIPPED = "shipped", _("平台自带数据文件")


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("放假")
    MAKEUP_WORKDAY = "makeup_workday", _("调休上班")


class WorkdayCalendarYear(RevisionMixin, ClusterableModel):
    """One year's holiday schedule as published by the State Council (国务院办公厅)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("录入中（未生效）")
        ACTIVE = "active", _("已生效")

    year = models.PositiveSmallIntegerField(
        _("年份"),
        unique=True,
        validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)],
        error_messages={"unique": _("该年份的节假日安排已经录入，请编辑原记录进行更正。")},
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_(
            "全部放假日期和调休上班日期录入并核对无误后，改为“已生效”，系统才会使用本年安排"
            "（并优先于 chinesecalendar 库）。"
        ),
    )
    source = models.CharField(
        _("来源"),
        max_length=20,
        choices=[(o.value, o.label) for o in (ScheduleOrigin.ADMIN, ScheduleOrigin.FILE)],
        default=ScheduleOrigin.ADMIN,
        editable=False,
    )
    notice_number = models.CharField(
        _("通知文号"),
        max_length=60,
        blank=True,
        help_text=_("例如：国办发明电〔2024〕12号。"),
    )
    notice_title = models.CharField(
        _("通知标题"),
        max_length=200,
        blank=True,
        help_text=_("例如：国务院办公厅关于2025年部分节假日安排的通知。"),
    )
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    entered_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    # The calendar cache compares max(updated_at) to notice edits made by other processes.
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("年度节假日安排")
        verbose_name_plural = _("工作日历")
        ordering = ["-year"]

    def __str__(self):
        return _("%(year)s年节假日安排") % {"year": self.year}

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class SpecialDay(models.Model):
    """A day that differs from the plain Monday–Friday week: a holiday or a make-up working day."""

    calendar_year = ParentalKey(
        WorkdayCalendarYear,
        verbose_name=_("年度安排"),
        on_delete=models.CASCADE,
        related_name="special_days",
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=20, choices=DayKind.choices)
    name = models.CharField(
        _("节日名称"), max_length=30, help_text=_("例如：春节、国庆节。调休上班日也填所属节日。")
    )

    class Meta:
        verbose_name = _("放假/调休日")
        verbose_name_plural = _("放假/调休日")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(
                fields=["calendar_year", "date"],
                name="workdays_one_entry_per_date",
                violation_error_message=_("同一日期只能录入一次。"),
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"

    def clean(self):
        # Whether the date lies in the year is checked with the year (forms.py, services.py):
        # in the admin the year may be edited in the same form as its days.
        errors = special_day_errors(day=self.date, kind=self.kind)
        if errors:
            raise ValidationError({"date": errors})


def special_day_errors(*, day, kind) -> list[str]:
    """Checks shared by the admin form and the file loader, so both refuse the same mistakes."""
    errors = []
    if day is not None and kind == DayKind.MAKEUP_WORKDAY and day.weekday() < 5:
        errors.append(
            _("%(date)s 是工作日（星期一至星期五），不需要录入为调休上班日。")
            % {"date": f"{day:%Y-%m-%d}"}
        )
    if day is not None and not (MIN_YEAR <= day.year <= MAX_YEAR):
        errors.append(
            _("年份 %(year)s 超出范围（%(min)s–%(max)s）。")
            % {"year": day.year, "min": MIN_YEAR, "max": MAX_YEAR}
        )
    return errors
