from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChannelsConfig(AppConfig):
    name = "gongkai.channels"
    label = "channels"
    verbose_name = _("发布渠道")

    def ready(self):
        from wagtail.signals import published

        from gongkai.catalogue.models import DisclosureItem

        from . import receivers

        # A newly approved revision goes out again to every channel the editors chose for the
        # item; catalogue must not import channels, so we listen.
        published.connect(
            receivers.item_published,
            sender=DisclosureItem,
            dispatch_uid="channels_item_published",
        )
