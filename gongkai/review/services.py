"""Writes of the review app: word lists, allowed phrases, stored scans and overrides.

The scan itself (`scan_text`, `scan_file`, `scan_document`) reads only and lives in
scanner.py; it is re-exported here so that callers find the whole API in one place.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from gongkai.orgs.models import Organisation, Role

from .detectors import mask_id_numbers_in_html
from .matchers import parse_word_list
from .models import (
    AllowedPhrase,
    AutomaticScanTask,
    Finding,
    OrganisationRoleApprovalTask,
    OrganisationWorkflow,
    ReviewRecord,
    ScanResult,
    SensitiveWord,
)
from .scanner import ScanReport, scan_document, scan_file, scan_text
from .selectors import organisation_ids_with_perm, word_list_export

__all__ = [
    "allowed_phrase_add",
    "allowed_phrase_deactivate",
    "finding_override",
    "item_mask_id_numbers",
    "mask_id_numbers_in_html",
    "organisation_workflow_set",
    "review_record_write",
    "review_workflows_install",
    "scan_document",
    "scan_file",
    "scan_result_save",
    "scan_text",
    "sensitive_word_add",
    "word_list_export",
    "word_list_import",
]

# A reason a later reader can understand ("已核对，系单位公开电话") rather than "ok".
MIN_REASON_LEN = 4


def user_may(user, perm: str, organisation: Organisation | None) -> bool:
    """Whether a role the user holds grants `perm` in this organisation (roles reach down)."""
    ids = organisation_ids_with_perm(user=user, perm=perm)
    if ids is None:
        return True
    return organisation is not None and organisation.pk in ids


def _require(actor, perm: str, organisation: Organisation | None, message: str) -> None:
    # actor=None is the system itself (the demo loader, a migration): trusted.
    if actor is None:
        return
    if not user_may(actor, perm, organisation):
        raise PermissionDenied(message)


# ---------------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def sensitive_word_add(
    *, actor=None, organisation: Organisation, word: str, category: str = ""
) -> SensitiveWord:
    _require(
        actor, "review.add_sensitiveword", organisation, _("只有公开办管理员可以维护敏感词库。")
    )
    entry = SensitiveWord(organisation=organisation, word=word, category=category, added_by=actor)
    entry.full_clean()
    entry.save()
    log(entry, "wagtail.create", user=actor)
    return entry


@dataclass
class WordListImportResult:
    added: int = 0
    reactivated: int = 0
    recategorised: int = 0
    unchanged: int = 0
    deactivated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        text = _(
            "新增 %(added)s 个，恢复启用 %(reactivated)s 个，更新分类 %(recategorised)s 个，"
            "未变 %(unchanged)s 个，停用 %(deactivated)s 个。"
        ) % {
            "added": self.added,
            "reactivated": self.reactivated,
            "recategorised": self.recategorised,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
        }
        if self.errors:
            text += _("跳过 %(n)s 行有问题的内容。") % {"n": len(self.errors)}
        return text


@transaction.atomic
def word_list_import(
    *, actor=None, organisation: Organisation, text: str | bytes, replace: bool = False
) -> WordListImportResult:
    """Load a word list file into the organisation's list.

    By default words are added (or switched back on) and nothing is switched off; with
    `replace` the words of this organisation that are not in the file are switched off.
    Raises ValueError with a Chinese message when the file is not UTF-8.
    """
    _require(
        actor, "review.add_sensitiveword", organisation, _("只有公开办管理员可以导入敏感词库。")
    )
    parsed = parse_word_list(text)
    result = WordListImportResult(errors=parsed.errors)
    now = timezone.now()
    existing = {
        w.word.lower(): w
        for w in SensitiveWord.objects.select_for_update().filter(organisation=organisation)
    }
    to_create, to_update = [], []
    in_file = set()
    for word, category in parsed.entries:
        key = word.lower()
        in_file.add(key)
        row = existing.get(key)
        if row is None:
            to_create.append(
                SensitiveWord(
                    organisation=organisation,
                    word=word,
                    category=category,
                    added_by=actor,
                    added_at=now,
                    updated_at=now,
                )
            )
            result.added += 1
            continue
        changed = False
        if not row.active:
            row.active = True
            result.reactivated += 1
            changed = True
        if category and category != row.category:
            row.category = category
            result.recategorised += 1
            changed = True
        if changed:
            row.updated_at = now
            to_update.append(row)
        else:
            result.unchanged += 1
    SensitiveWord.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        SensitiveWord.objects.bulk_update(
            to_update, ["active", "category", "updated_at"], batch_size=1000
        )
    if replace:
        stale = [w.pk for key, w in existing.items() if w.active and key not in in_file]
        for start in range(0, len(stale), 1000):
            SensitiveWord.objects.filter(pk__in=stale[start : start + 1000]).update(
                active=False, updated_at=now
            )
        result.deactivated = len(stale)
    log(
        organisation,
        "review.word_list_import",
        user=actor,
        data={
            "added": result.added,
            "reactivated": result.reactivated,
            "recategorised": result.recategorised,
            "deactivated": result.deactivated,
            "errors": len(result.errors),
            "replace": replace,
        },
    )
    return result


# ---------------------------------------------------------------------------------------------
# Allowed phrases
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def allowed_phrase_add(
    *, actor=None, organisation: Organisation, phrase: str, reason: str
) -> AllowedPhrase:
    """A reviewer says a phrase is harmless for this organisation and everything below it."""
    _require(actor, "review.add_allowedphrase", organisation, _("只有保密审查员可以放行短语。"))
    phrase = (phrase or "").strip()
    reason = (reason or "").strip()
    row = (
        AllowedPhrase.objects.select_for_update()
        .filter(organisation=organisation, phrase=phrase)
        .first()
    )
    if row is not None and row.active:
        raise ValidationError({"phrase": _("该组织已放行过这个短语。")}, code="duplicate")
    if row is None:
        row = AllowedPhrase(organisation=organisation, phrase=phrase, reason=reason, added_by=actor)
        row.full_clean()
        row.save()
        log(row, "wagtail.create", user=actor, data={"reason": reason})
        return row
    # Switched off before: switch it back on with the new reason.
    row.active, row.reason, row.added_by = True, reason, actor
    row.full_clean()
    row.save(update_fields=["active", "reason", "added_by"])
    log(row, "wagtail.edit", user=actor, data={"reason": reason})
    return row


@transaction.atomic
def allowed_phrase_deactivate(*, actor=None, phrase: AllowedPhrase) -> AllowedPhrase:
    row = AllowedPhrase.objects.select_for_update().get(pk=phrase.pk)
    _require(
        actor,
        "review.change_allowedphrase",
        row.organisation,
        _("只有保密审查员可以停用放行短语。"),
    )
    if row.active:
        row.active = False
        row.save(update_fields=["active"])
        log(row, "wagtail.edit", user=actor, data={"active": False})
    return row


# ---------------------------------------------------------------------------------------------
# Stored scans and overrides
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def scan_result_save(
    *,
    report: ScanReport,
    obj=None,
    organisation: Organisation | None = None,
    revision=None,
    actor=None,
) -> ScanResult:
    """Store a report against the object (and revision) it was made from.

    A finding whose fingerprint was overridden in the object's previous scan keeps that
    decision (`carried_from` says where it came from); open findings of the previous scan
    that the new one no longer finds are marked fixed.
    """
    content_type = ContentType.objects.get_for_model(obj) if obj is not None else None
    object_id = str(obj.pk) if obj is not None else ""
    previous = None
    if obj is not None:
        previous = (
            ScanResult.objects.select_for_update()
            .filter(content_type=content_type, object_id=object_id)
            .order_by("-scanned_at", "-id")
            .first()
        )
    now = timezone.now()
    result = ScanResult.objects.create(
        content_type=content_type,
        object_id=object_id,
        revision=revision,
        organisation=organisation,
        scanned_at=now,
        scanned_by=actor,
        engine_version=report.engine_version,
        characters=report.characters,
        suppressed=report.suppressed,
        fields=list(report.fields),
        files=[
            {
                "name": f.name,
                "type": f.type,
                "size": f.size,
                "pages": f.pages,
                "readable": f.readable,
            }
            for f in report.files
        ],
    )
    overridden = {}
    if previous is not None:
        overridden = {
            f.fingerprint: f for f in previous.findings.filter(status=Finding.Status.OVERRIDDEN)
        }
    rows = []
    for f in report.findings:
        row = Finding(
            scan=result,
            kind=f.kind,
            confidence=f.confidence,
            field=f.field[:255],
            page=f.page,
            line=f.line,
            paragraph=f.paragraph,
            sheet=f.sheet[:100],
            cell=f.cell[:20],
            snippet=f.snippet,
            value=f.value[:255],
            message=f.message,
            category=f.category,
            fingerprint=f.fingerprint,
        )
        old = overridden.get(f.fingerprint)
        if old is not None:
            row.status = Finding.Status.OVERRIDDEN
            row.override_reason = old.override_reason
            row.resolved_by_id = old.resolved_by_id
            row.resolved_at = old.resolved_at
            row.carried_from = old
        rows.append(row)
    Finding.objects.bulk_create(rows, batch_size=500)
    if previous is not None:
        found = {f.fingerprint for f in report.findings}
        gone = [
            pk
            for pk, fp in previous.findings.filter(status=Finding.Status.OPEN).values_list(
                "pk", "fingerprint"
            )
            if fp not in found
        ]
        Finding.objects.filter(pk__in=gone).update(
            status=Finding.Status.FIXED, resolved_at=now, resolved_by=actor
        )
    log(
        result,
        "review.scan",
        user=actor,
        data={"findings": len(rows), "counts": report.counts(), "suppressed": report.suppressed},
    )
    return result


@transaction.atomic
def finding_override(*, actor, finding: Finding, reason: str) -> Finding:
    """A reviewer lets a finding through, with a reason that is kept and audit-logged."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_LEN:
        raise ValidationError(
            {"override_reason": _("请写明放行理由（至少 %(n)s 个字）。") % {"n": MIN_REASON_LEN}},
            code="reason_required",
        )
    # Lock the finding only: PostgreSQL refuses FOR UPDATE across the nullable join.
    finding = (
        Finding.objects.select_for_update(of=("self",))
        .select_related("scan__organisation")
        .get(pk=finding.pk)
    )
    if not user_may(actor, "review.override_finding", finding.scan.organisation):
        raise PermissionDenied(_("只有该组织的保密审查员可以放行扫描发现。"))
    if finding.status != Finding.Status.OPEN:
        raise ValidationError(
            _("这条发现已经处理（%(status)s），不能再放行。")
            % {"status": finding.get_status_display()},
            code="not_open",
        )
    finding.status = Finding.Status.OVERRIDDEN
    finding.override_reason = reason
    finding.resolved_by = actor
    finding.resolved_at = timezone.now()
    finding.save(update_fields=["status", "override_reason", "resolved_by", "resolved_at"])
    log(
        finding,
        "review.finding_override",
        user=actor,
        data={
            "reason": reason,
            "kind": finding.kind,
            "fingerprint": finding.fingerprint,
            "scan": finding.scan_id,
        },
    )
    return finding


# ---------------------------------------------------------------------------------------------
# The review workflow: records, masking, per-organisation workflows
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def review_record_write(*, task_state, user=None) -> ReviewRecord | None:
    """Record a decision on one of our steps (审查记录). Idempotent per task state."""
    from wagtail.models import TaskState

    from .workflow import task_target_organisation

    task = task_state.task.specific
    if task_state.status == TaskState.STATUS_APPROVED:
        decision = ReviewRecord.Decision.APPROVED
    elif task_state.status == TaskState.STATUS_REJECTED:
        decision = ReviewRecord.Decision.REJECTED
    else:
        return None
    item = task_state.revision.as_object()
    if isinstance(task, AutomaticScanTask):
        step, organisation = ReviewRecord.Step.SCAN, item.organisation
    elif isinstance(task, OrganisationRoleApprovalTask):
        step = (
            ReviewRecord.Step.REVIEW if task.role == Role.REVIEWER else ReviewRecord.Step.APPROVAL
        )
        organisation = task_target_organisation(task=task, item=item)
    else:
        return None
    record, _created = ReviewRecord.objects.get_or_create(
        task_state_id=task_state.pk,
        defaults={
            "content_type": ContentType.objects.get_for_model(item),
            "object_id": str(item.pk),
            "revision_id": task_state.revision_id,
            "workflow_state_id": task_state.workflow_state_id,
            "task": task,
            "task_name": task.name,
            "step": step,
            "organisation": organisation,
            "decision": decision,
            "opinion": task_state.comment or "",
            "reviewer": user if getattr(user, "pk", None) else None,
            "decided_at": task_state.finished_at or timezone.now(),
        },
    )
    return record


@transaction.atomic
def item_mask_id_numbers(*, actor, item) -> int:
    """遮挡身份证号: mask every valid ID number in the body of the newest revision and save the
    result as a NEW revision (the reviewed one is never changed). If the item is in review, the
    review starts again from the scan, on the new revision. Returns how many were masked."""
    from .workflow import (
        user_may_edit_item,
        user_may_settle_scan,
        workflow_restart_if_edited,
    )

    item = type(item).objects.select_for_update().get(pk=item.pk)
    draft = item.get_latest_revision_as_object()
    if actor is not None and not (
        user_may_edit_item(user=actor, item=draft) or user_may_settle_scan(user=actor, item=draft)
    ):
        raise PermissionDenied(_("您无权修改这条信息。"))
    body, count = mask_id_numbers_in_html(draft.body or "")
    if not count:
        return 0
    draft.body = body
    draft.save_revision(user=actor, log_action=True, clean=False)
    log(item, "review.mask_id_numbers", user=actor, data={"count": count})
    item.refresh_from_db()
    workflow_restart_if_edited(item=item, user=actor)
    return count


@transaction.atomic
def organisation_workflow_set(
    *, actor=None, organisation: Organisation, workflow
) -> OrganisationWorkflow:
    """Choose the review workflow for an organisation and its subtree."""
    _require(
        actor,
        "review.add_organisationworkflow",
        organisation,
        _("只有该组织的公开办管理员可以设置审查流程。"),
    )
    row = OrganisationWorkflow.objects.select_for_update().filter(organisation=organisation).first()
    if row is None:
        row = OrganisationWorkflow(organisation=organisation)
    row.workflow = workflow
    row.set_by = actor
    row.set_at = timezone.now()
    row.full_clean(validate_unique=False)
    row.save()
    log(row, "wagtail.edit", user=actor, data={"workflow": workflow.name})
    return row


# The standard workflows (issue #4): the town's three steps and the villages' four. Names of
# workflows and steps are records an administrator may rename, not interface text.
TOWN_WORKFLOW = "寮步镇保密审查流程"
VILLAGE_WORKFLOW = "村(社区)保密审查流程"


def _task(model, name: str, **fields):
    task = model.objects.filter(name=name, **fields).first()
    if task is None:
        task = model.objects.create(name=name, **fields)
    return task


def _workflow(name: str, tasks):
    from wagtail.models import Workflow, WorkflowTask

    workflow = Workflow.objects.filter(name=name).first()
    if workflow is None:
        workflow = Workflow.objects.create(name=name, active=True)
        for order, task in enumerate(tasks):
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
    return workflow


@transaction.atomic
def review_workflows_install(*, root: Organisation, actor=None) -> dict:
    """Create the standard workflows (once) and give them to `root` and to the villages below.

    寮步镇保密审查流程: 自动扫描 → 保密审查 (保密审查员, own organisation) → 领导审批 (审批领导,
    the top of the tree). 村(社区)保密审查流程: 自动扫描 → 村审查员审查 (the village's own
    保密审查员) → 镇审查员审查 (the town's) → 镇领导审批.
    """
    from gongkai.orgs.selectors import organisation_descendant_ids

    level = OrganisationRoleApprovalTask.Level
    scan = _task(AutomaticScanTask, "自动扫描")
    town = _workflow(
        TOWN_WORKFLOW,
        [
            scan,
            _task(OrganisationRoleApprovalTask, "保密审查", role=Role.REVIEWER, level=level.OWNER),
            _task(OrganisationRoleApprovalTask, "领导审批", role=Role.APPROVER, level=level.ROOT),
        ],
    )
    village = _workflow(
        VILLAGE_WORKFLOW,
        [
            scan,
            _task(
                OrganisationRoleApprovalTask, "村审查员审查", role=Role.REVIEWER, level=level.OWNER
            ),
            _task(
                OrganisationRoleApprovalTask, "镇审查员审查", role=Role.REVIEWER, level=level.ROOT
            ),
            _task(OrganisationRoleApprovalTask, "镇领导审批", role=Role.APPROVER, level=level.ROOT),
        ],
    )
    organisation_workflow_set(actor=actor, organisation=root, workflow=town)
    villages = Organisation.objects.filter(
        pk__in=organisation_descendant_ids(organisation=root), kind=Organisation.Kind.VILLAGE
    )
    for org in villages:
        organisation_workflow_set(actor=actor, organisation=org, workflow=village)
    return {"town": town, "village": village, "villages": list(villages)}
