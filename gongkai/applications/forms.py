"""Forms: the public application form, the staff intake form and one form per case action.

Forms only collect and show; the rules are in validation.py and services.py, whose Chinese
messages are put next to the field they concern.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organisation

from . import captcha
from .fees import FeeBasis
from .models import (
    ApplicantType,
    CaseEvent,
    Channel,
    Delivery,
    IdDocument,
    InfoForm,
)
from .outcomes import GROUP_ROW_LABELS, Group, outcomes_in_group
from .validation import APPLICANT_FIELDS, PROOF_TYPES, check_upload, clean_applicant

Kind = CaseEvent.Kind


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=DateInput(),
        error_messages={"invalid": _("请按 年-月-日 填写日期，例如 2026-09-18。")},
    )


class AccessibleForm(forms.Form):
    """Errors are tied to their field for screen readers (aria-invalid, aria-describedby)."""

    def full_clean(self):
        super().full_clean()
        self._describe()

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's ValidationError next to the fields it names."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
        self._describe()

    def _describe(self) -> None:
        for name, field in self.fields.items():
            described = []
            if field.help_text:
                described.append(f"{self[name].auto_id}-help")
            if name in self.errors:
                described.append(f"{self[name].auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described:
                field.widget.attrs["aria-describedby"] = " ".join(described)


APPLICANT_CHOICES = [
    (ApplicantType.NATURAL, _("公民（自然人）")),
    (ApplicantType.COMMERCIAL, _("法人或者其他组织：商业企业")),
    (ApplicantType.RESEARCH, _("法人或者其他组织：科研机构")),
    (ApplicantType.SOCIAL, _("法人或者其他组织：社会公益组织")),
    (ApplicantType.LEGAL_SERVICE, _("法人或者其他组织：法律服务机构")),
    (ApplicantType.OTHER, _("法人或者其他组织：其他")),
]


class ApplicationFields(AccessibleForm):
    """条例第二十九条: who asks (name, identity proof, contact), for what, in what form, how."""

    applicant_type = forms.ChoiceField(
        label=_("申请人类型"), choices=APPLICANT_CHOICES, widget=forms.RadioSelect, required=False
    )
    name = forms.CharField(label=_("姓名或名称"), max_length=100, required=False)
    id_document = forms.ChoiceField(
        label=_("证件类型"),
        choices=[("", _("请选择")), *IdDocument.choices],
        required=False,
        help_text=_("公民填写。"),
    )
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=40,
        required=False,
        help_text=_("居民身份证为18位，末位可能是X。"),
    )
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        required=False,
        help_text=_("法人或者其他组织填写，18位。"),
    )
    contact_person = forms.CharField(
        label=_("联系人"), max_length=60, required=False, help_text=_("法人或者其他组织填写。")
    )
    proof = forms.FileField(
        label=_("身份证明文件（可选）"),
        required=False,
        help_text=_("身份证或营业执照的扫描件，PDF、JPG 或 PNG 格式。"),
    )
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False)
    address = forms.CharField(label=_("通信地址"), max_length=200, required=False)
    postcode = forms.CharField(label=_("邮政编码"), max_length=6, required=False)
    description = forms.CharField(
        label=_("所需政府信息的名称或描述"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("写明信息的名称，或者便于查询的特征性描述（如时间、地点、事项）。"),
    )
    document_number = forms.CharField(
        label=_("文号（如知道）"),
        max_length=100,
        required=False,
        help_text=_("例如 寮府〔2026〕12号。"),
    )
    info_form = forms.ChoiceField(
        label=_("所需信息的形式"),
        choices=InfoForm.choices,
        widget=forms.RadioSelect,
        required=False,
    )
    delivery = forms.ChoiceField(
        label=_("获取信息的方式"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        required=False,
    )

    def clean_proof(self):
        upload = self.cleaned_data.get("proof")
        if upload:
            check_upload(upload, allowed=PROOF_TYPES)
        return upload

    def clean(self):
        cleaned = super().clean()
        try:
            cleaned.update(clean_applicant(cleaned))
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                if name not in self.errors:
                    self.add_error(name, messages)
        return cleaned

    def applicant_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) or "" for name in APPLICANT_FIELDS}
        data["proof"] = self.cleaned_data.get("proof") or None
        return data


class PublicApplicationForm(ApplicationFields):
    captcha_answer = forms.CharField(
        label=_("验证题"),
        max_length=10,
        required=False,
        help_text=_("请用阿拉伯数字作答，例如 12。"),
    )
    captcha_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.captcha_question = ""

    def clean(self):
        cleaned = super().clean()
        result = captcha.captcha_check(cleaned.get("captcha_token"), cleaned.get("captcha_answer"))
        if result != captcha.OK:
            messages = {
                captcha.WRONG: _("验证题答案不正确，请回答下面的新题目。"),
                captcha.EXPIRED: _("验证题已过期，请回答下面的新题目。"),
                captcha.REUSED: _("验证题已使用过，请回答下面的新题目。"),
            }
            self.add_error("captcha_answer", messages[result])
        return cleaned

    def new_captcha(self) -> None:
        """Each showing of the form asks a fresh question; the old answer is not kept."""
        challenge = captcha.captcha_new()
        self.captcha_question = challenge.question
        if self.is_bound:
            self.data = self.data.copy()
            self.data["captcha_token"] = challenge.token
            self.data["captcha_answer"] = ""
        else:
            self.initial["captcha_token"] = challenge.token


class StaffApplicationForm(ApplicationFields):
    """An application received in person, by post, by fax or online, entered by staff."""

    organisation = forms.ModelChoiceField(
        label=_("受理机关"), queryset=Organisation.objects.none(), required=True
    )
    channel = forms.ChoiceField(label=_("提交方式"), choices=Channel.choices)
    submitted_on = date_field(_("提交日期"), required=False, help_text=_("当面提交的填写。"))
    signed_for_on = date_field(
        _("签收日期"), required=False, help_text=_("邮寄（需签收）的填写本机关签收之日。")
    )
    confirmed_on = date_field(
        _("确认日期"),
        required=False,
        help_text=_("平常信函、传真、互联网提交的，填写与申请人确认之日。"),
    )

    field_order = ["organisation", "channel", "submitted_on", "signed_for_on", "confirmed_on"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations or Organisation.objects.none()


# ---- case actions --------------------------------------------------------------------------


def _today():
    return timezone.localdate()


class AssignForm(AccessibleForm):
    officer = forms.ModelChoiceField(label=_("经办人"), queryset=None)

    def __init__(self, *args, officers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class CorrectionRequestForm(AccessibleForm):
    sent_on = date_field(_("发出补正通知日期"))
    items = forms.CharField(
        label=_("需要补正的事项"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    correction_due_on = date_field(
        _("补正期限"),
        required=False,
        help_text=_("不填则按默认的合理期限自动计算。"),
    )


class CorrectionReceivedForm(AccessibleForm):
    received_on = date_field(_("收到补正申请日期"))


class ConsultForm(AccessibleForm):
    party_kind = forms.ChoiceField(
        label=_("征求对象"),
        choices=[
            ("third_party", _("第三方（条例第三十二条）")),
            ("agency", _("其他机关（条例第三十四条）")),
        ],
    )
    sent_on = date_field(_("发出征求意见书日期"))
    party = forms.CharField(label=_("第三方或机关名称"), max_length=200, required=False)
    note = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class EndConsultationForm(AccessibleForm):
    consultation = forms.ModelChoiceField(label=_("征求意见事项"), queryset=None)
    ended_on = date_field(_("收到意见或期满日期"))
    replied = forms.TypedChoiceField(
        label=_("结果"),
        choices=[("1", _("已提出意见")), ("0", _("逾期未提出意见"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("意见摘要"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, consultations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = consultations
        self.fields["consultation"].label_from_instance = lambda e: (
            _("%(date)s %(kind)s：%(party)s")
            % {
                "date": e.happened_on.strftime("%Y-%m-%d"),
                "kind": e.get_kind_display(),
                "party": e.data.get("party", ""),
            }
        )


class FeeNoticeForm(AccessibleForm):
    sent_on = date_field(_("发出收费通知日期"))
    basis = forms.ChoiceField(
        label=_("计收方式"), choices=FeeBasis.choices, widget=forms.RadioSelect
    )
    pieces = forms.IntegerField(
        label=_("本申请件数"),
        min_value=1,
        initial=1,
        required=False,
        help_text=_("按件计收：按“一事一申请”拆分后的件数；本月此前的件数由平台统计。"),
    )
    pages = forms.IntegerField(
        label=_("提供信息的页数"), min_value=1, required=False, help_text=_("按量计收时填写。")
    )
    received_on = date_field(
        _("通知送达日期"), required=False, help_text=_("已送达申请人的，填写送达之日。")
    )
    note = forms.CharField(
        label=_("缴费方式"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class FeeNoticeReceivedForm(AccessibleForm):
    received_on = date_field(_("收费通知送达日期"))


class FeePaidForm(AccessibleForm):
    paid_on = date_field(_("缴费日期"))


class ExtendForm(AccessibleForm):
    approved_on = date_field(_("负责人同意日期"))
    notified_on = date_field(_("告知申请人日期"))
    reason = forms.CharField(
        label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


def outcome_choices():
    choices = [("", _("请选择"))]
    for group in Group:
        members = outcomes_in_group(group)
        label = str(GROUP_ROW_LABELS[group])
        choices.append((label, [(info.code, info.row_label) for info in members]))
    return choices


class ReplyForm(AccessibleForm):
    outcome = forms.ChoiceField(label=_("办理结果"), choices=outcome_choices)
    replied_on = date_field(_("答复日期"))
    reasons = forms.CharField(
        label=_("理由或说明（写入答复书）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    responsible_agency = forms.CharField(
        label=_("负责公开的机关及联系方式"),
        max_length=200,
        required=False,
        help_text=_("条例第三十六条第（五）项：不属于本机关负责公开、且能确定负责机关的填写。"),
    )


class AttachForm(AccessibleForm):
    upload = forms.FileField(
        label=_("提供的信息（文件）"),
        help_text=_("PDF、Word、Excel、JPG、PNG 或 ZIP，按文件内容检查类型。"),
    )
    for_applicant = forms.BooleanField(
        label=_("申请人可在网上查询页下载"), required=False, initial=True
    )


class DeliverForm(AccessibleForm):
    delivered_on = date_field(_("送达日期"))
    method = forms.ChoiceField(label=_("送达方式"), choices=Delivery.choices)
    note = forms.CharField(label=_("说明（如邮件单号）"), max_length=200, required=False)


class NoteForm(AccessibleForm):
    note = forms.CharField(
        label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class TrackForm(AccessibleForm):
    number = forms.CharField(
        label=_("申请编号"), max_length=40, help_text=_("例如 LB-2026-00017。")
    )
    code = forms.CharField(label=_("查询码"), max_length=16, help_text=_("回执上的8位查询码。"))
