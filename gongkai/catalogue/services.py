"""Writes for the catalogue: index numbers, creation, attachments, withdrawal."""

import hashlib
import os

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gongkai.reports.locks import period_check, period_locks_active

from .filetypes import CheckedFile, check_file
from .models import DisclosureItem, IndexNumberSequence, ItemAttachment
from .signals import item_public_changed


def index_number_format(*, credit_code: str, year: int, serial: int) -> str:
    """索引号: 前段码 (the owner's code) + "/" + year + "-" + 5-digit serial (目录系统实施指引)."""
    return f"{credit_code}/{year}-{serial:05d}"


@transaction.atomic
def index_numbers_reserve(*, organisation, year: int, count: int) -> list[str]:
    """Take `count` fresh index numbers for an organisation and year, in serial order.

    The sequence row is locked (select_for_update), so two editors saving at the same moment,
    or an editor and an import, never get the same number. A number that already exists (an
    import may have brought numbers in our own format) is skipped, never reused.
    """
    if count < 1:
        return []
    if not organisation.credit_code:
        raise ValidationError(
            _("组织“%(org)s”尚未填写统一社会信用代码，无法生成索引号。")
            % {"org": organisation.name}
        )
    seq, _created = IndexNumberSequence.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    numbers: list[str] = []
    serial = seq.last_serial
    while len(numbers) < count:
        wanted = count - len(numbers)
        candidates = {
            index_number_format(credit_code=organisation.credit_code, year=year, serial=s): s
            for s in range(serial + 1, serial + wanted + 1)
        }
        taken = set(
            DisclosureItem.objects.filter(index_number__in=list(candidates)).values_list(
                "index_number", flat=True
            )
        )
        numbers.extend(number for number in candidates if number not in taken)
        serial += wanted
    seq.last_serial = serial
    seq.save(update_fields=["last_serial"])
    return numbers


def index_number_next(*, organisation, year: int) -> str:
    """The next index number; must run inside the transaction that saves the item."""
    return index_numbers_reserve(organisation=organisation, year=year, count=1)[0]


@transaction.atomic
def index_number_sequence_raise(*, organisation, year: int, serial: int) -> None:
    """Make sure future numbers start after `serial` (after importing numbers in our format)."""
    seq, _created = IndexNumberSequence.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    if serial > seq.last_serial:
        seq.last_serial = serial
        seq.save(update_fields=["last_serial"])


@transaction.atomic
def item_assign_index_number(*, item: DisclosureItem) -> DisclosureItem:
    """Give a new item its index number; an item that has one keeps it for ever."""
    if not item.index_number:
        item.index_number = index_number_next(
            organisation=item.organisation, year=item.created_date.year
        )
    return item


def item_period_check(*, item: DisclosureItem, before: DisclosureItem | None = None) -> None:
    """Refuse an item dated in a locked report period (issue #8); PeriodLocked if so.

    The report counts an item by its 生成日期 (规章、规范性文件 issued) and its 发布日期 (items
    published, per site, channel and category), so neither may be in a locked year of the
    owner's tree: for a new item, its dates; for a change, the dates before and after.
    """
    for name, label in (("created_date", _("生成日期")), ("published_date", _("发布日期"))):
        checks = [(item.organisation_id, getattr(item, name))]
        if before is not None:
            checks.insert(0, (before.organisation_id, getattr(before, name)))
        for organisation_id, day in dict.fromkeys(checks):
            if organisation_id is None or day is None:
                continue
            period_check(
                organisation=organisation_id,
                days=[day],
                what=_("该信息的%(field)s") % {"field": label},
                field=name,
                adding=before is None,
            )


@transaction.atomic
def item_create(*, actor=None, columns=(), attachments=(), **fields) -> DisclosureItem:
    """Create an item as a draft with its first revision. Publishing goes through review."""
    item = DisclosureItem(live=False, **fields)
    item_period_check(item=item)
    item.full_clean(exclude=["index_number"])
    item_assign_index_number(item=item)
    item.save()
    if columns:
        item.columns.set(columns)
    for attachment in attachments:
        attachment.item = item
        attachment.save()
    item.save_revision(user=actor, log_action="wagtail.create")
    return item


def file_sha256(fileobj) -> str:
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def attachment_prepare(
    *, attachment: ItemAttachment, upload, checked: CheckedFile | None = None
) -> ItemAttachment:
    """Check an uploaded or imported file by its content, store it, and record what it is.

    Size, SHA-256 and content type are computed here from the bytes, never typed in. The file
    is written to storage now (not at the item's save) because a live item's edit is kept in a
    revision only, and the revision must point to a stored file.
    """
    name = os.path.basename(getattr(upload, "name", "") or "")
    if checked is None:
        checked = check_file(upload, name, size=getattr(upload, "size", None))
    attachment.size = checked.size
    attachment.content_type = checked.content_type
    attachment.sha256 = file_sha256(upload)
    if not attachment.title:
        attachment.title = os.path.splitext(name)[0][:200] or name
    if not isinstance(upload, File):
        upload = File(upload, name=name)
    attachment.file.save(name, upload, save=False)
    return attachment


# The features of Wagtail's rich text editor (RichTextField defaults); anything else in
# imported HTML is dropped here, before it is stored, so that what the editor later loads is
# what was stored.
RICH_TEXT_TAGS = {
    "p",
    "br",
    "h2",
    "h3",
    "h4",
    "b",
    "strong",
    "i",
    "em",
    "ol",
    "ul",
    "li",
    "a",
    "hr",
}
RICH_TEXT_ATTRIBUTES = {"a": {"href"}}


def rich_text_sanitise(html: str) -> str:
    """Clean HTML from outside (imports) with an allow-list; scripts and styles go entirely."""
    if not html:
        return ""
    text = html.strip()
    if "<" not in text:
        # Plain text: one paragraph per line.
        paragraphs = [line.strip() for line in text.splitlines() if line.strip()]
        text = "".join(f"<p>{nh3.clean_text(line)}</p>" for line in paragraphs)
        return text
    return nh3.clean(
        text,
        tags=RICH_TEXT_TAGS,
        attributes=RICH_TEXT_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    ).strip()


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
    data = {"reason": item.withdrawn_reason}
    # Withdrawal is never held back by a locked report period (the confidentiality duty comes
    # first). The reports count an item as it stood at the end of each year, so a year that
    # ended before today keeps it; the locked periods its dates fall in are recorded here, so
    # that a withdrawal inside a locked year that has not ended yet stays visible.
    locked = period_locks_active(
        organisation=item.organisation_id,
        years=[d.year for d in (item.created_date, item.published_date) if d],
    )
    if locked:
        data["locked_periods"] = sorted(locked)
    log(item, "gongkai.withdraw", user=actor, data=data)
    transaction.on_commit(
        lambda: item_public_changed.send(sender=DisclosureItem, item=item, reason="withdrawn")
    )
    return item
