import json

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.admin_url_finder import AdminURLFinder
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy
from wagtail.snippets.action_menu import ActionMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSetGroup

from gongkai.orgs.permissions import OrganisationScopedPolicy
from gongkai.orgs.wagtail_hooks import OrganisationScopedViewSet

from . import views
from .clearance import ReviewRequired, is_reviewed_model, revision_is_cleared
from .forms import OrganisationScopedForm, OrganisationWorkflowForm, organisations_for
from .models import AllowedPhrase, OrganisationWorkflow, SensitiveWord


class AddedByCreateView(CreateView):
    def save_instance(self):
        self.form.instance.added_by = self.request.user
        return super().save_instance()


class SensitiveWordIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if organisations_for(self.request.user, "review.view_sensitiveword").exists():
            buttons.append(
                HeaderButton(
                    _("导入/导出"),
                    url=reverse("review_word_list_transfer"),
                    icon_name="download",
                )
            )
        return buttons


class SensitiveWordViewSet(OrganisationScopedViewSet):
    model = SensitiveWord
    icon = "warning"
    menu_label = _("敏感词库")
    add_view_class = AddedByCreateView
    index_view_class = SensitiveWordIndexView
    list_display = ["word", "category", "organisation", "active", "updated_at"]
    list_filter = ["active", "category", "organisation"]
    search_fields = ["word", "category"]
    edit_handler = ObjectList(
        [
            FieldPanel("organisation"),
            FieldPanel("word"),
            FieldPanel("category"),
            FieldPanel("active"),
        ],
        base_form_class=OrganisationScopedForm,
    )


class AllowedPhraseViewSet(OrganisationScopedViewSet):
    model = AllowedPhrase
    icon = "tick"
    menu_label = _("放行短语")
    add_view_class = AddedByCreateView
    list_display = ["phrase", "organisation", "reason", "added_by", "active"]
    list_filter = ["active", "organisation"]
    search_fields = ["phrase", "reason"]
    edit_handler = ObjectList(
        [
            FieldPanel("organisation"),
            FieldPanel("phrase"),
            FieldPanel("reason"),
            FieldPanel("active"),
        ],
        base_form_class=OrganisationScopedForm,
    )


class SetByCreateView(CreateView):
    def save_instance(self):
        self.form.instance.set_by = self.request.user
        return super().save_instance()


class SetByEditView(EditView):
    def save_instance(self):
        self.form.instance.set_by = self.request.user
        return super().save_instance()


class OrganisationWorkflowViewSet(OrganisationScopedViewSet):
    """公开办管理员 choose which review workflow their organisation (and its subtree) uses.

    The workflows and their steps are defined under Settings → Workflows by the system
    administrator; only workflows with a 保密审查员 step can be chosen here.
    """

    model = OrganisationWorkflow
    icon = "tasks"
    menu_label = _("组织审查流程")
    add_view_class = SetByCreateView
    edit_view_class = SetByEditView
    list_display = ["organisation", "workflow", "set_by", "set_at"]
    list_filter = ["workflow"]
    edit_handler = ObjectList(
        [FieldPanel("organisation"), FieldPanel("workflow")],
        base_form_class=OrganisationWorkflowForm,
    )


class ReviewGroup(SnippetViewSetGroup):
    items = (SensitiveWordViewSet, AllowedPhraseViewSet, OrganisationWorkflowViewSet)
    menu_icon = "warning"
    menu_label = _("保密审查")
    menu_name = "review"
    menu_order = 300


register_permission_policy(SensitiveWord, OrganisationScopedPolicy(SensitiveWord))
register_permission_policy(AllowedPhrase, OrganisationScopedPolicy(AllowedPhrase))
register_permission_policy(OrganisationWorkflow, OrganisationScopedPolicy(OrganisationWorkflow))
register_snippet(ReviewGroup)


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path("review/words/transfer/", views.word_list_transfer, name="review_word_list_transfer"),
        path(
            "review/words/export/<int:organisation_id>/",
            views.word_list_download,
            name="review_word_list_export",
        ),
        path("review/items/<int:pk>/", views.item_review, name="review_item"),
        path(
            "review/items/<int:pk>/form.pdf",
            views.item_review_form_pdf,
            name="review_item_form_pdf",
        ),
    ]


@hooks.register("register_log_actions")
def register_review_log_actions(actions):
    actions.register_action("review.scan", _("保密审查扫描"), _("完成保密审查扫描"))
    actions.register_action("review.finding_override", _("放行扫描发现"), _("放行了一条扫描发现"))
    actions.register_action("review.word_list_import", _("导入敏感词库"), _("导入了敏感词库"))
    actions.register_action(
        "review.mask_id_numbers", _("遮挡身份证号"), _("遮挡了正文中的身份证号（另存为新版本）")
    )
    actions.register_action(
        "review.publish_refused", _("拒绝发布"), _("拒绝发布未经保密审查的版本")
    )


# ---------------------------------------------------------------------------------------------
# The item's editor: no way to publish but the workflow; links to the review page and form
# ---------------------------------------------------------------------------------------------


class ReviewPageMenuItem(ActionMenuItem):
    name = "review-page"
    label = _("扫描结果与审查记录")
    icon_name = "warning"
    order = 900

    def is_shown(self, context):
        return context.get("view") == "edit" and context.get("instance") is not None

    def get_url(self, parent_context):
        return reverse("review_item", args=[parent_context["instance"].pk])


class ReviewFormMenuItem(ReviewPageMenuItem):
    name = "review-form"
    label = _("打印保密审查单")
    icon_name = "doc-full"
    order = 910

    def get_url(self, parent_context):
        return reverse("review_item_form_pdf", args=[parent_context["instance"].pk])


@hooks.register("construct_snippet_action_menu")
def review_action_menu(menu_items, request, context):
    model = context.get("model")
    if model is None or not is_reviewed_model(model):
        return
    # Publishing happens only when the review workflow finishes; no button bypasses it,
    # not even for a superuser.
    menu_items[:] = [item for item in menu_items if item.name != "action-publish"]
    for extra in (ReviewPageMenuItem(), ReviewFormMenuItem()):
        if extra.is_shown(context):
            menu_items.append(extra)


def _edit_url(obj):
    return reverse(type(obj).snippet_viewset.get_url_name("edit"), args=[obj.pk])


@hooks.register("before_publish")
def refuse_publishing_outside_the_workflow(request, obj):
    # The admin's "Publish" (and "revert and publish") would publish the revision it has
    # just saved: never one a workflow cleared. The draft is kept; publishing is refused.
    if not is_reviewed_model(type(obj)):
        return None
    revision = obj.get_latest_revision()
    if revision is not None and revision_is_cleared(revision):
        return None
    messages.error(
        request,
        gettext("%(why)s 修改已保存为草稿，请点击“提交审查”。") % {"why": ReviewRequired().message},
    )
    return redirect(_edit_url(obj))


def _publish_asked_without_permission(request, model) -> bool:
    if request.method != "POST" or "action-publish" not in request.POST:
        return False
    return not request.user.has_perm(f"{model._meta.app_label}.publish_{model._meta.model_name}")


@hooks.register("before_create_snippet")
def tell_about_review_on_create(request, model):
    if is_reviewed_model(model) and _publish_asked_without_permission(request, model):
        messages.warning(
            request, gettext("政府信息须经保密审查和审批后才能发布：已保存为草稿，请提交审查。")
        )
    return None


@hooks.register("before_edit_snippet")
def check_review_requests_on_edit(request, obj):
    if not is_reviewed_model(type(obj)) or request.method != "POST":
        return None
    if _publish_asked_without_permission(request, type(obj)):
        messages.warning(
            request, gettext("政府信息须经保密审查和审批后才能发布：已保存为草稿，请提交审查。")
        )
    if "action-workflow-action" in request.POST and (
        request.POST.get("workflow-action-name") == "reject"
    ):
        # The modal's form requires an opinion; a request that skips the modal is refused
        # here too, before anything is saved.
        try:
            extra = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
        except ValueError:
            extra = {}
        if not str(extra.get("comment") or "").strip():
            messages.error(request, gettext("退回修改时必须写明意见。"))
            return redirect(_edit_url(obj))
    return None


@hooks.register("after_edit_snippet")
def restart_review_after_an_edit(request, obj):
    # Autosave (a JSON request) keeps saving while someone types; the review restarts when
    # they save for real.
    if not is_reviewed_model(type(obj)) or not request.accepts("text/html"):
        return None
    from .workflow import workflow_restart_if_edited

    live = type(obj)._default_manager.get(pk=obj.pk)
    if workflow_restart_if_edited(item=live, user=request.user):
        messages.info(request, gettext("内容已修改：保密审查从自动扫描重新开始。"))
    return None


@hooks.register("register_snippet_listing_buttons")
def review_listing_buttons(snippet, user, next_url=None):
    # The listing only holds items the user may see; the pages check again.
    if not is_reviewed_model(type(snippet)):
        return []
    return [
        Button(
            _("扫描结果与审查记录"),
            url=reverse("review_item", args=[snippet.pk]),
            icon_name="warning",
            priority=60,
        ),
        Button(
            _("保密审查单"),
            url=reverse("review_item_form_pdf", args=[snippet.pk]),
            icon_name="doc-full",
            priority=61,
        ),
    ]


class AwaitingReviewPanel(Component):
    """待我审查: the items at a step this person decides, linking to the review page (which
    shows the content under review, the scan results and the decision form)."""

    name = "review_awaiting"
    template_name = "review/home_awaiting.html"
    order = 210

    def get_context_data(self, parent_context):
        from wagtail.models import TaskState

        request = parent_context["request"]
        context = super().get_context_data(parent_context)
        rows = []
        states = (
            TaskState.objects.reviewable_by(request.user)
            .select_related("revision", "workflow_state__requested_by", "task")
            .order_by("started_at")
        )
        finder = AdminURLFinder(request.user)
        for state in states[:50]:
            obj = state.revision.content_object
            if obj is None:
                continue
            if is_reviewed_model(type(obj)):
                url = reverse("review_item", args=[obj.pk])
            else:
                url = finder.get_edit_url(obj)
            rows.append(
                {
                    "title": state.revision.object_str,
                    "step": state.task.name,
                    "since": state.started_at,
                    "by": state.workflow_state.requested_by,
                    "url": url,
                }
            )
        context["rows"] = rows
        return context


@hooks.register("construct_homepage_panels")
def add_awaiting_review_panel(request, panels):
    # Replaces Wagtail's "awaiting your review" panel: ours opens the review page, where the
    # content under review, the scan results and the decision are together.
    panels[:] = [p for p in panels if getattr(p, "name", "") != "workflow_objects_to_moderate"]
    panels.append(AwaitingReviewPanel())
