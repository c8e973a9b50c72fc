"""Recover deliveries whose worker died and send again those that are due.

Run it from cron every few minutes (the database worker also retries on its own with backoff);
it is safe to run at any time and on several machines at once: every send is claimed with a
conditional UPDATE.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.channels import services


class Command(BaseCommand):
    help = gettext_lazy("重试到期的渠道发布，恢复中断的发布。")

    def add_arguments(self, parser):
        parser.add_argument(
            "--inline",
            action="store_true",
            help=gettext_lazy("在本进程中直接发送，而不是交给后台任务队列。"),
        )

    def handle(self, *args, **options):
        counts = services.deliveries_retry_due(inline=options["inline"])
        if options["inline"]:
            message = _(
                "恢复 %(recovered)s 条中断的发布；到期 %(due)s 条：成功 %(sent)s 条，失败 %(failed)s 条。"
            )
        else:
            message = _("恢复 %(recovered)s 条中断的发布；已排队重试 %(due)s 条。")
        self.stdout.write(message % counts)
