"""接口推送: the item as JSON to a receiver the operator configured, signed and retried."""

from django.utils import timezone

from ... import selectors
from .. import Sent
from .client import webhook_post


def item_payload(delivery, *, text: str | None = None) -> dict:
    item = delivery.item
    channel = delivery.channel
    payload = {
        "event": "item.published",
        "sent_at": timezone.now().isoformat(),
        "delivery": {
            "id": delivery.pk,
            "idempotency_key": str(delivery.idempotency_key),
            "attempt": delivery.attempts,
            "revision_id": delivery.revision_id,
        },
        "channel": {
            "id": channel.pk,
            "name": channel.name,
            "kind": channel.kind,
            "slug": channel.slug,
        },
        "item": selectors.item_as_dict(item=item),
    }
    if text is not None:
        payload["text"] = text
    return payload


def post(delivery, *, url: str, text: str | None = None) -> str:
    channel = delivery.channel
    return webhook_post(
        url=url,
        secret=channel.secret,
        payload=item_payload(delivery, text=text),
        idempotency_key=str(delivery.idempotency_key),
        delivery_id=delivery.pk,
        timeout=channel.option("timeout_seconds"),
    )


def send(delivery) -> Sent:
    url = delivery.channel.option("url")
    return Sent(external_id=post(delivery, url=url), output_ref=url)
