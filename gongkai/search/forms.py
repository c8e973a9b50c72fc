"""The public search form: a query and optional filters, all read from GET.

A bad value in one filter (a hand-edited URL) drops that filter with a notice; it never turns
the page into an error. The query itself is not length-checked here: search_items cuts it at
200 characters and says so, which is kinder than refusing it.
"""

from django import forms
from django.db.models import Max, Min
from django.utils.translation import gettext_lazy as _

from gongkai.catalogue.models import Category, ColumnPage, DisclosureItem
from gongkai.catalogue.selectors import items_public
from gongkai.orgs.models import Organisation

SCOPE_SITE = "site"
SCOPE_ALL = "all"


def _year_choices():
    span = items_public().aggregate(first=Min("published_date"), last=Max("published_date"))
    if not span["first"]:
        return []
    return [(str(y), str(y)) for y in range(span["last"].year, span["first"].year - 1, -1)]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("检索词"), required=False, strip=True)
    organisation = forms.TypedChoiceField(
        label=_("发布机构"), required=False, coerce=int, empty_value=None
    )
    column = forms.TypedChoiceField(label=_("栏目"), required=False, coerce=int, empty_value=None)
    category = forms.TypedChoiceField(
        label=_("信息类别"), required=False, coerce=int, empty_value=None
    )
    year = forms.TypedChoiceField(label=_("年份"), required=False, coerce=int, empty_value=None)
    validity = forms.ChoiceField(label=_("有效性"), required=False)
    document_number = forms.CharField(
        label=_("文号"),
        required=False,
        max_length=100,
        help_text=_("例如：东府办函〔2012〕53号，括号怎么输入都可以"),
    )
    scope = forms.ChoiceField(
        label=_("范围"),
        required=False,
        choices=[(SCOPE_SITE, _("本网站")), (SCOPE_ALL, _("全部网站"))],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)

    FILTER_FIELDS = ("organisation", "column", "category", "year", "validity", "document_number")

    def __init__(self, *args, site_root=None, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("不限"))]
        self.fields["organisation"].choices = anything + [
            (o.pk, o.name) for o in Organisation.objects.filter(is_active=True).order_by("pk")
        ]
        self.fields["category"].choices = anything + [
            (c.pk, c.name)
            for c in Category.objects.filter(scheme=Category.Scheme.INFO, is_active=True)
        ]
        self.fields["year"].choices = anything + _year_choices()
        self.fields["validity"].choices = anything + list(DisclosureItem.Validity.choices)
        columns = ColumnPage.objects.live()
        if site_root is not None:
            columns = columns.descendant_of(site_root)
        self.fields["column"].choices = anything + [
            (c.pk, ("　" * max(0, c.depth - 3)) + c.title) for c in columns.order_by("path")[:300]
        ]

    def search_filters(self) -> tuple[dict, list[str]]:
        """(filters for search_items, labels of fields whose values were not understood)."""
        filters, bad = {}, []
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        for name in self.FILTER_FIELDS:
            if name in self.errors:
                bad.append(str(self.fields[name].label))
                continue
            value = data.get(name)
            if value not in (None, ""):
                filters[name] = value
        return filters, bad

    def cleaned(self, name, default=None):
        self.is_valid()
        if name in self.errors:
            return default
        value = getattr(self, "cleaned_data", {}).get(name)
        return default if value in (None, "") else value
