"""The report-period lock as every other app checks it (issue #8, point 3).

A locked period freezes the records its report was computed from: a case fact (receipt, any
event, reply, delivery), an appeal's filing or decision, an item's 生成日期 or 发布日期, when
dated in a locked year of the organisation or of any organisation above it (the town's report
rolls up its villages and departments). The services call `period_check`; the one exception
type, `PeriodLocked`, is a ValidationError, so forms and admin pages show it where the date was
typed, and nothing is written.

This module imports only the lock model and the organisation tree, so applications, appeals
and catalogue can import it at the top without an import cycle (reports.sources imports
their selectors).
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import organisation_ancestors

from .models import ReportPeriodLock


def _owner(organisation: Organisation | int) -> Organisation:
    if isinstance(organisation, Organisation):
        return organisation
    return Organisation.objects.get(pk=organisation)


def period_locks_active(
    *, organisation: Organisation | int, years: Iterable[int] | None
) -> dict[int, ReportPeriodLock]:
    """Year → the active lock covering this organisation (its own or an ancestor's).

    `years=None` gives every locked year. One query when none of these years is locked (the
    usual case), at most three otherwise, whatever the number of years: an import of thousands
    of rows checks them all at once.
    """
    locks = ReportPeriodLock.objects.filter(unlocked_at__isnull=True)
    if years is not None:
        wanted = sorted({int(y) for y in years if y is not None})
        if not wanted:
            return {}
        locks = locks.filter(year__in=wanted)
    # Every service write calls this; almost always nothing is locked for these years, so
    # read the (few) active locks first and the organisation tree only when there are some.
    locks = list(
        locks.select_related("organisation", "locked_by").order_by("year", "locked_at", "id")
    )
    if not locks:
        return {}
    organisation = _owner(organisation)
    chain = {organisation.pk, *(o.pk for o in organisation_ancestors(organisation=organisation))}
    found: dict[int, ReportPeriodLock] = {}
    for lock in locks:
        if lock.organisation_id in chain:
            found.setdefault(lock.year, lock)
    return found


def period_lock_active(*, organisation: Organisation | int, year: int) -> ReportPeriodLock | None:
    """The active lock covering this organisation's year: its own, or an ancestor's."""
    return period_locks_active(organisation=organisation, years=[year]).get(year)


def period_locked_message(*, lock: ReportPeriodLock, day: date, what: str, adding: bool) -> str:
    values = {
        "what": what,
        "day": f"{day:%Y-%m-%d}",
        "year": lock.year,
        "org": lock.organisation,
    }
    if adding:
        return (
            _(
                "%(what)s为%(day)s，属于已锁定的%(year)d年度报告期（%(org)s锁定），不能补录。"
                "如确需补录，请公开办管理员先在“年度报告”中解锁该报告期（解锁将被记录）。"
            )
            % values
        )
    return (
        _(
            "%(what)s为%(day)s，属于已锁定的%(year)d年度报告期（%(org)s锁定），不能修改。"
            "如确需修改，请公开办管理员先在“年度报告”中解锁该报告期（解锁将被记录）。"
        )
        % values
    )


class PeriodLocked(ValidationError):
    """A write would change a record dated in a locked report period.

    With `field` the message is attached to that form field (ValidationError's dict form), so
    the page shows it next to the date the person typed.
    """

    def __init__(
        self,
        *,
        lock: ReportPeriodLock,
        day: date,
        what: str = "",
        field: str | None = None,
        adding: bool = False,
    ):
        self.lock = lock
        self.day = day
        self.year = lock.year
        message = period_locked_message(
            lock=lock, day=day, what=what or _("该案件日期"), adding=adding
        )
        super().__init__({field: [message]} if field else message)


def period_check(
    *,
    organisation: Organisation | int,
    days: Iterable[date | None],
    what: str = "",
    field: str | None = None,
    adding: bool = False,
) -> None:
    """Raise PeriodLocked if any of these dates is in a locked period of the organisation."""
    days = [d for d in days if d is not None]
    if not days:
        return
    locks = period_locks_active(organisation=organisation, years=[d.year for d in days])
    for day in days:
        lock = locks.get(day.year)
        if lock is not None:
            raise PeriodLocked(lock=lock, day=day, what=what, field=field, adding=adding)
