"""One folder per kind of channel (as healthchecks has one per integration).

Each folder's `send(delivery) -> Sent` does what "delivering" means for that kind. It must be
safe to call again for the same delivery: the worker may die after sending and before the row
says so, and then the delivery is attempted again (webhooks carry an idempotency key for that).
"""

import importlib
from dataclasses import dataclass

from ..models import Channel


@dataclass(frozen=True)
class Sent:
    external_id: str = ""
    output_ref: str = ""


class DeliveryError(Exception):
    """A delivery failed for a reason the editor can read (in Chinese)."""


_MODULES = {
    Channel.Kind.WEBSITE: "website",
    Channel.Kind.SCREEN: "screen",
    Channel.Kind.KIOSK: "kiosk",
    Channel.Kind.NEWSPAPER: "newspaper",
    Channel.Kind.MAGAZINE: "newspaper",
    Channel.Kind.TV: "tv",
    Channel.Kind.NEW_MEDIA: "new_media",
    Channel.Kind.NOTICE_BOARD: "notice_board",
    Channel.Kind.WEBHOOK: "webhook",
}


def send(delivery) -> Sent:
    module = importlib.import_module(f"{__name__}.{_MODULES[delivery.channel.kind]}")
    return module.send(delivery)
