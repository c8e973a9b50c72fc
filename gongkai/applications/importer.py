"""Reading an office's existing ledger (台账) of applications from CSV or XLSX.

Everything is checked before anything is written; every problem is reported with its row
number, and one bad row means nothing is imported (docs/applications.md describes the format).
"""

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.orgs.models import Organisation
from gongkai.reports.locks import period_locked_message, period_locks_active

from .models import ApplicantType, Application, Channel
from .outcomes import outcome_from_ledger_label

COLUMNS = [
    "编号",
    "收到日期",
    "收到方式",
    "申请人类型",
    "申请人",
    "申请内容",
    "办理结果",
    "答复日期",
]
CHANNELS = {
    "当面": Channel.IN_PERSON,
    "邮寄": Channel.POST_SIGNED,
    "信函": Channel.LETTER,
    "传真": Channel.FAX,
    "网络": Channel.ONLINE,
}
APPLICANT_TYPES = {
    "自然人": ApplicantType.NATURAL,
    "商业企业": ApplicantType.COMMERCIAL,
    "科研机构": ApplicantType.RESEARCH,
    "社会公益组织": ApplicantType.SOCIAL,
    "法律服务机构": ApplicantType.LEGAL_SERVICE,
    "其他": ApplicantType.OTHER,
}
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class LedgerError(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class LedgerRow:
    line: int
    number: str
    received_on: date
    channel: str
    applicant_type: str
    name: str
    description: str
    outcome: str
    closed_on: date | None


def _cell(value) -> str | date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None:
        return ""
    return str(value).strip()


def read_ledger(path: str | Path) -> list[tuple[int, dict]]:
    """(line number, {column: value}) for each non-empty row; the header is line 1."""
    path = Path(path)
    if not path.exists():
        raise LedgerError([_("文件不存在：%(path)s") % {"path": path}])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises several kinds for a damaged file
            raise LedgerError([_("无法读取 Excel 文件：%(error)s") % {"error": exc}]) from None
        rows = [[_cell(v) for v in row] for row in book.worksheets[0].iter_rows(values_only=True)]
        book.close()
    elif suffix == ".csv":
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise LedgerError([_("CSV 文件编码无法识别，请另存为 UTF-8 编码。")])
        rows = [[_cell(v) for v in row] for row in csv.reader(text.splitlines())]
    else:
        raise LedgerError([_("只支持 .csv 或 .xlsx 文件。")])
    if not rows:
        raise LedgerError([_("文件是空的。")])
    header = [str(h) for h in rows[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise LedgerError(
            [_("第1行（表头）缺少列：%(columns)s。") % {"columns": "、".join(missing)}]
        )
    index = {name: header.index(name) for name in COLUMNS}
    records = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(str(v).strip() for v in row):
            continue
        padded = list(row) + [""] * (len(header) - len(row))
        records.append((line, {name: padded[i] for name, i in index.items()}))
    return records


def _date(value, line: int, column: str, errors: list[str]) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = DATE_RE.match(text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if match:
        try:
            return date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    errors.append(
        _("第%(line)d行：%(column)s“%(value)s”不是有效日期，请写成 2026-09-18。")
        % {"line": line, "column": column, "value": text}
    )
    return None


def ledger_lock_errors(*, organisation: Organisation, rows: list[LedgerRow]) -> list[str]:
    """Rows dated in a locked report period of the organisation (issue #8), one line each.

    A ledger row is a case received and, perhaps, replied to: either date in a locked year
    would change a figure already reported, so such a file is refused as a whole.
    """
    locks = period_locks_active(
        organisation=organisation,
        years=[d.year for row in rows for d in (row.received_on, row.closed_on) if d],
    )
    errors = []
    for row in rows:
        for what, day in ((_("收到日期"), row.received_on), (_("答复日期"), row.closed_on)):
            lock = day and locks.get(day.year)
            if lock:
                errors.append(
                    _("第%(line)d行：%(message)s")
                    % {
                        "line": row.line,
                        "message": period_locked_message(
                            lock=lock, day=day, what=what, adding=True
                        ),
                    }
                )
                break
    return errors


def validate_ledger(
    records: list[tuple[int, dict]], *, organisation: Organisation | None = None
) -> list[LedgerRow]:
    """Check every row; raise LedgerError listing all problems, or return the rows.

    With `organisation`, rows dated in one of its locked report periods are errors too.
    """
    errors: list[str] = []
    rows: list[LedgerRow] = []
    seen: dict[str, int] = {}
    today = timezone.localdate()
    numbers = [str(values["编号"]).strip() for _line, values in records]
    existing = set(
        Application.objects.filter(number__in=[n for n in numbers if n]).values_list(
            "number", flat=True
        )
    )
    for line, values in records:
        before = len(errors)
        number = str(values["编号"]).strip()
        if not number:
            errors.append(_("第%(line)d行：编号不能为空。") % {"line": line})
        elif len(number) > 40:
            errors.append(_("第%(line)d行：编号不能超过40个字符。") % {"line": line})
        elif number in seen:
            errors.append(
                _("第%(line)d行：编号“%(number)s”与第%(other)d行重复。")
                % {"line": line, "number": number, "other": seen[number]}
            )
        elif number in existing:
            errors.append(
                _("第%(line)d行：编号“%(number)s”已存在于平台中。")
                % {"line": line, "number": number}
            )
        seen.setdefault(number, line)
        received = _date(values["收到日期"], line, "收到日期", errors)
        if received and received > today:
            errors.append(_("第%(line)d行：收到日期不能晚于今天。") % {"line": line})
        channel = CHANNELS.get(str(values["收到方式"]).strip())
        if channel is None:
            errors.append(
                _("第%(line)d行：收到方式“%(value)s”无法识别，应为 %(allowed)s 之一。")
                % {"line": line, "value": values["收到方式"], "allowed": "/".join(CHANNELS)}
            )
        kind = APPLICANT_TYPES.get(str(values["申请人类型"]).strip())
        if kind is None:
            errors.append(
                _("第%(line)d行：申请人类型“%(value)s”无法识别，应为 %(allowed)s 之一。")
                % {
                    "line": line,
                    "value": values["申请人类型"],
                    "allowed": "/".join(APPLICANT_TYPES),
                }
            )
        name = str(values["申请人"]).strip()
        if not name:
            errors.append(_("第%(line)d行：申请人不能为空。") % {"line": line})
        description = str(values["申请内容"]).strip()
        if not description:
            errors.append(_("第%(line)d行：申请内容不能为空。") % {"line": line})
        result_text = str(values["办理结果"]).strip()
        reply_text = values["答复日期"]
        outcome, closed = "", None
        if result_text:
            outcome = outcome_from_ledger_label(result_text) or ""
            if not outcome:
                errors.append(
                    _(
                        "第%(line)d行：办理结果“%(value)s”不是年度报告中的结果，应写成“予以公开”、"
                        "“部分公开”或“不予公开:属于行政执法案卷”这样的形式。"
                    )
                    % {"line": line, "value": result_text}
                )
            if str(reply_text).strip() == "":
                errors.append(_("第%(line)d行：已填写办理结果，请填写答复日期。") % {"line": line})
            else:
                closed = _date(reply_text, line, "答复日期", errors)
        elif str(reply_text).strip():
            errors.append(_("第%(line)d行：已填写答复日期，请填写办理结果。") % {"line": line})
        if closed and received and closed < received:
            errors.append(_("第%(line)d行：答复日期不能早于收到日期。") % {"line": line})
        if closed and closed > today:
            errors.append(_("第%(line)d行：答复日期不能晚于今天。") % {"line": line})
        if len(errors) == before:
            rows.append(
                LedgerRow(line, number, received, channel, kind, name, description, outcome, closed)
            )
    if not records:
        errors.append(_("文件中没有数据行。"))
    if organisation is not None and rows:
        errors.extend(ledger_lock_errors(organisation=organisation, rows=rows))
    if errors:
        raise LedgerError(errors)
    return rows
