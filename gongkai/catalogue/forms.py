"""Admin forms for the catalogue. Rules live in the model's clean() and in services."""

import os

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.permissions import policy_registry

from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import user_organisation_ids
from gongkai.orgs.services import role_permissions
from gongkai.reports.locks import PeriodLocked

from .filetypes import check_file
from .models import Category, DisclosureItem
from .services import attachment_prepare, item_period_check


def organisations_for_items(user):
    """Organisations where the user may create or edit items (their roles' subtrees)."""
    qs = Organisation.objects.filter(is_active=True)
    if user.is_superuser:
        return qs
    wanted = {"catalogue.add_disclosureitem", "catalogue.change_disclosureitem"}
    roles = [role for role, perms in role_permissions().items() if wanted & set(perms)]
    return qs.filter(id__in=user_organisation_ids(user=user, roles=roles))


class AttachmentForm(WagtailAdminModelForm):
    """One attachment: checked by content (filetypes.check_file), fingerprinted by services."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "title" in self.fields:
            self.fields["title"].required = False
            self.fields["title"].help_text = _("留空则使用文件名。")
        if "file" in self.fields:
            self.fields["file"].help_text = _(
                "可上传 PDF、DOC、DOCX、XLS、XLSX、OFD 和 JPEG/PNG/GIF/WEBP 图片；"
                "系统按文件内容核对类型。"
            )
        self._checked = None

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            self._checked = check_file(upload, os.path.basename(upload.name), size=upload.size)
        return upload

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if not cleaned.get("title") and isinstance(upload, UploadedFile):
            cleaned["title"] = os.path.splitext(os.path.basename(upload.name))[0][:200]
        return cleaned

    def save(self, commit=True):
        upload = self.cleaned_data.get("file")
        if isinstance(upload, UploadedFile):
            attachment_prepare(attachment=self.instance, upload=upload, checked=self._checked)
        return super().save(commit=commit)


class DisclosureItemForm(WagtailAdminModelForm):
    """The item form. The index number is not a field: it is given once, by services."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.for_user
        if "organisation" in self.fields and user is not None:
            orgs = organisations_for_items(user)
            if self.instance.pk and self.instance.organisation_id:
                # Keep the current owner selectable even if it was since deactivated.
                orgs = Organisation.objects.filter(
                    Q(pk__in=orgs.values("pk")) | Q(pk=self.instance.organisation_id)
                )
            self.fields["organisation"].queryset = orgs
            if not self.instance.pk and not self.initial.get("organisation"):
                first = orgs.order_by("parent_id", "sort_order", "id").first()
                if first is not None:
                    self.initial["organisation"] = first.pk
        for name, scheme in (
            ("category", Category.Scheme.INFO),
            ("subject", Category.Scheme.SUBJECT),
        ):
            if name in self.fields:
                current = getattr(self.instance, f"{name}_id", None)
                self.fields[name].queryset = Category.objects.filter(
                    Q(scheme=scheme) & (Q(is_active=True) | Q(pk=current))
                )
        if "replaced_by" in self.fields and user is not None:
            policy = policy_registry.get_by_type(DisclosureItem)
            self.fields["replaced_by"].queryset = policy.instances_user_has_any_permission_for(
                user, ["view", "change"]
            )

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation")
        if not self.instance.index_number and organisation and not organisation.credit_code:
            # The index number is made from the owner's credit code when the item is saved.
            self.add_error(
                "organisation",
                _("组织“%(org)s”尚未填写统一社会信用代码，无法生成索引号。请先由管理员补充。")
                % {"org": organisation.name},
            )
        # Issue #8: an item dated in a locked report period is refused here, on the form, so
        # that what was typed stays (reports/locks.py; the rule is in services).
        after = DisclosureItem(
            **{
                name: cleaned.get(name) if name in self.fields else getattr(self.instance, name)
                for name in ("organisation", "created_date", "published_date")
            }
        )
        try:
            item_period_check(item=after, before=self.instance if self.instance.pk else None)
        except PeriodLocked as exc:
            for name, errors in exc.message_dict.items():
                self.add_error(name if name in self.fields else None, errors)
        return cleaned


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("撤回理由"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=1000,
        help_text=_("撤回后该信息立即从所有公开渠道下线，但保留记录和历史；理由将记入操作日志。"),
        error_messages={"required": _("撤回须填写理由。")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("撤回须填写理由。"))
        return reason
