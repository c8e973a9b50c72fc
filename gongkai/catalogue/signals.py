"""Signals other apps listen to (search index, caches, channels), so catalogue imports none of them.

`item_public_changed` is sent after commit whenever an item's public presence may have changed:
published, unpublished, edited while live, or withdrawn. Receivers get `item` (the
DisclosureItem) and `reason` (one of "published", "unpublished", "changed", "withdrawn").

The receivers below keep the public portal in step with the records: they record the
publication date and forget cached public pages (cache.py) once a change is committed.
"""

from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal, receiver
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move, published, unpublished

from gongkai.orgs.models import Organisation

from . import cache
from .models import Category, DisclosureItem, ItemAttachment

item_public_changed = Signal()

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _send_on_commit(item, reason: str) -> None:
    transaction.on_commit(
        lambda: item_public_changed.send(sender=DisclosureItem, item=item, reason=reason)
    )


@receiver(published, sender=DisclosureItem)
def item_published(sender, instance, **kwargs):
    """Record 发布日期 when an item goes live for the first time.

    Why a receiver and not a service: an item is published by Wagtail's publish action, reached
    from the admin's publish button, from a workflow's last approval and from the
    `publish_scheduled` command for scheduled go-live. None of these passes through a gongkai
    service; the `published` signal is the one point they all share. Wagtail also sends it when
    it only schedules a future go-live, so `live` is checked. The date is the day (in
    Asia/Shanghai, the platform's legal calendar) the item was first published, and an existing
    date (typed in, or imported) is never changed.
    """
    if instance.live and instance.published_date is None:
        day = timezone.localdate(instance.first_published_at or timezone.now(), SHANGHAI)
        DisclosureItem.objects.filter(pk=instance.pk, published_date__isnull=True).update(
            published_date=day
        )
        instance.published_date = day
    _send_on_commit(instance, "published" if instance.live else "changed")


@receiver(unpublished, sender=DisclosureItem)
def item_unpublished(sender, instance, **kwargs):
    _send_on_commit(instance, "unpublished")


@receiver(item_public_changed)
def portal_cache_forget(sender, **kwargs):
    # Sent after commit already (item_withdraw, the receivers above).
    cache.invalidate()


# Anything else that can change what a public page shows: items saved directly (imports,
# services), their columns, attachments, categories and organisations (names, contact details
# in footers and guides), pages (titles, menus, moves, deletion), sites and view restrictions.
# Each forgets the cached pages once its transaction commits.


def _forget_on_commit(sender, **kwargs):
    cache.invalidate_on_commit()


for _model in (DisclosureItem, ItemAttachment, Category, Organisation, Site, PageViewRestriction):
    post_save.connect(_forget_on_commit, sender=_model, dispatch_uid=f"portal-save-{_model}")
    post_delete.connect(_forget_on_commit, sender=_model, dispatch_uid=f"portal-del-{_model}")
m2m_changed.connect(
    _forget_on_commit, sender=DisclosureItem.columns.through, dispatch_uid="portal-columns"
)
page_published.connect(_forget_on_commit, dispatch_uid="portal-page-published")
page_unpublished.connect(_forget_on_commit, dispatch_uid="portal-page-unpublished")
post_page_move.connect(_forget_on_commit, dispatch_uid="portal-page-move")
post_delete.connect(_forget_on_commit, sender=Page, dispatch_uid="portal-page-delete")
