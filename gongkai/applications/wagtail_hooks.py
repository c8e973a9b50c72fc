from django.urls import include, path, reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, HelpPanel
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from gongkai.orgs.permissions import OrganisationScopedPolicy
from gongkai.orgs.wagtail_hooks import OrganisationScopedViewSet

from . import admin_views
from .letters import PLACEHOLDERS
from .models import Application, ApplicationDesk, LetterTemplate
from .permissions import application_policy, organisation_ids_for

register_permission_policy(Application, application_policy)
register_permission_policy(ApplicationDesk, OrganisationScopedPolicy(ApplicationDesk))

admin_urlpatterns = [
    path("", admin_views.workbench, name="workbench"),
    path("new/", admin_views.intake, name="intake"),
    path("<int:pk>/", admin_views.case, name="case"),
    path("<int:pk>/reveal/", admin_views.case_reveal, name="reveal"),
    path("<int:pk>/do/<slug:action>/", admin_views.case_action, name="action"),
    path("<int:pk>/letters/<slug:key>.<slug:fmt>", admin_views.case_letter, name="letter"),
    path("<int:pk>/documents/<int:document_pk>/", admin_views.case_document, name="document"),
    path("<int:pk>/receipt/", admin_views.case_receipt, name="receipt"),
    path("<int:pk>/receipt.pdf", admin_views.case_receipt_pdf, name="receipt_pdf"),
]


@hooks.register("register_admin_urls")
def register_workbench_urls():
    return [
        path(
            "applications/",
            include((admin_urlpatterns, "applications_admin"), namespace="applications_admin"),
        )
    ]


class WorkbenchMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or bool(organisation_ids_for(request.user, "view"))


@hooks.register("register_admin_menu_item")
def register_workbench_menu_item():
    return WorkbenchMenuItem(
        _("依申请公开"), reverse("applications_admin:workbench"), icon_name="mail", order=300
    )


ACTION_LABELS = {
    "receive": _("登记依申请公开申请"),
    "assign": _("指定经办人"),
    "request_correction": _("发出补正通知"),
    "receive_correction": _("收到补正申请"),
    "consult": _("征求意见"),
    "end_consultation": _("征求意见结束"),
    "fee_notice": _("发出收费通知"),
    "fee_notice_received": _("收费通知送达"),
    "fee_paid": _("缴纳信息处理费"),
    "extend": _("批准延长答复期限"),
    "reply": _("作出答复"),
    "abandon": _("视为放弃申请"),
    "attach": _("附上提供的信息"),
    "deliver": _("送达"),
    "note": _("添加备注"),
    "reveal": _("查看申请人完整个人信息"),
}


@hooks.register("register_log_actions")
def register_application_log_actions(actions):
    for name, label in ACTION_LABELS.items():
        actions.register_action(f"gongkai.applications.{name}", label, label)


def _placeholder_help():
    return format_html_join(
        "",
        "<li><code>{{{}}}</code>：{}</li>",
        ((name, text) for name, text in PLACEHOLDERS.items()),
    )


class LetterTemplateViewSet(SnippetViewSet):
    model = LetterTemplate
    icon = "doc-full"
    menu_label = _("告知书模板")
    list_display = ["title", "key", "updated_at"]

    @property
    def panels(self):
        return [
            FieldPanel("key"),
            FieldPanel("title"),
            FieldPanel("body"),
            HelpPanel(
                content=_(
                    "<p>可用的占位符：</p><ul>%(items)s</ul><p>答复书末尾的行政复议、行政诉讼"
                    "告知段落由系统自动加上，不在模板中。</p>"
                )
                % {"items": _placeholder_help()},
                heading=_("占位符"),
            ),
        ]


class ApplicationDeskViewSet(OrganisationScopedViewSet):
    model = ApplicationDesk
    icon = "home"
    menu_label = _("申请受理机关")
    list_display = ["organisation", "prefix", "accepts_online"]
    panels = [
        FieldPanel("organisation"),
        FieldPanel("prefix"),
        FieldPanel("accepts_online"),
        FieldPanel("intro"),
    ]


class ApplicationSettingsGroup(SnippetViewSetGroup):
    items = (LetterTemplateViewSet, ApplicationDeskViewSet)
    menu_icon = "cog"
    menu_label = _("依申请公开设置")
    menu_name = "applications-settings"
    menu_order = 310


register_snippet(ApplicationSettingsGroup)
