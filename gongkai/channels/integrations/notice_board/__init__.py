"""公告栏: an A4 notice (公告) of the item is built and kept; printing it for a board is
recorded (services.notice_print)."""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from ...printing import item_body_html, pdf_from_template
from .. import Sent


def notice_pdf(*, item, channel) -> bytes:
    return pdf_from_template(
        "channels/print/notice.html",
        {
            "item": item,
            "channel": channel,
            "location": channel.option("location"),
            "body": item_body_html(item),
        },
    )


def notice_path(delivery) -> str:
    # Named by the idempotency key: building it again overwrites the same file.
    return f"channels/notices/{delivery.idempotency_key}.pdf"


def send(delivery) -> Sent:
    pdf = notice_pdf(item=delivery.item, channel=delivery.channel)
    path = notice_path(delivery)
    if default_storage.exists(path):
        default_storage.delete(path)
    saved = default_storage.save(path, ContentFile(pdf))
    return Sent(output_ref=saved)
