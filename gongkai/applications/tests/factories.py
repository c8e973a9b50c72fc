"""Data for the applications tests (fixtures are in conftest.py)."""

from gongkai.applications.models import (
    ApplicantType,
    Application,
    Delivery,
    IdDocument,
    InfoForm,
)
from gongkai.orgs.creditcode import id_number_check_char, make_credit_code


def make_id_number(first17: str = "44190019800101123") -> str:
    return first17 + id_number_check_char(first17)


ID_NUMBER = make_id_number()
# The smallest file `filetype` recognises as a PDF.
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COMPANY_CODE = make_credit_code("91441900MA4UABCD1")


def natural_person(**overrides) -> dict:
    fields = {
        "applicant_type": ApplicantType.NATURAL,
        "name": "张三",
        "id_document": IdDocument.RESIDENT_ID,
        "id_number": ID_NUMBER,
        "phone": "13800138000",
        "email": "zhangsan@example.com",
        "address": "东莞市寮步镇香市路1号",
        "postcode": "523400",
        "description": "2026年寮步镇道路改造工程的招标文件",
        "document_number": "",
        "info_form": InfoForm.ELECTRONIC,
        "delivery": Delivery.EMAIL,
    }
    fields.update(overrides)
    return fields


def company(**overrides) -> dict:
    fields = natural_person(
        applicant_type=ApplicantType.COMMERCIAL,
        name="东莞市某某科技有限公司",
        id_document="",
        id_number="",
        credit_code=COMPANY_CODE,
        contact_person="李四",
        phone="0769-22881234",
    )
    fields.update(overrides)
    return fields


def reload(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)
