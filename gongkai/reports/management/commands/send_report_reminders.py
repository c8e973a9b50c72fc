"""Remind each disclosure office (公开办管理员) of last year's annual report, from 1 January.

Run daily (cron or the task worker). Each milestone (年初、截止前30日、截止前7日、截止当日、
逾期) is sent to each person once; running twice sends nothing new.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from ...services import reminders_send


class Command(BaseCommand):
    help = "向公开办管理员发送年度报告截止提醒（可重复运行，不会重复发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按此日期计算（YYYY-MM-DD），用于补发或测试。")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"日期 {options['today']!r} 格式不正确，应为 YYYY-MM-DD。"
                ) from None
        sent = reminders_send(today=today)
        for reminder in sent:
            self.stdout.write(
                _("已提醒 %(email)s：%(org)s %(year)d年度报告（%(milestone)s，截止 %(due)s）")
                % {
                    "email": reminder.email,
                    "org": reminder.organisation,
                    "year": reminder.year,
                    "milestone": reminder.get_milestone_display(),
                    "due": f"{reminder.due_on:%Y-%m-%d}",
                }
            )
        self.stdout.write(_("共发送 %(n)d 条提醒。") % {"n": len(sent)})
