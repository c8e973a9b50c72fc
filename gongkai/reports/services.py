"""Writes for annual reports. Each runs in a transaction, checks the actor and is audited.

`actor=None` is the system itself (management commands, the demo); every other actor must
hold a role that allows the action in the organisation's tree.
"""

import functools
import hashlib
import logging
from datetime import date
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.selectors import users_with_role

from .formats import y2008, y2021
from .models import AnnualReport, ReportPeriodLock, ReportReminder, StaffFigure
from .selectors import (
    period_lock_active,
    report_get,
    report_status,
    reporting_organisations,
    staff_figure_latest,
    user_may_report,
)

logger = logging.getLogger(__name__)


def _in_chinese(function):
    """Run a service in Chinese: the report's title, texts and published item are a statutory
    Chinese document, whatever language the staff member uses the admin in."""

    @functools.wraps(function)
    def wrapped(*args, **kwargs):
        with translation.override("zh-hans"):
            return function(*args, **kwargs)

    return wrapped


def _require(actor, action: str, organisation: Organisation) -> None:
    if actor is None:
        return
    if not user_may_report(user=actor, action=action, organisation=organisation):
        messages = {
            "view": _("您无权查看“%(org)s”的年度报告。"),
            "compose": _("只有“%(org)s”的公开办管理员可以编写年度报告。"),
            "lock": _("只有“%(org)s”的公开办管理员可以锁定或解锁报告期。"),
        }
        raise PermissionDenied(messages.get(action, messages["compose"]) % {"org": organisation})


# ---- Staff figures ------------------------------------------------------------------------


def _figure_value(key: str, value) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({"value": _("请输入数字。")}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError({"value": _("数值不能为负数。")})
    if key in StaffFigure.WHOLE_NUMBER_KEYS and number != number.to_integral_value():
        raise ValidationError({"value": _("处理决定数量应为整数。")})
    if number.as_tuple().exponent < -4:
        raise ValidationError({"value": _("收费金额以万元为单位，最多保留四位小数。")})
    return number


@transaction.atomic
def staff_figure_set(
    *, actor, organisation: Organisation, year: int, key: str, value, note: str = ""
) -> StaffFigure:
    """Enter a yearly figure. A changed value is a new row naming the one it replaces."""
    _require(actor, "compose", organisation)
    if key not in StaffFigure.Key.values:
        raise ValidationError({"key": _("未知的统计项目。")})
    number = _figure_value(key, value)
    # Lock the organisation row so two people entering the same figure queue up.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    previous = staff_figure_latest(organisation=organisation, year=year, key=key)
    if previous is not None and previous.value == number:
        return previous
    if previous is not None and not note.strip():
        raise ValidationError(
            {
                "note": _("“%(key)s”已录入 %(old)s，修改时请说明理由。")
                % {"key": StaffFigure.Key(key).label, "old": previous.value.normalize()}
            }
        )
    lock = period_lock_active(organisation=organisation, year=year)
    if lock is not None:
        raise ValidationError(
            _("%(year)d年度报告期已锁定，须先解锁才能修改统计数据。") % {"year": year}
        )
    figure = StaffFigure(
        organisation=organisation,
        year=year,
        key=key,
        value=number,
        note=note.strip(),
        supersedes=previous,
        entered_by=actor,
    )
    figure.full_clean()
    figure.save()
    log(
        figure,
        "gongkai.report.figure",
        user=actor,
        data={
            "year": year,
            "key": key,
            "value": str(number),
            "previous": str(previous.value) if previous else None,
            "note": figure.note,
        },
    )
    return figure


# ---- Locks --------------------------------------------------------------------------------


@transaction.atomic
def period_lock(
    *, actor, organisation: Organisation, year: int, reason: str = ""
) -> ReportPeriodLock:
    """Close a report period: cases and items of the organisation's tree dated in it freeze."""
    _require(actor, "lock", organisation)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    existing = period_lock_active(organisation=organisation, year=year)
    if existing is not None:
        raise ValidationError(
            _("%(year)d年度报告期已由“%(org)s”锁定。")
            % {"year": year, "org": existing.organisation}
        )
    lock = ReportPeriodLock(
        organisation=organisation, year=year, reason=reason.strip(), locked_by=actor
    )
    try:
        with transaction.atomic():
            lock.save()
    except IntegrityError:
        raise ValidationError(_("%(year)d年度报告期已锁定。") % {"year": year}) from None
    log(lock, "gongkai.report.lock", user=actor, data={"year": year, "reason": lock.reason})
    return lock


@transaction.atomic
def period_unlock(*, actor, organisation: Organisation, year: int, reason: str) -> ReportPeriodLock:
    """Reopen a period. The lock row stays, with who unlocked it, when and why."""
    _require(actor, "lock", organisation)
    if not reason or not reason.strip():
        raise ValidationError({"unlock_reason": _("解锁须填写理由。")})
    lock = (
        ReportPeriodLock.objects.select_for_update()
        .filter(organisation=organisation, year=year, unlocked_at__isnull=True)
        .first()
    )
    if lock is None:
        covering = period_lock_active(organisation=organisation, year=year)
        if covering is not None:
            raise ValidationError(
                _("%(year)d年度报告期由上级“%(org)s”锁定，须由其解锁。")
                % {"year": year, "org": covering.organisation}
            )
        raise ValidationError(_("%(year)d年度报告期未锁定。") % {"year": year})
    lock.unlocked_at = timezone.now()
    lock.unlocked_by = actor
    lock.unlock_reason = reason.strip()
    lock.save(update_fields=["unlocked_at", "unlocked_by", "unlock_reason"])
    log(
        lock, "gongkai.report.unlock", user=actor, data={"year": year, "reason": lock.unlock_reason}
    )
    return lock


# ---- Reports ------------------------------------------------------------------------------


def report_default_title(*, organisation: Organisation, year: int, fmt: str) -> str:
    template = y2021.TITLE if fmt == AnnualReport.Format.Y2021 else y2008.TITLE
    return template % {"org": organisation.short_name or organisation.name, "year": year}


@transaction.atomic
@_in_chinese
def report_compose(
    *, actor, organisation: Organisation, year: int, fmt: str, include_subtree: bool
) -> AnnualReport:
    """The report being composed for this organisation, year and format (created if new)."""
    _require(actor, "compose", organisation)
    if fmt not in AnnualReport.Format.values:
        raise ValidationError({"format": _("未知的报告格式。")})
    report = report_get(
        organisation=organisation, year=year, fmt=fmt, include_subtree=include_subtree
    )
    if report is not None:
        return report
    report = AnnualReport(
        organisation=organisation,
        year=year,
        format=fmt,
        include_subtree=include_subtree,
        title=report_default_title(organisation=organisation, year=year, fmt=fmt),
        created_by=actor,
    )
    report.full_clean()
    report.save()
    log(report, "wagtail.create", user=actor)
    return report


@transaction.atomic
def report_texts_save(*, actor, report: AnnualReport, title: str, texts: dict) -> AnnualReport:
    """Save the editable parts. A submitted report goes back to draft: it must be rechecked."""
    _require(actor, "compose", report.organisation)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status == AnnualReport.Status.PUBLISHING:
        raise ValidationError(_("报告已生成发布草稿，请在审核流程中修改。"))
    fmt_module = y2021 if report.format == AnnualReport.Format.Y2021 else y2008
    unknown = set(texts) - set(fmt_module.NARRATIVE_SECTIONS)
    if unknown:
        raise ValidationError(
            _("未知的报告部分：%(keys)s。") % {"keys": "、".join(sorted(unknown))}
        )
    report.title = (title or "").strip() or report.title
    report.texts = {key: (value or "").strip() for key, value in texts.items() if value}
    report.status = AnnualReport.Status.DRAFT
    report.full_clean()
    report.save(update_fields=["title", "texts", "status", "updated_at"])
    log(report, "wagtail.edit", user=actor)
    return report


class ReportCheckFailed(ValidationError):
    """Raised by report_submit; `.failures` lists each failing cell."""

    def __init__(self, failures):
        self.failures = failures
        super().__init__([f["message"] for f in failures])


@transaction.atomic
def report_submit(*, actor, report: AnnualReport) -> AnnualReport:
    """Run the checks; if all pass, record the figures as submitted for review."""
    from .figures import report_data

    _require(actor, "compose", report.organisation)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    data = report_data(
        organisation=report.organisation,
        year=report.year,
        fmt=report.format,
        include_subtree=report.include_subtree,
        report=report,
    )
    if data["checks"]:
        raise ReportCheckFailed(data["checks"])
    report.snapshot = data
    report.status = AnnualReport.Status.SUBMITTED
    report.submitted_by = actor
    report.submitted_at = timezone.now()
    report.save(update_fields=["snapshot", "status", "submitted_by", "submitted_at", "updated_at"])
    log(report, "gongkai.report.submit", user=actor, data={"year": report.year})
    return report


@transaction.atomic
@_in_chinese
def report_publish_draft(*, actor, report: AnnualReport):
    """Place the report in the organisation's 年度报告 column as a DRAFT item.

    Publication is left to the review workflow: nothing here makes the item live.
    """
    from gongkai.catalogue.models import Category, ItemAttachment
    from gongkai.catalogue.services import item_create

    from .exports.html import render_report_body
    from .exports.pdf import render_pdf
    from .figures import report_data
    from .sources import report_column_for

    _require(actor, "compose", report.organisation)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status == AnnualReport.Status.DRAFT:
        raise ValidationError(_("报告须先通过检查并提交审核，才能生成发布草稿。"))
    if report.item_id is not None:
        return report.item
    column = report_column_for(organisation=report.organisation)
    if column is None:
        raise ValidationError(
            _("“%(org)s”的网站没有“年度报告”栏目（栏目类型为年度报告），无法放置报告。")
            % {"org": report.organisation}
        )
    data = report.snapshot or report_data(
        organisation=report.organisation,
        year=report.year,
        fmt=report.format,
        include_subtree=report.include_subtree,
        report=report,
    )
    category = Category.objects.filter(scheme=Category.Scheme.INFO, name="其他").first()
    if category is None:
        raise ValidationError(_("信息类别中没有“其他”，请先在分类中添加。"))
    pdf_bytes = render_pdf(data)
    attachment = ItemAttachment(title=f"{report.title}.pdf")
    attachment.file.save(
        f"{report.organisation.code}-{report.year}-annual-report.pdf",
        ContentFile(pdf_bytes),
        save=False,
    )
    attachment.size = len(pdf_bytes)
    attachment.content_type = "application/pdf"
    attachment.sha256 = hashlib.sha256(pdf_bytes).hexdigest()
    item = item_create(
        actor=actor,
        organisation=report.organisation,
        title=report.title,
        summary=_("%(org)s%(year)d年政府信息公开工作年度报告全文。")
        % {"org": report.organisation.short_name or report.organisation.name, "year": report.year},
        created_date=timezone.localdate(),
        category=category,
        genre="报告",
        body=render_report_body(data),
        columns=[column],
        attachments=[attachment],
    )
    report.item = item
    report.status = AnnualReport.Status.PUBLISHING
    report.save(update_fields=["item", "status", "updated_at"])
    log(report, "gongkai.report.publish_draft", user=actor, data={"item": item.pk})
    return item


# ---- Reminders ----------------------------------------------------------------------------


def _milestone_for(*, today: date, due: date) -> str | None:
    days = (due - today).days
    M = ReportReminder.Milestone
    if days < 0:
        return M.OVERDUE
    if days == 0:
        return M.DUE
    if days <= 7:
        return M.WEEK_BEFORE
    if days <= 30:
        return M.MONTH_BEFORE
    return M.START


def reminders_send(*, today: date) -> list[ReportReminder]:
    """Remind each disclosure office of last year's report, from 1 January until it is done.

    Idempotent: each milestone goes to each person once (a unique row records it), so the
    command can run every day, or twice in one day.
    """
    year = today.year - 1
    sent: list[ReportReminder] = []
    for organisation in reporting_organisations():
        status = report_status(organisation=organisation, year=year, today=today)
        if status["done"]:
            continue
        due = status["due_on"]
        milestone = _milestone_for(today=today, due=due)
        for user in users_with_role(role=Role.ADMIN, organisation=organisation):
            if not user.email:
                continue
            with transaction.atomic():
                reminder, created = ReportReminder.objects.get_or_create(
                    organisation=organisation,
                    year=year,
                    milestone=milestone,
                    user=user,
                    defaults={"due_on": due, "email": user.email},
                )
                if not created:
                    continue
                subject, body = _reminder_text(status=status, milestone=milestone)
                transaction.on_commit(
                    lambda s=subject, b=body, e=user.email: send_mail(
                        s, b, settings.DEFAULT_FROM_EMAIL, [e]
                    )
                )
            sent.append(reminder)
    return sent


def _reminder_text(*, status: dict, milestone: str) -> tuple[str, str]:
    org = status["organisation"]
    values = {
        "org": org.short_name or org.name,
        "year": status["year"],
        "due": f"{status['due_on']:%Y年%m月%d日}",
        "days": abs(status["days_left"]),
    }
    if milestone == ReportReminder.Milestone.OVERDUE:
        subject = _("【已逾期】%(org)s%(year)d年政府信息公开工作年度报告") % values
        lead = _("%(org)s%(year)d年政府信息公开工作年度报告应于%(due)s前公布，已逾期%(days)d天。")
    else:
        subject = _("【提醒】%(org)s%(year)d年政府信息公开工作年度报告截止日期%(due)s") % values
        lead = _(
            "%(org)s%(year)d年政府信息公开工作年度报告应于%(due)s前公布，距截止还有%(days)d天。"
        )
    state = status["status_label"] or _("尚未开始编写")
    body = "\n\n".join(
        [
            lead % values,
            _("当前状态：%(state)s。") % {"state": state},
            _("请登录管理后台“年度报告”编写、检查并提交审核（条例第四十九条）。"),
        ]
    )
    return subject, body
