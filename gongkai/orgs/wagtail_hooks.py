from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import views
from .models import Organisation, RoleAssignment, Roster
from .permissions import OrganisationScopedPolicy
from .selectors import user_active_roles
from .services import user_groups_sync


class OrganisationScopedViewSet(SnippetViewSet):
    """Lists only what the user's roles reach in the organisation tree."""

    def get_queryset(self, request):
        policy = policy_registry.get_by_type(self.model)
        return policy.instances_user_has_any_permission_for(request.user, ["view", "change"])


class OrganisationViewSet(OrganisationScopedViewSet):
    model = Organisation
    icon = "site"
    menu_label = _("组织")
    list_display = ["name", "code", "kind", "parent", "credit_code"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("short_name"),
                FieldPanel("code"),
                FieldPanel("kind"),
                FieldPanel("parent"),
            ],
            heading=_("基本信息"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("credit_code"),
                FieldPanel("address"),
                FieldPanel("postcode"),
                FieldPanel("phone"),
                FieldPanel("fax"),
                FieldPanel("email"),
                FieldPanel("website"),
                FieldPanel("office_hours"),
            ],
            heading=_("代码与联系方式"),
        ),
        FieldPanel("sort_order"),
        FieldPanel("is_active"),
    ]


class RoleAssignmentViewSet(OrganisationScopedViewSet):
    model = RoleAssignment
    icon = "user"
    menu_label = _("角色任职")
    list_display = ["user", "organisation", "role", "granted_at", "ended_at"]
    list_filter = ["role", "organisation"]
    panels = [
        FieldPanel("user"),
        FieldPanel("organisation"),
        FieldPanel("role"),
        FieldPanel("ended_at"),
    ]


class RosterViewSet(OrganisationScopedViewSet):
    model = Roster
    icon = "clipboard-list"
    menu_label = _("领导小组名单")
    list_display = ["organisation", "title", "adopted_on", "filed_on", "filed_with"]
    panels = [
        FieldPanel("organisation"),
        FieldPanel("title"),
        FieldPanel("adopted_on"),
        FieldPanel("filed_on"),
        FieldPanel("filed_with"),
        FieldPanel("notes"),
        InlinePanel("members", label=_("小组成员"), min_num=1),
    ]


class OrgsGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, RoleAssignmentViewSet, RosterViewSet)
    menu_icon = "group"
    menu_label = _("组织与人员")
    menu_name = "orgs"
    menu_order = 900


register_permission_policy(Organisation, OrganisationScopedPolicy(Organisation, owner_field="id"))
register_permission_policy(RoleAssignment, OrganisationScopedPolicy(RoleAssignment))
register_permission_policy(Roster, OrganisationScopedPolicy(Roster))
register_snippet(OrgsGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def sync_groups_after_role_change(request, instance):
    # Groups are derived from roles: whenever an assignment is saved in the admin, re-derive.
    if isinstance(instance, RoleAssignment):
        user_groups_sync(user=instance.user)


@hooks.register("before_edit_snippet")
@hooks.register("before_delete_snippet")
def refuse_outside_the_subtree(request, instance):
    # Model-level permission is not enough: the instance must be in the user's subtree.
    instances = instance if isinstance(instance, list) else [instance]
    for obj in instances:
        policy = policy_registry.get_by_type(type(obj))
        if isinstance(policy, OrganisationScopedPolicy) and not (
            policy.user_has_any_permission_for_instance(request.user, ["change", "view"], obj)
        ):
            raise PermissionDenied


@hooks.register("construct_settings_menu")
def hide_groups_menu(request, menu_items):
    # Groups are derived from roles in code and must never be edited by hand.
    menu_items[:] = [item for item in menu_items if item.name != "groups"]


@hooks.register("register_admin_urls")
def register_roster_status_url():
    return [path("orgs/roster-status/", views.roster_status, name="orgs_roster_status")]


class RosterStatusMenuItem(MenuItem):
    def is_shown(self, request):
        if request.user.is_superuser:
            return True
        return any(
            role in ("admin", "leading_group") for role, _ in user_active_roles(user=request.user)
        )


@hooks.register("register_admin_menu_item")
def register_roster_status_menu_item():
    return RosterStatusMenuItem(
        _("名单备案情况"), reverse("orgs_roster_status"), icon_name="tasks", order=910
    )
