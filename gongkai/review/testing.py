"""For tests of any app: publish an item the only way there is, through the review workflow.

    from gongkai.review.testing import publish_through_review

    item = publish_through_review(item)                      # people found or made for you
    item = publish_through_review(item, reviewer=bob, approver=carol)

It runs the real workflow on the item's newest revision: the organisation's workflow (the
standard ones are installed for the top of the tree if none is configured), the automatic scan
(any finding is let through by the reviewer with a written reason, as a reviewer would), every
保密审查员 and 审批领导 step approved with an opinion through the tasks' own `on_action`, and the
workflow's finish, which publishes. Nothing is bypassed: if a step cannot be passed by the
people given, it fails loudly.
"""

from django.contrib.auth import get_user_model
from wagtail.models import TaskState, WorkflowState

from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.selectors import organisation_ancestors
from gongkai.orgs.services import role_grant

from .models import AutomaticScanTask, Finding, OrganisationRoleApprovalTask
from .services import finding_override, review_workflows_install
from .workflow import scan_for_task_state, user_may_decide, user_may_settle_scan

MAX_STEPS = 20


def _root(organisation: Organisation) -> Organisation:
    chain = organisation_ancestors(organisation=organisation)
    return chain[0] if chain else organisation


def review_workflow_ensure(*, organisation: Organisation):
    """The item's organisation has a review workflow (installs the standard ones if not)."""
    from .selectors import workflow_for_organisation

    workflow = workflow_for_organisation(organisation=organisation)
    if workflow is None:
        review_workflows_install(root=_root(organisation))
        workflow = workflow_for_organisation(organisation=organisation)
    return workflow


def person_with_role(*, role: str, organisation: Organisation):
    """Someone holding `role` over the organisation: an existing one, else one made at the top
    of the tree (so that every step of the standard workflows can use them)."""
    from gongkai.orgs.selectors import users_with_role

    found = users_with_role(role=role, organisation=organisation).order_by("pk").first()
    if found is not None:
        return found
    root = _root(organisation)
    username = f"review-{role}-{root.code}"
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model().objects.create_user(username=username, first_name=username)
    role_grant(user=user, organisation=root, role=role)
    return user


def _decider(task, item, given, role):
    if given is not None:
        if not user_may_decide(task=task, user=given, item=item):
            raise AssertionError(
                f"{given} cannot decide the step “{task.name}” for {item.organisation}"
            )
        return given
    target = task.target_organisation(item)
    return person_with_role(role=role, organisation=target)


def run_review(
    item,
    *,
    reviewer=None,
    approver=None,
    submitter=None,
    opinion="经审查，同意公开。",
    override_reason="测试：已人工核对，可以公开。",
) -> WorkflowState:
    """Take the item's newest revision through its workflow; returns the finished state."""
    item = type(item)._default_manager.get(pk=item.pk)
    workflow = review_workflow_ensure(
        organisation=item.get_latest_revision_as_object().organisation
    )
    state = item.current_workflow_state
    if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(user=submitter)
    elif state is None:
        if submitter is None:
            revision = item.get_latest_revision()
            submitter = revision.user if revision else None
        state = workflow.start(item.get_latest_revision_as_object(), submitter)
    for _step in range(MAX_STEPS):
        state.refresh_from_db()
        if state.status == WorkflowState.STATUS_APPROVED:
            return state
        if state.status != WorkflowState.STATUS_IN_PROGRESS:
            raise AssertionError(f"review workflow stopped: {state.status}")
        task_state = state.current_task_state.specific
        task = task_state.task.specific
        draft = task_state.revision.as_object()
        if isinstance(task, AutomaticScanTask):
            person = reviewer
            if person is None or not user_may_settle_scan(user=person, item=draft):
                if person is not None:
                    raise AssertionError(
                        f"{person} cannot settle the scan for {draft.organisation}"
                    )
                person = person_with_role(role=Role.REVIEWER, organisation=draft.organisation)
            scan = scan_for_task_state(task_state)
            for finding in scan.findings.filter(status=Finding.Status.OPEN):
                finding_override(actor=person, finding=finding, reason=override_reason)
            task.on_action(task_state, person, "approve")
        elif isinstance(task, OrganisationRoleApprovalTask):
            given = reviewer if task.role == Role.REVIEWER else approver
            person = _decider(task, draft, given, task.role)
            task.on_action(task_state, person, "approve", comment=opinion)
        else:
            raise AssertionError(f"publish_through_review does not know the step {task!r}")
        task_state.refresh_from_db()
        if task_state.status == TaskState.STATUS_IN_PROGRESS:
            raise AssertionError(f"the step “{task.name}” did not move on")
    raise AssertionError("the review workflow did not finish")


def publish_through_review(item, *, reviewer=None, approver=None, **kwargs):
    """Run the review workflow on the item's newest revision; return the item, published (or
    scheduled, if its go-live time is in the future)."""
    run_review(item, reviewer=reviewer, approver=approver, **kwargs)
    item.refresh_from_db()
    return item
