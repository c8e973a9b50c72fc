"""manage.py import_items FILE --org CODE [--attachments DIR] [--column PAGE_ID ...]

Imports a catalogue spreadsheet (CSV or XLSX, columns in docs/catalogue.md) as draft items.
Every row is checked first; if any row is wrong, every problem is listed and nothing is
imported. Imported items are drafts: they go public only through the confidentiality review.
"""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.catalogue.importing import ImportFailed, columns_by_ids, import_file
from gongkai.orgs.selectors import organisation_get_by_code


class Command(BaseCommand):
    help = _("从 CSV 或 XLSX 文件导入政府信息目录（作为草稿，须经保密审查后发布）。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("CSV（UTF-8 或 GB18030）或 XLSX 文件"))
        parser.add_argument("--org", required=True, help=_("所属组织的代码，例如 liaobu"))
        parser.add_argument("--attachments", help=_("附件所在的文件夹"))
        parser.add_argument(
            "--column",
            type=int,
            nargs="+",
            default=[],
            metavar="PAGE_ID",
            help=_("放入这些栏目（栏目页面的 ID）"),
        )
        parser.add_argument("--user", help=_("记入修订和操作日志的用户名（执行导入的人）"))
        parser.add_argument("--no-progress", action="store_true", help=_("不显示进度条"))

    def handle(self, *args, **options):
        organisation = organisation_get_by_code(code=options["org"])
        if organisation is None:
            raise CommandError(_("没有代码为“%(code)s”的组织。") % {"code": options["org"]})
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(_("没有用户名为“%(user)s”的用户。") % {"user": options["user"]})
        started = time.perf_counter()
        try:
            columns = columns_by_ids(options["column"])
            result = import_file(
                options["file"],
                organisation=organisation,
                attachments_dir=options["attachments"],
                columns=columns,
                actor=actor,
                progress=not options["no_progress"] and options["verbosity"] > 0,
            )
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("发现 %(count)d 处错误，未导入任何信息。请修改文件后重新导入。")
                % {"count": len(exc.errors)}
            ) from None
        except FileNotFoundError as exc:
            raise CommandError(_("找不到文件：%(name)s") % {"name": exc.filename}) from None
        elapsed = time.perf_counter() - started
        if result.ignored_columns:
            self.stdout.write(
                _("以下列不认识，已忽略：%(names)s") % {"names": "、".join(result.ignored_columns)}
            )
        rate = result.count / elapsed if elapsed else 0
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "已导入 %(count)d 条信息（附件 %(attachments)d 个），用时 %(seconds).1f 秒，"
                    "每秒 %(rate).0f 条。导入的信息均为草稿，须经保密审查后方可发布。"
                )
                % {
                    "count": result.count,
                    "attachments": result.attachments,
                    "seconds": elapsed,
                    "rate": rate,
                }
            )
        )
