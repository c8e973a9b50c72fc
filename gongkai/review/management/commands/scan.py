"""`manage.py scan FILE_OR_FOLDER...`: the confidentiality scan from the command line.

Exit status: 1 when anything is found (an unreadable file counts), 0 when all is clean,
2 on a usage error, so that scripts and CI can act on it.
"""

import json
import logging
import os
import sys
from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gongkai.review.kinds import FILE_KINDS, Confidence, Kind
from gongkai.review.matchers import Ruleset, WordMatcher, parse_word_list
from gongkai.review.scanner import ScanReport, scan_file


def _usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = gettext_lazy(
        "扫描文件或文件夹（含子文件夹）中的密级标志、身份证号等个人信息和敏感词。"
        "有发现时退出码为 1，未发现为 0，用法错误为 2。"
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", metavar="FILE_OR_FOLDER", help=_("要扫描的文件或文件夹")
        )
        parser.add_argument(
            "--format", choices=["text", "json"], default="text", help=_("输出格式（默认 text）")
        )
        parser.add_argument(
            "--words",
            action="append",
            default=[],
            metavar="FILE",
            help=_("另外使用的词库文件（UTF-8，每行一个词）；可重复"),
        )
        parser.add_argument(
            "--org", metavar="CODE", help=_("使用该组织（含上级组织）的敏感词库和放行短语")
        )
        parser.add_argument("--max-mb", type=int, metavar="MB", help=_("单个文件的大小上限"))

    def handle(self, *args, **options):
        # Malformed PDFs make pypdf log a warning per oddity; the findings say what matters.
        logging.getLogger("pypdf").setLevel(logging.ERROR)
        if options["max_mb"] is not None and options["max_mb"] <= 0:
            raise _usage_error(_("--max-mb 必须是正整数。"))
        ruleset = self.ruleset(options["org"], options["words"])
        files, skipped = self.collect(options["paths"])
        max_bytes = options["max_mb"] * 1024 * 1024 if options["max_mb"] else None
        results: list[tuple[str, ScanReport]] = []
        for path in files:
            report = scan_file(path, ruleset=ruleset, field=path, max_bytes=max_bytes)
            results.append((path, report))
        if options["format"] == "json":
            self.write_json(results, skipped)
        else:
            self.write_text(results, skipped)
        if any(report.findings for _path, report in results):
            sys.exit(1)

    # -- input -----------------------------------------------------------------------------

    def ruleset(self, org_code: str | None, word_files: list[str]) -> Ruleset:
        entries: list[tuple[str, str]] = []
        allowed = None
        if org_code:
            from gongkai.orgs.selectors import organisation_get_by_code
            from gongkai.review.selectors import (
                organisation_chain_ids,
                phrase_matcher_for,
                sensitive_words,
            )

            organisation = organisation_get_by_code(code=org_code)
            if organisation is None:
                raise _usage_error(_("没有代码为“%(code)s”的组织。") % {"code": org_code})
            entries += list(
                sensitive_words(organisation=organisation, inherited=True).values_list(
                    "word", "category"
                )
            )
            allowed = phrase_matcher_for(org_ids=organisation_chain_ids(organisation=organisation))
        for name in word_files:
            try:
                data = Path(name).read_bytes()
            except OSError as exc:
                raise _usage_error(
                    _("无法读取词库文件 %(file)s：%(error)s")
                    % {"file": name, "error": exc.strerror}
                ) from None
            try:
                parsed = parse_word_list(data)
            except ValueError as exc:
                raise _usage_error(f"{name}: {exc}") from None
            for lineno, message in parsed.errors:
                self.stderr.write(f"{name}:{lineno}: {message}")
            entries += parsed.entries
        words = WordMatcher(entries) if entries else None
        return Ruleset(words=words, allowed=allowed)

    def collect(self, paths: list[str]) -> tuple[list[str], int]:
        files, skipped = [], 0
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                for root, dirs, names in os.walk(path):  # symlinked folders are not followed
                    dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                    for name in sorted(names):
                        # Dot-files and Office's "~$" lock files are not documents.
                        if name.startswith((".", "~$")):
                            skipped += 1
                            continue
                        full = os.path.join(root, name)
                        if os.path.isfile(full):
                            files.append(full)
            elif path.is_file():
                files.append(raw)
            else:
                raise _usage_error(_("找不到文件或文件夹：%(path)s") % {"path": raw})
        return files, skipped

    # -- output ----------------------------------------------------------------------------

    def summary(self, results, skipped) -> dict:
        counts = Counter()
        for _path, report in results:
            counts.update(f.kind for f in report.findings)
        return {
            "files": len(results),
            "files_with_findings": sum(1 for _p, r in results if r.findings),
            "findings": sum(counts.values()),
            "counts": dict(counts),
            "suppressed": sum(r.suppressed for _p, r in results),
            "skipped": skipped,
        }

    def write_json(self, results, skipped) -> None:
        data = {
            "files": [
                {
                    "path": path,
                    **(
                        {k: v for k, v in vars(report.files[0]).items() if k != "name"}
                        if report.files
                        else {}
                    ),
                    "findings": [f.as_dict() for f in report.findings],
                }
                for path, report in results
            ],
            "summary": self.summary(results, skipped),
        }
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def write_text(self, results, skipped) -> None:
        for path, report in results:
            info = report.files[0] if report.files else None
            about = []
            if info and info.type_label:
                about.append(info.type_label)
            if info and info.pages:
                about.append(_("%(n)s 页") % {"n": info.pages})
            head = f"== {path}" + (f"（{'，'.join(about)}）" if about else "")
            if not report.findings:
                self.stdout.write(head + _("：未发现问题"))
                continue
            self.stdout.write(head + _("：%(n)s 处") % {"n": len(report.findings)})
            for f in report.findings:
                label = Kind(f.kind).label
                if f.kind in FILE_KINDS:
                    where = f.location()
                    self.stdout.write(f"  [{label}] {where + ' ' if where else ''}{f.message}")
                    continue
                tag = f"{label}·{Confidence(f.confidence).label}"
                if f.category:
                    tag += f"·{f.category}"
                self.stdout.write(f"  [{tag}] {f.location()}  {f.value}")
                self.stdout.write(f"      {f.snippet}")
        summary = self.summary(results, skipped)
        by_kind = "，".join(
            f"{Kind(kind).label} {n}" for kind, n in sorted(summary["counts"].items())
        )
        line = _("合计：扫描 %(files)s 个文件，%(hit)s 个有发现，共 %(n)s 处") % {
            "files": summary["files"],
            "hit": summary["files_with_findings"],
            "n": summary["findings"],
        }
        if by_kind:
            line += f"（{by_kind}）"
        line += _("；放行短语忽略 %(n)s 处。") % {"n": summary["suppressed"]}
        if skipped:
            line += _("跳过隐藏文件和临时文件 %(n)s 个。") % {"n": skipped}
        self.stdout.write(line)
