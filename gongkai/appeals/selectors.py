"""The report's section 四: reconsideration and lawsuits, 15 numbers (RULES.md §2)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import organisation_subtree_ids

from .models import Appeal

GROUPS = [
    (Appeal.Kind.RECONSIDERATION, _("行政复议")),
    (Appeal.Kind.SUIT_DIRECT, _("行政诉讼：未经复议直接起诉")),
    (Appeal.Kind.SUIT_AFTER_RECONSIDERATION, _("行政诉讼：复议后起诉")),
]
COLUMNS = [
    ("upheld", _("结果维持")),
    ("corrected", _("结果纠正")),
    ("other", _("其他结果")),
    ("pending", _("尚未审结")),
    ("total", _("总计")),
]


@dataclass(frozen=True)
class AppealNumbers:
    """{kind: {column: n}} in the report's order; `flat` gives the 15 numbers of the row."""

    groups: dict[str, dict[str, int]]

    @property
    def flat(self) -> list[int]:
        return [self.groups[kind][col] for kind, _label in GROUPS for col, _l in COLUMNS]


def appeal_report_numbers(
    *, organisation: Organisation, year: int, include_subtree: bool = True
) -> AppealNumbers:
    """Cases filed during the year, by their result as it stood on 31 December.

    A case decided after the year ended is 尚未审结 in that year's report, whatever its result
    later: the report describes the year, and a published report is not changed afterwards.
    One GROUP BY query.
    """
    end = date(year, 12, 31)
    ids = (
        organisation_subtree_ids(organisations=[organisation])
        if include_subtree
        else {organisation.pk}
    )
    decided = Q(decided_on__isnull=False, decided_on__lte=end)
    rows = (
        Appeal.objects.filter(organisation_id__in=ids, filed_on__year=year)
        .values("kind")
        .annotate(
            upheld=Count("id", filter=decided & Q(result=Appeal.Result.UPHELD)),
            corrected=Count("id", filter=decided & Q(result=Appeal.Result.CORRECTED)),
            other=Count("id", filter=decided & Q(result=Appeal.Result.OTHER)),
            pending=Count("id", filter=~decided),
            total=Count("id"),
        )
        .order_by()
    )
    found = {row["kind"]: row for row in rows}
    return AppealNumbers(
        groups={
            kind: {col: (found.get(kind) or {}).get(col, 0) for col, _label in COLUMNS}
            for kind, _label in GROUPS
        }
    )
