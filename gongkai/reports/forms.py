from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organisation

from .formats import y2008, y2021
from .models import AnnualReport, StaffFigure


class ReportChooseForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("组织"), queryset=Organisation.objects.none(), to_field_name="code"
    )
    year = forms.IntegerField(label=_("年度"), min_value=2008, max_value=2100)
    format = forms.ChoiceField(
        label=_("格式"), choices=AnnualReport.Format.choices, initial=AnnualReport.Format.Y2021
    )
    include_subtree = forms.BooleanField(
        label=_("含下级组织（如镇含各村、社区）"), required=False, initial=True
    )

    def __init__(self, *args, organisation_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            id__in=organisation_ids
        ).order_by("sort_order", "id")
        self.fields["year"].initial = timezone.localdate().year - 1


class ReportTextsForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)

    def __init__(self, *args, report: AnnualReport, computed: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        module = y2021 if report.format == AnnualReport.Format.Y2021 else y2008
        self.keys = list(module.NARRATIVE_SECTIONS)
        self.fields["title"].initial = report.title
        for key in self.keys:
            self.fields[key] = forms.CharField(
                label=module.HEADINGS[key],
                required=False,
                widget=forms.Textarea(attrs={"rows": 8}),
                initial=report.texts.get(key) or computed.get(key, ""),
                help_text=_("已按本年度数据和工作记录预填；清空后保存即恢复为自动生成的文字。"),
            )

    def texts(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(key, "") for key in self.keys}


class StaffFigureForm(forms.Form):
    key = forms.ChoiceField(label=_("项目"), choices=StaffFigure.Key.choices)
    value = forms.DecimalField(
        label=_("数值"),
        min_value=0,
        max_digits=14,
        decimal_places=4,
        help_text=_("行政许可、行政处罚、行政强制填处理决定件数；行政事业性收费填金额（万元）。"),
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("修改已录入的数值时必填，说明修改理由和数据来源。"),
    )


class LockForm(forms.Form):
    reason = forms.CharField(
        label=_("锁定说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class UnlockForm(forms.Form):
    unlock_reason = forms.CharField(label=_("解锁理由"), widget=forms.Textarea(attrs={"rows": 2}))
