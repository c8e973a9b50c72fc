"""The catalogue's staff side: items and categories as Wagtail snippets, withdrawal, no deletion."""

from functools import wraps

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.panels import (
    FieldPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PublishingPanel,
)
from wagtail.admin.panels.base import get_form_for_model
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn, StatusTagColumn, UpdatedAtColumn
from wagtail.admin.widgets import Button
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)
from wagtail.snippets.views.snippets import (
    CreateView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from gongkai.orgs.models import Organisation
from gongkai.orgs.permissions import OrganisationScopedPolicy
from gongkai.orgs.selectors import user_organisation_ids
from gongkai.orgs.wagtail_hooks import OrganisationScopedViewSet

from . import selectors
from .admin_views import item_withdraw_view
from .forms import AttachmentForm, DisclosureItemForm, organisations_for_items
from .models import Category, DisclosureItem, ItemStatus
from .models.items import ItemPublishRevisionAction
from .services import item_assign_index_number


@hooks.register("register_actions")
def register_catalogue_actions(registry):
    # The snippet API publishes through the registry; the model's publish() uses the same class.
    registry.register(DisclosureItem, ItemPublishRevisionAction)


@hooks.register("register_log_actions")
def register_catalogue_log_actions(actions):
    actions.register_action("gongkai.withdraw", _("撤回"), _("撤回"))


# --- reading an item's state for staff --------------------------------------------------------


# A live item whose newer revision is in review or sent back stays public as it was; staff see
# both facts.
LIVE_WITH_CHANGES = {
    ItemStatus.IN_REVIEW: _("已发布（修改审核中）"),
    ItemStatus.SENT_BACK: _("已发布（修改已退回）"),
}


def item_status_label(item: DisclosureItem) -> str:
    """The status column's text. Reads the annotation of selectors.items_with_status when the
    list made it (no query per row), else asks the database about this one item."""
    if hasattr(item, "item_status"):
        status, scheduled_at = item.item_status, item.item_scheduled_at
    else:
        status, scheduled_at = selectors.item_status(item=item)
    if status == ItemStatus.SCHEDULED and scheduled_at is not None:
        when = date_format(localtime(scheduled_at), "Y-m-d H:i")
        if item.live:
            return gettext("已发布（修改定时于 %(when)s 发布）") % {"when": when}
        return gettext("定时发布（%(when)s）") % {"when": when}
    if item.live and status in LIVE_WITH_CHANGES:
        return str(LIVE_WITH_CHANGES[status])
    if status == ItemStatus.DRAFT and item.go_live_at:
        return gettext("草稿（设有上线时间）")
    return str(ItemStatus(status).label) if status in ItemStatus.values else ""


def item_late_label(item: DisclosureItem) -> str:
    late = selectors.item_is_late(item)
    if late is None:
        return gettext("无法计算")
    return gettext("超时") if late else ""


# --- forms and panels -------------------------------------------------------------------------


class AttachmentInlinePanel(InlinePanel):
    """An InlinePanel whose child form checks each file by its content (AttachmentForm)."""

    def get_form_options(self):
        options = super().get_form_options()
        child_opts = self.child_edit_handler.get_form_options()
        options["formsets"][self.relation_name]["form"] = get_form_for_model(
            self.db_field.related_model,
            form_class=AttachmentForm,
            fields=child_opts.get("fields", []),
            defer_required_on_fields=child_opts.get("defer_required_on_fields", []),
        )
        return options


ITEM_PANELS = [
    MultiFieldPanel(
        [
            FieldPanel("title", required_on_save=True),
            FieldPanel("summary"),
            # A plain list: it shows exactly the organisations the user may choose.
            FieldPanel("organisation", widget=forms.Select),
            FieldPanel("publisher"),
            FieldPanel("created_date"),
            FieldPanel("document_number"),
            FieldPanel("genre"),
            FieldPanel("subject"),
            FieldPanel("category"),
            FieldPanel("keywords"),
        ],
        heading=_("基本信息"),
    ),
    MultiFieldPanel(
        [
            FieldPanel("validity"),
            FieldPanel("effective_from"),
            FieldPanel("validity_changed_on"),
            FieldPanel("replaced_by"),
            FieldPanel("regulatory_kind"),
        ],
        heading=_("有效性"),
    ),
    MultiFieldPanel(
        [FieldPanel("disclosure_mode"), FieldPanel("withheld_reason")],
        heading=_("公开方式"),
    ),
    MultiFieldPanel([FieldPanel("body")], heading=_("正文")),
    AttachmentInlinePanel(
        "attachments",
        panels=[FieldPanel("title"), FieldPanel("file")],
        heading=_("附件"),
        label=_("附件"),
    ),
    MultiFieldPanel([FieldPanel("columns")], heading=_("栏目")),
    PublishingPanel(),
]


# --- list filters -----------------------------------------------------------------------------


def _year_choices():
    years = DisclosureItem.objects.dates("created_date", "year", order="DESC")
    return [(d.year, str(d.year)) for d in years]


class DisclosureItemFilterSet(WagtailFilterSet):
    organisation = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.none(), label=_("所属组织")
    )
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.filter(scheme=Category.Scheme.INFO), label=_("信息类别")
    )
    validity = django_filters.ChoiceFilter(
        choices=DisclosureItem.Validity.choices, label=_("有效性")
    )
    status = django_filters.ChoiceFilter(
        choices=ItemStatus.choices, label=_("状态"), method="filter_status"
    )
    live = django_filters.BooleanFilter(label=_("已发布"))
    withdrawn = django_filters.BooleanFilter(label=_("已撤回"), method="filter_withdrawn")
    year = django_filters.ChoiceFilter(
        choices=_year_choices, label=_("生成年份"), method="filter_year"
    )
    late = django_filters.BooleanFilter(label=_("超时"), method="filter_late")

    class Meta:
        model = DisclosureItem
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        orgs = Organisation.objects.all()
        if request is not None and not request.user.is_superuser:
            orgs = orgs.filter(id__in=user_organisation_ids(user=request.user))
        self.filters["organisation"].queryset = orgs

    def filter_status(self, queryset, name, value):
        if not value:
            return queryset
        return selectors.items_in_status(queryset=queryset, status=value)

    def filter_withdrawn(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(withdrawn_at__isnull=not value)

    def filter_year(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(created_date__year=int(value))

    def filter_late(self, queryset, name, value):
        if value is None:
            return queryset
        late = selectors.items_late(queryset=queryset).values("pk")
        if value:
            return queryset.filter(pk__in=late)
        return queryset.exclude(pk__in=late)


# --- views ------------------------------------------------------------------------------------


@hooks.register("insert_global_admin_css")
def catalogue_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("catalogue/admin.css"))


def item_status_column() -> StatusTagColumn:
    return StatusTagColumn(
        "status", label=_("状态"), accessor=item_status_label, primary=lambda i: i.is_public
    )


class DisclosureItemIndexView(IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("organisation", "category")
        return selectors.items_with_status(queryset)

    @cached_property
    def editable_organisation_ids(self) -> set[int]:
        return set(organisations_for_items(self.request.user).values_list("pk", flat=True))

    def can_change(self, instance) -> bool:
        return self.request.user.is_superuser or (
            instance.organisation_id in self.editable_organisation_ids
        )

    def get_edit_url(self, instance):
        # People who may only view (reviewers, leading group) open the read-only view.
        if self.can_change(instance):
            return super().get_edit_url(instance)
        return self.get_inspect_url(instance)

    def get_delete_url(self, instance):
        return None  # nothing is deleted (ARCHITECTURE.md): items are withdrawn instead

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if self.can_change(instance) and not instance.is_withdrawn:
            buttons.append(
                Button(
                    _("撤回"),
                    url=reverse("catalogue_item_withdraw", args=[instance.pk]),
                    icon_name="warning",
                    priority=50,
                )
            )
        return buttons


class DisclosureItemCreateView(CreateView):
    def save_instance(self):
        # 索引号: given once, when the item is first saved, by the rule in services.
        with transaction.atomic():
            item_assign_index_number(item=self.form.instance)
            return super().save_instance()


class DisclosureItemEditView(EditView):
    @cached_property
    def can_delete(self):
        return False

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        record = self.live_object
        policy = policy_registry.get_by_type(DisclosureItem)
        if not record.is_withdrawn and policy.user_has_permission_for_instance(
            self.request.user, "change", record
        ):
            buttons.append(
                Button(
                    _("撤回"),
                    url=reverse("catalogue_item_withdraw", args=[record.pk]),
                    icon_name="warning",
                    priority=25,
                )
            )
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.live_object
        context.update(
            item_record=record,
            item_status=item_status_label(record),
            item_late=selectors.item_is_late(record),
            item_deadline=selectors.item_deadline(record),
            proactive_days=selectors.proactive_days(),
        )
        return context


class DisclosureItemChooserFilterForm(BaseFilterForm):
    """The chooser's search box finds what the list's search box finds.

    Wagtail's chooser would search its full-text index, which matches whole words only, and
    Chinese has no spaces between words: “防汛” would not find “寮步镇关于做好防汛工作的通知”.
    A substring match on the same fields as the list (DisclosureItemViewSet.search_fields) does.
    """

    q = forms.CharField(
        label=_("搜索词"),
        widget=forms.TextInput(attrs={"placeholder": _("搜索")}),
        required=False,
    )

    def filter(self, objects):
        objects = super().filter(objects)
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            condition = Q()
            for field in DisclosureItemViewSet.search_fields:
                condition |= Q(**{f"{field}__icontains": query})
            objects = objects.filter(condition)
            self.is_searching = True
            self.search_query = query
        return objects


class ScopedChooseMixin:
    filter_form_class = DisclosureItemChooserFilterForm

    def get_object_list(self):
        policy = policy_registry.get_by_type(DisclosureItem)
        items = policy.instances_user_has_any_permission_for(self.request.user, ["view", "change"])
        return selectors.items_with_status(items)

    @property
    def columns(self):
        # Wagtail's status column asks the database twice per row (workflow, schedule); ours
        # reads the annotation made above.
        return [
            item_status_column() if isinstance(column, LiveStatusTagColumn) else column
            for column in super().columns
        ]


class DisclosureItemChooseView(ScopedChooseMixin, ChooseView):
    pass


class DisclosureItemChooseResultsView(ScopedChooseMixin, ChooseResultsView):
    pass


class DisclosureItemChooserViewSet(SnippetChooserViewSet):
    choose_view_class = DisclosureItemChooseView
    choose_results_view_class = DisclosureItemChooseResultsView


# Views of one item that only read it; every other per-item view (edit, lock, revert, …)
# changes it and needs the "change" permission on that item's organisation.
READ_ONLY_VIEWS = {
    "inspect",
    "history",
    "history_results",
    "usage",
    "revisions_view",
    "revisions_compare",
    "workflow_history",
    "workflow_history_detail",
    "workflow_preview",
}


def _scoped_to_instance(view, model, *, actions):
    """Every view of one item checks the organisation tree, not only the model permission.

    Wagtail checks that the user may change (or view) *some* item; the tree decides whether
    this item is one of them. A village editor who is also a town reviewer may read the town's
    items but edit only the village's.
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None:
            obj = model._default_manager.filter(pk=unquote(str(pk))).first()
            if obj is not None:
                policy = policy_registry.get_by_type(model)
                if not policy.user_has_any_permission_for_instance(request.user, actions, obj):
                    raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class DisclosureItemViewSet(OrganisationScopedViewSet):
    model = DisclosureItem
    icon = "doc-full"
    menu_label = _("政府信息")
    menu_name = "disclosure_items"
    list_per_page = 50
    copy_view_enabled = False  # a copy would carry the index number of the original
    inspect_view_enabled = True
    inspect_view_fields = [
        "index_number",
        "title",
        "summary",
        "organisation",
        "publisher",
        "created_date",
        "published_date",
        "document_number",
        "genre",
        "subject",
        "category",
        "keywords",
        "validity",
        "effective_from",
        "validity_changed_on",
        "replaced_by",
        "regulatory_kind",
        "disclosure_mode",
        "withheld_reason",
        "body",
        "withdrawn_at",
        "withdrawn_reason",
    ]
    index_view_class = DisclosureItemIndexView
    add_view_class = DisclosureItemCreateView
    edit_view_class = DisclosureItemEditView
    chooser_viewset_class = DisclosureItemChooserViewSet
    edit_template_name = "catalogue/admin/item_edit.html"
    filterset_class = DisclosureItemFilterSet
    search_fields = ["title", "index_number", "document_number", "summary", "keywords"]
    # Chinese has no spaces between words: plain substring search finds what people type
    # (Wagtail's index matches whole words only). The chooser searches the same way.
    search_backend_name = None
    list_display = [
        "title",
        Column("index_number", label=_("索引号"), sort_key="index_number"),
        Column("organisation", label=_("所属组织"), accessor="organisation.name"),
        Column("category", label=_("信息类别"), accessor="category.name"),
        Column("created_date", label=_("生成日期"), sort_key="created_date"),
        Column("published_on", label=_("发布日期"), sort_key="published_date"),
        item_status_column(),
        Column("late", label=_("超时"), accessor=item_late_label),
        UpdatedAtColumn(),
    ]
    edit_handler = ObjectList(ITEM_PANELS, base_form_class=DisclosureItemForm)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organisation", "category")

    def get_urlpatterns(self):
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            actions = ["view", "change"] if pattern.name in READ_ONLY_VIEWS else ["change"]
            pattern.callback = _scoped_to_instance(pattern.callback, self.model, actions=actions)
        return patterns


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    menu_label = _("分类")
    menu_name = "categories"
    copy_view_enabled = False
    list_display = [
        "name",
        Column("scheme", label=_("分类体系"), accessor="get_scheme_display"),
        "code",
        "sort_order",
        Column(
            "is_active",
            label=_("在用"),
            accessor=lambda c: gettext("是") if c.is_active else gettext("停用"),
        ),
    ]
    list_filter = ["scheme", "is_active"]
    search_fields = ["name", "code"]
    search_backend_name = None
    panels = [
        FieldPanel("scheme"),
        FieldPanel("name"),
        FieldPanel("code"),
        FieldPanel("sort_order"),
        FieldPanel("is_active", help_text=_("不再使用的分类请取消勾选；分类不能删除。")),
    ]


class CatalogueGroup(SnippetViewSetGroup):
    items = (DisclosureItemViewSet, CategoryViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("政府信息目录")
    menu_name = "catalogue"
    menu_order = 200


register_permission_policy(DisclosureItem, OrganisationScopedPolicy(DisclosureItem))
register_snippet(CatalogueGroup)


@hooks.register("register_admin_urls")
def register_catalogue_admin_urls():
    return [
        path(
            "catalogue/items/<int:pk>/withdraw/",
            item_withdraw_view,
            name="catalogue_item_withdraw",
        )
    ]


@hooks.register("before_delete_snippet", order=-100)
def refuse_deleting_catalogue_records(request, instances):
    # Nothing is deleted (ARCHITECTURE.md), not even by a superuser: an item is withdrawn
    # (撤回) with a reason, a category is deactivated.
    instances = instances if isinstance(instances, list) else [instances]
    items = [obj for obj in instances if isinstance(obj, DisclosureItem)]
    categories = [obj for obj in instances if isinstance(obj, Category)]
    if items:
        messages.error(
            request,
            gettext("政府信息不能删除。如需从公开渠道下线，请使用“撤回”并填写理由。"),
        )
        return redirect(reverse(DisclosureItem.snippet_viewset.get_url_name("list")))
    if categories:
        messages.error(request, gettext("分类不能删除。不再使用的分类请取消勾选“在用”。"))
        return redirect(reverse(Category.snippet_viewset.get_url_name("list")))
    return None
