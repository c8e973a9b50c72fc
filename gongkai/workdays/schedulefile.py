"""The text format of a holiday schedule file, and its parser.

One line per special day: ``date,kind,name``::

    # 2026年节假日安排（国务院办公厅 2025-11-04 发布）
    date,kind,name
    2026-01-01,holiday,元旦
    2026-01-04,makeup_workday,元旦

- ``date``: YYYY-MM-DD (YYYY/M/D, as spreadsheet programs write it, is accepted too);
- ``kind``: ``holiday`` (放假, also written 休) or ``makeup_workday`` (调休上班, also 班);
- ``name``: the holiday the day belongs to, e.g. 春节; a make-up day names its holiday too.

Every day off is listed, weekends inside a holiday included; ordinary weekends are not.
Lines starting with ``#`` and blank lines are ignored; the header line is optional. The file is
UTF-8 (a spreadsheet's BOM is fine) or GB18030, which Excel on a Chinese Windows writes.

Parsing is all-or-nothing: every bad line is reported with its number and nothing is returned
unless the whole file is good.
"""

import csv
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from .models import DayKind, special_day_errors

KIND_WORDS = {
    "holiday": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "makeup_workday": DayKind.MAKEUP_WORKDAY,
    "调休上班": DayKind.MAKEUP_WORKDAY,
    "上班": DayKind.MAKEUP_WORKDAY,
    "班": DayKind.MAKEUP_WORKDAY,
}
HEADER_WORDS = {("date", "kind", "name"), ("日期", "类型", "名称")}
NAME_MAX_LENGTH = 30
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


@dataclass(frozen=True)
class DayEntry:
    date: date
    kind: str
    name: str
    line: int = 0


class ScheduleFileError(Exception):
    """All the problems found in a file; ``errors`` holds one Chinese sentence per problem."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def parse_date(text: str) -> date | None:
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ScheduleFileError([_("文件编码无法识别，请保存为 UTF-8 编码的 CSV 文件。")])


def parse_schedule(content: bytes | str) -> dict[int, list[DayEntry]]:
    """Return the special days of each year in the file, or raise ScheduleFileError."""
    text = decode(content) if isinstance(content, bytes) else content
    errors: list[str] = []
    entries: list[DayEntry] = []
    seen: dict[date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().replace("，", ",")
        if not line or line.startswith("#"):
            continue
        fields = [field.strip() for field in next(csv.reader([line]))]
        if tuple(f.lower() for f in fields) in HEADER_WORDS:
            continue
        if len(fields) != 3:
            errors.append(
                _("第%(line)s行：应有3项（日期,类型,名称），实际有%(count)s项：%(text)s")
                % {"line": number, "count": len(fields), "text": raw.strip()}
            )
            continue
        date_text, kind_text, name = fields
        line_errors = []
        day = parse_date(date_text)
        if day is None:
            line_errors.append(
                _("日期“%(text)s”不正确，应为 YYYY-MM-DD，例如 2026-10-01") % {"text": date_text}
            )
        kind = KIND_WORDS.get(kind_text.lower())
        if kind is None:
            line_errors.append(
                _("类型“%(text)s”不正确，应为 holiday（放假）或 makeup_workday（调休上班）")
                % {"text": kind_text}
            )
        if not name:
            line_errors.append(_("缺少节日名称，例如 春节"))
        elif len(name) > NAME_MAX_LENGTH:
            line_errors.append(_("节日名称过长（最多%(max)s个字）") % {"max": NAME_MAX_LENGTH})
        if day is not None and kind is not None:
            line_errors.extend(str(e).rstrip("。") for e in special_day_errors(day=day, kind=kind))
        if day is not None and day in seen:
            line_errors.append(
                _("日期 %(date)s 与第%(other)s行重复")
                % {"date": f"{day:%Y-%m-%d}", "other": seen[day]}
            )
        if line_errors:
            errors.append(
                _("第%(line)s行：%(problems)s。")
                % {"line": number, "problems": "；".join(line_errors)}
            )
            continue
        seen[day] = number
        entries.append(DayEntry(date=day, kind=kind, name=name, line=number))

    by_year: dict[int, list[DayEntry]] = {}
    for entry in entries:
        by_year.setdefault(entry.date.year, []).append(entry)
    if not errors and not entries:
        errors.append(_("文件中没有任何日期。每行一个日期，格式为：日期,类型,名称。"))
    for year, days in sorted(by_year.items()):
        if not any(d.kind == DayKind.HOLIDAY for d in days):
            errors.append(
                _("%(year)s年只有调休上班日，没有放假日期，请检查文件是否完整。") % {"year": year}
            )
    if errors:
        raise ScheduleFileError(errors)
    return {year: sorted(days, key=lambda d: d.date) for year, days in sorted(by_year.items())}


def format_schedule(entries: list[DayEntry], *, comment: str = "") -> str:
    """The file for these days, in the format parse_schedule reads."""
    lines = [f"# {line}" for line in comment.splitlines()] if comment else []
    lines.append("date,kind,name")
    lines.extend(
        f"{e.date:%Y-%m-%d},{e.kind},{e.name}" for e in sorted(entries, key=lambda d: d.date)
    )
    return "\n".join(lines) + "\n"
