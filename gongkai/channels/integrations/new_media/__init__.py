"""新媒体账号 (微博, 微信公众号): a post in the account's outbox with the text fitted to the
platform's limit, a link back to the item; pushed to the account's webhook when one is set,
otherwise copied and posted by hand and marked as posted in the outbox."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ... import selectors
from ...models import Post
from .. import Sent
from ..webhook import post as webhook_send
from .text import fit_text


def post_text(*, item, channel, url: str) -> str:
    return fit_text(
        title=item.title,
        summary=item.summary,
        url=url,
        limit=channel.option("max_length"),
        link_label=_("详情："),
    )


def send(delivery) -> Sent:
    channel = delivery.channel
    item = delivery.item
    url = selectors.item_public_url(item=item)
    post, _created = Post.objects.get_or_create(
        delivery=delivery,
        defaults={
            "channel": channel,
            "item": item,
            "url": url,
            "text": post_text(item=item, channel=channel, url=url),
        },
    )
    outbox = reverse("channels_outbox", args=[channel.pk])
    webhook_url = channel.option("webhook_url")
    if not webhook_url or post.status == Post.Status.POSTED:
        return Sent(external_id=post.external_ref, output_ref=outbox)
    external = webhook_send(delivery, url=webhook_url, text=post.text)
    # What was posted is recorded at once, before the delivery is marked sent.
    Post.objects.filter(pk=post.pk, status=Post.Status.READY).update(
        status=Post.Status.POSTED, posted_at=timezone.now(), external_ref=external
    )
    return Sent(external_id=external, output_ref=outbox)
