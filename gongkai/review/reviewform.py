"""保密审查单: the confidentiality review form an office prints, signs and files.

Everything on it is read from the records (the revision, its scan, the 审查记录); nothing is
typed in. WeasyPrint renders it with Debian's Noto CJK fonts and never fetches anything.
"""

from collections import Counter

from django.apps import apps
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Revision, TaskState

from .clearance import revision_is_cleared
from .kinds import Kind
from .models import Finding, ReviewRecord
from .selectors import review_records_for, scan_results_for_revision

FONT_STACK = '"Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", serif'
SANS_STACK = '"Noto Sans CJK SC", "Source Han Sans SC", sans-serif'


def person_name(user) -> str:
    if user is None:
        return _("系统自动")
    full = f"{user.last_name}{user.first_name}".strip() if _is_cjk(user.first_name) else ""
    return full or user.get_full_name() or user.get_username()


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text or "")


def review_form_revision(*, item) -> Revision | None:
    """The revision the form is about: the newest one that went through review, else the newest."""
    records = review_records_for(obj=item).order_by("-decided_at", "-id")
    latest = records.first()
    if latest is not None:
        return latest.revision
    return item.get_latest_revision()


def _planned_channels(item) -> list[str]:
    # Channels is an app built on top of review; read its choices without importing it.
    if not apps.is_installed("gongkai.channels"):
        return []
    try:
        selection = apps.get_model("channels", "ChannelSelection")
    except LookupError:
        return []
    return list(
        selection.objects.filter(item_id=item.pk)
        .order_by("channel__sort_order", "channel_id")
        .values_list("channel__name", flat=True)
    )


def _planned_columns(obj) -> list[str]:
    names = []
    for column in obj.columns.all():
        site = column.get_site()
        label = column.title
        if site is not None and site.site_name:
            label = f"{site.site_name} · {label}"
        names.append(label)
    return names


def review_form_context(*, item, revision: Revision | None = None) -> dict:
    revision = revision or review_form_revision(item=item)
    obj = revision.as_object() if revision is not None else item
    scan = scan_results_for_revision(revision=revision).first() if revision else None
    findings = list(scan.findings.all()) if scan else []
    by_kind = Counter(f.kind for f in findings)
    overridden = Counter(f.kind for f in findings if f.status == Finding.Status.OVERRIDDEN)
    counts = [
        {
            "label": Kind(kind).label,
            "total": total,
            "overridden": overridden.get(kind, 0),
            "open": sum(1 for f in findings if f.kind == kind and f.status == Finding.Status.OPEN),
        }
        for kind, total in sorted(by_kind.items(), key=lambda kv: -kv[1])
    ]
    overrides = [
        {
            "kind": f.get_kind_display(),
            "where": f"{f.field} {f.location()}".strip(),
            "value": f.value or f.snippet,
            "reason": f.override_reason,
            "who": person_name(f.resolved_by),
            "when": f.resolved_at,
            "carried": f.carried_from_id is not None,
        }
        for f in findings
        if f.status == Finding.Status.OVERRIDDEN
    ]
    records = list(review_records_for(obj=item, revision=revision)) if revision else []
    workflow_state = None
    if revision is not None:
        state = (
            TaskState.objects.filter(revision=revision)
            .select_related("workflow_state__requested_by")
            .order_by("-started_at", "-id")
            .first()
        )
        workflow_state = state.workflow_state if state else None

    def rows(step):
        return [
            {
                "task": r.task_name,
                "decision": r.get_decision_display(),
                "approved": r.decision == ReviewRecord.Decision.APPROVED,
                "opinion": r.opinion,
                "who": person_name(r.reviewer),
                "organisation": r.organisation.name,
                "when": timezone.localtime(r.decided_at),
            }
            for r in records
            if r.step == step
        ]

    return {
        "item": item,
        "obj": obj,
        "revision": revision,
        "scan": scan,
        "scan_files": len(scan.files or []) if scan else 0,
        "counts": counts,
        "overrides": overrides,
        "open_findings": sum(1 for f in findings if f.status == Finding.Status.OPEN),
        "findings_total": len(findings),
        "reviews": rows(ReviewRecord.Step.REVIEW),
        "approvals": rows(ReviewRecord.Step.APPROVAL),
        "scan_records": rows(ReviewRecord.Step.SCAN),
        "columns": _planned_columns(obj),
        "channels": _planned_channels(item),
        "workflow_state": workflow_state,
        "submitted_by": person_name(workflow_state.requested_by) if workflow_state else "",
        "submitted_at": timezone.localtime(workflow_state.created_at) if workflow_state else None,
        "cleared": revision_is_cleared(revision) if revision else False,
        "generated_at": timezone.localtime(),
        "font_stack": FONT_STACK,
        "sans_stack": SANS_STACK,
    }


def review_form_html(*, item, revision: Revision | None = None) -> str:
    return render_to_string(
        "review/review_form.html", review_form_context(item=item, revision=revision)
    )


def _refusing_fetcher():
    from weasyprint.urls import URLFetcher

    class RefuseAll(URLFetcher):
        # The form holds no images or links: nothing is ever fetched while printing it.
        def fetch(self, url, headers=None):
            raise ValueError(f"not loaded when printing: {url}")

    return RefuseAll()


def review_form_pdf(*, item, revision: Revision | None = None) -> bytes:
    from weasyprint import HTML

    html = review_form_html(item=item, revision=revision)
    return HTML(
        string=html, base_url="http://gongkai.print.invalid/", url_fetcher=_refusing_fetcher()
    ).write_pdf()
