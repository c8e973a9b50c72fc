"""Writes for the catalogue: index numbers, creation, withdrawal."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .models import DisclosureItem, IndexNumberSequence


def index_number_next(*, organisation, year: int) -> str:
    """索引号: the owner's credit code + "/" + year + "-" + 5-digit serial (目录系统实施指引).

    Must run inside a transaction; the sequence row is locked so two editors never get the
    same number.
    """
    if not organisation.credit_code:
        raise ValidationError(
            _("组织“%(org)s”尚未填写统一社会信用代码，无法生成索引号。")
            % {"org": organisation.name}
        )
    seq, _created = IndexNumberSequence.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    seq.last_serial += 1
    seq.save(update_fields=["last_serial"])
    return f"{organisation.credit_code}/{year}-{seq.last_serial:05d}"


@transaction.atomic
def item_assign_index_number(*, item: DisclosureItem) -> DisclosureItem:
    if not item.index_number:
        item.index_number = index_number_next(
            organisation=item.organisation, year=item.created_date.year
        )
    return item


@transaction.atomic
def item_create(*, actor=None, columns=(), attachments=(), **fields) -> DisclosureItem:
    """Create an item as a draft with its first revision. Publishing goes through review."""
    item = DisclosureItem(live=False, **fields)
    item.full_clean(exclude=["index_number"])
    item_assign_index_number(item=item)
    item.save()
    if columns:
        item.columns.set(columns)
    for attachment in attachments:
        attachment.item = item
        attachment.save()
    item.save_revision(user=actor, log_action=True)
    return item


@transaction.atomic
def item_withdraw(*, actor, item: DisclosureItem, reason: str) -> DisclosureItem:
    """撤回: the item leaves every public place at once and stays in the records."""
    if not reason or not reason.strip():
        raise ValidationError({"withdrawn_reason": _("撤回须填写理由。")})
    from gongkai.orgs.models import Role
    from gongkai.orgs.selectors import user_organisation_ids

    if actor is not None and not actor.is_superuser:
        allowed = user_organisation_ids(user=actor, roles=[Role.ADMIN, Role.EDITOR])
        if item.organisation_id not in allowed:
            raise PermissionDenied(_("您无权撤回该信息。"))
    item = DisclosureItem.objects.select_for_update().get(pk=item.pk)
    if item.withdrawn_at is not None:
        return item
    item.withdrawn_at = timezone.now()
    item.withdrawn_reason = reason.strip()
    item.withdrawn_by = actor
    item.save(update_fields=["withdrawn_at", "withdrawn_reason", "withdrawn_by"])
    log(item, "gongkai.withdraw", user=actor, data={"reason": item.withdrawn_reason})
    return item
