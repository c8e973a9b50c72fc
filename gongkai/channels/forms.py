from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from gongkai.catalogue.models import DisclosureItem
from gongkai.orgs.models import Organisation

from .models import Broadcast, Channel, Issue


class ItemChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        date = obj.published_on
        return f"{obj.title}（{obj.category.name}，{date:%Y-%m-%d}）" if date else obj.title


class ChannelSelectionForm(forms.Form):
    channels = forms.ModelMultipleChoiceField(
        label=_("发布渠道"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, channels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = channels
        self.fields["channels"].label_from_instance = lambda c: (
            f"{c.name}（{c.get_kind_display()}）"
        )


class IssueComposeForm(forms.Form):
    number = forms.IntegerField(label=_("期号"), min_value=1)
    date = forms.DateField(label=_("出版日期"), widget=forms.DateInput(attrs={"type": "date"}))
    copies = forms.IntegerField(label=_("印数（份）"), min_value=0)
    page_size = forms.ChoiceField(label=_("纸张"), choices=Issue.PageSize.choices)
    columns = forms.TypedChoiceField(
        label=_("栏数"), coerce=int, choices=[(2, _("两栏")), (3, _("三栏"))]
    )
    items = ItemChoiceField(
        label=_("刊登的信息（只列出已通过审查的信息）"),
        queryset=DisclosureItem.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = DisclosureItem.objects.filter(
            pk__in=[c.pk for c in candidates]
        ).select_related("category")


class BroadcastForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=Broadcast.Kind.choices,
        widget=forms.RadioSelect,
        initial=Broadcast.Kind.ITEM,
    )
    item = forms.ModelChoiceField(
        label=_("政府信息"), queryset=DisclosureItem.objects.none(), required=False
    )
    title = forms.CharField(label=_("公益广告标题"), max_length=300, required=False)
    programme = forms.CharField(label=_("节目"), max_length=100, required=False)
    aired_at = forms.DateTimeField(
        label=_("播出时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
    )
    minutes = forms.IntegerField(label=_("时长（分）"), min_value=0, max_value=1440, initial=0)
    seconds = forms.IntegerField(label=_("（秒）"), min_value=0, max_value=59, initial=0)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["aired_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean(self):
        data = super().clean()
        if data.get("kind") == Broadcast.Kind.ITEM and not data.get("item"):
            self.add_error("item", _("请选择播出的政府信息。"))
        if data.get("kind") == Broadcast.Kind.ADVERT and not (data.get("title") or "").strip():
            self.add_error("title", _("公益广告须填写标题。"))
        if (data.get("minutes") or 0) * 60 + (data.get("seconds") or 0) <= 0:
            self.add_error("minutes", _("请填写时长。"))
        return data


class MarkPostedForm(forms.Form):
    external_ref = forms.CharField(
        label=_("平台上的链接或编号（可空）"), max_length=500, required=False
    )


class NoticePrintForm(forms.Form):
    copies = forms.IntegerField(label=_("份数"), min_value=1, max_value=100, initial=1)


class ScopedOrganisationForm(WagtailAdminModelForm):
    """Admin form whose organisation choices are limited to where the user may act."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("organisation")
        user = getattr(self, "for_user", None)
        if field is None or user is None or user.is_superuser:
            return
        from .permissions import POLICIES

        ids = POLICIES[self._meta.model].org_ids_for(user, ["add", "change"])
        if ids is not None:
            field.queryset = Organisation.objects.filter(pk__in=ids)
