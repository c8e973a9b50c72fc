"""Writes for appeals: recorded and decided through these, audited like every other write."""

from copy import copy
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gongkai.applications.models import Application
from gongkai.orgs.permissions import OrganisationScopedPolicy
from gongkai.reports.locks import period_check

from .models import Appeal

policy = OrganisationScopedPolicy(Appeal)


def _require(actor, action: str, appeal: Appeal) -> None:
    if actor is not None and not policy.user_has_permission_for_instance(actor, action, appeal):
        raise PermissionDenied(_("您无权登记或修改该机关的行政复议、行政诉讼。"))


def appeal_period_check(*, before: Appeal | None, after: Appeal) -> None:
    """Refuse a change dated in a locked report period (issue #8); PeriodLocked if so.

    The report of the year an appeal was filed counts it, by its result on 31 December
    (section 四). So filing (kind, case, date) may not change in or into a locked year, and a
    result may not be given, changed or withdrawn with a decision date in a locked year. A
    decision dated in an open year stays possible for an appeal filed in a locked one: that
    report counted it as 尚未审结, which it was. Notes, authority and case number change no
    figure and stay editable. The admin form and the services both call this.
    """
    organisation = after.application.organisation_id
    filing = ("kind", "filed_on", "application_id")
    decision = ("result", "decided_on")

    def changed(names):
        return before is None or any(getattr(before, n) != getattr(after, n) for n in names)

    if changed(filing):
        period_check(
            organisation=organisation,
            days=[before.filed_on if before else None, after.filed_on],
            what=_("申请或起诉日期"),
            field="filed_on",
            adding=before is None,
        )
    if changed(decision):
        period_check(
            organisation=organisation,
            days=[before.decided_on if before else None, after.decided_on],
            what=_("审结日期"),
            field="decided_on",
            adding=before is None,
        )


@transaction.atomic
def appeal_record(
    *,
    actor=None,
    application: Application,
    kind: str,
    filed_on: date,
    authority: str,
    reference: str = "",
    follows: Appeal | None = None,
    notes: str = "",
) -> Appeal:
    appeal = Appeal(
        application=application,
        organisation_id=application.organisation_id,
        kind=kind,
        filed_on=filed_on,
        authority=authority,
        reference=reference,
        follows=follows,
        notes=notes,
        created_by=actor,
    )
    _require(actor, "add", appeal)
    appeal_period_check(before=None, after=appeal)
    appeal.full_clean()
    appeal.save()
    log(appeal, "wagtail.create", user=actor)
    return appeal


@transaction.atomic
def appeal_decide(*, actor=None, appeal: Appeal, result: str, decided_on: date) -> Appeal:
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    _require(actor, "change", appeal)
    before = copy(appeal)
    appeal.result = result
    appeal.decided_on = decided_on
    appeal_period_check(before=before, after=appeal)
    appeal.full_clean()
    appeal.save(update_fields=["result", "decided_on"])
    log(appeal, "wagtail.edit", user=actor, data={"result": result})
    return appeal
