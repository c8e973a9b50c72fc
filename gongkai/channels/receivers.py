"""Signal receivers: catalogue does not import channels, so channels listens."""

from django.db import transaction

from . import services


def item_published(sender, instance, revision=None, **kwargs):
    # After the publish commits, send the newly approved revision to the chosen channels.
    item_id = instance.pk
    transaction.on_commit(lambda: services.item_dispatch_selected(item_id=item_id))
