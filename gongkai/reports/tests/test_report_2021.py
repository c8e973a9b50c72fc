"""A hand-built year of records and the tables of the current format computed from it."""

from gongkai.reports.figures import report_data

from .conftest import YEAR


def test_it_computes_section_two_from_the_catalogue_and_staff_figures(town, year_of_records):
    data = report_data(organisation=town, year=YEAR, fmt="2021", include_subtree=False)
    a20 = data["tables"]["article20"]
    assert a20["item1"]["normative"] == {"issued": 3, "repealed": 1, "in_force": 4}
    assert a20["item1"]["rule"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert a20["item5"] == {"licensing": 120}
    assert a20["item6"] == {"penalty": 7, "enforcement": 1}
    assert a20["item8"] == {"fees": "1.2500"}


def test_it_computes_the_section_three_table_from_the_cases(town, year_of_records):
    data = report_data(organisation=town, year=YEAR, fmt="2021", include_subtree=False)
    rows = data["tables"]["requests"]["rows"]
    assert rows["new"] == {
        "natural": 2,
        "commercial": 2,
        "research": 0,
        "social": 0,
        "legal_service": 0,
        "other": 0,
        "total": 4,
    }
    assert rows["carried_in"]["natural"] == rows["carried_in"]["total"] == 1
    assert rows["disclosed"]["total"] == 1
    assert rows["partial"]["natural"] == 1
    assert rows["withheld_process"]["commercial"] == rows["withheld"]["total"] == 1
    assert rows["not_handled_repeat"]["commercial"] == rows["not_handled"]["total"] == 1
    assert rows["results_total"]["total"] == 4
    assert rows["carried_out"]["total"] == 1
    assert data["checks"] == []
    assert data["has_data"] is True


def test_it_rolls_up_the_villages_when_asked(town, year_of_records):
    alone = report_data(organisation=town, year=YEAR, fmt="2021", include_subtree=False)
    rolled = report_data(organisation=town, year=YEAR, fmt="2021", include_subtree=True)
    assert alone["tables"]["requests"]["rows"]["unavailable_not_held"]["total"] == 0
    assert rolled["tables"]["requests"]["rows"]["unavailable_not_held"]["total"] == 1
    assert rolled["tables"]["requests"]["rows"]["new"]["total"] == 5
    assert [o["code"] for o in rolled["organisations"]] == ["liaobu", "liaobu-hengkeng"]
    assert rolled["checks"] == []


def test_it_prefills_the_narrative_from_the_records(town, year_of_records):
    data = report_data(organisation=town, year=YEAR, fmt="2021", include_subtree=False)
    sections = {s["key"]: s for s in data["sections"]}
    overview = sections["overview"]["text"]
    assert (
        "全年新收政府信息公开申请4件，上年结转1件，本年度办结4件，结转下年度继续办理1件。"
        in overview
    )
    assert "全年制发行政规范性文件3件，废止1件，现行有效4件。" in overview
    assert "寮步镇人民政府网发布政务信息" in overview
    assert sections["other"]["text"] == "本年度未收取信息处理费。"
    assert sections["overview"]["editable"] and not sections["requests"]["editable"]
