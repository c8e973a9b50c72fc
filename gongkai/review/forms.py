from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from gongkai.orgs.models import Organisation, Role

from .matchers import decode_word_list
from .selectors import organisation_ids_with_perm

MAX_WORD_FILE_MB = 5


def organisations_for(user, perm: str):
    ids = organisation_ids_with_perm(user=user, perm=perm)
    queryset = Organisation.objects.filter(is_active=True).order_by("sort_order", "id")
    return queryset if ids is None else queryset.filter(id__in=ids)


class OrganisationScopedForm(WagtailAdminModelForm):
    """The organisation field offers only organisations where the user may add this model, so
    that nobody writes a word or a phrase into another organisation's tree."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("organisation")
        if field is not None and self.for_user is not None:
            opts = self._meta.model._meta
            field.queryset = organisations_for(
                self.for_user, f"{opts.app_label}.add_{opts.model_name}"
            )


class WordListImportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("导入到组织"), queryset=Organisation.objects.none(), empty_label=None
    )
    file = forms.FileField(
        label=_("词库文件"),
        help_text=_("UTF-8 编码的文本文件：每行一个词，可在词后加制表符再写分类，# 开头为注释。"),
    )
    replace = forms.BooleanField(
        label=_("以文件为准"),
        required=False,
        help_text=_("勾选后，本组织词库中不在文件里的词将被停用（不会删除）。"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_for(user, "review.add_sensitiveword")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_WORD_FILE_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("词库文件不能超过 %(mb)s MB。") % {"mb": MAX_WORD_FILE_MB}, code="too_big"
            )
        data = upload.read()
        try:
            self.word_list_text = decode_word_list(data)
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="encoding") from None
        return upload


# ---------------------------------------------------------------------------------------------
# The review workflow
# ---------------------------------------------------------------------------------------------

DEFAULT_OPINIONS = {
    Role.REVIEWER: _("经审查，未发现涉密信息和不宜公开的个人信息，同意公开。"),
    Role.APPROVER: _("同意发布。"),
}


class OpinionForm(forms.Form):
    """The opinion collected by Wagtail's workflow-action modal; `comment` is what Wagtail
    passes to TaskState.approve/reject."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def clean_comment(self):
        return (self.cleaned_data.get("comment") or "").strip()


def opinion_form_class(*, role: str, action: str):
    label = _("审查意见") if role == Role.REVIEWER else _("审批意见")
    rejecting = action == "reject"
    field = forms.CharField(
        label=label,
        required=rejecting,
        initial="" if rejecting else DEFAULT_OPINIONS.get(role, ""),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("退回修改时必须写明需要修改什么。")
        if rejecting
        else _("将记入审查记录和保密审查单。"),
        error_messages={"required": _("退回修改时必须写明意见。")},
    )
    return type(
        "RejectOpinionForm" if rejecting else "ApproveOpinionForm",
        (OpinionForm,),
        {"comment": field},
    )


class DecisionForm(forms.Form):
    """The decision on the review page: the opinion, and which button was pressed."""

    comment = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, role: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["comment"]
        field.label = _("审查意见") if role == Role.REVIEWER else _("审批意见")
        field.initial = DEFAULT_OPINIONS.get(role, "")
        field.help_text = _("通过时记入审查记录和保密审查单；退回修改时必须写明需要修改什么。")

    def clean_comment(self):
        return (self.cleaned_data.get("comment") or "").strip()


class FindingOverrideForm(forms.Form):
    reason = forms.CharField(
        label=_("放行理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如：系村委会公开的服务电话；已人工逐页核对扫描件，无涉密内容。"),
    )


class OrganisationWorkflowForm(OrganisationScopedForm):
    """Only active workflows that have a 保密审查员 step can be chosen."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("workflow")
        if field is not None:
            from wagtail.models import Workflow

            from .workflow import workflow_problem

            usable = [
                w.pk
                for w in Workflow.objects.filter(active=True)
                if not workflow_problem(workflow=w)
            ]
            field.queryset = Workflow.objects.filter(pk__in=usable).order_by("name")
