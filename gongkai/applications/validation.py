"""Checks on what an applicant gives us, shared by the public form, the staff form and the
services (so that no path saves an application the forms would have refused)."""

import re

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from gongkai.orgs.creditcode import is_valid_credit_code, is_valid_id_number

from .models import ApplicantType, Delivery, IdDocument, InfoForm

# 条例第二十九条（一）至（三）, as fields of an application.
APPLICANT_FIELDS = [
    "applicant_type",
    "name",
    "id_document",
    "id_number",
    "credit_code",
    "contact_person",
    "phone",
    "email",
    "address",
    "postcode",
    "description",
    "document_number",
    "info_form",
    "delivery",
]
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}\d{7,8}(?:转\d{1,6})?$")
POSTCODE_RE = re.compile(r"^\d{6}$")

PROOF_TYPES = {"application/pdf", "image/jpeg", "image/png"}
INFORMATION_TYPES = PROOF_TYPES | {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/msword",
    "application/vnd.ms-excel",
    "application/zip",
}
TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/msword": "DOC",
    "application/vnd.ms-excel": "XLS",
    "application/zip": "ZIP",
}


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s\-()（）]", "", value or "")


def clean_applicant(data: dict) -> dict:
    """Normalise and check the applicant's part of an application (条例第二十九条).

    Returns the cleaned values; raises ValidationError with a Chinese message per field.
    """
    data = dict(data)
    errors: dict[str, str] = {}
    kind = data.get("applicant_type")
    for key in ("name", "id_number", "credit_code", "contact_person", "phone", "email"):
        data[key] = (data.get(key) or "").strip()
    data["id_number"] = data["id_number"].upper()
    data["credit_code"] = data["credit_code"].upper()
    data["phone"] = normalise_phone(data["phone"])

    if kind not in ApplicantType.values:
        errors["applicant_type"] = _("请选择申请人类型。")
    if not data["name"]:
        errors["name"] = _("请填写姓名或名称。")
    if kind == ApplicantType.NATURAL:
        data["credit_code"] = ""
        if data.get("id_document") not in IdDocument.values:
            errors["id_document"] = _("请选择证件类型。")
        if not data["id_number"]:
            errors["id_number"] = _("请填写证件号码。")
        elif data.get("id_document") == IdDocument.RESIDENT_ID and not is_valid_id_number(
            data["id_number"]
        ):
            errors["id_number"] = _(
                "身份证号码不正确：应为18位，末位校验码须正确（末位为X时请填写X）。"
            )
    elif kind in ApplicantType.values:
        data["id_document"] = ""
        data["id_number"] = ""
        if not data["credit_code"]:
            if kind != ApplicantType.OTHER:
                errors["credit_code"] = _("请填写统一社会信用代码。")
        elif not is_valid_credit_code(data["credit_code"]):
            errors["credit_code"] = _("统一社会信用代码不正确：应为18位，末位校验码须正确。")
        if not data["contact_person"]:
            errors["contact_person"] = _("请填写联系人姓名。")

    if not data["phone"]:
        errors["phone"] = _("请填写联系电话。")
    elif not (MOBILE_RE.match(data["phone"]) or LANDLINE_RE.match(data["phone"])):
        errors["phone"] = _(
            "联系电话格式不正确：手机号为11位，固定电话请加区号，例如 0769-12345678。"
        )
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            errors["email"] = _("电子邮箱格式不正确。")
    data["address"] = (data.get("address") or "").strip()
    data["postcode"] = (data.get("postcode") or "").strip()
    if data["postcode"] and not POSTCODE_RE.match(data["postcode"]):
        errors["postcode"] = _("邮政编码应为6位数字。")
    if data.get("info_form") not in InfoForm.values:
        errors["info_form"] = _("请选择所需信息的形式。")
    if data.get("delivery") not in Delivery.values:
        errors["delivery"] = _("请选择获取信息的方式。")
    if data.get("delivery") == Delivery.EMAIL and not data["email"] and "email" not in errors:
        errors["email"] = _("选择通过电子邮件获取的，请填写电子邮箱。")
    if data.get("delivery") == Delivery.POST and not data["address"]:
        errors["address"] = _("选择邮寄的，请填写通信地址。")
    data["description"] = (data.get("description") or "").strip()
    if not data["description"]:
        errors["description"] = _("请写明所需政府信息的名称、文号或者便于查询的其他特征性描述。")
    if errors:
        raise ValidationError(errors)
    return data


def check_upload(upload, *, allowed: set[str]) -> str:
    """The content type read from the file's bytes (not its name); refuses other kinds."""
    limit_mb = settings.GONGKAI_MAX_UPLOAD_MB
    if upload.size > limit_mb * 1024 * 1024:
        raise ValidationError(
            _("文件过大：不能超过 %(mb)s MB。") % {"mb": limit_mb}, code="too_large"
        )
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    mime = kind.mime if kind else ""
    if mime not in allowed:
        names = "、".join(sorted({TYPE_NAMES[m] for m in allowed}))
        raise ValidationError(
            _("文件类型不支持：只接受 %(names)s 文件（按文件内容判断，而非扩展名）。")
            % {"names": names},
            code="bad_type",
        )
    return mime
