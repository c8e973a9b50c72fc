"""The channels admin: a "发布渠道" menu, the item's "发布渠道" page, and the records."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
)
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from gongkai.catalogue.models import DisclosureItem
from gongkai.orgs.wagtail_hooks import OrganisationScopedViewSet

from .forms import ScopedOrganisationForm
from .models import Channel, NewsRelease, OutsideArticle, PressConference
from .permissions import POLICIES, channel_policy, delivery_policy, user_may
from .views import admin as views

for model, policy in POLICIES.items():
    register_permission_policy(model, policy)


def _form(*panels):
    # The organisation list in the form offers only where the user may act.
    return ObjectList(list(panels), base_form_class=ScopedOrganisationForm)


class ChannelViewSet(OrganisationScopedViewSet):
    model = Channel
    icon = "radio-full"
    menu_label = _("渠道设置")
    list_display = ["name", "kind", "organisation", "slug", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "slug"]
    edit_handler = _form(
        MultiFieldPanel(
            [
                FieldPanel("organisation"),
                FieldPanel("kind"),
                FieldPanel("name"),
                FieldPanel("slug"),
                PageChooserPanel("column", "catalogue.ColumnPage"),
            ],
            heading=_("基本信息"),
        ),
        FieldPanel("config"),
        FieldPanel("secret"),
        FieldRowPanel([FieldPanel("active"), FieldPanel("sort_order")]),
    )


class PressConferenceViewSet(OrganisationScopedViewSet):
    model = PressConference
    icon = "group"
    menu_label = _("新闻发布会")
    list_display = ["title", "held_on", "organisation"]
    search_fields = ["title"]
    edit_handler = _form(
        FieldPanel("organisation"),
        FieldPanel("title"),
        FieldPanel("held_on"),
        FieldPanel("venue"),
        FieldPanel("topics"),
        FieldPanel("media_attending"),
        FieldPanel("notes"),
    )


class NewsReleaseViewSet(OrganisationScopedViewSet):
    model = NewsRelease
    icon = "doc-full"
    menu_label = _("新闻发布")
    list_display = ["title", "released_on", "form", "is_major"]
    list_filter = ["form", "is_major"]
    search_fields = ["title"]
    edit_handler = _form(
        FieldPanel("organisation"),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("released_on"), FieldPanel("form"), FieldPanel("is_major")]),
        FieldPanel("conference"),
        FieldPanel("summary"),
    )


class OutsideArticleViewSet(OrganisationScopedViewSet):
    model = OutsideArticle
    icon = "link-external"
    menu_label = _("外部媒体发稿")
    list_display = ["title", "outlet", "published_on"]
    list_filter = ["outlet"]
    search_fields = ["title", "outlet"]
    edit_handler = _form(
        FieldPanel("organisation"),
        FieldRowPanel([FieldPanel("outlet"), FieldPanel("published_on")]),
        FieldPanel("title"),
        FieldPanel("url"),
        FieldPanel("release"),
    )


class ChannelsGroup(SnippetViewSetGroup):
    items = (ChannelViewSet, PressConferenceViewSet, NewsReleaseViewSet, OutsideArticleViewSet)
    menu_icon = "radio-full"
    menu_label = _("发布渠道")
    menu_name = "channels"
    menu_order = 300
    submenu_hook = "register_channels_menu_item"


register_snippet(ChannelsGroup)


class _PolicyMenuItem(MenuItem):
    def __init__(self, *args, policy, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy = policy

    def is_shown(self, request):
        return self.policy.user_has_permission(request.user, "view")


@hooks.register("register_channels_menu_item")
def register_workbench_menu_item():
    return _PolicyMenuItem(
        _("渠道工作台"),
        reverse("channels_index"),
        icon_name="radio-full",
        order=0,
        policy=channel_policy,
    )


@hooks.register("register_channels_menu_item")
def register_deliveries_menu_item():
    return _PolicyMenuItem(
        _("发布记录"),
        reverse("channels_deliveries"),
        icon_name="list-ul",
        order=10,
        policy=delivery_policy,
    )


@hooks.register("register_channels_menu_item")
def register_counts_menu_item():
    return _PolicyMenuItem(
        _("渠道统计"),
        reverse("channels_counts"),
        icon_name="table",
        order=20,
        policy=channel_policy,
    )


@hooks.register("register_admin_urls")
def register_channels_admin_urls():
    return [
        path("channels/", views.index, name="channels_index"),
        path("channels/counts/", views.counts, name="channels_counts"),
        path("channels/deliveries/", views.deliveries, name="channels_deliveries"),
        path("channels/item/<int:item_id>/", views.item_channels, name="channels_item"),
        path(
            "channels/deliveries/<int:pk>/retry/",
            views.delivery_retry,
            name="channels_delivery_retry",
        ),
        path(
            "channels/deliveries/<int:delivery_id>/print/",
            views.notice_print,
            name="channels_notice_print",
        ),
        path("channels/<int:channel_id>/outbox/", views.outbox, name="channels_outbox"),
        path("channels/posts/<int:pk>/posted/", views.post_posted, name="channels_post_posted"),
        path("channels/<int:channel_id>/issues/", views.issues, name="channels_issues"),
        path(
            "channels/<int:channel_id>/issues/compose/",
            views.issue_compose,
            name="channels_issue_compose",
        ),
        path("channels/issues/<int:pk>/", views.issue_detail, name="channels_issue"),
        path("channels/issues/<int:pk>/render/", views.issue_render, name="channels_issue_render"),
        path(
            "channels/issues/<int:pk>/<str:fmt>/",
            views.issue_file,
            name="channels_issue_file",
        ),
        path("channels/<int:channel_id>/tv/", views.tv_log, name="channels_tv_log"),
    ]


@hooks.register("register_log_actions")
def register_channels_log_actions(actions):
    actions.register_action("gongkai.channels.dispatch", _("发布到渠道"), _("发布到渠道"))
    actions.register_action("gongkai.channels.select", _("选择发布渠道"), _("选择发布渠道"))
    actions.register_action("gongkai.channels.retry", _("重试渠道发布"), _("重试渠道发布"))
    actions.register_action("gongkai.channels.notice_print", _("打印公告"), _("打印公告"))


# --- reaching "发布渠道" from the item admin (which belongs to the catalogue) ----------------


def _may_see_item_channels(user, item) -> bool:
    return user_may(user, delivery_policy, "view", item.organisation_id)


@hooks.register("register_snippet_listing_buttons")
def item_channels_listing_button(snippet, user, next_url=None):
    if isinstance(snippet, DisclosureItem) and _may_see_item_channels(user, snippet):
        yield Button(
            _("发布渠道"),
            reverse("channels_item", args=[snippet.pk]),
            icon_name="radio-full",
            priority=60,
        )


class ItemChannelsMenuItem(ActionMenuItem):
    name = "action-channels"
    label = _("发布渠道")
    icon_name = "radio-full"
    order = 90

    def is_shown(self, context):
        instance = context.get("instance")
        return (
            context.get("view") == "edit"
            and isinstance(instance, DisclosureItem)
            and _may_see_item_channels(context["request"].user, instance)
        )

    def get_url(self, parent_context):
        return reverse("channels_item", args=[parent_context["instance"].pk])


@hooks.register("register_snippet_action_menu_item")
def register_item_channels_action(model):
    if model is DisclosureItem:
        return ItemChannelsMenuItem()
    return None
