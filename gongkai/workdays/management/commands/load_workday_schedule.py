"""manage.py load_workday_schedule FILE — enter a year's holiday schedule from a file.

The format is described in gongkai/workdays/schedulefile.py and docs/workdays.md. The whole
file is checked first; if any line is wrong, every problem is listed with its line number and
nothing is loaded.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.workdays.models import DayKind, WorkdayCalendarYear
from gongkai.workdays.schedulefile import ScheduleFileError, parse_date, parse_schedule
from gongkai.workdays.selectors import library_years
from gongkai.workdays.services import schedule_file_load

from ._base import ChineseErrorCommand


class _DryRun(Exception):
    pass


class Command(ChineseErrorCommand):
    help = _("从文件导入节假日安排（每行：日期,类型,名称）。文件有任何错误时不导入任何内容。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("CSV 文本文件，UTF-8 或 GB18030 编码"))
        parser.add_argument(
            "--replace",
            action="store_true",
            help=_("文件中的年份已经录入时，用文件内容更正（保留修订记录）"),
        )
        parser.add_argument(
            "--draft",
            action="store_true",
            help=_("导入为“录入中（未生效）”，核对后在后台改为已生效"),
        )
        parser.add_argument("--notice-number", default="", help=_("通知文号"))
        parser.add_argument("--notice-title", default="", help=_("通知标题"))
        parser.add_argument("--published-on", default="", help=_("通知发布日期，YYYY-MM-DD"))
        parser.add_argument("--user", default="", help=_("记录为录入人的用户名"))
        parser.add_argument("--dry-run", action="store_true", help=_("只检查文件，不写入数据库"))

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        published_on = None
        if options["published_on"]:
            published_on = parse_date(options["published_on"])
            if published_on is None:
                raise CommandError(
                    _("--published-on 的日期“%(text)s”格式不正确，应为 YYYY-MM-DD。")
                    % {"text": options["published_on"]}
                )
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("找不到用户：%(user)s") % {"user": options["user"]})
        content = path.read_bytes()
        status = (
            WorkdayCalendarYear.Status.DRAFT
            if options["draft"]
            else WorkdayCalendarYear.Status.ACTIVE
        )
        try:
            parsed = parse_schedule(content)
            with transaction.atomic():
                results = schedule_file_load(
                    actor=actor,
                    content=content,
                    replace=options["replace"],
                    status=status,
                    notice_number=options["notice_number"],
                    notice_title=options["notice_title"],
                    published_on=published_on,
                )
                if options["dry_run"]:
                    raise _DryRun
        except ScheduleFileError as exc:
            raise CommandError(
                _("文件 %(path)s 有%(count)s处错误，未导入任何内容：")
                % {"path": path, "count": len(exc.errors)}
                + "\n"
                + "\n".join(exc.errors)
            ) from exc
        except ValidationError as exc:
            raise CommandError(_("未导入任何内容：") + "\n" + "\n".join(exc.messages)) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        except _DryRun:
            for year, entries in parsed.items():
                self.stdout.write(
                    _("检查通过（未写入）：%(year)s年，放假%(holidays)s天，调休上班%(makeups)s天。")
                    % self._counts(year, entries)
                )
            return
        for record, created in results:
            entries = list(record.special_days.all())
            counts = self._counts(record.year, entries)
            counts["action"] = _("已导入") if created else _("已更正")
            counts["status"] = record.get_status_display()
            self.stdout.write(
                _(
                    "%(action)s%(year)s年节假日安排：放假%(holidays)s天，调休上班%(makeups)s天（%(status)s）。"
                )
                % counts
            )
            if record.year in library_years():
                self.stdout.write(
                    _(
                        "注意：chinesecalendar 库已有%(year)s年的安排；本次导入的安排生效后优先于该库。"
                    )
                    % {"year": record.year}
                )

    @staticmethod
    def _counts(year, entries) -> dict:
        return {
            "year": year,
            "holidays": sum(1 for e in entries if e.kind == DayKind.HOLIDAY),
            "makeups": sum(1 for e in entries if e.kind == DayKind.MAKEUP_WORKDAY),
        }
