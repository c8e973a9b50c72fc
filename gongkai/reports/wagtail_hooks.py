from django.contrib import messages
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.components import Component
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.permissions import OrganisationScopedPolicy
from gongkai.orgs.selectors import user_active_roles
from gongkai.orgs.wagtail_hooks import OrganisationScopedViewSet

from . import views
from .locks import PeriodLocked
from .models import JointMeeting, OfficeRule, TrainingSession
from .selectors import report_status, user_report_organisation_ids


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path("reports/", views.report_index, name="reports_index"),
        # Before the report routes: "figures" would otherwise be read as a format.
        path(
            "reports/<slug:code>/<int:year>/figures/", views.staff_figures, name="reports_figures"
        ),
        path(
            "reports/<slug:code>/<int:year>/<str:fmt>/",
            views.report_preview,
            name="reports_preview",
        ),
        path(
            "reports/<slug:code>/<int:year>/<str:fmt>/export/<str:kind>/",
            views.report_export,
            name="reports_export",
        ),
        path(
            "reports/<slug:code>/<int:year>/<str:fmt>/chart/<str:kind>.png",
            views.report_chart,
            name="reports_chart",
        ),
        path(
            "reports/<slug:code>/<int:year>/<str:fmt>/statistics/",
            views.report_statistics,
            name="reports_statistics",
        ),
    ]


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(user_report_organisation_ids(user=request.user, action="view"))


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        gettext_lazy("年度报告"), reverse("reports_index"), icon_name="doc-full", order=700
    )


@hooks.register("register_log_actions")
def register_report_log_actions(actions):
    actions.register_action("gongkai.report.figure", _("录入统计数据"), _("录入统计数据"))
    actions.register_action("gongkai.report.lock", _("锁定报告期"), _("锁定报告期"))
    actions.register_action("gongkai.report.unlock", _("解锁报告期"), _("解锁报告期"))
    actions.register_action("gongkai.report.submit", _("报告提交审核"), _("报告提交审核"))
    actions.register_action(
        "gongkai.report.publish_draft", _("生成报告发布草稿"), _("生成报告发布草稿")
    )


# ---- Work records (snippets scoped to the organisation tree) ----------------------------


class JointMeetingViewSet(OrganisationScopedViewSet):
    model = JointMeeting
    icon = "group"
    menu_label = gettext_lazy("联席会议")
    list_display = ["held_on", "title", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["title", "topics"]
    panels = [
        FieldPanel("organisation"),
        FieldPanel("held_on"),
        FieldPanel("title"),
        FieldPanel("attendees"),
        FieldPanel("topics"),
        FieldPanel("decisions"),
    ]


class TrainingSessionViewSet(OrganisationScopedViewSet):
    model = TrainingSession
    icon = "user"
    menu_label = gettext_lazy("培训")
    list_display = ["held_on", "title", "trainer", "attendee_count", "organisation"]
    list_filter = ["organisation"]
    search_fields = ["title", "trainer"]
    panels = [
        FieldPanel("organisation"),
        FieldPanel("held_on"),
        FieldPanel("title"),
        FieldPanel("trainer"),
        FieldPanel("attendee_count"),
        FieldPanel("attendee_names"),
        FieldPanel("materials"),
    ]


class OfficeRuleViewSet(OrganisationScopedViewSet):
    model = OfficeRule
    icon = "doc-full"
    menu_label = gettext_lazy("工作制度与计划")
    list_display = ["title", "kind", "adopted_on", "plan_year", "organisation"]
    list_filter = ["kind", "organisation"]
    search_fields = ["title"]
    panels = [
        FieldPanel("organisation"),
        FieldPanel("title"),
        FieldPanel("kind"),
        FieldPanel("adopted_on"),
        FieldPanel("plan_year"),
        FieldPanel("document_number"),
        FieldPanel("document"),
    ]


class WorkRecordsGroup(SnippetViewSetGroup):
    items = (JointMeetingViewSet, TrainingSessionViewSet, OfficeRuleViewSet)
    menu_icon = "clipboard-list"
    menu_label = gettext_lazy("公开工作记录")
    menu_name = "report_work_records"
    menu_order = 710


for _model in (JointMeeting, TrainingSession, OfficeRule):
    register_permission_policy(_model, OrganisationScopedPolicy(_model))
register_snippet(WorkRecordsGroup)


# ---- Locked report periods ----------------------------------------------------------------


@hooks.register("before_edit_snippet")
def warn_editing_in_locked_period(request, instance):
    """Opening an item dated in a locked report period says so at once.

    The page still opens, so the item can be read. Saving is refused by the item form
    (catalogue.forms.DisclosureItemForm, through catalogue.services.item_period_check), which
    shows the error next to the date and keeps what was typed.
    """
    from gongkai.catalogue.models import DisclosureItem
    from gongkai.catalogue.services import item_period_check

    if not isinstance(instance, DisclosureItem) or request.method != "GET":
        return None
    try:
        item_period_check(item=instance, before=instance)
    except PeriodLocked as exc:
        messages.warning(request, " ".join(exc.messages))
    return None


# ---- Dashboard ----------------------------------------------------------------------------


class ReportDuePanel(Component):
    name = "annual_report_due"
    template_name = "reports/dashboard_panel.html"
    order = 120

    def __init__(self, statuses):
        self.statuses = statuses

    def get_context_data(self, parent_context=None):
        return {"statuses": self.statuses}


@hooks.register("construct_homepage_panels")
def add_report_due_panel(request, panels):
    roots = {
        org_id
        for role, org_id in user_active_roles(user=request.user)
        if role in (Role.ADMIN, Role.LEADING_GROUP, Role.APPROVER)
    }
    if request.user.is_superuser and not roots:
        roots = set(Organisation.objects.filter(parent__isnull=True).values_list("id", flat=True))
    if not roots:
        return
    today = timezone.localdate()
    statuses = [
        report_status(organisation=org, year=today.year - 1, today=today)
        for org in Organisation.objects.filter(id__in=roots).order_by("sort_order", "id")
    ]
    panels.append(ReportDuePanel(statuses))
