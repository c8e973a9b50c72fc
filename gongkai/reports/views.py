"""Admin pages of annual reports: choose, preview and compose, figures, exports, statistics.

Views only read forms and call services/selectors; every rule lives there. A user may open a
report only for an organisation in the tree of a role that allows it (403 otherwise).
"""

import json
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gongkai.orgs.models import Organisation

from . import services
from .exports.charts import CHART_KINDS, TITLES, render_chart
from .exports.docx import render_docx
from .exports.html import body_context
from .exports.pdf import render_pdf
from .figures import report_data
from .forms import LockForm, ReportChooseForm, ReportTextsForm, StaffFigureForm, UnlockForm
from .models import AnnualReport, StaffFigure
from .selectors import (
    period_lock_active,
    period_locks,
    report_get,
    report_status,
    staff_figure_history,
    staff_figures_current,
    user_may_report,
    user_report_organisation_ids,
)


def forbidden_403(view):
    """Answer 403 with the reason in Chinese (Wagtail would redirect to the dashboard)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            message = str(exc) or _("您无权查看该组织的年度报告。")
            return TemplateResponse(
                request,
                "reports/forbidden.html",
                {"page_title": _("无权访问"), "message": message},
                status=403,
            )

    return wrapped


def in_chinese(view):
    """Show the report itself in Chinese, whatever language the staff member chose.

    The annual report is a statutory Chinese document (its labels are the state format's, to the
    character): its preview, exports, charts and statistics page are what gets submitted and
    published, so they never follow the admin's English. The page is rendered here, inside the
    override, not later by the response cycle.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        with translation.override("zh-hans"):
            response = view(request, *args, **kwargs)
            if isinstance(response, TemplateResponse) and not response.is_rendered:
                response.render()
        return response

    return wrapped


def _organisation(request, code: str, action: str = "view") -> Organisation:
    organisation = get_object_or_404(Organisation, code=code)
    if not user_may_report(user=request.user, action=action, organisation=organisation):
        raise PermissionDenied(_("您无权查看该组织的年度报告。"))
    return organisation


def _format(fmt: str) -> str:
    if fmt not in AnnualReport.Format.values:
        raise Http404
    return fmt


def _subtree(request) -> bool:
    return request.GET.get("subtree", "1") != "0"


def _report_url(org, year, fmt, subtree, name="reports_preview", **extra) -> str:
    url = reverse(name, args=[org.code, year, fmt, *extra.values()])
    return f"{url}?subtree={1 if subtree else 0}"


@forbidden_403
def report_index(request):
    ids = user_report_organisation_ids(user=request.user, action="view")
    if not ids:
        raise PermissionDenied
    form = ReportChooseForm(request.GET or None, organisation_ids=ids)
    if request.GET and form.is_valid():
        d = form.cleaned_data
        return redirect(
            _report_url(d["organisation"], d["year"], d["format"], d["include_subtree"])
        )
    today = timezone.localdate()
    reports = AnnualReport.objects.filter(organisation_id__in=ids).select_related(
        "organisation", "submitted_by"
    )[:50]
    roots = Organisation.objects.filter(
        id__in=ids, parent_id__isnull=True
    ) | Organisation.objects.filter(id__in=ids).exclude(parent_id__in=ids)
    statuses = [
        report_status(organisation=o, year=today.year - 1, today=today) for o in roots.distinct()
    ]
    return TemplateResponse(
        request,
        "reports/index.html",
        {
            "page_title": _("年度报告"),
            "form": form,
            "reports": reports,
            "statuses": statuses,
            "locks": period_locks(organisation_ids=ids)[:50],
        },
    )


def _load(request, code, year, fmt, action="view"):
    organisation = _organisation(request, code, action)
    fmt = _format(fmt)
    subtree = _subtree(request)
    report = report_get(organisation=organisation, year=year, fmt=fmt, include_subtree=subtree)
    return organisation, fmt, subtree, report


@in_chinese
@forbidden_403
def report_preview(request, code: str, year: int, fmt: str):
    organisation, fmt, subtree, report = _load(request, code, year, fmt)
    may_compose = user_may_report(user=request.user, action="compose", organisation=organisation)
    may_lock = user_may_report(user=request.user, action="lock", organisation=organisation)
    here = _report_url(organisation, year, fmt, subtree)

    if request.method == "POST":
        # The services check the actor's role for each action (PermissionDenied → 403).
        action = request.POST.get("action", "")
        try:
            response = _post_action(request, action, organisation, year, fmt, subtree, report, here)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(here)
        if response is not None:
            return response
        report = report_get(organisation=organisation, year=year, fmt=fmt, include_subtree=subtree)

    data = report_data(
        organisation=organisation, year=year, fmt=fmt, include_subtree=subtree, report=report
    )
    charts = {
        kind: _report_url(organisation, year, fmt, subtree, "reports_chart", kind=kind)
        for kind in CHART_KINDS
    }
    texts_form = None
    if may_compose:
        computed = {s["key"]: s["computed_text"] for s in data["sections"] if s["editable"]}
        stub = report or AnnualReport(
            organisation=organisation,
            year=year,
            format=fmt,
            include_subtree=subtree,
            title=data["title"],
        )
        texts_form = ReportTextsForm(report=stub, computed=computed)
    lock = period_lock_active(organisation=organisation, year=year)
    return TemplateResponse(
        request,
        "reports/preview.html",
        {
            "page_title": data["title"],
            "organisation": organisation,
            "year": year,
            "fmt": fmt,
            "subtree": subtree,
            "report": report,
            "data": data,
            "body": body_context(data, charts=charts),
            "texts_form": texts_form,
            "may_compose": may_compose,
            "may_lock": may_lock,
            "lock": lock,
            "lock_form": LockForm(),
            "unlock_form": UnlockForm(),
            "exports": {
                kind: _report_url(organisation, year, fmt, subtree, "reports_export", kind=kind)
                for kind in ("docx", "pdf", "json")
            },
            "statistics_url": _report_url(organisation, year, fmt, subtree, "reports_statistics"),
            "figures_url": reverse("reports_figures", args=[organisation.code, year]),
            "other_format": "2008" if fmt == "2021" else "2021",
        },
    )


def _post_action(request, action, organisation, year, fmt, subtree, report, here):
    actor = request.user
    if action == "save_texts":
        report = report or services.report_compose(
            actor=actor, organisation=organisation, year=year, fmt=fmt, include_subtree=subtree
        )
        form = ReportTextsForm(request.POST, report=report, computed={})
        if not form.is_valid():
            raise ValidationError(_("请检查填写的内容。"))
        services.report_texts_save(
            actor=actor, report=report, title=form.cleaned_data["title"], texts=form.texts()
        )
        messages.success(request, _("报告文字已保存。"))
        return redirect(here)
    if action == "submit":
        report = report or services.report_compose(
            actor=actor, organisation=organisation, year=year, fmt=fmt, include_subtree=subtree
        )
        try:
            services.report_submit(actor=actor, report=report)
        except services.ReportCheckFailed as exc:
            messages.error(
                request,
                _("报告未通过检查（%(n)d项），请修正后再提交：") % {"n": len(exc.failures)}
                + "；".join(f["message"] for f in exc.failures),
            )
            return redirect(here)
        messages.success(request, _("报告已通过全部检查，已提交审核。"))
        return redirect(here)
    if action == "publish_draft":
        if report is None:
            raise ValidationError(_("报告须先通过检查并提交审核，才能生成发布草稿。"))
        item = services.report_publish_draft(actor=actor, report=report)
        messages.success(
            request,
            _("已在“年度报告”栏目生成发布草稿“%(title)s”，请提交审核后发布。")
            % {"title": item.title},
        )
        return redirect(here)
    if action == "lock":
        form = LockForm(request.POST)
        form.is_valid()
        services.period_lock(
            actor=actor,
            organisation=organisation,
            year=year,
            reason=form.cleaned_data.get("reason", ""),
        )
        messages.success(request, _("%(year)d年度报告期已锁定。") % {"year": year})
        return redirect(here)
    if action == "unlock":
        form = UnlockForm(request.POST)
        reason = form.cleaned_data["unlock_reason"] if form.is_valid() else ""
        services.period_unlock(actor=actor, organisation=organisation, year=year, reason=reason)
        messages.success(request, _("%(year)d年度报告期已解锁，解锁记录已保存。") % {"year": year})
        return redirect(here)
    raise ValidationError(_("未知的操作。"))


@in_chinese
@forbidden_403
def report_export(request, code: str, year: int, fmt: str, kind: str):
    organisation, fmt, subtree, report = _load(request, code, year, fmt)
    data = report_data(
        organisation=organisation, year=year, fmt=fmt, include_subtree=subtree, report=report
    )
    stem = f"{organisation.code}-{year}-annual-report-{fmt}"
    if kind == "json":
        body = json.dumps(data, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    elif kind == "docx":
        response = HttpResponse(
            render_docx(data),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    elif kind == "pdf":
        response = HttpResponse(render_pdf(data), content_type="application/pdf")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{stem}.{kind}"'
    return response


@in_chinese
@forbidden_403
def report_chart(request, code: str, year: int, fmt: str, kind: str):
    organisation, fmt, subtree, report = _load(request, code, year, fmt)
    if kind not in CHART_KINDS:
        raise Http404
    data = report_data(
        organisation=organisation, year=year, fmt=fmt, include_subtree=subtree, report=report
    )
    response = HttpResponse(render_chart(data, kind), content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


@in_chinese
@forbidden_403
def report_statistics(request, code: str, year: int, fmt: str):
    organisation, fmt, subtree, report = _load(request, code, year, fmt)
    data = report_data(
        organisation=organisation, year=year, fmt=fmt, include_subtree=subtree, report=report
    )
    charts = [
        {
            "kind": kind,
            "title": TITLES[kind],
            "url": _report_url(organisation, year, fmt, subtree, "reports_chart", kind=kind),
        }
        for kind in CHART_KINDS
    ]
    return TemplateResponse(
        request,
        "reports/statistics.html",
        {
            "page_title": _("%(org)s%(year)d年统计图表") % {"org": organisation, "year": year},
            "organisation": organisation,
            "data": data,
            "charts": charts,
            "back_url": _report_url(organisation, year, fmt, subtree),
        },
    )


@forbidden_403
def staff_figures(request, code: str, year: int):
    organisation = _organisation(request, code, "view")
    may_compose = user_may_report(user=request.user, action="compose", organisation=organisation)
    form = StaffFigureForm(request.POST or None)
    if request.method == "POST":
        if not may_compose:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.staff_figure_set(
                    actor=request.user,
                    organisation=organisation,
                    year=year,
                    key=d["key"],
                    value=d["value"],
                    note=d["note"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.message_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc.messages)
            else:
                messages.success(request, _("统计数据已录入。"))
                return redirect(reverse("reports_figures", args=[code, year]))
    current = staff_figures_current(organisation_ids=[organisation.pk], year=year)
    return TemplateResponse(
        request,
        "reports/figures.html",
        {
            "page_title": _("%(org)s%(year)d年人工录入统计数据")
            % {"org": organisation, "year": year},
            "organisation": organisation,
            "year": year,
            "form": form if may_compose else None,
            "current": [(label, current[key]) for key, label in StaffFigure.Key.choices],
            "history": staff_figure_history(organisation=organisation, year=year),
        },
    )
