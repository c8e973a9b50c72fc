"""The checks before submission name the failing cell."""

from gongkai.reports.checks import run_checks

from .helpers import consistent_rows, data_2021, put


def messages(data):
    return [f["message"] for f in run_checks(data)]


def test_it_passes_a_consistent_table():
    assert messages(data_2021(rows=consistent_rows())) == []


def test_it_names_the_cell_when_the_identity_fails():
    rows = consistent_rows()
    put(rows, "new", "research", 1)  # a new case that is neither closed nor carried out
    assert messages(data_2021(rows=rows)) == [
        "第三部分表格 ‘科研机构’列：第一项加第二项之和 1 ≠ 第三项加第四项之和 0",
        "第三部分表格 ‘总计’列：第一项加第二项之和 5 ≠ 第三项加第四项之和 4",
    ]


def test_it_names_the_group_whose_sub_rows_do_not_add_up():
    rows = consistent_rows()
    put(rows, "withheld", "natural", 1)
    put(rows, "results_total", "natural", 1)
    put(rows, "carried_in", "natural", 1)
    found = messages(data_2021(rows=rows))
    assert "第三部分表格 ‘总计’列 第（三）项：子项之和 2 ≠ 3" in found
    assert "第三部分表格 ‘自然人’列 第（三）项：子项之和 1 ≠ 2" in found


def test_it_names_the_row_whose_total_column_is_wrong():
    rows = consistent_rows()
    rows["withheld_secret"]["total"] += 1
    found = messages(data_2021(rows=rows))
    assert "第三部分表格 ‘总计’列 第（三）项第1小项：各申请人列之和 1 ≠ 2" in found


def test_it_checks_that_results_total_is_the_sum_of_the_groups():
    rows = consistent_rows()
    rows["results_total"]["natural"] -= 1
    rows["results_total"]["total"] -= 1
    rows["carried_out"]["natural"] += 1
    rows["carried_out"]["total"] += 1
    assert messages(data_2021(rows=rows)) == [
        "第三部分表格 ‘自然人’列 第（七）项：第（一）至（六）项之和 2 ≠ 1",
        "第三部分表格 ‘总计’列 第（七）项：第（一）至（六）项之和 3 ≠ 2",
    ]


def test_it_refuses_a_title_whose_year_is_not_the_data_year():
    found = messages(data_2021(year=2012, title="寮步镇2011年政府信息公开工作年度报告"))
    assert found == ["标题年份 2011 与数据年度 2012 不一致。"]
    assert messages(data_2021(year=2012, title="寮步镇政府信息公开工作年度报告")) == [
        "标题中没有写明年份（应为2012年）。"
    ]


def test_it_checks_the_appeal_totals():
    data = data_2021(rows=consistent_rows())
    data["tables"]["appeals"]["reconsideration"].update(upheld=1, total=2)
    assert messages(data) == [
        "第四部分表格 ‘行政复议’ ‘总计’：结果维持、结果纠正、其他结果、尚未审结之和 1 ≠ 2"
    ]


def test_it_checks_that_shares_sum_to_100():
    data = data_2021(rows=consistent_rows())
    data["facts"]["websites"]["portal"] = {
        "total": 3,
        "categories": [
            {"name": "规范性文件", "count": 1, "share": "33.3"},
            {"name": "其他", "count": 2, "share": "66.6"},
        ],
    }
    assert messages(data) == ["第二部分 信息公开门户网站 分类占比之和 99.9% ≠ 100.0%"]
