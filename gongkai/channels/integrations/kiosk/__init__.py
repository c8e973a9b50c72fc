"""触摸屏查询机: the kiosk browses the whole public catalogue; a delivered item is featured on
its home screen (推荐)."""

from django.urls import reverse

from .. import Sent


def send(delivery) -> Sent:
    return Sent(output_ref=reverse("channels:kiosk", args=[delivery.channel.slug]))
