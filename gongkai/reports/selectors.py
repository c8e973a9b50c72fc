"""Reads for annual reports: locks, staff figures, work records, scope and due dates."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Q

from gongkai.orgs.models import Organisation, Role, RoleAssignment, Roster
from gongkai.orgs.selectors import (
    organisation_subtree_ids,
    user_active_roles,
)
from gongkai.orgs.services import role_permissions

from . import conf
from .locks import period_lock_active
from .models import (
    AnnualReport,
    JointMeeting,
    OfficeRule,
    ReportPeriodLock,
    StaffFigure,
    TrainingSession,
)

# What a user wants to do with a report → the permission that allows it.
ACTION_PERMISSIONS = {
    "view": "reports.view_annualreport",
    "compose": "reports.compose_annualreport",
    "lock": "reports.lock_reportperiod",
    "change": "reports.compose_annualreport",
}


# ---- Scope --------------------------------------------------------------------------------


def user_report_organisation_ids(*, user, action: str) -> set[int]:
    """Organisations (with their subtrees) where the user's roles allow this report action."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Organisation.objects.values_list("id", flat=True))
    perm = ACTION_PERMISSIONS[action]
    mapping = role_permissions()
    roots = [
        org_id for role, org_id in user_active_roles(user=user) if perm in mapping.get(role, [])
    ]
    return organisation_subtree_ids(organisations=roots)


def user_may_report(*, user, action: str, organisation: Organisation) -> bool:
    return organisation.pk in user_report_organisation_ids(user=user, action=action)


def report_organisation_ids(*, organisation: Organisation, include_subtree: bool) -> list[int]:
    if include_subtree:
        return sorted(organisation_subtree_ids(organisations=[organisation]))
    return [organisation.pk]


# ---- Locks --------------------------------------------------------------------------------


def period_is_locked(*, organisation: Organisation | int, day: date | None) -> bool:
    """Whether records of this organisation dated `day` are in a locked report period.

    A lock on an organisation covers its subtree, because the town's report rolls up its
    villages and departments. Services refuse writes with `locks.period_check`, which raises
    the one exception (PeriodLocked) every admin page shows as a form error.
    """
    if day is None:
        return False
    return period_lock_active(organisation=organisation, year=day.year) is not None


def period_locks(*, organisation_ids: Iterable[int]):
    return ReportPeriodLock.objects.filter(
        organisation_id__in=list(organisation_ids)
    ).select_related("organisation", "locked_by", "unlocked_by")


# ---- Staff figures ------------------------------------------------------------------------


def staff_figures_current(*, organisation_ids: Iterable[int], year: int) -> dict[str, Decimal]:
    """Per key, the sum over the organisations of each one's latest entry (zero if none)."""
    totals = {key: Decimal("0") for key in StaffFigure.Key.values}
    latest: dict[tuple[int, str], Decimal] = {}
    rows = (
        StaffFigure.objects.filter(organisation_id__in=list(organisation_ids), year=year)
        .order_by("entered_at", "id")
        .values_list("organisation_id", "key", "value")
    )
    for org_id, key, value in rows:
        latest[(org_id, key)] = value  # later rows replace earlier ones
    for (_org, key), value in latest.items():
        totals[key] += value
    return totals


def staff_figure_latest(*, organisation: Organisation, year: int, key: str) -> StaffFigure | None:
    return (
        StaffFigure.objects.filter(organisation=organisation, year=year, key=key)
        .select_related("entered_by")
        .order_by("-entered_at", "-id")
        .first()
    )


def staff_figure_history(*, organisation: Organisation, year: int):
    return (
        StaffFigure.objects.filter(organisation=organisation, year=year)
        .select_related("entered_by", "supersedes")
        .order_by("key", "-entered_at", "-id")
    )


def staff_figures_entered(*, organisation_ids: Iterable[int], year: int) -> set[str]:
    return set(
        StaffFigure.objects.filter(organisation_id__in=list(organisation_ids), year=year)
        .values_list("key", flat=True)
        .distinct()
    )


# ---- Work records -------------------------------------------------------------------------


def work_records(*, organisation_ids: Iterable[int], year: int) -> dict:
    """The office's work records of the year that the narrative sections draw on."""
    ids = list(organisation_ids)
    in_year = {"held_on__year": year}
    meetings = list(
        JointMeeting.objects.filter(organisation_id__in=ids, **in_year)
        .prefetch_related("attendees")
        .order_by("held_on", "id")
    )
    trainings = list(
        TrainingSession.objects.filter(organisation_id__in=ids, **in_year).order_by("held_on", "id")
    )
    rules = list(
        OfficeRule.objects.filter(organisation_id__in=ids)
        .filter(Q(adopted_on__year=year) | Q(kind=OfficeRule.Kind.PLAN, plan_year=year + 1))
        .order_by("adopted_on", "id")
    )
    rosters = list(
        Roster.objects.filter(organisation_id__in=ids)
        .filter(Q(adopted_on__year=year) | Q(filed_on__year=year))
        .select_related("organisation", "filed_with")
        .order_by("adopted_on", "id")
    )
    return {
        "meetings": meetings,
        "trainings": trainings,
        "rules": [r for r in rules if r.kind != OfficeRule.Kind.PLAN],
        "plans": [r for r in rules if r.kind == OfficeRule.Kind.PLAN],
        "rosters": rosters,
    }


# ---- Reports and due dates ----------------------------------------------------------------


def report_get(*, organisation: Organisation, year: int, fmt: str, include_subtree: bool):
    return (
        AnnualReport.objects.filter(
            organisation=organisation, year=year, format=fmt, include_subtree=include_subtree
        )
        .select_related("organisation", "item", "submitted_by")
        .first()
    )


def organisation_is_town(*, organisation: Organisation) -> bool:
    name = organisation.name or ""
    return organisation.kind == Organisation.Kind.GOVERNMENT and any(
        name.endswith(marker) for marker in conf.get("GONGKAI_TOWN_NAME_MARKERS")
    )


def report_due_date(*, organisation: Organisation, year: int) -> date:
    """The date by which the report on `year` must be published (条例第四十九条)."""
    overrides = conf.get("GONGKAI_REPORT_DUE_OVERRIDES") or {}
    if organisation.code in overrides:
        name, value = "GONGKAI_REPORT_DUE_OVERRIDES", overrides[organisation.code]
    elif organisation_is_town(organisation=organisation):
        name = "GONGKAI_TOWN_REPORT_DUE"
        value = conf.get(name)
    elif organisation.kind == Organisation.Kind.GOVERNMENT:
        name = "GONGKAI_GOVERNMENT_REPORT_DUE"
        value = conf.get(name)
    else:
        name = "GONGKAI_DEPARTMENT_REPORT_DUE"
        value = conf.get(name)
    month, day = conf.month_day(name, value)
    return date(year + 1, month, day)


def reporting_organisations():
    """Organisations that compose a report: those where a 公开办管理员 holds the role."""
    ids = RoleAssignment.objects.filter(role=Role.ADMIN, ended_at__isnull=True).values(
        "organisation_id"
    )
    return Organisation.objects.filter(id__in=ids, is_active=True).order_by("sort_order", "id")


def report_status(*, organisation: Organisation, year: int, today: date) -> dict:
    """Due date and where the report stands, for the dashboard and the reminders."""
    due = report_due_date(organisation=organisation, year=year)
    reports = list(AnnualReport.objects.filter(organisation=organisation, year=year))
    best = None
    order = [
        AnnualReport.Status.DRAFT,
        AnnualReport.Status.SUBMITTED,
        AnnualReport.Status.PUBLISHING,
    ]
    for report in reports:
        if best is None or order.index(report.status) > order.index(best.status):
            best = report
    done = best is not None and best.status != AnnualReport.Status.DRAFT
    return {
        "organisation": organisation,
        "year": year,
        "due_on": due,
        "days_left": (due - today).days,
        "report": best,
        "status_label": best.get_status_display() if best else "",
        "done": done,
        "overdue": not done and today > due,
        "locked": period_lock_active(organisation=organisation, year=year) is not None,
    }
