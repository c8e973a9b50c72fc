from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import DayKind, WorkdayCalendarYear


class WorkdayCalendarYearForm(WagtailAdminModelForm):
    """Checks the year and its days together, with each error shown on the row it concerns."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        formset = self.formsets.get("special_days")
        if formset is not None:
            # The formset's own duplicate messages name the database columns
            # ("calendar_year 和 date"); say it in the clerk's words instead.
            formset.get_unique_error_message = lambda unique_check: _(
                "同一日期只能录入一次，请删除重复的行。"
            )
            formset.get_form_error = lambda: _("这一日期与上面的行重复。")

    def clean(self):
        cleaned = super().clean()
        year = cleaned.get("year")
        status = cleaned.get("status")
        formset = self.formsets.get("special_days")
        if year is None or formset is None:
            return cleaned
        rows = []
        for form in formset.forms:
            if not form.is_valid() or not form.cleaned_data or form.cleaned_data.get("DELETE"):
                continue
            day = form.cleaned_data.get("date")
            if day is not None and day.year != year:
                form.add_error(
                    "date",
                    _("日期 %(date)s 不在 %(year)s 年内。")
                    % {"date": f"{day:%Y-%m-%d}", "year": year},
                )
                continue
            rows.append((day, form.cleaned_data.get("kind"), form.cleaned_data.get("name")))
        if status == WorkdayCalendarYear.Status.ACTIVE and not any(
            kind == DayKind.HOLIDAY for _day, kind, _name in rows
        ):
            self.add_error("status", _("已生效的年度安排至少要有一个放假日期。"))
        return cleaned
