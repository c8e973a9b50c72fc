from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from gongkai.orgs.models import Organisation

from . import clearance, selectors, services
from .forms import DecisionForm, FindingOverrideForm, WordListImportForm, organisations_for
from .models import AutomaticScanTask, Finding, OrganisationRoleApprovalTask, SensitiveWord
from .selectors import word_list_export


class WordListImportView(WagtailAdminTemplateMixin, FormView):
    """Upload a word list file; the page also lists a download link per organisation."""

    form_class = WordListImportForm
    template_name = "review/word_list_transfer.html"
    page_title = gettext_lazy("导入/导出敏感词库")
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.importable = organisations_for(request.user, "review.add_sensitiveword")
        self.exportable = organisations_for(request.user, "review.view_sensitiveword")
        if not self.importable.exists() and not self.exportable.exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("wagtailsnippets_review_sensitiveword:list"), "label": _("敏感词库")},
            {"url": "", "label": self.page_title},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_import"] = self.importable.exists()
        context["exports"] = [
            {
                "organisation": org,
                "count": SensitiveWord.objects.filter(organisation=org, active=True).count(),
                "url": reverse("review_word_list_export", args=[org.pk]),
            }
            for org in self.exportable
        ]
        return context

    def form_valid(self, form):
        try:
            result = services.word_list_import(
                actor=self.request.user,
                organisation=form.cleaned_data["organisation"],
                text=form.word_list_text,
                replace=form.cleaned_data["replace"],
            )
        except PermissionDenied as exc:
            form.add_error("organisation", str(exc))
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("%(org)s 的敏感词库已导入：%(summary)s")
            % {"org": form.cleaned_data["organisation"].name, "summary": result.summary()},
        )
        for lineno, message in result.errors[:20]:
            messages.warning(
                self.request, _("第 %(n)s 行：%(msg)s") % {"n": lineno, "msg": message}
            )
        return redirect("review_word_list_transfer")


word_list_transfer = WordListImportView.as_view()


def word_list_download(request, organisation_id: int):
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not services.user_may(request.user, "review.view_sensitiveword", organisation):
        raise PermissionDenied
    inherited = request.GET.get("inherited") == "1"
    text = word_list_export(organisation=organisation, inherited=inherited)
    stamp = timezone.localtime().strftime("%Y%m%d")
    response = HttpResponse(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="words-{organisation.code}-{stamp}.txt"'
    )
    return response


# ---------------------------------------------------------------------------------------------
# The review of one item: scan results, overrides, masking, records, the 保密审查单
# ---------------------------------------------------------------------------------------------


def _item_or_404(pk):
    from gongkai.catalogue.models import DisclosureItem

    return get_object_or_404(DisclosureItem.objects.select_related("organisation"), pk=pk)


def user_may_see_review(user, item) -> bool:
    """Whoever may see or edit the item, or decide its current step."""
    from wagtail.permissions import policy_registry

    from .workflow import user_may_act_on_current_step

    policy = policy_registry.get_by_type(type(item))
    if policy.user_has_any_permission_for_instance(user, ["view", "change"], item):
        return True
    return user_may_act_on_current_step(user=user, item=item)


def _finding_rows(scan, *, may_override):
    rows = []
    for finding in scan.findings.select_related("resolved_by").order_by("id"):
        rows.append(
            {
                "finding": finding,
                "form": FindingOverrideForm(prefix=f"f{finding.pk}")
                if may_override and finding.status == Finding.Status.OPEN
                else None,
            }
        )
    return rows


class ItemReviewView(WagtailAdminTemplateMixin, TemplateView):
    """扫描结果 and 审查记录 of one item, with the actions a reviewer or editor may take."""

    template_name = "review/item_review.html"
    header_icon = "warning"

    def dispatch(self, request, pk, *args, **kwargs):
        self.item = _item_or_404(pk)
        if not user_may_see_review(request.user, self.item):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("保密审查")

    def get_page_subtitle(self):
        return self.item.title

    def edit_url(self):
        return reverse("wagtailsnippets_catalogue_disclosureitem:edit", args=[self.item.pk])

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailsnippets_catalogue_disclosureitem:list"),
                "label": _("政府信息"),
            },
            {"url": self.edit_url(), "label": self.item.title},
            {"url": "", "label": _("保密审查")},
        ]

    def get_context_data(self, **kwargs):
        from .workflow import (
            id_numbers_in_body,
            scan_for_task_state,
            scan_is_settled,
            user_may_edit_item,
            user_may_settle_scan,
        )

        context = super().get_context_data(**kwargs)
        item = self.item
        draft = item.get_latest_revision_as_object()
        latest = item.get_latest_revision()
        task_state = item.current_workflow_task_state
        task = task_state.task.specific if task_state else None
        at_scan = isinstance(task, AutomaticScanTask)
        scan = scan_for_task_state(task_state) if at_scan else None
        scan = scan or selectors.scan_result_latest(obj=item)
        may_override = services.user_may(
            self.request.user, "review.override_finding", draft.organisation
        )
        may_edit = user_may_edit_item(user=self.request.user, item=draft)
        may_settle = user_may_settle_scan(user=self.request.user, item=draft)
        reviewed = task_state.revision.as_object() if task_state else draft
        decide = None
        if isinstance(task, OrganisationRoleApprovalTask) and task.user_may_decide(
            self.request.user, reviewed
        ):
            decide = kwargs.get("decision_form") or DecisionForm(role=task.role)
        may_pass_scan = at_scan and may_settle and scan_is_settled(task_state)
        context.update(
            reviewed=reviewed,
            decide=decide,
            may_pass_scan=may_pass_scan,
            item=item,
            draft=draft,
            latest_revision=latest,
            workflow=item.get_workflow(),
            workflow_state=item.current_workflow_state,
            task_state=task_state,
            task=task,
            at_scan=at_scan,
            scan=scan,
            scan_is_latest=bool(scan and latest and scan.revision_id == latest.pk),
            rows=_finding_rows(scan, may_override=may_override) if scan else [],
            may_mask=(may_edit or may_settle) and id_numbers_in_body(draft) > 0,
            id_numbers=id_numbers_in_body(draft),
            may_rescan=at_scan and (may_edit or may_settle),
            records=selectors.review_records_for(obj=item).order_by("-decided_at", "-id"),
            cleared=clearance.item_is_cleared(item),
            edit_url=self.edit_url(),
            form_pdf_url=reverse("review_item_form_pdf", args=[item.pk]),
        )
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        item = self.item
        if action == "override":
            return self._override(request)
        if action == "decide":
            return self._decide(request)
        if action == "mask":
            try:
                count = services.item_mask_id_numbers(actor=request.user, item=item)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
                return redirect("review_item", item.pk)
            if count:
                messages.success(
                    request,
                    _("已遮挡正文中的 %(n)s 个身份证号，另存为新版本；保密审查从自动扫描重新开始。")
                    % {"n": count},
                )
            else:
                messages.warning(request, _("正文中没有需要遮挡的身份证号。"))
            return redirect("review_item", item.pk)
        if action == "pass_scan":
            task_state = item.current_workflow_task_state
            try:
                if task_state is None or str(task_state.pk) != request.POST.get("task_state"):
                    raise PermissionDenied(_("审查步骤已经变化，请查看后重新操作。"))
                task_state.task.specific.on_action(task_state, request.user, "approve")
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("扫描发现均已处理，已转保密审查。"))
            return redirect("review_item", item.pk)
        if action == "rescan":
            task_state = item.current_workflow_task_state
            if task_state is None or not isinstance(task_state.task.specific, AutomaticScanTask):
                messages.warning(request, _("这条信息不在自动扫描步骤，无需重新扫描。"))
                return redirect("review_item", item.pk)
            try:
                task_state.task.specific.on_action(task_state, request.user, "rescan")
            except PermissionDenied as exc:
                messages.error(request, str(exc) or _("您无权重新扫描这条信息。"))
            else:
                messages.success(request, _("已重新扫描。"))
            return redirect("review_item", item.pk)
        messages.error(request, _("没有这一操作。"))
        return redirect("review_item", item.pk)

    def _decide(self, request):
        from .workflow import step_decide

        decision = "reject" if "reject" in request.POST else "approve"
        task = self.item.current_workflow_task
        form = DecisionForm(request.POST, role=getattr(task, "role", ""))
        try:
            task_state_id = int(request.POST.get("task_state", ""))
        except ValueError:
            task_state_id = -1
        if form.is_valid():
            try:
                step_decide(
                    item=self.item,
                    user=request.user,
                    decision=decision,
                    comment=form.cleaned_data["comment"],
                    task_state_id=task_state_id,
                )
            except ValidationError as exc:
                form.add_error("comment", exc.messages)
            except PermissionDenied as exc:
                messages.error(request, str(exc) or _("您无权作出这一决定。"))
                return redirect("review_item", self.item.pk)
        if form.errors:
            messages.error(request, _("决定未保存，请按提示修改。"))
            return self.render_to_response(self.get_context_data(decision_form=form))
        if decision == "reject":
            messages.success(request, _("已退回修改，意见已记录。"))
        else:
            messages.success(request, _("已通过，意见已记录。"))
        return redirect("review_item", self.item.pk)

    def _override(self, request):
        from .workflow import scan_task_settle

        try:
            finding_id = int(request.POST.get("finding", ""))
        except ValueError:
            messages.error(request, _("没有这条发现。"))
            return redirect("review_item", self.item.pk)
        finding = get_object_or_404(
            Finding.objects.select_related("scan"),
            pk=finding_id,
            scan__object_id=str(self.item.pk),
        )
        form = FindingOverrideForm(request.POST, prefix=f"f{finding.pk}")
        if form.is_valid():
            try:
                services.finding_override(
                    actor=request.user, finding=finding, reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form.add_error("reason", exc.messages)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
                return redirect("review_item", self.item.pk)
        if form.errors:
            # Shown again at the finding, with what was typed (nothing is lost).
            context = self.get_context_data()
            for row in context["rows"]:
                if row["finding"].pk == finding.pk:
                    row["form"] = form
            messages.error(request, _("放行未保存，请按提示修改。"))
            return self.render_to_response(context)
        messages.success(request, _("已放行这条发现，理由已记录。"))
        self.item.refresh_from_db()
        if scan_task_settle(item=self.item, actor=request.user):
            messages.success(request, _("扫描发现均已处理，已转保密审查。"))
        return redirect("review_item", self.item.pk)


item_review = ItemReviewView.as_view()


def item_review_form_pdf(request, pk):
    """保密审查单 as a PDF (A4) for printing and filing."""
    from .reviewform import review_form_pdf

    item = _item_or_404(pk)
    if not user_may_see_review(request.user, item):
        raise PermissionDenied
    revision = None
    if request.GET.get("revision"):
        raw = request.GET["revision"]
        revision = get_object_or_404(item.revisions.all(), pk=int(raw) if raw.isdigit() else -1)
    data = review_form_pdf(item=item, revision=revision)
    response = HttpResponse(data, content_type="application/pdf")
    number = (item.index_number or str(item.pk)).replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="review-{number}.pdf"'
    return response
