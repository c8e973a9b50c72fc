"""Wagtail's publish_scheduled, with the confidentiality review in front of it.

A revision reaches its go-live time with `approved_go_live_at` set. The review workflow sets
it only on the revision it cleared; any other revision that carries it (written some other
way) is taken off the schedule and logged, and the rest are published by Wagtail's command as
usual. Without this, the model's refusal (ReviewRequired) would stop the whole run and hold up
every correctly approved item behind it.

This app comes before wagtail in INSTALLED_APPS, so `manage.py publish_scheduled` is this one.
"""

from django.utils.translation import gettext as _
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand

from gongkai.review.clearance import scheduled_revisions_refuse


class Command(WagtailCommand):
    help = _("发布到期的定时发布版本；未经保密审查和审批的版本不予发布并取消定时。")

    def handle(self, *args, **options):
        refused = scheduled_revisions_refuse(dryrun=options["dryrun"])
        for revision in refused:
            self.stderr.write(
                _("未经保密审查和审批，不予发布：%(title)s（版本 #%(id)s）")
                % {"title": revision.object_str, "id": revision.pk}
            )
        super().handle(*args, **options)
