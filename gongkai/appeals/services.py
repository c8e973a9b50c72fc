"""Writes for appeals: recorded and decided through these, audited like every other write."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gongkai.applications.models import Application
from gongkai.orgs.permissions import OrganisationScopedPolicy

from .models import Appeal

policy = OrganisationScopedPolicy(Appeal)


def _require(actor, action: str, appeal: Appeal) -> None:
    if actor is not None and not policy.user_has_permission_for_instance(actor, action, appeal):
        raise PermissionDenied(_("您无权登记或修改该机关的行政复议、行政诉讼。"))


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
    appeal.full_clean()
    appeal.save()
    log(appeal, "wagtail.create", user=actor)
    return appeal


@transaction.atomic
def appeal_decide(*, actor=None, appeal: Appeal, result: str, decided_on: date) -> Appeal:
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    _require(actor, "change", appeal)
    appeal.result = result
    appeal.decided_on = decided_on
    appeal.full_clean()
    appeal.save(update_fields=["result", "decided_on"])
    log(appeal, "wagtail.edit", user=actor, data={"result": result})
    return appeal
