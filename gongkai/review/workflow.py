"""The review workflow's rules: who decides each step, what the scan step does, and how a
finished workflow publishes exactly the revision it approved.

The task models (models.AutomaticScanTask, models.OrganisationRoleApprovalTask) are thin: they
call in here, so that the rules read in one place and the admin, the dashboard and code all go
through the same functions (Wagtail calls `Task.on_action` from every one of them).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from wagtail.models import TaskState, WorkflowState

from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.selectors import organisation_ancestors, user_organisation_ids

from .kinds import Kind
from .models import AutomaticScanTask, Finding, OrganisationRoleApprovalTask, ScanResult

# ---------------------------------------------------------------------------------------------
# Who may act
# ---------------------------------------------------------------------------------------------


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def user_holds_role_over(*, user, role: str, organisation: Organisation | None) -> bool:
    """The user holds `role` in this organisation or in one above it.

    A superuser is not a reviewer by being a superuser: the review is done by the people the
    organisation named (专人负责), so a superuser needs the role like anyone else.
    """
    if not _active(user) or organisation is None:
        return False
    return organisation.pk in user_organisation_ids(user=user, roles=[role])


def task_target_organisation(*, task: OrganisationRoleApprovalTask, item) -> Organisation:
    """The organisation in whose name the step is decided, found from the item's own one."""
    own = item.organisation
    level = task.level
    if level == OrganisationRoleApprovalTask.Level.FIXED and task.organisation_id:
        return task.organisation
    if level == OrganisationRoleApprovalTask.Level.PARENT:
        return own.parent or own
    if level == OrganisationRoleApprovalTask.Level.ROOT:
        chain = organisation_ancestors(organisation=own)
        return chain[0] if chain else own
    return own


def user_may_decide(*, task: OrganisationRoleApprovalTask, user, item) -> bool:
    return user_holds_role_over(
        user=user, role=task.role, organisation=task_target_organisation(task=task, item=item)
    )


def user_may_settle_scan(*, user, item) -> bool:
    """保密审查员 of the item's organisation (or above) handle what the scan found."""
    return user_holds_role_over(user=user, role=Role.REVIEWER, organisation=item.organisation)


def user_may_edit_item(*, user, item) -> bool:
    from wagtail.permissions import policy_registry

    if not _active(user):
        return False
    policy = policy_registry.get_by_type(type(item))
    return policy.user_has_permission_for_instance(user, "change", item)


def task_states_for_role(*, task, user, role: str, level: str):
    """In-progress task states of `task` on items whose deciding organisation the user's role
    reaches (for Wagtail's "awaiting your review" lists)."""
    from .clearance import REVIEWED_MODELS

    none = TaskState.objects.none()
    if not _active(user):
        return none
    reach = user_organisation_ids(user=user, roles=[role])
    if not reach:
        return none
    by_id = {o.pk: o for o in Organisation.objects.only("id", "parent_id")}

    def target(org_id):
        if level == OrganisationRoleApprovalTask.Level.FIXED:
            return task.organisation_id
        if level == OrganisationRoleApprovalTask.Level.PARENT:
            return by_id[org_id].parent_id or org_id
        if level == OrganisationRoleApprovalTask.Level.ROOT:
            seen, current = set(), by_id[org_id]
            while current.parent_id and current.parent_id in by_id and current.pk not in seen:
                seen.add(current.pk)
                current = by_id[current.parent_id]
            return current.pk
        return org_id

    item_orgs = [org_id for org_id in by_id if target(org_id) in reach]
    if not item_orgs:
        return none
    from django.apps import apps

    query = models.Q()
    for label in REVIEWED_MODELS:
        model = apps.get_model(label)
        ids = (
            model._default_manager.filter(organisation_id__in=item_orgs)
            .annotate(pk_text=Cast("pk", models.CharField(max_length=255)))
            .values("pk_text")
        )
        query |= models.Q(
            workflow_state__base_content_type=ContentType.objects.get_for_model(model),
            workflow_state__object_id__in=ids,
        )
    return task.task_states.filter(query, status=TaskState.STATUS_IN_PROGRESS)


# ---------------------------------------------------------------------------------------------
# The approval steps (保密审查, 审批)
# ---------------------------------------------------------------------------------------------


def approval_task_actions(*, task: OrganisationRoleApprovalTask, item, user) -> list:
    if not user_may_decide(task=task, user=user, item=item):
        return []
    if task.role == Role.REVIEWER:
        return [("reject", _("退回修改"), True), ("approve", _("审查通过"), True)]
    return [("reject", _("退回修改"), True), ("approve", _("批准发布"), True)]


@transaction.atomic
def approval_task_act(
    *, task: OrganisationRoleApprovalTask, task_state, user, action_name: str, **kwargs
):
    """Approve or reject one step, with the opinion (审查意见/审批意见) on the record."""
    item = task_state.revision.as_object()
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise PermissionDenied(_("这一步骤已经有了结论。"))
    if not user_may_decide(task=task, user=user, item=item):
        raise PermissionDenied(
            _("只有%(org)s（或其上级）的%(role)s可以决定这一步骤。")
            % {
                "org": task_target_organisation(task=task, item=item),
                "role": Role(task.role).label,
            }
        )
    comment = (kwargs.get("comment") or "").strip()
    if action_name == "reject":
        if not comment:
            raise ValidationError({"comment": _("退回修改时必须写明意见。")}, code="required")
        task_state.reject(user=user, comment=comment)
    elif action_name == "approve":
        task_state.approve(user=user, comment=comment)
    else:
        raise PermissionDenied(_("没有这一操作。"))
    return None


# ---------------------------------------------------------------------------------------------
# The scan step (自动扫描)
# ---------------------------------------------------------------------------------------------


def scan_revision(*, revision, actor=None) -> ScanResult:
    """Scan what a revision holds (title, summary, body and every attachment) and store it,
    pinned to the revision."""
    from .scanner import ScanReport, scan_file, scan_text
    from .selectors import ruleset_for_organisation
    from .services import scan_result_save

    item = revision.as_object()
    organisation = item.organisation
    ruleset = ruleset_for_organisation(organisation=organisation)
    report = ScanReport()
    for key in ("title", "summary", "body"):
        value = getattr(item, key, "")
        if value:
            report.extend(scan_text(value, field=key, ruleset=ruleset))
    for attachment in item.attachments.all():
        name = (attachment.file.name or "").rsplit("/", 1)[-1]
        label = _("附件“%(title)s”") % {"title": attachment.title or name}
        try:
            # A missing or unreadable file becomes a finding of its own (scan_file never
            # raises): someone must look at it by eye and say so.
            report.extend(scan_file(attachment.file, name, ruleset=ruleset, field=label))
        finally:
            try:
                attachment.file.close()
            except (OSError, ValueError):
                pass
    return scan_result_save(
        report=report, obj=item, organisation=organisation, revision=revision, actor=actor
    )


def scan_for_task_state(task_state) -> ScanResult | None:
    return (
        ScanResult.objects.filter(revision_id=task_state.revision_id)
        .order_by("-scanned_at", "-id")
        .first()
    )


def scan_summary(scan: ScanResult | None) -> str:
    if scan is None:
        return _("未扫描。")
    findings = list(scan.findings.all())
    files = len(scan.files or [])
    if not findings:
        return _("自动扫描：扫描 %(chars)s 字、%(files)s 个附件，未发现问题。") % {
            "chars": scan.characters,
            "files": files,
        }
    overridden = sum(1 for f in findings if f.status == Finding.Status.OVERRIDDEN)
    return _(
        "自动扫描：扫描 %(chars)s 字、%(files)s 个附件，发现 %(n)s 处，"
        "已由保密审查员写明理由放行 %(overridden)s 处。"
    ) % {"chars": scan.characters, "files": files, "n": len(findings), "overridden": overridden}


def scan_open_findings(task_state):
    scan = scan_for_task_state(task_state)
    if scan is None:
        return None
    return scan.findings.filter(status=Finding.Status.OPEN)


def scan_is_settled(task_state) -> bool:
    """Every finding of the scan of this step's revision is fixed or let through."""
    open_findings = scan_open_findings(task_state)
    return open_findings is not None and not open_findings.exists()


def scan_task_run(*, task_state) -> None:
    """Called when the scan step starts: scan, and pass on by itself if nothing is open."""
    scan = scan_revision(revision=task_state.revision)
    if not scan.findings.filter(status=Finding.Status.OPEN).exists():
        # update=False: Wagtail's WorkflowState.update moves on when start() returns a
        # finished task state.
        task_state.approve(user=None, update=False, comment=scan_summary(scan))


def _current_scan_state(item):
    state = item.current_workflow_task_state
    if state is None or not isinstance(state.task.specific, AutomaticScanTask):
        return None
    return state


def scan_task_actions(*, task, item, user) -> list:
    state = _current_scan_state(item)
    if state is None or state.task_id != task.pk:
        return []
    may_settle = user_may_settle_scan(user=user, item=item)
    actions = []
    if may_settle or user_may_edit_item(user=user, item=item):
        actions.append(("rescan", _("重新扫描"), False))
    if may_settle and scan_is_settled(state):
        actions.append(("approve", _("扫描发现均已处理，转保密审查"), False))
    return actions


@transaction.atomic
def scan_task_act(*, task_state, user, action_name: str, **kwargs):
    # kwargs: Wagtail passes the modal's data (a comment); the scan step records its own summary.
    item = task_state.revision.as_object()
    if task_state.status != TaskState.STATUS_IN_PROGRESS:
        raise PermissionDenied(_("这一步骤已经有了结论。"))
    may_settle = user_may_settle_scan(user=user, item=item)
    if action_name == "rescan":
        if not (may_settle or user_may_edit_item(user=user, item=item)):
            raise PermissionDenied(_("您无权重新扫描这条信息。"))
        scan_task_rescan(task_state=task_state, user=user)
        return None
    if action_name == "approve":
        if not may_settle:
            raise PermissionDenied(_("只有保密审查员可以放行扫描发现。"))
        if not scan_is_settled(task_state):
            raise PermissionDenied(_("还有待处理的扫描发现：请改正，或逐条写明理由放行。"))
        task_state.approve(user=user, comment=scan_summary(scan_for_task_state(task_state)))
        return None
    raise PermissionDenied(_("没有这一操作。"))


@transaction.atomic
def scan_task_rescan(*, task_state, user) -> TaskState:
    """Scan again, on the newest revision: the step restarts and passes if nothing is open."""
    task_state.cancel(user=user, resume=True, comment=_("重新扫描"))
    task_state.workflow_state.refresh_from_db()
    return task_state.workflow_state.current_task_state


@transaction.atomic
def scan_task_settle(*, item, actor) -> bool:
    """After a finding is let through: pass the scan step if nothing is open any more."""
    state = _current_scan_state(item)
    if state is None or state.status != TaskState.STATUS_IN_PROGRESS:
        return False
    if not user_may_settle_scan(user=actor, item=item) or not scan_is_settled(state):
        return False
    state.approve(user=actor, comment=scan_summary(scan_for_task_state(state)))
    return True


@transaction.atomic
def workflow_restart_if_edited(*, item, user) -> bool:
    """A new revision was saved while the item is in review: review it from the first step.

    With approvals pinned to the revision (WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT), every
    step must pass the newest revision, in order, beginning with the scan. Wagtail would let the
    step in progress finish on the older revision (or, on resubmitting after 退回修改, resume
    at the step that sent it back) and only then go back; here the review restarts at once at
    the first step the newest revision has not passed.
    """
    workflow_state = item.current_workflow_state
    if workflow_state is None or workflow_state.status != WorkflowState.STATUS_IN_PROGRESS:
        return False
    state = workflow_state.current_task_state
    if state is None or state.status != TaskState.STATUS_IN_PROGRESS:
        return False
    first_unpassed = workflow_state.get_next_task()
    latest = item.get_latest_revision()
    if state.revision_id == (latest.pk if latest else None) and (
        first_unpassed is None or first_unpassed.pk == state.task_id
    ):
        return False
    state.specific.cancel(user=user, comment=_("内容已修改，从第一步重新审查。"))
    return True


def id_numbers_in_body(item) -> int:
    from .detectors import find_numbers

    return sum(1 for hit in find_numbers(item.body or "") if hit.kind == Kind.ID_NUMBER)


# ---------------------------------------------------------------------------------------------
# Workflows
# ---------------------------------------------------------------------------------------------


def workflow_problem(*, workflow) -> str | None:
    """Why a workflow cannot be used for review; None if it can."""
    if not workflow.active:
        return _("该审查流程已停用。")
    tasks = list(workflow.tasks.filter(active=True).specific())
    if not any(
        isinstance(task, OrganisationRoleApprovalTask) and task.role == Role.REVIEWER
        for task in tasks
    ):
        return _(
            "审查流程中至少要有一个由保密审查员决定的步骤（按组织角色审批，由保密审查员决定）。"
        )
    return None


def publish_cleared_revision(workflow_state, user=None):
    """WAGTAIL_FINISH_WORKFLOW_ACTION: publish the revision the workflow approved.

    Wagtail's default publishes the latest revision and checks the final approver's publish
    permission. Here the workflow is the authority (no role has the publish permission) and
    what goes public is exactly the revision every step approved, cleared first.
    """
    from wagtail.workflows import publish_workflow_state

    from .clearance import clearance_grant, is_reviewed_model

    obj = workflow_state.content_object
    if not is_reviewed_model(type(obj)):
        return publish_workflow_state(workflow_state, user=user)
    revision = workflow_state.current_task_state.revision
    clearance_grant(workflow_state=workflow_state, revision=revision)
    revision.publish(user=user, skip_permission_checks=True)
    return None


# ---------------------------------------------------------------------------------------------
# Deciding from the review page
# ---------------------------------------------------------------------------------------------


def user_may_act_on_current_step(*, user, item) -> bool:
    """The current step lets this user act (open the editor, approve, reject)."""
    task = item.current_workflow_task
    return bool(task is not None and task.user_can_access_editor(item, user))


@transaction.atomic
def step_decide(*, item, user, decision: str, comment: str = "", task_state_id: int | None = None):
    """Approve or reject the step the item is at, as the review page shows it.

    `task_state_id` is the step the person was looking at: if the item has moved on (another
    decision, a new revision), nothing is decided and they are told to look again.
    """
    task_state = item.current_workflow_task_state
    if task_state is None:
        raise PermissionDenied(_("这条信息不在审查中。"))
    if task_state_id is not None and task_state.pk != task_state_id:
        raise PermissionDenied(
            _("审查步骤已经变化（有人已作出决定或内容已修改），请查看后重新决定。")
        )
    if decision not in ("approve", "reject"):
        raise PermissionDenied(_("没有这一操作。"))
    task = task_state.task.specific
    return task.on_action(task_state, user, decision, comment=comment)
