"""`manage.py sensitive_words import|export --org CODE [FILE]`: word lists from the shell."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.orgs.selectors import organisation_get_by_code
from gongkai.review.selectors import word_list_export
from gongkai.review.services import word_list_import


class Command(BaseCommand):
    help = gettext_lazy("导入或导出某组织的敏感词库（UTF-8 文本，每行一个词，# 开头为注释）。")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["import", "export"])
        parser.add_argument(
            "file", nargs="?", help=_("导入时读取、导出时写入的文件；导出时省略则输出到屏幕")
        )
        parser.add_argument("--org", required=True, metavar="CODE", help=_("组织代码，例如 liaobu"))
        parser.add_argument(
            "--replace", action="store_true", help=_("导入时停用本组织词库中文件里没有的词")
        )
        parser.add_argument("--inherited", action="store_true", help=_("导出时包括上级组织的词"))

    def handle(self, *args, action, file, org, replace, inherited, **options):
        organisation = organisation_get_by_code(code=org)
        if organisation is None:
            raise CommandError(_("没有代码为“%(code)s”的组织。") % {"code": org}, returncode=2)
        if action == "export":
            text = word_list_export(organisation=organisation, inherited=inherited)
            if file:
                Path(file).write_text(text, encoding="utf-8")
                self.stdout.write(_("已导出到 %(file)s") % {"file": file})
            else:
                self.stdout.write(text, ending="")
            return
        if not file:
            raise CommandError(_("导入时请给出词库文件。"), returncode=2)
        try:
            data = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(
                _("无法读取 %(file)s：%(error)s") % {"file": file, "error": exc.strerror},
                returncode=2,
            ) from None
        try:
            result = word_list_import(organisation=organisation, text=data, replace=replace)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        for lineno, message in result.errors:
            self.stderr.write(f"{file}:{lineno}: {message}")
        self.stdout.write(result.summary())
