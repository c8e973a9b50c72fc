"""电子显示屏: a sent delivery puts the item into the screen's rotation (its JSON feed)."""

from django.urls import reverse

from .. import Sent


def send(delivery) -> Sent:
    return Sent(output_ref=reverse("channels:screen_feed", args=[delivery.channel.slug]))
