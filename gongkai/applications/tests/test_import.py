"""`manage.py import_applications FILE --org CODE`: checked first, all or nothing."""

from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.applications.models import Application, Status

HEADER = "编号,收到日期,收到方式,申请人类型,申请人,申请内容,办理结果,答复日期"


def write_csv(path, *lines):
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8-sig")
    return str(path)


def test_it_imports_nothing_and_names_every_bad_row(tmp_path, town):
    ledger = write_csv(
        tmp_path / "ledger.csv",
        "寮依2024-1,2024-03-05,当面,自然人,张三,镇区道路规划,予以公开,2024-03-15",
        "寮依2024-2,2024-13-05,快递,个人,李四,,予以公开,",
        "寮依2024-1,2024-04-01,网络,商业企业,某公司,招标文件,不予公开:属于秘密,2024-04-10",
        "寮依2024-4,2024-05-01,信函,其他,某协会,会议纪要,,2024-05-10",
        "寮依2024-5,2024-06-01,传真,科研机构,某研究所,统计数据,予以公开,2024-05-01",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_applications", ledger, org="liaobu", stderr=err)
    messages = err.getvalue()
    for expected in (
        "第3行：收到日期“2024-13-05”不是有效日期",
        "第3行：收到方式“快递”无法识别",
        "第3行：申请人类型“个人”无法识别",
        "第3行：申请内容不能为空",
        "第3行：已填写办理结果，请填写答复日期",
        "第4行：编号“寮依2024-1”与第2行重复",
        "第4行：办理结果“不予公开:属于秘密”不是年度报告中的结果",
        "第5行：已填写答复日期，请填写办理结果",
        "第6行：答复日期不能早于收到日期",
    ):
        assert expected in messages
    assert not any(line.startswith("第2行") for line in messages.splitlines())
    assert Application.objects.count() == 0


def test_it_imports_a_clean_xlsx_ledger(tmp_path, town):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(
        ["寮依2025-7", datetime(2025, 12, 22), "邮寄", "商业企业", "某公司", "招标文件", "", ""]
    )
    sheet.append(
        [
            "寮依2025-8",
            "2025/11/03",
            "网络",
            "自然人",
            "王五",
            "执法记录",
            "不予公开：属于行政执法案卷",
            "2025年11月20日",
        ]
    )
    sheet.append(
        [
            "寮依2012-1",
            date(2012, 6, 11),
            "当面",
            "自然人",
            "陈先生",
            "危房改造",
            "予以公开",
            date(2012, 6, 20),
        ]
    )
    path = tmp_path / "ledger.xlsx"
    book.save(path)
    out = StringIO()
    call_command("import_applications", str(path), org="liaobu", stdout=out)
    assert "导入 3 件申请（其中在办 1 件）" in out.getvalue()
    open_case = Application.objects.get(number="寮依2025-7")
    assert (open_case.status, open_case.received_on, open_case.channel) == (
        Status.NEW,
        date(2025, 12, 22),
        "post_signed",
    )
    assert open_case.signed_for_on == date(2025, 12, 22)
    closed = Application.objects.get(number="寮依2025-8")
    assert (closed.outcome, closed.closed_on) == ("withheld_enforcement", date(2025, 11, 20))
    assert closed.documents.count() == 0  # no letters for old cases
    assert Application.objects.get(number="寮依2012-1").due_on == date(2012, 7, 3)

    # The same file again: every number exists now, nothing is imported twice.
    with pytest.raises(CommandError):
        call_command("import_applications", str(path), org="liaobu", stderr=StringIO())
    assert Application.objects.count() == 3


def test_it_checks_without_importing_on_a_dry_run(tmp_path, town):
    ledger = write_csv(
        tmp_path / "ledger.csv", "A-1,2024-03-05,当面,自然人,张三,规划,部分公开,2024-03-15"
    )
    out = StringIO()
    call_command("import_applications", ledger, org="liaobu", dry_run=True, stdout=out)
    assert "检查通过：共 1 行" in out.getvalue()
    assert Application.objects.count() == 0


def test_it_refuses_an_unknown_organisation_or_missing_columns(tmp_path, town):
    ledger = write_csv(tmp_path / "ledger.csv")
    with pytest.raises(CommandError, match="找不到代码"):
        call_command("import_applications", ledger, org="nowhere")
    bad = tmp_path / "bad.csv"
    bad.write_text("编号,收到日期\nA,2024-01-01\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_applications", str(bad), org="liaobu", stderr=err)
    assert "缺少列：收到方式、申请人类型" in err.getvalue()
