"""The public form at /apply/: errors in Chinese next to their field, values kept, a captcha,
a rate limit, uploads checked by content, and nothing acknowledged is ever lost."""

import io
import re
from smtplib import SMTPException

import pytest
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from gongkai.applications.captcha import parse_answer
from gongkai.applications.models import Application, CaseDocument

from .factories import COMPANY_CODE, ID_NUMBER


def solve(question: str) -> str:
    a, op, b = re.match(r"^(.+?)(加|减)(.+?)等于几", question).groups()
    a, b = parse_answer(a), parse_answer(b)
    return str(a + b if op == "加" else a - b)


@pytest.fixture
def form_url(desk):
    return reverse("applications:apply", kwargs={"code": desk.organisation.code})


@pytest.fixture
def fresh(client, form_url):
    """The hidden token and the answer of a freshly shown form."""

    def get():
        form = client.get(form_url).context["form"]
        return {
            "captcha_token": form.initial.get("captcha_token") or form.data["captcha_token"],
            "captcha_answer": solve(form.captcha_question),
        }

    return get


def valid_data(**overrides):
    data = {
        "applicant_type": "natural",
        "name": "张三",
        "id_document": "resident_id",
        "id_number": ID_NUMBER,
        "credit_code": "",
        "contact_person": "",
        "phone": "138 0013 8000",
        "email": "zhangsan@example.com",
        "address": "",
        "postcode": "",
        "description": "2026年寮步镇道路改造工程的招标文件",
        "document_number": "",
        "info_form": "electronic",
        "delivery": "email",
    }
    data.update(overrides)
    return data


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def test_it_starts_at_the_only_desk(client, desk, form_url):
    response = client.get(reverse("applications:start"))
    assert response.status_code == 302
    assert response["Location"] == form_url


def test_it_shows_an_accessible_form_with_a_text_captcha(client, form_url):
    response = client.get(form_url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<legend>一、申请人信息</legend>" in html
    assert '<label for="id_name">姓名或名称' in html
    assert re.search(r"请回答：[一二三四五六七八九十]+(加|减)[一二三四五六七八九十]+等于几？", html)
    assert "{% block" not in html and "catalogue" not in html


def test_it_keeps_what_was_typed_and_puts_chinese_errors_next_to_fields(client, form_url, fresh):
    data = valid_data(id_number="441900198001011230", description="", name="李小明")
    response = client.post(form_url, {**data, **fresh()})
    html = response.content.decode()
    assert response.status_code == 200
    assert Application.objects.count() == 0
    assert "身份证号码不正确：应为18位，末位校验码须正确" in html
    assert "请写明所需政府信息的名称、文号或者便于查询的其他特征性描述。" in html
    # The error is tied to its input, and what was typed is still there.
    assert 'id="id_id_number-error"' in html
    assert re.search(r'aria-describedby="[^"]*id_id_number-error"', html)
    assert 'aria-invalid="true"' in html
    assert 'value="李小明"' in html
    assert 'value="441900198001011230"' in html
    # A new question; the old answer is not kept.
    assert response.context["form"].data["captcha_answer"] == ""


def test_it_asks_a_legal_person_for_a_valid_credit_code(client, form_url, fresh):
    data = valid_data(
        applicant_type="commercial", name="某某公司", credit_code="91441900MA4UABCD10"
    )
    response = client.post(form_url, {**data, **fresh()})
    html = response.content.decode()
    assert "统一社会信用代码不正确" in html
    assert "请填写联系人姓名。" in html
    data.update(credit_code=COMPANY_CODE, contact_person="王经理")
    response = client.post(form_url, {**data, **fresh()})
    assert response.status_code == 302
    assert Application.objects.get().applicant_type == "commercial"


def test_it_refuses_a_wrong_or_reused_captcha(client, form_url, fresh):
    challenge = fresh()
    wrong = str(int(challenge["captcha_answer"]) + 1)
    response = client.post(form_url, {**valid_data(), **challenge, "captcha_answer": wrong})
    assert "验证题答案不正确" in response.content.decode()
    response = client.post(form_url, {**valid_data(), **challenge})  # that token was used
    assert "验证题已使用过" in response.content.decode()
    response = client.post(form_url, {**valid_data(), **challenge, "captcha_token": "forged"})
    assert "验证题答案不正确" in response.content.decode()
    assert Application.objects.count() == 0


def test_it_accepts_an_answer_in_chinese_numerals():
    assert parse_answer("十二") == 12
    assert parse_answer(" 7 ") == 7
    assert parse_answer("二十") == 20
    assert parse_answer("abc") is None


def test_it_saves_first_then_acknowledges_by_email_and_receipt(
    client, form_url, fresh, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url, {**valid_data(), **fresh()})
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.number == "LB-2026-00001"
    assert application.channel == "online"
    assert application.phone == "13800138000"
    assert [m.to for m in mailoutbox] == [["zhangsan@example.com"]]
    assert application.number in mailoutbox[0].body
    assert application.secret_code in mailoutbox[0].body

    receipt = client.get(reverse("applications:receipt")).content.decode()
    assert application.number in receipt and application.secret_code in receipt
    pdf = client.get(reverse("applications:receipt_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert application.number in text and application.secret_code in text


def test_it_keeps_the_application_when_the_mail_server_fails(
    client, form_url, fresh, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(self, *args, **kwargs):
        raise SMTPException("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(form_url, {**valid_data(), **fresh()})
    assert response.status_code == 302
    assert Application.objects.count() == 1


def test_it_checks_an_upload_by_its_content_and_size(client, form_url, fresh, settings):
    fake = io.BytesIO(b"just text pretending to be a PDF")
    fake.name = "身份证.pdf"
    response = client.post(form_url, {**valid_data(), **fresh(), "proof": fake})
    assert "文件类型不支持" in response.content.decode()
    assert Application.objects.count() == 0

    settings.GONGKAI_MAX_UPLOAD_MB = 0
    image = io.BytesIO(png_bytes())
    image.name = "id.png"
    response = client.post(form_url, {**valid_data(), **fresh(), "proof": image})
    assert "文件过大" in response.content.decode()

    settings.GONGKAI_MAX_UPLOAD_MB = 1
    image = io.BytesIO(png_bytes())
    image.name = "id.png"
    response = client.post(form_url, {**valid_data(), **fresh(), "proof": image})
    assert response.status_code == 302
    proof = CaseDocument.objects.get()
    assert (proof.kind, proof.content_type, proof.for_applicant) == ("proof", "image/png", False)


def test_it_limits_submissions_per_address(client, form_url, fresh, settings):
    settings.GONGKAI_APPLY_RATE_LIMIT = "2/h"
    for _ in range(2):
        assert client.post(form_url, {**valid_data(), **fresh()}).status_code == 302
    response = client.post(form_url, {**valid_data(), **fresh()})
    assert response.status_code == 429
    assert "提交申请过于频繁" in response.content.decode()
    assert 'value="张三"' in response.content.decode()  # nothing typed is lost
    assert Application.objects.count() == 2
    # Another address is not affected.
    other = client.post(form_url, {**valid_data(), **fresh()}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_it_limits_attempts_per_address(client, form_url, settings):
    settings.GONGKAI_APPLY_ATTEMPT_RATE_LIMIT = "3/h"
    for _ in range(3):
        assert client.post(form_url, valid_data()).status_code == 200
    response = client.post(form_url, valid_data())
    assert response.status_code == 429
    assert "提交次数过多" in response.content.decode()
