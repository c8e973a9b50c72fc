"""Newspaper and magazine issues (PDF and Word), and printed notices."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from docx import Document
from pypdf import PdfReader

from gongkai.catalogue.services import item_withdraw
from gongkai.channels import services
from gongkai.channels.models import Channel, Delivery, Issue, IssueAppearance, NoticePrint


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def items(make_item):
    return [
        make_item("寮步镇2026年政府采购公告", category_name="政府采购"),
        make_item("寮步镇土地使用权拍卖公告", category_name="其他"),
        make_item("寮步镇2026年政府工作方案", category_name="规划计划"),
    ]


def compose(alice, newspaper, items, **kwargs):
    fields = {"number": 12, "date": datetime.date(2026, 3, 20), "copies": 10000}
    fields.update(kwargs)
    return services.issue_compose(actor=alice, channel=newspaper, items=items, **fields)


def test_it_composes_an_issue_and_renders_pdf_and_docx(
    alice, newspaper, items, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue = compose(alice, newspaper, items)
    issue.refresh_from_db()
    assert issue.render_status == Issue.RenderStatus.DONE, issue.render_error
    assert (issue.page_size, issue.columns) == ("A3", 3)  # the newspaper's defaults
    with default_storage.open(issue.pdf.name, "rb") as f:
        pdf = f.read()
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (297, 420)
    text = pdf_text(pdf)
    for item in items:
        assert item.title in text
    assert "寮步报" in text and "第12期" in text
    with default_storage.open(issue.docx.name, "rb") as f:
        document = Document(f)
    paragraphs = [p.text for p in document.paragraphs]
    assert "寮步报" in paragraphs
    for item in items:
        assert item.title in paragraphs
    assert "第一段：寮步镇政府采购项目公开招标。" in paragraphs
    cols = document.sections[-1]._sectPr.xpath("./w:cols")[0]
    assert cols.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num") == "3"
    # appearances recorded, each through a delivery of the approved revision
    assert IssueAppearance.objects.filter(issue=issue).count() == 3
    assert set(Delivery.objects.filter(channel=newspaper).values_list("status", flat=True)) == {
        "sent"
    }


def test_a4_two_columns_is_configurable(
    alice, newspaper, items, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue = compose(alice, newspaper, items[:1], page_size="A4", columns=2)
    issue.refresh_from_db()
    with default_storage.open(issue.pdf.name, "rb") as f:
        box = PdfReader(f).pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 210


def test_it_refuses_an_issue_with_an_uncleared_item(alice, newspaper, items, make_item):
    draft = make_item("未审查的稿件", published=False)
    withdrawn = items[1]
    item_withdraw(actor=alice, item=withdrawn, reason="撤回")
    with pytest.raises(ValidationError) as caught:
        compose(alice, newspaper, [items[0], draft, withdrawn])
    messages = caught.value.message_dict["items"]
    assert any("未审查的稿件" in m for m in messages)
    assert any(withdrawn.title in m for m in messages)
    assert not Issue.objects.exists()
    assert not Delivery.objects.exists()  # all or nothing


def test_issue_numbers_are_unique_within_the_year(alice, newspaper, items):
    compose(alice, newspaper, items[:1])
    with pytest.raises(ValidationError) as caught:
        compose(alice, newspaper, items[1:2], date=datetime.date(2026, 3, 27))
    assert "第12期已经存在" in caught.value.message_dict["number"][0]
    compose(alice, newspaper, items[1:2], number=12, date=datetime.date(2027, 1, 8))


def test_a_render_failure_is_recorded_and_can_be_retried(
    alice, newspaper, items, monkeypatch, django_capture_on_commit_callbacks
):
    from gongkai.channels.integrations import newspaper as paper

    def broken(issue):
        raise RuntimeError("字体缺失")

    monkeypatch.setattr(paper, "issue_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        issue = compose(alice, newspaper, items)
    issue.refresh_from_db()
    assert issue.render_status == Issue.RenderStatus.FAILED
    assert "字体缺失" in issue.render_error
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.issue_render_retry(actor=alice, issue=issue)
    issue.refresh_from_db()
    assert issue.render_status == Issue.RenderStatus.DONE


def test_only_editors_of_the_papers_organisation_compose(dave, newspaper, items):
    with pytest.raises(PermissionDenied):
        compose(dave, newspaper, items)


def test_it_prints_a_notice_and_records_who_when_and_where(
    alice, make_item, board, django_capture_on_commit_callbacks
):
    item = make_item(document_number="寮府〔2026〕12号")
    with django_capture_on_commit_callbacks(execute=True):
        delivery = services.dispatch_create(actor=alice, item=item, channel=board)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.output_ref.startswith("channels/notices/")
    record, pdf = services.notice_print(actor=alice, delivery=delivery, copies=3)
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 210  # A4
    text = pdf_text(pdf)
    assert item.title in text
    assert "寮府〔2026〕12号" in text
    assert "第二段：欢迎符合条件的供应商参加。" in text
    assert "政府大楼公告栏" in text and "一楼大堂" in text
    assert (record.channel, record.printed_by, record.copies) == (board, alice, 3)
    assert NoticePrint.objects.count() == 1


def test_a_withdrawn_item_is_not_printed(alice, make_item, board):
    item = make_item()
    delivery = services.dispatch_create(actor=alice, item=item, channel=board, enqueue=False)
    item_withdraw(actor=alice, item=item, reason="撤回")
    with pytest.raises(ValidationError, match="已撤回"):
        services.notice_print(actor=alice, delivery=delivery)
    assert not NoticePrint.objects.exists()


def test_a_magazine_defaults_to_a4_two_columns(make_channel):
    magazine = make_channel(Channel.Kind.MAGAZINE, "《香市经济》")
    assert (magazine.option("page_size"), magazine.option("columns")) == ("A4", 2)
