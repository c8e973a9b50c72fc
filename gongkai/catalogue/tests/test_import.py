"""Importing a catalogue spreadsheet: everything checked first, all rows or none, drafts only."""

import csv
import hashlib
import io
import json
from datetime import date, datetime

import pytest
from django.core.management import CommandError, call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry, Page, Revision

from gongkai.catalogue.importing import ImportFailed, import_file
from gongkai.catalogue.models import ColumnPage, DisclosureItem, IndexNumberSequence, ItemAttachment

from .items_factories import make_item, pdf_bytes, png_bytes

HEADER = [
    "索引号",
    "名称",
    "内容概述",
    "发布机构",
    "生成日期",
    "发布日期",
    "文号",
    "主题分类",
    "体裁分类",
    "信息类别",
    "关键词",
    "有效性",
    "废止日期",
    "公开方式",
    "不予公开理由",
    "正文",
    "附件",
]


def good_row(n: int, **overrides) -> dict:
    row = {
        "索引号": "",
        "名称": f"寮步镇关于做好第{n}批村（社区）财务公开工作的通知",
        "内容概述": "部署村（社区）财务公开。",
        "发布机构": "寮步镇人民政府",
        "生成日期": "2024-03-15",
        "发布日期": "2024-03-20",
        "文号": f"寮府〔2024〕{n}号",
        "主题分类": "综合政务",
        "体裁分类": "通知",
        "信息类别": "业务工作",
        "关键词": "财务公开",
        "有效性": "现行有效",
        "废止日期": "",
        "公开方式": "主动公开",
        "不予公开理由": "",
        "正文": "<p>各村（社区）：</p><p>现将有关事项通知如下。</p>",
        "附件": "",
    }
    row.update(overrides)
    return row


def write_csv(path, rows, *, encoding="utf-8-sig", header=HEADER):
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_it_imports_a_good_file_as_drafts_with_a_revision_each(tmp_path, town, alice):
    path = write_csv(tmp_path / "目录.csv", [good_row(n) for n in range(1, 51)])
    result = import_file(path, organisation=town, actor=alice)
    assert result.count == 50
    items = list(DisclosureItem.objects.order_by("id"))
    assert len(items) == 50
    assert all(not item.live and not item.is_public for item in items)
    assert [item.index_number for item in items[:2]] == [
        f"{town.credit_code}/2024-00001",
        f"{town.credit_code}/2024-00002",
    ]
    first = items[0]
    assert first.title == "寮步镇关于做好第1批村（社区）财务公开工作的通知"
    assert first.created_date == date(2024, 3, 15)
    assert first.published_date == date(2024, 3, 20)
    assert first.subject.name == "综合政务"
    assert first.category.name == "业务工作"
    assert first.genre == "通知"
    assert first.has_unpublished_changes
    # Wagtail needs a revision per item: the editor opens it, the history lists it.
    assert Revision.objects.filter(base_content_type__model="disclosureitem").count() == 50
    assert first.latest_revision is not None
    assert first.latest_revision.content["title"] == first.title
    assert first.latest_revision.as_object().index_number == first.index_number
    assert first.latest_revision.user == alice
    entries = ModelLogEntry.objects.filter(
        action="wagtail.create", content_type__model="disclosureitem"
    )
    assert entries.count() == 50
    assert len(set(entries.values_list("uuid", flat=True))) == 1
    assert IndexNumberSequence.objects.get(organisation=town, year=2024).last_serial == 50


def test_the_bulk_revision_holds_what_wagtail_would_store(tmp_path, town):
    folder = tmp_path / "附件"
    folder.mkdir()
    (folder / "预算.pdf").write_bytes(pdf_bytes())
    root = Page.get_first_root_node()
    column = root.add_child(instance=ColumnPage(title="通知公告", slug="tzgg"))
    path = write_csv(
        tmp_path / "目录.csv",
        [good_row(1, 附件="预算.pdf", 有效性="已废止", 废止日期="2025-01-02")],
    )
    import_file(path, organisation=town, attachments_dir=folder, columns=[column])
    item = DisclosureItem.objects.get()
    expected = json.loads(json.dumps(item.serializable_data(), cls=DjangoJSONEncoder))
    stored = dict(item.latest_revision.content)
    # Set after the revision existed, so a revision made one by one would not hold them either.
    for key in ("latest_revision", "updated_at"):
        expected.pop(key)
        stored.pop(key)
    assert stored == expected


def test_it_reports_every_bad_row_and_imports_nothing(tmp_path, town):
    rows = [good_row(n) for n in range(1, 11)]
    rows[2]["生成日期"] = "2024-13-40"  # row 4
    rows[5]["名称"] = ""  # row 7
    rows[5]["信息类别"] = "不存在的类别"  # row 7 again
    rows[8]["有效性"] = "已废止"  # row 10: no 废止日期
    path = write_csv(tmp_path / "坏.csv", rows)
    with pytest.raises(ImportFailed) as caught:
        import_file(path, organisation=town)
    errors = caught.value.errors
    assert sorted({e.row for e in errors}) == [4, 7, 10]
    text = "\n".join(str(e) for e in errors)
    assert "第 4 行「生成日期」：无法识别的日期“2024-13-40”" in text
    assert "第 7 行「名称」：不能为空" in text
    assert "第 7 行「信息类别」：没有名为“不存在的类别”的分类" in text
    assert "第 10 行「废止日期」" in text
    assert not DisclosureItem.objects.exists()
    assert not Revision.objects.exists()
    assert not IndexNumberSequence.objects.filter(organisation=town).exists()


def test_the_command_prints_the_errors_in_chinese_and_fails(tmp_path, town):
    rows = [good_row(1), good_row(2, 发布日期="2024-03-01")]
    path = write_csv(tmp_path / "坏.csv", rows)
    err = io.StringIO()
    with pytest.raises(CommandError, match="发现 1 处错误，未导入任何信息"):
        call_command("import_items", str(path), "--org", "liaobu", "--no-progress", stderr=err)
    assert "第 3 行「发布日期」：不能早于生成日期。" in err.getvalue()
    assert not DisclosureItem.objects.exists()


def test_the_command_imports_into_columns(tmp_path, town):
    root = Page.get_first_root_node()
    column = root.add_child(instance=ColumnPage(title="通知公告", slug="tzgg"))
    path = write_csv(tmp_path / "目录.csv", [good_row(n) for n in range(1, 4)])
    out = io.StringIO()
    call_command(
        "import_items",
        str(path),
        "--org",
        "liaobu",
        "--column",
        str(column.pk),
        "--no-progress",
        stdout=out,
    )
    assert "已导入 3 条信息" in out.getvalue()
    assert "须经保密审查" in out.getvalue()
    item = DisclosureItem.objects.first()
    assert list(item.columns.all()) == [column]
    assert item.latest_revision.content["columns"] == [column.pk]


def test_there_is_no_way_to_publish_by_import(tmp_path, town):
    path = write_csv(tmp_path / "目录.csv", [good_row(1)])
    with pytest.raises((CommandError, TypeError)):
        call_command("import_items", str(path), "--org", "liaobu", "--publish-as-imported")
    assert not DisclosureItem.objects.exists()


def test_it_reads_a_gb18030_csv(tmp_path, town):
    path = write_csv(
        tmp_path / "gbk.csv", [good_row(1, 名称="镕铖堃——生僻字也要认得")], encoding="gb18030"
    )
    import_file(path, organisation=town)
    assert DisclosureItem.objects.get().title == "镕铖堃——生僻字也要认得"


def test_it_reads_a_utf8_csv_without_bom(tmp_path, town):
    path = write_csv(tmp_path / "utf8.csv", [good_row(1)], encoding="utf-8")
    import_file(path, organisation=town)
    assert DisclosureItem.objects.count() == 1


def test_it_reads_an_xlsx_with_date_cells(tmp_path, town):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["名称", "生成日期", "发布日期", "信息类别", "文号", "序号"])
    sheet.append(
        ["寮步镇2024年财政预算", datetime(2024, 1, 8), date(2024, 1, 10), "财政预决算", 2024, 1]
    )
    sheet.append(["寮步镇2024年第二季度统计", "2024年7月3日", 20240705, "统计数据", None, 2])
    path = tmp_path / "目录.xlsx"
    workbook.save(path)
    result = import_file(path, organisation=town)
    assert result.count == 2
    assert result.ignored_columns == ["序号"]
    budget, stats = DisclosureItem.objects.order_by("id")
    assert budget.created_date == date(2024, 1, 8)
    assert budget.published_date == date(2024, 1, 10)
    assert budget.document_number == "2024"
    assert stats.created_date == date(2024, 7, 3)
    assert stats.published_date == date(2024, 7, 5)


def test_it_accepts_existing_index_numbers_of_other_formats(tmp_path, town):
    rows = [
        good_row(1, 索引号="11441700007280420Y/2021-00050"),
        good_row(2, 索引号="0142768-8/2022-00185"),
        good_row(3, 索引号="11341702486344515H/202110-00013"),
        good_row(4, 索引号=f"{town.credit_code}／2024－00007"),  # full-width, our own format
        good_row(5),
    ]
    path = write_csv(tmp_path / "目录.csv", rows)
    import_file(path, organisation=town)
    numbers = list(DisclosureItem.objects.order_by("id").values_list("index_number", flat=True))
    assert numbers[:4] == [
        "11441700007280420Y/2021-00050",
        "0142768-8/2022-00185",
        "11341702486344515H/202110-00013",
        f"{town.credit_code}/2024-00007",
    ]
    # The sequence moved past the imported number of our own format.
    assert numbers[4] == f"{town.credit_code}/2024-00008"
    assert make_item(town, created_date=date(2024, 5, 1)).index_number.endswith("/2024-00009")


def test_it_refuses_duplicate_and_malformed_index_numbers(tmp_path, town):
    existing = make_item(town, created_date=date(2024, 1, 2))
    rows = [
        good_row(1, 索引号="000014349/2018-00222"),
        good_row(2, 索引号="000014349/2018-00222"),
        good_row(3, 索引号=existing.index_number),
        good_row(4, 索引号="索引 号"),
    ]
    path = write_csv(tmp_path / "目录.csv", rows)
    with pytest.raises(ImportFailed) as caught:
        import_file(path, organisation=town)
    text = "\n".join(str(e) for e in caught.value.errors)
    assert "第 3 行「索引号」：“000014349/2018-00222”与第 2 行重复" in text
    assert "第 4 行「索引号」" in text and "已被其他信息使用" in text
    assert "第 5 行「索引号」" in text and "格式不正确" in text
    assert DisclosureItem.objects.count() == 1


def test_it_checks_attachments_by_content_and_stores_them(tmp_path, town):
    folder = tmp_path / "附件"
    folder.mkdir()
    pdf = pdf_bytes()
    (folder / "预算.pdf").write_bytes(pdf)
    (folder / "假的.pdf").write_bytes(png_bytes())
    bad = write_csv(
        tmp_path / "坏.csv", [good_row(1, 附件="预算.pdf；假的.pdf"), good_row(2, 附件="没有.pdf")]
    )
    with pytest.raises(ImportFailed) as caught:
        import_file(bad, organisation=town, attachments_dir=folder)
    text = "\n".join(str(e) for e in caught.value.errors)
    assert "第 2 行「附件」：文件“假的.pdf”的扩展名是 .pdf，但内容是PNG 图片" in text
    assert "第 3 行「附件」：附件文件夹中没有“没有.pdf”" in text
    assert not ItemAttachment.objects.exists()

    good = write_csv(tmp_path / "好.csv", [good_row(1, 附件="预算.pdf")])
    result = import_file(good, organisation=town, attachments_dir=folder)
    assert result.attachments == 1
    attachment = ItemAttachment.objects.get()
    assert attachment.sha256 == hashlib.sha256(pdf).hexdigest()
    assert attachment.size == len(pdf)
    assert attachment.content_type == "application/pdf"
    item = attachment.item
    assert item.latest_revision.content["attachments"][0]["sha256"] == attachment.sha256


def test_it_refuses_attachment_paths_outside_the_folder(tmp_path, town):
    folder = tmp_path / "附件"
    folder.mkdir()
    (tmp_path / "secret.pdf").write_bytes(pdf_bytes())
    path = write_csv(tmp_path / "目录.csv", [good_row(1, 附件="../secret.pdf")])
    with pytest.raises(ImportFailed, match="不能包含路径"):
        import_file(path, organisation=town, attachments_dir=folder)


def test_it_sanitises_imported_html(tmp_path, town):
    body = (
        '<p onclick="steal()">通知<script>alert(1)</script></p>'
        '<a href="javascript:alert(1)">坏链接</a><a href="https://www.dg.gov.cn/">东莞</a>'
        "<style>p{}</style><table><tr><td>表格文字</td></tr></table>"
    )
    path = write_csv(
        tmp_path / "目录.csv", [good_row(1, 正文=body), good_row(2, 正文="第一段\n第二段")]
    )
    import_file(path, organisation=town)
    first, second = DisclosureItem.objects.order_by("id")
    assert "<script" not in first.body and "alert" not in first.body
    assert "onclick" not in first.body and "javascript:" not in first.body
    assert "<style" not in first.body
    assert '<a href="https://www.dg.gov.cn/">东莞</a>' in first.body
    assert "表格文字" in first.body and "<table" not in first.body
    assert second.body == "<p>第一段</p><p>第二段</p>"


def test_it_needs_the_required_columns(tmp_path, town):
    path = write_csv(tmp_path / "目录.csv", [{"名称": "x"}], header=["名称", "文号"])
    with pytest.raises(ImportFailed) as caught:
        import_file(path, organisation=town)
    text = "\n".join(str(e) for e in caught.value.errors)
    assert "「生成日期」：缺少必需的列" in text and "「信息类别」：缺少必需的列" in text


def test_it_writes_in_bulk_not_row_by_row(tmp_path, town):
    def queries(n):
        path = write_csv(
            tmp_path / f"{n}.csv", [good_row(i, 生成日期="2023-05-06") for i in range(n)]
        )
        with CaptureQueriesContext(connection) as ctx:
            import_file(path, organisation=town)
        return len(ctx.captured_queries)

    queries(1)  # creates the year's index-number sequence
    small, large = queries(20), queries(400)
    if connection.vendor == "postgresql":
        assert large == small
    else:
        # SQLite caps the parameters of one statement, so Django splits a batch into INSERTs
        # of a few dozen rows; still nothing like a query per row.
        assert large < small + 400 / 10
