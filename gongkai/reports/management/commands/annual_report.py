"""Print or export an annual report.

manage.py annual_report --org liaobu --year 2012 --format 2008
manage.py annual_report --org liaobu --year 2025 --format 2021 --json
manage.py annual_report --org liaobu --year 2025 --docx report.docx --pdf report.pdf
"""

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gongkai.orgs.models import Organisation

from ...exports.docx import render_docx
from ...exports.pdf import render_pdf
from ...exports.tables import tables_for
from ...figures import report_data
from ...selectors import report_get, user_may_report


class Command(BaseCommand):
    help = "生成政府信息公开工作年度报告（文本、JSON、Word 或 PDF）。"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="组织代码，例如 liaobu。")
        parser.add_argument("--year", required=True, type=int, help="报告年度，例如 2012。")
        parser.add_argument(
            "--format",
            default="2021",
            choices=["2021", "2008"],
            help="2021：国办公开办函〔2021〕30号格式（默认）；2008：2008年条例时期格式。",
        )
        parser.add_argument(
            "--include-subtree", action="store_true", help="汇总下级组织（如镇含各村、社区）。"
        )
        parser.add_argument("--json", action="store_true", help="以 JSON 输出全部数据。")
        parser.add_argument("--docx", metavar="PATH", help="导出 Word 文件。")
        parser.add_argument("--pdf", metavar="PATH", help="导出 PDF 文件。")
        parser.add_argument("--no-charts", action="store_true", help="Word/PDF 中不附统计图。")
        parser.add_argument("--user", help="以该用户身份生成（检查其角色范围）。")

    def handle(self, *args, **options):
        organisation = Organisation.objects.filter(code=options["org"]).first()
        if organisation is None:
            raise CommandError(_("没有代码为 %(code)r 的组织。") % {"code": options["org"]})
        year = options["year"]
        if not 2008 <= year <= 2100:
            raise CommandError(_("年度 %(year)d 不在 2008 至 2100 之间。") % {"year": year})
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("没有用户 %(user)r。") % {"user": options["user"]})
            if not user_may_report(user=user, action="view", organisation=organisation):
                raise CommandError(
                    _("用户 %(user)s 在“%(org)s”没有可查看年度报告的角色。")
                    % {"user": user.username, "org": organisation.name}
                )
        fmt, subtree = options["format"], options["include_subtree"]
        report = report_get(organisation=organisation, year=year, fmt=fmt, include_subtree=subtree)
        data = report_data(
            organisation=organisation, year=year, fmt=fmt, include_subtree=subtree, report=report
        )
        charts = not options["no_charts"]
        wrote = False
        if options["docx"]:
            Path(options["docx"]).write_bytes(render_docx(data, charts=charts))
            self.stderr.write(_("已写入 %(path)s") % {"path": options["docx"]})
            wrote = True
        if options["pdf"]:
            Path(options["pdf"]).write_bytes(render_pdf(data, charts=charts))
            self.stderr.write(_("已写入 %(path)s") % {"path": options["pdf"]})
            wrote = True
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        elif not wrote:
            self.stdout.write(render_text(data))
        if data["checks"]:
            self.stderr.write(_("检查未通过（%(n)d项）：") % {"n": len(data["checks"])})
            for failure in data["checks"]:
                self.stderr.write(f"  - {failure['message']}")


def render_text(data: dict) -> str:
    """The report as plain text, tables drawn row by row (for the terminal and diffs)."""
    lines = [data["title"], ""]
    if data["no_data_note"]:
        lines += [data["no_data_note"] + _("：本报告各项数据均为零。"), ""]
    tables = tables_for(data)
    for section in data["sections"]:
        lines.append(section["heading"])
        lines += [f"  {p}" for p in section["paragraphs"]]
        for sub in section.get("subsections", []):
            lines.append(f"  {sub['number']}{sub['heading']}。{sub['text']}")
        for grid in tables.get(section["key"], []):
            if grid.get("caption"):
                lines.append(f"  [{grid['caption']}]")
            for row in grid["rows"]:
                lines.append("  | " + " | ".join(c["text"] for c in row) + " |")
        lines.append("")
    return "\n".join(lines)
