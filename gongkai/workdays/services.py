"""Writes to the holiday calendar. Admin, file loader and code go through the same actions."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.actions.create import CreateAction
from wagtail.actions.edit import EditAction
from wagtail.permissions import policy_registry

from . import calendar
from .models import DayKind, ScheduleOrigin, SpecialDay, WorkdayCalendarYear, special_day_errors
from .schedulefile import DayEntry, parse_schedule


def calendar_cache_clear_on_change(sender, **kwargs):
    # Clear now, so the writer sees its own change, and again at commit, in case another
    # thread of this process reloaded the old rows in between.
    calendar.cache_clear()
    transaction.on_commit(calendar.cache_clear)


class CalendarYearCreateAction(CreateAction):
    """Creating a year: remembers who entered it; a revision and a log entry as for any snippet."""

    def _save_instance(self):
        self.instance.entered_by = self.user
        self.instance.updated_by = self.user
        super()._save_instance()


class CalendarYearEditAction(EditAction):
    """Correcting a year: an edit with a revision of the whole year, never a deletion."""

    def _save_instance(self):
        self.instance.updated_by = self.user
        super()._save_instance()


def days_errors(*, year: int, days: Iterable[tuple[date, str, str]], status: str) -> list[str]:
    """What is wrong with these special days for this year (shared with the admin form)."""
    errors: list[str] = []
    seen: set[date] = set()
    has_holiday = False
    for day, kind, name in days:
        errors.extend(str(e) for e in special_day_errors(day=day, kind=kind))
        if kind not in DayKind.values:
            errors.append(
                _("%(date)s 的类型“%(kind)s”不正确。") % {"date": f"{day:%Y-%m-%d}", "kind": kind}
            )
        if not (name or "").strip():
            errors.append(_("%(date)s 缺少节日名称。") % {"date": f"{day:%Y-%m-%d}"})
        if day.year != year:
            errors.append(
                _("日期 %(date)s 不在 %(year)s 年内。") % {"date": f"{day:%Y-%m-%d}", "year": year}
            )
        if day in seen:
            errors.append(_("日期 %(date)s 重复录入。") % {"date": f"{day:%Y-%m-%d}"})
        seen.add(day)
        has_holiday = has_holiday or kind == DayKind.HOLIDAY
    if status == WorkdayCalendarYear.Status.ACTIVE and not has_holiday:
        errors.append(_("已生效的年度安排至少要有一个放假日期。"))
    return errors


def _require(actor, action: str, instance=None) -> None:
    if actor is None:
        return  # code run by the operator on the server (management commands, demo data)
    policy = policy_registry.get_by_type(WorkdayCalendarYear)
    if not policy.user_has_permission(actor, action):
        raise PermissionDenied(_("只有上级公开办管理员可以修改工作日历。"))


def _as_tuples(days: Iterable) -> list[tuple[date, str, str]]:
    return [
        (d.date, d.kind, d.name) if isinstance(d, DayEntry | SpecialDay) else tuple(d) for d in days
    ]


@transaction.atomic
def calendar_year_create(
    *,
    actor=None,
    year: int,
    days: Iterable,
    status: str = WorkdayCalendarYear.Status.ACTIVE,
    source: str = ScheduleOrigin.ADMIN,
    notice_number: str = "",
    notice_title: str = "",
    published_on: date | None = None,
    notes: str = "",
) -> WorkdayCalendarYear:
    """Enter a year's schedule. `days` are (date, kind, name) triples or DayEntry objects."""
    _require(actor, "add")
    triples = _as_tuples(days)
    errors = days_errors(year=year, days=triples, status=status)
    if errors:
        raise ValidationError({"special_days": errors})
    record = WorkdayCalendarYear(
        year=year,
        status=status,
        source=source,
        notice_number=notice_number,
        notice_title=notice_title,
        published_on=published_on,
        notes=notes,
    )
    record.special_days = [SpecialDay(date=d, kind=k, name=n) for d, k, n in sorted(triples)]
    return CalendarYearCreateAction(record, user=actor).execute(skip_permission_checks=True)


@transaction.atomic
def calendar_year_update(
    *, actor=None, calendar_year: WorkdayCalendarYear, days: Iterable | None = None, **fields
) -> WorkdayCalendarYear:
    """Correct a year: its notice fields, its status, and (if given) the full list of days."""
    _require(actor, "change")
    record = WorkdayCalendarYear.objects.select_for_update().get(pk=calendar_year.pk)
    for name, value in fields.items():
        setattr(record, name, value)
    if days is not None:
        triples = _as_tuples(days)
    else:
        triples = list(record.special_days.values_list("date", "kind", "name"))
    errors = days_errors(year=record.year, days=triples, status=record.status)
    if errors:
        raise ValidationError({"special_days": errors})
    if days is not None:
        # Keep the rows of unchanged dates, so revisions compare day by day.
        existing = {d.date: d for d in record.special_days.all()}
        children = []
        for day, kind, name in sorted(triples):
            child = existing.get(day) or SpecialDay(date=day)
            child.kind, child.name = kind, name
            children.append(child)
        record.special_days = children
    return CalendarYearEditAction(record, user=actor).execute(skip_permission_checks=True)


def schedule_file_load(
    *,
    actor=None,
    content: bytes | str,
    replace: bool = False,
    status: str = WorkdayCalendarYear.Status.ACTIVE,
    notice_number: str = "",
    notice_title: str = "",
    published_on: date | None = None,
) -> list[tuple[WorkdayCalendarYear, bool]]:
    """Load a schedule file: every year in it, or — if anything is wrong — nothing at all.

    Returns (year record, created) pairs. A year already entered is only overwritten with
    `replace=True`; that is recorded as an edit (with a revision of the previous days).
    Raises ScheduleFileError (bad lines, with numbers) or ValidationError.
    """
    parsed = parse_schedule(content)
    existing = {r.year: r for r in WorkdayCalendarYear.objects.filter(year__in=list(parsed))}
    if not replace:
        clashes = [
            _(
                "%(year)s年的节假日安排已经录入（%(status)s，%(source)s）。如需用文件内容更正，请使用 --replace。"
            )
            % {
                "year": year,
                "status": record.get_status_display(),
                "source": record.get_source_display(),
            }
            for year, record in sorted(existing.items())
        ]
        if clashes:
            raise ValidationError(clashes)
    notice = {
        "notice_number": notice_number,
        "notice_title": notice_title,
        "published_on": published_on,
    }
    results = []
    with transaction.atomic():
        for year, entries in parsed.items():
            record = existing.get(year)
            if record is None:
                created = calendar_year_create(
                    actor=actor,
                    year=year,
                    days=entries,
                    status=status,
                    source=ScheduleOrigin.FILE,
                    **notice,
                )
                results.append((created, True))
            else:
                changes = {k: v for k, v in notice.items() if v}
                updated = calendar_year_update(
                    actor=actor,
                    calendar_year=record,
                    days=entries,
                    status=status,
                    source=ScheduleOrigin.FILE,
                    **changes,
                )
                results.append((updated, False))
    return results
