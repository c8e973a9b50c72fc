from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.applications.importer import LedgerError, read_ledger, validate_ledger
from gongkai.applications.services import applications_import
from gongkai.orgs.selectors import organisation_get_by_code


class Command(BaseCommand):
    help = (
        "导入某机关已有的依申请公开台账（CSV 或 XLSX）。先检查全部行，有任何错误则一行也不导入。"
        " Import an office's ledger of applications; all-or-nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="台账文件（.csv 或 .xlsx）")
        parser.add_argument("--org", required=True, help="受理机关的代码，例如 liaobu")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不导入")

    def handle(self, *args, file, org, dry_run, **options):
        organisation = organisation_get_by_code(code=org)
        if organisation is None:
            raise CommandError(_("找不到代码为“%(code)s”的机关。") % {"code": org})
        try:
            rows = validate_ledger(read_ledger(file), organisation=organisation)
        except LedgerError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(
                _("发现 %(n)d 处错误，未导入任何数据。") % {"n": len(exc.errors)}
            ) from None
        if dry_run:
            self.stdout.write(
                _("检查通过：共 %(n)d 行，可以导入（--dry-run，未导入）。") % {"n": len(rows)}
            )
            return
        created = applications_import(organisation=organisation, rows=rows)
        open_count = sum(1 for a in created if a.is_open)
        self.stdout.write(
            self.style.SUCCESS(
                _("已为%(org)s导入 %(n)d 件申请（其中在办 %(open)d 件）。")
                % {"org": organisation.name, "n": len(created), "open": open_count}
            )
        )
