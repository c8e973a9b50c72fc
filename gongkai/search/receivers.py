"""Keep the index in step with the catalogue.

The catalogue sends `item_public_changed` after commit (publish, unpublish, change,
withdrawal). We also listen to Wagtail's own published/unpublished signals and to saves and
deletions of items, in case some path does not send the catalogue's signal: every receiver
ends in `search_sync_items`, which looks the item up again and is idempotent, so hearing of one
change three times costs a little time and nothing else.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import post_page_move, published, unpublished

from gongkai.catalogue.models import DisclosureItem
from gongkai.catalogue.signals import item_public_changed
from gongkai.orgs.models import Organisation

from . import segment, services


def _schedule(item_id) -> None:
    if item_id is None:
        return
    # Outside a transaction this runs at once; inside, after the commit (never on rollback).
    transaction.on_commit(lambda: services.search_item_changed(item_id=item_id))


@receiver(item_public_changed, dispatch_uid="search_item_public_changed")
def on_item_public_changed(sender, item=None, reason=None, **kwargs):
    if item is None:
        return
    if reason == "withdrawn":
        # Withdrawal takes the item out of every result at once, before anything else.
        item_id = item.pk
        transaction.on_commit(lambda: services.search_remove_items(item_ids=[item_id]))
    _schedule(item.pk)


@receiver(published, sender=DisclosureItem, dispatch_uid="search_item_published")
@receiver(unpublished, sender=DisclosureItem, dispatch_uid="search_item_unpublished")
def on_item_published(sender, instance=None, **kwargs):
    if instance is not None:
        _schedule(instance.pk)


@receiver(post_save, sender=DisclosureItem, dispatch_uid="search_item_saved")
def on_item_saved(sender, instance=None, raw=False, **kwargs):
    # Drafts are never in the index; a save of a draft that never was public costs nothing.
    if raw or instance is None:
        return
    if instance.live or instance.withdrawn_at is not None or hasattr(instance, "search_entry"):
        _schedule(instance.pk)


@receiver(post_delete, sender=DisclosureItem, dispatch_uid="search_item_deleted")
def on_item_deleted(sender, instance=None, **kwargs):
    if instance is not None:
        item_id = instance.pk
        transaction.on_commit(lambda: services.search_remove_items(item_ids=[item_id]))


@receiver(post_page_move, dispatch_uid="search_page_moved")
def on_page_moved(sender, instance=None, **kwargs):
    # A column moved to another site (or under another column) changes the site and column
    # filters of every item in it.
    if instance is None:
        return
    path = instance.path

    def sync():
        from .tasks import search_sync_column_items

        search_sync_column_items.enqueue(page_path=path)

    transaction.on_commit(sync)


@receiver(post_save, sender=Organisation, dispatch_uid="search_org_saved")
def on_organisation_saved(sender, instance=None, raw=False, **kwargs):
    # New place names segment as words from now on in this process (a rebuild applies them to
    # items indexed before; docs/search.md).
    if instance is not None and not raw:
        segment.add_words(
            segment.place_words(instance.name) | segment.place_words(instance.short_name)
        )
