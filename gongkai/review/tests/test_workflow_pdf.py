"""保密审查单: the PDF an office prints, signs and files, read back from its text layer."""

import io

import pytest
from pypdf import PdfReader

from gongkai.review.models import Finding
from gongkai.review.reviewform import review_form_context, review_form_pdf
from gongkai.review.services import finding_override
from gongkai.review.testing import publish_through_review

from .conftest import current, submit
from .helpers import ID_A


def pdf_text(data: bytes) -> tuple[str, int]:
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    return "".join(text.split()), len(reader.pages)


@pytest.fixture
def reviewed_item(workflows, make_item, village, dave, vince, bob, carol):
    dave.first_name = "林村编"
    dave.save()
    bob.last_name, bob.first_name = "黄", "保密"
    bob.save()
    item = make_item(
        "横坑村2026年第一季度村务公开",
        organisation=village,
        actor=dave,
        body=f"<p>低保申请人：王某，身份证号 {ID_A}。</p>",
        document_number="横村〔2026〕3号",
    )
    state = submit(item, dave)
    task_state, task = current(item)
    finding = Finding.objects.get()
    finding_override(actor=bob, finding=finding, reason="经申请人书面同意，按低保公示要求公开。")
    task.on_action(task_state, bob, "approve")
    task_state, task = current(item)
    task.on_action(task_state, vince, "approve", comment="村审查：同意公开。")
    publish_through_review(item, reviewer=bob, approver=carol, opinion="同意发布。")
    item.refresh_from_db()
    assert state.workflow_id
    return item


def test_it_prints_the_whole_review_on_one_a4_page(reviewed_item):
    data = review_form_pdf(item=reviewed_item)
    assert data.startswith(b"%PDF")
    text, pages = pdf_text(data)
    assert pages == 1
    for expected in (
        "政府信息公开保密审查单",
        "横坑村2026年第一季度村务公开",
        reviewed_item.index_number,
        "横村〔2026〕3号",
        "信息名称",
        "索引号",
        "发布机构",
        "拟发布栏目",
        "拟发布渠道",
        "自动扫描结果",
        "身份证号码",
        "经申请人书面同意，按低保公示要求公开。",
        "审查意见",
        "村审查：同意公开。",
        "审查人",
        "审查日期",
        "审批意见",
        "同意发布。",
        "审批人",
        "签字",
        "本版本已通过审查",
        "林村编",
        "黄保密",
    ):
        assert expected in text, expected
    assert ID_A not in text  # the form never prints the number itself


def test_it_prints_blank_lines_for_what_is_not_decided_yet(workflows, make_item, edna):
    item = make_item(actor=edna)
    submit(item, edna)
    context = review_form_context(item=item)
    assert context["reviews"] == [] and context["approvals"] == []
    assert not context["cleared"]
    text, _pages = pdf_text(review_form_pdf(item=item))
    assert "尚未审查" in text and "尚未审批" in text and "本版本尚未通过审查" in text
