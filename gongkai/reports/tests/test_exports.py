"""DOCX, PDF, JSON and charts of a report, opened with the libraries that read them."""

import io
import json

from django.core.management import call_command
from docx import Document
from pypdf import PdfReader

from gongkai.reports.exports.charts import CHART_KINDS, render_chart
from gongkai.reports.exports.docx import render_docx
from gongkai.reports.exports.pdf import render_pdf
from gongkai.reports.figures import report_data
from gongkai.reports.schema import REPORT_SCHEMA

from .conftest import YEAR
from .jsonschema_lite import errors


def _data(town, fmt="2021"):
    return report_data(organisation=town, year=YEAR, fmt=fmt, include_subtree=True)


def test_it_writes_a_word_file_with_the_tables_and_the_title(town, year_of_records):
    document = Document(io.BytesIO(render_docx(_data(town), charts=False)))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "寮步镇人民政府2025年政府信息公开工作年度报告"
    assert "三、收到和处理政府信息公开申请情况" in paragraphs
    # 4 tables of section 二, the section-三 table and the section-四 table.
    assert len(document.tables) == 6
    requests = document.tables[4]
    assert len(requests.rows) == 3 + 2 + 22 + 1
    assert len(requests.columns) == 10
    # The identity note spans three header rows and three label columns (merged cells).
    note = requests.cell(0, 0)
    assert note.text.startswith("（本列数据的勾稽关系为")
    assert requests.cell(2, 2)._tc is note._tc
    assert requests.cell(0, 3).text == "申请人情况"
    assert requests.cell(1, 4).text == "法人或其他组织"
    assert requests.cell(1, 3).text == "自然人"
    # 一、本年新收 row: 3 natural + 2 commercial = 5 in the roll-up.
    new_row = [c.text for c in requests.rows[3].cells]
    assert new_row[0] == "一、本年新收政府信息公开申请数量"
    assert new_row[3:] == ["3", "2", "0", "0", "0", "0", "5"]
    results = requests.cell(5, 0)
    assert results.text == "三、本年度办理结果" and requests.cell(26, 0)._tc is results._tc
    appeals = document.tables[5]
    assert len(appeals.columns) == 15 and appeals.cell(1, 5).text == "未经复议直接起诉"


def test_it_embeds_the_charts_in_the_word_file(town, year_of_records):
    document = Document(io.BytesIO(render_docx(_data(town))))
    assert len(document.inline_shapes) == 4


def test_it_writes_a_pdf_whose_text_is_chinese(town, year_of_records):
    pdf = render_pdf(_data(town), charts=False)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "寮步镇人民政府2025年政府信息公开工作年度报告" in text.replace("\n", "")
    assert "寮步" in text
    assert "本年新收政府信息公开申请数量" in text.replace("\n", "")
    assert reader.pages[0].mediabox.width == 595 or round(reader.pages[0].mediabox.width) == 595


def test_it_outputs_json_that_follows_the_schema(town, year_of_records, capsys):
    call_command("annual_report", org="liaobu", year=YEAR, format="2021", json=True)
    data = json.loads(capsys.readouterr().out)
    assert errors(data, REPORT_SCHEMA) == []
    assert data["tables"]["requests"]["rows"]["new"]["total"] == 4
    call_command("annual_report", org="liaobu", year=YEAR, format="2008", json=True)
    data = json.loads(capsys.readouterr().out)
    assert errors(data, REPORT_SCHEMA) == []
    # and the validator does catch a wrong figure
    data["tables"]["requests"]["received"] = -1
    assert errors(data, REPORT_SCHEMA) == ["$.tables.requests.received: -1 < 0"]


def test_it_draws_the_charts_as_png(town, year_of_records):
    data = _data(town)
    for kind in CHART_KINDS:
        png = render_chart(data, kind)
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5000
