from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from gongkai.applications.services import deadline_reminders_send


class Command(BaseCommand):
    help = (
        "答复期限前三个工作日和到期当日向经办人发送提醒邮件；已发送的不再重复发送。"
        " Send deadline reminders; each one at most once."
    )

    def handle(self, *args, **options):
        report = deadline_reminders_send()
        for line in report.done:
            self.stdout.write(line)
        for line in report.problems:
            self.stderr.write(line)
        self.stdout.write(
            self.style.SUCCESS(_("本次发送提醒 %(n)d 条。") % {"n": len(report.done)})
        )
