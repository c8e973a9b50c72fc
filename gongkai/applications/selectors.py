"""Reads: queues, related cases, tracking, and the annual report's section-三 numbers."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.selectors import organisation_subtree_ids, users_with_role

from .models import OPEN_STATUSES, ApplicantType, Application, CaseEvent, Status
from .outcomes import GROUP_ROW_LABELS, OUTCOMES, Group, outcomes_in_group

Kind = CaseEvent.Kind

# Events the applicant sees on the tracking page (not who handles the case, nor notes).
PUBLIC_KINDS = [k for k in Kind if k not in (Kind.ASSIGNED, Kind.NOTE)]

PUBLIC_STATUS = {
    Status.NEW: _("已收到，正在办理"),
    Status.IN_PROGRESS: _("正在办理"),
    Status.AWAITING_CORRECTION: _("等待申请人补正"),
    Status.AWAITING_FEE: _("等待申请人缴纳信息处理费"),
    Status.CLOSED: _("已答复"),
}


# ---- the workbench -------------------------------------------------------------------------

QUEUES = [
    ("open", _("全部在办")),
    ("new", _("待分办")),
    ("mine", _("我经办的")),
    ("due_today", _("今日到期")),
    ("due_week", _("本周到期")),
    ("overdue", _("已逾期")),
    ("awaiting_correction", _("待补正")),
    ("awaiting_fee", _("待缴费")),
    ("no_due", _("计时暂停或期限未定")),
    ("closed", _("已办结")),
]


def _queue_q(queue: str, *, today: date, user) -> Q:
    is_open = Q(status__in=OPEN_STATUSES)
    week_end = today + timedelta(days=6 - today.weekday())
    return {
        "open": is_open,
        "new": Q(status=Status.NEW),
        "mine": is_open & Q(assigned_to=user),
        "due_today": is_open & Q(due_on=today),
        "due_week": is_open & Q(due_on__gte=today, due_on__lte=week_end),
        # Derived, never stored (CONVENTIONS: Alaveteli).
        "overdue": is_open & Q(due_on__lt=today),
        "awaiting_correction": Q(status=Status.AWAITING_CORRECTION),
        "awaiting_fee": Q(status=Status.AWAITING_FEE),
        "no_due": is_open & Q(due_on__isnull=True),
        "closed": Q(status=Status.CLOSED),
    }[queue]


def application_queue(*, within: QuerySet, queue: str, today: date, user) -> QuerySet:
    qs = within.filter(_queue_q(queue, today=today, user=user)).select_related(
        "organisation", "assigned_to"
    )
    if queue == "closed":
        return qs.order_by("-closed_on", "-id")
    return qs.order_by("due_on", "received_on", "id")


def queue_counts(*, within: QuerySet, today: date, user) -> dict[str, int]:
    """Every queue's size in one query."""
    return within.aggregate(
        **{key: Count("id", filter=_queue_q(key, today=today, user=user)) for key, _ in QUEUES}
    )


def is_overdue(application: Application, *, today: date) -> bool:
    return application.is_open and application.due_on is not None and application.due_on < today


def case_officers_for(*, application: Application):
    """依申请经办人 who may handle this case: the role held here or above (it covers the subtree)."""
    return users_with_role(role=Role.CASE_OFFICER, organisation=application.organisation)


def application_events(*, application: Application, public_only: bool = False) -> QuerySet:
    qs = application.events.select_related("actor", "person")
    if public_only:
        qs = qs.filter(kind__in=PUBLIC_KINDS)
    return qs.order_by("happened_on", "recorded_at", "id")


# ---- related cases -------------------------------------------------------------------------


def _identity_q(application: Application) -> Q | None:
    q = Q()
    if application.id_number:
        q |= Q(id_number=application.id_number)
    if application.credit_code:
        q |= Q(credit_code=application.credit_code)
    if application.phone:
        q |= Q(phone=application.phone)
    return q or None


def applications_same_applicant(
    *, application: Application, within: QuerySet, limit: int = 20
) -> list[Application]:
    """Other applications with the same ID number, credit code or phone, that the viewer may see."""
    q = _identity_q(application)
    if q is None:
        return []
    return list(
        within.filter(q)
        .exclude(pk=application.pk)
        .select_related("organisation")
        .order_by("-received_on", "-id")[:limit]
    )


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[\s\W_]+", "", text or "")
    return {text[i : i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def text_similarity(a: str, b: str) -> float:
    """Jaccard similarity of character bigrams: plain, and good enough for Chinese until the
    search app's segmentation can be used."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


def applications_similar_open(
    *,
    application: Application,
    within: QuerySet,
    limit: int = 5,
    threshold: float = 0.25,
    candidates: int = 500,
) -> list[tuple[Application, float]]:
    pool = (
        within.filter(status__in=OPEN_STATUSES)
        .exclude(pk=application.pk)
        .only("id", "number", "name", "description", "received_on", "status", "organisation")
        .order_by("-received_on")[:candidates]
    )
    scored = [
        (other, text_similarity(application.description, other.description)) for other in pool
    ]
    scored = [(other, score) for other, score in scored if score >= threshold]
    scored.sort(key=lambda pair: -pair[1])
    return scored[:limit]


def applicant_earlier_requests_in_month(*, application: Application) -> int:
    """国办函〔2020〕109号 第四条: 按件 counts per applicant, per calendar month, cumulatively.

    The applicant is known by ID number or credit code, failing that by phone number.
    """
    if application.id_number:
        same = Q(id_number=application.id_number)
    elif application.credit_code:
        same = Q(credit_code=application.credit_code)
    else:
        same = Q(phone=application.phone)
    received = application.received_on
    return (
        Application.objects.filter(
            same,
            organisation=application.organisation,
            received_on__gte=received.replace(day=1),
        )
        .filter(Q(received_on__lt=received) | Q(received_on=received, id__lt=application.pk))
        .count()
    )


def application_for_tracking(*, number: str, code: str) -> Application | None:
    """The case, if the number and the secret code match; compared in constant time."""
    application = Application.objects.filter(number__iexact=(number or "").strip()).first()
    expected = application.secret_code if application else "-" * 8
    matches = constant_time_compare(expected, (code or "").strip().upper())
    return application if application is not None and matches else None


# ---- the annual report ---------------------------------------------------------------------

REPORT_COLUMNS = [(t.value, t.label) for t in ApplicantType] + [("total", _("总计"))]


@dataclass
class ReportRow:
    key: str
    label: str
    level: int  # 0: 一、…; 1: （一）…; 2: 1.…
    values: dict[str, int] | None  # None for a heading row that has no numbers of its own


def _org_ids(organisation: Organisation, include_subtree: bool) -> set[int]:
    if include_subtree:
        return organisation_subtree_ids(organisations=[organisation])
    return {organisation.pk}


def application_report_table(
    *, organisation: Organisation, year: int, include_subtree: bool = True
) -> list[ReportRow]:
    """The section-三 table: every row (exact labels) × 自然人 … 其他 and 总计.

    One GROUP BY query over the cases alive during the year. Its identity holds per column:
    一 + 二 = 三（七） + 四, because a case is counted in 一 or 二 once, and then either closed
    during the year (三) or still open at its end (四).
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    alive = Application.objects.filter(
        organisation_id__in=_org_ids(organisation, include_subtree), received_on__lte=end
    ).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    counts = {
        "new": Count("id", filter=Q(received_on__gte=start)),
        "carried_in": Count("id", filter=Q(received_on__lt=start)),
        "carried_out": Count("id", filter=Q(closed_on__isnull=True) | Q(closed_on__gt=end)),
        **{
            f"outcome_{code}": Count("id", filter=Q(closed_on__lte=end, outcome=code))
            for code in OUTCOMES
        },
    }
    by_type = {
        row["applicant_type"]: row
        for row in alive.values("applicant_type").annotate(**counts).order_by()
    }

    def values(name: str) -> dict[str, int]:
        cells = {t.value: (by_type.get(t.value) or {}).get(name, 0) for t in ApplicantType}
        cells["total"] = sum(cells.values())
        return cells

    def summed(names: list[str]) -> dict[str, int]:
        parts = [values(n) for n in names]
        return {col: sum(p[col] for p in parts) for col, _ in REPORT_COLUMNS}

    rows = [
        ReportRow("new", str(_("一、本年新收政府信息公开申请数量")), 0, values("new")),
        ReportRow(
            "carried_in", str(_("二、上年结转政府信息公开申请数量")), 0, values("carried_in")
        ),
        ReportRow("results", str(_("三、本年度办理结果")), 0, None),
    ]
    for group in Group:
        members = outcomes_in_group(group)
        if group in (Group.DISCLOSED, Group.PARTIAL):
            info = members[0]
            rows.append(ReportRow(info.code, info.row_label, 1, values(f"outcome_{info.code}")))
            continue
        rows.append(ReportRow(group.value, str(GROUP_ROW_LABELS[group]), 1, None))
        for info in members:
            rows.append(ReportRow(info.code, info.row_label, 2, values(f"outcome_{info.code}")))
    rows.append(
        ReportRow(
            "results_total",
            str(_("（七）总计")),
            1,
            summed([f"outcome_{code}" for code in OUTCOMES]),
        )
    )
    rows.append(
        ReportRow("carried_out", str(_("四、结转下年度继续办理")), 0, values("carried_out"))
    )
    return rows


def report_rows_by_key(rows: list[ReportRow]) -> dict[str, ReportRow]:
    return {row.key: row for row in rows}


def fees_collected(
    *, organisation: Organisation, year: int, include_subtree: bool = True
) -> Decimal:
    """信息处理费 paid during the year (for the report's fee figure)."""
    total = CaseEvent.objects.filter(
        kind=Kind.FEE_PAID,
        happened_on__year=year,
        application__organisation_id__in=_org_ids(organisation, include_subtree),
    ).aggregate(total=Sum("amount"))["total"]
    return total or Decimal("0")


def replied_on_time_count(
    *, organisation: Organisation, year: int, include_subtree: bool = True
) -> dict[str, int]:
    """Cases closed in the year, and how many of them within their time limit."""
    closed = Application.objects.filter(
        organisation_id__in=_org_ids(organisation, include_subtree), closed_on__year=year
    )
    return closed.aggregate(
        closed=Count("id"),
        on_time=Count("id", filter=Q(due_on__isnull=False, closed_on__lte=F("due_on"))),
    )


def published_items_matching(*, text: str, document_number: str = "", limit: int = 5) -> list:
    """Published items that match what an applicant is asking for, best first (search app)."""
    from gongkai.search.selectors import search_items

    query = " ".join(part for part in (document_number.strip(), text.strip()) if part)[:200]
    if not query:
        return []
    return list(search_items(query=query, page=1, per_page=limit).hits)
