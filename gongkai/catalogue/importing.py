"""Importing a catalogue from a spreadsheet (CSV or XLSX) — all rows or none.

Every row is checked first and every problem is reported with its row number, in Chinese; if
any row is bad, nothing is imported. Imported items are drafts (live=False) with one revision
each: import never publishes. They reach the public only through the confidentiality review
like any other item (条例第十四至十六条; ARCHITECTURE.md: "no code path around it").

Speed: a town migrating from an old site brings tens of thousands of rows, so rows are
validated in memory against preloaded categories, and items, column placements, revisions and
audit-log entries are written with bulk_create (one statement per batch), not one save() each;
so are the items' entries in Wagtail's search index (search_index.py), since bulk_create sends
no post_save for Wagtail to index them by.
"""

import csv
import io
import os
import re
import unicodedata
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models, transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from modelcluster.models import get_serializable_data_for_fields
from tqdm import tqdm
from wagtail.models import ModelLogEntry, Revision

from gongkai.reports.locks import period_locked_message, period_locks_active

from .filetypes import check_file
from .models import Category, ColumnPage, DisclosureItem, ItemAttachment
from .models.items import OWN_INDEX_NUMBER_RE, index_number_normalise, validate_index_number
from .search_index import items_index
from .services import (
    attachment_prepare,
    index_number_sequence_raise,
    index_numbers_reserve,
    rich_text_sanitise,
)

# Column headings (the documented ones first, then spellings seen on government sites).
COLUMNS: dict[str, str] = {
    "索引号": "index_number",
    "名称": "title",
    "内容概述": "summary",
    "发布机构": "publisher",
    "生成日期": "created_date",
    "发布日期": "published_date",
    "文号": "document_number",
    "主题分类": "subject",
    "体裁分类": "genre",
    "信息类别": "category",
    "关键词": "keywords",
    "有效性": "validity",
    "废止日期": "validity_changed_on",
    "公开方式": "disclosure_mode",
    "不予公开理由": "withheld_reason",
    "正文": "body",
    "附件": "attachments",
    # optional extras
    "生效日期": "effective_from",
    "规章/规范性文件": "regulatory_kind",
    "信息来源": "source",
}
ALIASES: dict[str, str] = {
    "标题": "名称",
    "信息名称": "名称",
    "摘要": "内容概述",
    "发文机关": "发布机构",
    "发布单位": "发布机构",
    "成文日期": "生成日期",
    "发文日期": "生成日期",
    "发文字号": "文号",
    "主题词": "关键词",
    "时效": "有效性",
    "失效日期": "废止日期",
    "修改/废止日期": "废止日期",
    "公开属性": "公开方式",
    "公开形式": "公开方式",
    "文件类型": "规章/规范性文件",
}
REQUIRED = ("名称", "生成日期", "信息类别")

VALIDITY = {
    "": DisclosureItem.Validity.IN_FORCE,
    "有效": DisclosureItem.Validity.IN_FORCE,
    "现行有效": DisclosureItem.Validity.IN_FORCE,
    "已修改": DisclosureItem.Validity.AMENDED,
    "修改": DisclosureItem.Validity.AMENDED,
    "已修订": DisclosureItem.Validity.AMENDED,
    "修订": DisclosureItem.Validity.AMENDED,
    "已废止": DisclosureItem.Validity.REPEALED,
    "废止": DisclosureItem.Validity.REPEALED,
    "失效": DisclosureItem.Validity.REPEALED,
    "已失效": DisclosureItem.Validity.REPEALED,
}
MODES = {
    "": DisclosureItem.DisclosureMode.PROACTIVE,
    "主动公开": DisclosureItem.DisclosureMode.PROACTIVE,
    "主动": DisclosureItem.DisclosureMode.PROACTIVE,
    "依申请公开": DisclosureItem.DisclosureMode.ON_REQUEST,
    "依申请": DisclosureItem.DisclosureMode.ON_REQUEST,
    "不予公开": DisclosureItem.DisclosureMode.WITHHELD,
    "不公开": DisclosureItem.DisclosureMode.WITHHELD,
}
REGULATORY = {
    "": DisclosureItem.RegulatoryKind.NONE,
    "否": DisclosureItem.RegulatoryKind.NONE,
    "规章": DisclosureItem.RegulatoryKind.RULE,
    "行政规范性文件": DisclosureItem.RegulatoryKind.NORMATIVE,
    "规范性文件": DisclosureItem.RegulatoryKind.NORMATIVE,
}
MAX_LENGTHS = {
    "title": 300,
    "summary": 300,
    "publisher": 100,
    "document_number": 100,
    "keywords": 200,
    "source": 100,
}
DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
EXCEL_EPOCH = date(1899, 12, 30)
BATCH = 500


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet shows it: the heading is row 1
    column: str
    message: str

    def __str__(self) -> str:
        if self.row == 0:
            return self.message
        if self.column:
            return _("第 %(row)d 行「%(column)s」：%(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("第 %(row)d 行：%(message)s") % {"row": self.row, "message": self.message}


class ImportFailed(Exception):
    """The file was not imported; `errors` lists every problem found."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class ParsedRow:
    row: int
    fields: dict
    attachments: list[Path] = field(default_factory=list)


@dataclass
class ImportResult:
    count: int
    item_ids: list[int]
    ignored_columns: list[str]
    attachments: int = 0


# --- reading the file -------------------------------------------------------------------------


def decode_csv_bytes(data: bytes) -> str:
    """UTF-8 with or without BOM; otherwise GB18030 (which covers GBK and GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ImportFailed(
            [RowError(0, "", _("无法识别文件编码：请另存为 UTF-8 或 GB18030 编码的 CSV。"))]
        ) from exc


def read_rows(path: Path) -> list[list]:
    """All rows of the first sheet (XLSX) or of the CSV file, heading first."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types for a damaged file
            raise ImportFailed(
                [RowError(0, "", _("无法打开 Excel 文件：%(error)s") % {"error": exc})]
            ) from exc
        try:
            sheet = workbook.worksheets[0]
            return [list(row) for row in sheet.iter_rows(values_only=True)]
        finally:
            workbook.close()
    if suffix in (".csv", ".txt"):
        text = decode_csv_bytes(path.read_bytes())
        first_line = text.split("\n", 1)[0]
        delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    raise ImportFailed(
        [
            RowError(
                0, "", _("只能导入 .csv 或 .xlsx 文件，收到的是“%(name)s”。") % {"name": path.name}
            )
        ]
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = int(value)
        if 19000101 <= number <= 29991231:
            value = str(number)
        elif 1 <= number < 2958466:
            # An Excel serial day number (a date cell formatted as a number).
            return EXCEL_EPOCH + timedelta(days=number)
    text = unicodedata.normalize("NFKC", _text(value))
    text = text.split(" ")[0].split("T")[0]
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise ValueError(text)


# --- checking every row -----------------------------------------------------------------------


class _Lookups:
    def __init__(self):
        self.categories: dict[str, dict[str, Category]] = {
            Category.Scheme.INFO: {},
            Category.Scheme.SUBJECT: {},
        }
        for category in Category.objects.all():
            table = self.categories[category.scheme]
            table[category.name] = category
            table.setdefault(category.code, category)
        self.genres = {}
        for value, label in DisclosureItem.Genre.choices:
            self.genres[value] = value
            self.genres[str(label)] = value


def _headings(header_row: list) -> tuple[dict[int, str], list[str], list[RowError]]:
    """Column index -> documented heading; ignored headings; errors."""
    positions: dict[int, str] = {}
    ignored, errors = [], []
    seen = set()
    for index, cell in enumerate(header_row):
        name = unicodedata.normalize("NFKC", _text(cell)).replace(" ", "")
        if not name:
            continue
        name = ALIASES.get(name, name)
        if name not in COLUMNS:
            ignored.append(_text(cell))
            continue
        if name in seen:
            errors.append(RowError(1, name, _("这一列出现了两次。")))
            continue
        seen.add(name)
        positions[index] = name
    for name in REQUIRED:
        if name not in seen:
            errors.append(RowError(1, name, _("缺少必需的列。")))
    return positions, ignored, errors


def _check_row(
    number: int,
    values: dict[str, object],
    lookups: _Lookups,
    attachments_dir: Path | None,
    errors: list[RowError],
    today: date,
) -> ParsedRow:
    fields: dict = {}

    def error(column, message):
        errors.append(RowError(number, column, message))

    for heading, name in (
        ("名称", "title"),
        ("内容概述", "summary"),
        ("发布机构", "publisher"),
        ("文号", "document_number"),
        ("关键词", "keywords"),
        ("信息来源", "source"),
        ("不予公开理由", "withheld_reason"),
    ):
        text = _text(values.get(heading))
        limit = MAX_LENGTHS.get(name)
        if limit and len(text) > limit:
            error(
                heading,
                _("长度为 %(length)d 字，超过上限 %(limit)d 字。")
                % {"length": len(text), "limit": limit},
            )
        fields[name] = text
    if not fields["title"]:
        error("名称", _("不能为空。"))

    for heading, name, required in (
        ("生成日期", "created_date", True),
        ("发布日期", "published_date", False),
        ("废止日期", "validity_changed_on", False),
        ("生效日期", "effective_from", False),
    ):
        raw = values.get(heading)
        if raw is None or _text(raw) == "":
            fields[name] = None
            if required:
                error(heading, _("不能为空。"))
            continue
        try:
            fields[name] = parse_date(raw)
        except ValueError:
            fields[name] = None
            error(
                heading,
                _("无法识别的日期“%(value)s”，请写成 2024-03-15 这样的格式。")
                % {"value": _text(raw)},
            )
    created, published = fields["created_date"], fields["published_date"]
    if created and created > today:
        error("生成日期", _("不能晚于今天。"))
    if published and created and published < created:
        error("发布日期", _("不能早于生成日期。"))
    if published and published > today:
        error("发布日期", _("不能晚于今天。"))

    for heading, name, scheme, required in (
        ("信息类别", "category", Category.Scheme.INFO, True),
        ("主题分类", "subject", Category.Scheme.SUBJECT, False),
    ):
        text = _text(values.get(heading))
        fields[name] = None
        if not text:
            if required:
                error(heading, _("不能为空。"))
            continue
        category = lookups.categories[scheme].get(text)
        if category is None:
            error(heading, _("没有名为“%(value)s”的分类。") % {"value": text})
        elif not category.is_active:
            error(heading, _("分类“%(value)s”已停用。") % {"value": text})
        else:
            fields[name] = category

    genre = _text(values.get("体裁分类"))
    fields["genre"] = ""
    if genre:
        if genre in lookups.genres:
            fields["genre"] = lookups.genres[genre]
        else:
            error(
                "体裁分类",
                _("“%(value)s”不是可用的体裁，可用：%(allowed)s。")
                % {
                    "value": genre,
                    "allowed": "、".join(str(label) for _v, label in DisclosureItem.Genre.choices),
                },
            )

    for heading, name, table in (
        ("有效性", "validity", VALIDITY),
        ("公开方式", "disclosure_mode", MODES),
        ("规章/规范性文件", "regulatory_kind", REGULATORY),
    ):
        text = _text(values.get(heading))
        if text in table:
            fields[name] = table[text]
        else:
            fields[name] = table[""]
            error(
                heading,
                _("“%(value)s”无法识别，可填：%(allowed)s。")
                % {"value": text, "allowed": "、".join(k for k in table if k)},
            )
    if (
        fields["validity"] in (DisclosureItem.Validity.AMENDED, DisclosureItem.Validity.REPEALED)
        and not fields["validity_changed_on"]
        and "废止日期" not in {e.column for e in errors if e.row == number}
    ):
        error("废止日期", _("有效性为已修改或已废止时必须填写。"))
    if fields["validity_changed_on"] and created and fields["validity_changed_on"] < created:
        error("废止日期", _("不能早于生成日期。"))
    if (
        fields["disclosure_mode"] == DisclosureItem.DisclosureMode.WITHHELD
        and not fields["withheld_reason"]
    ):
        error("不予公开理由", _("公开方式为不予公开时必须填写理由。"))

    fields["body"] = rich_text_sanitise(_text(values.get("正文")))

    raw_number = _text(values.get("索引号"))
    fields["index_number"] = None
    if raw_number:
        number_text = index_number_normalise(raw_number)
        try:
            validate_index_number(number_text)
        except ValidationError as exc:
            error("索引号", exc.messages[0])
        else:
            fields["index_number"] = number_text

    parsed = ParsedRow(row=number, fields=fields)
    names = [n.strip() for n in re.split(r"[;；]", _text(values.get("附件"))) if n.strip()]
    if names and attachments_dir is None:
        error("附件", _("文件中列有附件，但导入时没有用 --attachments 指定附件所在的文件夹。"))
    elif names:
        for name in names:
            if os.path.basename(name) != name or name in (".", ".."):
                error("附件", _("附件名“%(name)s”不能包含路径。") % {"name": name})
                continue
            path = attachments_dir / name
            if not path.is_file():
                error("附件", _("附件文件夹中没有“%(name)s”。") % {"name": name})
                continue
            try:
                with path.open("rb") as handle:
                    check_file(handle, name)
            except ValidationError as exc:
                error("附件", exc.messages[0])
                continue
            parsed.attachments.append(path)
    return parsed


def check_rows(
    rows: list[list], *, attachments_dir: Path | None = None, progress: bool = False
) -> tuple[list[ParsedRow], list[str]]:
    """Check every row; raise ImportFailed listing all problems, or return the parsed rows."""
    if not rows:
        raise ImportFailed([RowError(0, "", _("文件是空的。"))])
    positions, ignored, errors = _headings(rows[0])
    if errors:
        raise ImportFailed(errors)
    lookups = _Lookups()
    today = timezone.localdate()
    parsed: list[ParsedRow] = []
    for offset, row in enumerate(
        tqdm(rows[1:], desc=_("检查"), unit=_("行"), disable=not progress)
    ):
        values = {name: row[i] for i, name in positions.items() if i < len(row)}
        if all(_text(v) == "" for v in values.values()):
            continue  # blank line
        parsed.append(_check_row(offset + 2, values, lookups, attachments_dir, errors, today))
    if not parsed and not errors:
        errors.append(RowError(0, "", _("文件中没有数据行。")))

    # 索引号 must be unique: within the file and against what is already stored.
    first_seen: dict[str, int] = {}
    for row in parsed:
        number = row.fields["index_number"]
        if not number:
            continue
        if number in first_seen:
            errors.append(
                RowError(
                    row.row,
                    "索引号",
                    _("“%(value)s”与第 %(other)d 行重复。")
                    % {"value": number, "other": first_seen[number]},
                )
            )
        else:
            first_seen[number] = row.row
    numbers = list(first_seen)
    existing: set[str] = set()
    for start in range(0, len(numbers), BATCH):
        existing.update(
            DisclosureItem.objects.filter(
                index_number__in=numbers[start : start + BATCH]
            ).values_list("index_number", flat=True)
        )
    for number in sorted(existing, key=first_seen.get):
        errors.append(
            RowError(
                first_seen[number], "索引号", _("“%(value)s”已被其他信息使用。") % {"value": number}
            )
        )
    if errors:
        errors.sort(key=lambda e: e.row)
        raise ImportFailed(errors)
    return parsed, ignored


# --- writing ----------------------------------------------------------------------------------


def locked_period_errors(organisation, parsed: list[ParsedRow]) -> list[RowError]:
    """Rows whose 生成日期 or 发布日期 is in a locked report period of the owner (issue #8).

    Two queries for the whole file, whatever its length.
    """
    dated = (("生成日期", "created_date"), ("发布日期", "published_date"))
    locks = period_locks_active(
        organisation=organisation,
        years={row.fields[name].year for row in parsed for _h, name in dated if row.fields[name]},
    )
    errors = []
    if not locks:
        return errors
    for row in parsed:
        for heading, name in dated:
            day = row.fields[name]
            lock = day and locks.get(day.year)
            if lock:
                message = period_locked_message(
                    lock=lock,
                    day=day,
                    what=_("该信息的%(field)s") % {"field": heading},
                    adding=True,
                )
                errors.append(RowError(row.row, heading, message))
    return errors


def _assign_index_numbers(organisation, parsed: list[ParsedRow]) -> None:
    # Numbers in our own format for this organisation move its sequence past them first, so
    # that the numbers given next never collide with the imported ones.
    highest: dict[int, int] = defaultdict(int)
    for row in parsed:
        number = row.fields["index_number"]
        match = number and OWN_INDEX_NUMBER_RE.match(number)
        if match and match["code"] == organisation.credit_code:
            year = int(match["year"])
            highest[year] = max(highest[year], int(match["serial"]))
    for year, serial in highest.items():
        index_number_sequence_raise(organisation=organisation, year=year, serial=serial)

    missing: dict[int, list[ParsedRow]] = defaultdict(list)
    for row in parsed:
        if not row.fields["index_number"]:
            missing[row.fields["created_date"].year].append(row)
    if missing and not organisation.credit_code:
        raise ImportFailed(
            [
                RowError(
                    rows[0].row,
                    "索引号",
                    _("组织“%(org)s”尚未填写统一社会信用代码，无法为没有索引号的行生成索引号。")
                    % {"org": organisation.name},
                )
                for rows in missing.values()
            ]
        )
    for year, rows in sorted(missing.items()):
        numbers = index_numbers_reserve(organisation=organisation, year=year, count=len(rows))
        for row, number in zip(rows, numbers, strict=True):
            row.fields["index_number"] = number


def _serialisable_fields(model) -> list[tuple[str, str, bool]]:
    return [
        (f.name, f.attname, isinstance(f, models.DateTimeField))
        for f in model._meta.fields
        if f.serialize
    ]


def _revision_content(item: DisclosureItem, attachments: list, column_ids: list[int]) -> dict:
    """What item.serializable_data() gives (modelcluster's format), built without its two
    queries per item and its per-field pre_save calls: values are read as stored by the
    insert just made; datetimes in UTC as modelcluster writes them."""
    content = {"pk": item.pk}
    for name, attname, is_datetime in _ITEM_FIELDS:
        value = getattr(item, attname)
        if is_datetime and value is not None:
            value = value.astimezone(UTC)
        content[name] = value
    content["attachments"] = [get_serializable_data_for_fields(a) for a in attachments]
    content["columns"] = list(column_ids)
    return content


_ITEM_FIELDS = _serialisable_fields(DisclosureItem)


def _bulk_insert_values(objs: list, *, field: str, value) -> None:
    """bulk_create through INSERT … VALUES, in batches (used for the revisions).

    On PostgreSQL, Django 5.2 sends a bulk insert as UNNEST(array literals), and every value is
    escaped into those literals on the client. That wins for narrow rows (items, log entries:
    measured 2-4x faster than VALUES) but loses for the revisions' long JSON (VALUES about
    twice as fast). One column given as an expression, the same constant for every row, makes
    Django use VALUES.
    """
    if not objs:
        return
    for obj in objs:
        setattr(obj, field, Value(value))
    type(objs[0]).objects.bulk_create(objs, batch_size=BATCH)
    for obj in objs:
        setattr(obj, field, value)


@transaction.atomic
def import_rows(
    parsed: list[ParsedRow],
    *,
    organisation,
    columns=(),
    actor=None,
    source_name: str = "",
    progress: bool = False,
) -> list[int]:
    """Write checked rows as draft items with a revision and an audit entry each.

    Rows dated in a locked report period are refused first, all listed, and nothing is written.
    """
    locked = locked_period_errors(organisation, parsed)
    if locked:
        raise ImportFailed(locked)
    _assign_index_numbers(organisation, parsed)
    column_ids = [c.pk for c in columns]
    now = timezone.now()
    # Foreign keys are given as ids: assigning instances costs a descriptor check per field,
    # which is a good part of the time at tens of thousands of rows.
    items = []
    for row in parsed:
        fields = dict(row.fields)
        category, subject = fields.pop("category"), fields.pop("subject")
        items.append(
            DisclosureItem(
                organisation_id=organisation.pk,
                category_id=category.pk,
                subject_id=subject.pk if subject else None,
                live=False,
                has_unpublished_changes=True,
                **fields,
            )
        )
    bar = tqdm(total=len(items), desc=_("导入"), unit=_("条"), disable=not progress)
    for start in range(0, len(items), BATCH):
        DisclosureItem.objects.bulk_create(items[start : start + BATCH])
        bar.update(len(items[start : start + BATCH]))
    bar.close()

    if column_ids:
        through = DisclosureItem.columns.through
        through.objects.bulk_create(
            [
                through(disclosureitem_id=item.pk, columnpage_id=column_id)
                for item in items
                for column_id in column_ids
            ],
            batch_size=BATCH,
        )

    attachments_by_item: dict[int, list[ItemAttachment]] = defaultdict(list)
    for item, row in zip(items, parsed, strict=True):
        for order, path in enumerate(row.attachments):
            attachment = ItemAttachment(item=item, sort_order=order)
            with path.open("rb") as handle:
                attachment_prepare(attachment=attachment, upload=File(handle, name=path.name))
            attachments_by_item[item.pk].append(attachment)
    all_attachments = [a for group in attachments_by_item.values() for a in group]
    if all_attachments:
        ItemAttachment.objects.bulk_create(all_attachments, batch_size=BATCH)

    content_type_id = ContentType.objects.get_for_model(DisclosureItem).pk
    actor_id = actor.pk if actor is not None else None
    revisions = [
        Revision(
            content_type_id=content_type_id,
            base_content_type_id=content_type_id,
            object_id=str(item.pk),
            object_str=item.title[:255],
            content=_revision_content(item, attachments_by_item.get(item.pk, []), column_ids),
            user_id=actor_id,
            created_at=now,
        )
        for item in items
    ]
    _bulk_insert_values(revisions, field="approved_go_live_at", value=None)

    # Point each item at its revision in one statement per batch (bulk_update would send a
    # CASE with one branch per item).
    ids = [item.pk for item in items]
    latest = Revision.objects.filter(
        base_content_type_id=content_type_id,
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
    ).order_by("-pk")
    for start in range(0, len(ids), BATCH):
        DisclosureItem.objects.filter(pk__in=ids[start : start + BATCH]).update(
            latest_revision=Subquery(latest.values("pk")[:1])
        )

    # One UUID for the whole import: the history shows it as one action.
    action_uuid = uuid.uuid4()
    ModelLogEntry.objects.bulk_create(
        [
            ModelLogEntry(
                content_type_id=content_type_id,
                object_id=str(item.pk),
                label=item.title[:255],
                action="wagtail.create",
                data={"import": source_name},
                timestamp=now,
                user_id=actor_id,
                revision_id=revision.pk,
                content_changed=True,
                uuid=action_uuid,
            )
            for item, revision in zip(items, revisions, strict=True)
        ],
        batch_size=BATCH,
    )
    # Wagtail's search index (bulk_create sends no post_save): search_index.py.
    items_index(DisclosureItem, items)
    return ids


def import_file(
    path: Path | str,
    *,
    organisation,
    attachments_dir: Path | str | None = None,
    columns=(),
    actor=None,
    progress: bool = False,
) -> ImportResult:
    """Check the whole file, then import it in one transaction; ImportFailed if any row is bad."""
    path = Path(path)
    attachments_dir = Path(attachments_dir) if attachments_dir else None
    if attachments_dir is not None and not attachments_dir.is_dir():
        raise ImportFailed(
            [RowError(0, "", _("附件文件夹“%(dir)s”不存在。") % {"dir": attachments_dir})]
        )
    rows = read_rows(path)
    parsed, ignored = check_rows(rows, attachments_dir=attachments_dir, progress=progress)
    ids = import_rows(
        parsed,
        organisation=organisation,
        columns=columns,
        actor=actor,
        source_name=path.name,
        progress=progress,
    )
    return ImportResult(
        count=len(ids),
        item_ids=ids,
        ignored_columns=ignored,
        attachments=sum(len(r.attachments) for r in parsed),
    )


def columns_by_ids(ids) -> list[ColumnPage]:
    found = {c.pk: c for c in ColumnPage.objects.filter(pk__in=list(ids))}
    missing = [str(i) for i in ids if i not in found]
    if missing:
        raise ImportFailed(
            [RowError(0, "", _("没有这些栏目页面：%(ids)s。") % {"ids": "、".join(missing)})]
        )
    return [found[i] for i in ids]
