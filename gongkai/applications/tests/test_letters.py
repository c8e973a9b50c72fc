"""Every outcome's reply letter renders to Word and PDF, quoting the article relied on and
stating the remedies; notices and templates edited in the admin are used."""

import io
import re
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from gongkai.applications import services
from gongkai.applications.letters import letter_build, letter_docx, letter_pdf
from gongkai.applications.models import CaseDocument, LetterTemplate
from gongkai.applications.outcomes import OUTCOMES, Outcome
from gongkai.applications.statute import ARTICLES

from .factories import reload


def docx_text(content: bytes) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def pdf_text(content: bytes) -> str:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", "", text)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def replied(receive, erin, carol):
    """A case replied with any outcome, through the services (with what that outcome needs)."""

    def make(outcome: str):
        application = receive(date(2026, 9, 18))
        if outcome in (Outcome.UNAVAILABLE_UNCLEAR, Outcome.OTHER_NO_CORRECTION):
            services.application_request_correction(
                actor=erin, application=application, sent_on=date(2026, 9, 22), items="请写明路段"
            )
        if outcome == Outcome.UNAVAILABLE_UNCLEAR:
            services.application_receive_correction(
                actor=erin, application=application, received_on=date(2026, 9, 28)
            )
        if outcome == Outcome.OTHER_FEE_UNPAID:
            services.application_send_fee_notice(
                actor=erin,
                application=application,
                sent_on=date(2026, 9, 24),
                basis="page",
                pages=40,
            )
        services.application_reply(
            actor=erin,
            application=application,
            outcome=outcome,
            replied_on=date(2026, 10, 15),
            reasons="详见说明",
            responsible_agency=(
                "东莞市自然资源局（电话 0769-12345678）"
                if outcome == Outcome.UNAVAILABLE_NOT_HELD
                else ""
            ),
        )
        return reload(application)

    return make


@pytest.mark.parametrize("outcome", list(OUTCOMES))
def test_it_renders_each_outcomes_letter_with_its_article(replied, outcome):
    application = replied(outcome)
    event = application.events.get(kind="replied")
    letter = letter_build(application, outcome, event)
    info = OUTCOMES[outcome]

    word = docx_text(letter_docx(letter))
    pdf = pdf_text(letter_pdf(letter))
    for text in (squash(word), pdf):
        assert "政府信息公开申请答复书" in text
        assert application.number in text
        assert "寮步镇人民政府" in text
        assert squash(info.legal_basis) in text
        for key in info.articles:
            assert squash(ARTICLES[key].text) in text
        # 行政复议法: 60 days; 行政诉讼法: 6 months.
        assert "六十日内依法申请行政复议" in text
        assert "六个月内依法向人民法院提起行政诉讼" in text
    if outcome == Outcome.UNAVAILABLE_NOT_HELD:
        assert "东莞市自然资源局" in word  # 条例第三十六条第（五）项
    if outcome == Outcome.OTHER_FEE_UNPAID:
        assert "国办函〔2020〕109号" in word


def test_it_files_the_issued_letter_once(replied, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        application = replied(Outcome.DISCLOSED)
    letters = application.documents.filter(kind=CaseDocument.Kind.LETTER)
    assert sorted(d.name for d in letters) == [
        f"{application.number}-disclosed.docx",
        f"{application.number}-disclosed.pdf",
    ]
    event = application.events.get(kind="replied")
    again = services.letter_issue(application_id=application.pk, key="disclosed", event_id=event.pk)
    assert sorted(d.pk for d in again) == sorted(d.pk for d in letters)


def test_it_uses_the_template_an_editor_changed(replied):
    services.load_default_letter_templates()
    template = LetterTemplate.objects.get(key="withheld_enforcement")
    template.body = (
        "{申请人}：\n\n经审查，您要的是执法案卷。根据{依据条款}的规定，不予公开。\n\n{条款原文}"
    )
    template.save()
    application = replied(Outcome.WITHHELD_ENFORCEMENT)
    letter = letter_build(
        application, "withheld_enforcement", application.events.get(kind="replied")
    )
    text = docx_text(letter_docx(letter))
    assert "经审查，您要的是执法案卷" in text
    assert "第十六条第二款" in text
    assert "六十日内" in text  # the remedies are added by the layout, not the template


def test_it_refuses_a_template_with_an_unknown_placeholder(db):
    from django.core.exceptions import ValidationError

    template = LetterTemplate(key="disclosed", title="答复书", body="{申请人}：{不存在}")
    with pytest.raises(ValidationError) as exc:
        template.full_clean()
    assert "不存在" in exc.value.message_dict["body"][0]


def test_it_loads_default_templates_without_overwriting_edits(db):
    assert services.load_default_letter_templates() in (0, len(OUTCOMES) + 3)
    LetterTemplate.objects.filter(key="disclosed").update(title="改过的标题")
    services.load_default_letter_templates()
    assert LetterTemplate.objects.get(key="disclosed").title == "改过的标题"
    assert LetterTemplate.objects.count() == len(OUTCOMES) + 3


def test_it_renders_the_notices(receive, erin, carol):
    application = receive(date(2026, 9, 18))
    correction = services.application_request_correction(
        actor=erin,
        application=application,
        sent_on=date(2026, 9, 22),
        items="请写明道路名称和路段",
        correction_due_on=date(2026, 10, 20),
    )
    text = docx_text(letter_docx(letter_build(application, "correction_notice", correction)))
    assert "请写明道路名称和路段" in text
    assert "2026年10月20日" in text
    assert ARTICLES["30"].text in text

    other = receive(date(2026, 9, 18))
    extension = services.application_extend(
        actor=carol,
        application=other,
        approved_on=date(2026, 10, 20),
        notified_on=date(2026, 10, 20),
        reason="需要调取档案",
    )
    text = docx_text(letter_docx(letter_build(other, "extension_notice", extension)))
    assert "延长20个工作日" in text
    assert "2026年11月19日" in text

    fee = services.application_send_fee_notice(
        actor=erin, application=other, sent_on=date(2026, 10, 21), basis="page", pages=250
    )
    text = pdf_text(letter_pdf(letter_build(other, "fee_notice", fee)))
    assert "4,700.00元" in text
    assert "共250页" in text
