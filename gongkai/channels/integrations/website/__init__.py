"""网站栏目: placing the item in the channel's column is the website delivery.

The placement is a row of the item↔column table. A later revision that goes live replaces the
item's columns with its own, and is then delivered again to every chosen channel, so the item
stays in the column for as long as the channel is chosen.

A website not run on this platform (a channel with a `url` and no column) is sent the record
only: its own editors republish it, and the delivery says where it went.
"""

from gongkai.catalogue.models import DisclosureItem

from .. import Sent


def send(delivery) -> Sent:
    channel = delivery.channel
    column = channel.column
    if column is None:
        return Sent(output_ref=channel.option("url"))
    through = DisclosureItem.columns.through
    through.objects.get_or_create(disclosureitem_id=delivery.item_id, columnpage_id=column.pk)
    return Sent(output_ref=column.get_url() or column.url_path)
