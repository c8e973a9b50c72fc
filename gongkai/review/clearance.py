"""Clearance: the one rule that decides whether a revision may go public.

A revision is cleared when a review workflow finished (approved) on exactly that revision:
every active step of the workflow has an approved TaskState on it, and the workflow has at
least one human confidentiality review (a 保密审查员 step). That is checked from the task
states at the moment the workflow finishes and recorded as a ReviewClearance; publishing, the
channels and the reports ask `revision_is_cleared` / `item_is_cleared`.

ARCHITECTURE.md: "Nothing reaches a public channel without passing review. There is no code
path around it." Every way Wagtail publishes ends in `DisclosureItem.publish`, which calls
`require_clearance` first.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Revision, TaskState, WorkflowState

from gongkai.orgs.models import Role

from .models import OrganisationRoleApprovalTask, ReviewClearance

# Models whose revisions must be cleared before they are published (label_lower).
REVIEWED_MODELS = frozenset({"catalogue.disclosureitem"})

# For querysets of reviewed models: the live revision is cleared.
LIVE_REVISION_CLEARED = Q(
    live_revision__review_clearance__workflow_state__status=WorkflowState.STATUS_APPROVED
)


class ReviewRequired(PermissionDenied):
    """Publishing refused: the revision has not passed confidentiality review and approval."""

    def __init__(self, message=None):
        super().__init__(message or _("未经保密审查和审批的版本不能发布。"))
        self.message = str(self.args[0])

    def __str__(self):
        return self.message


def is_reviewed_model(model) -> bool:
    return model._meta.concrete_model._meta.label_lower in REVIEWED_MODELS


def revision_is_cleared(revision: Revision | int | None) -> bool:
    """Did a review workflow approve exactly this revision?"""
    if revision is None:
        return False
    revision_id = revision if isinstance(revision, int) else revision.pk
    if revision_id is None:
        return False
    return ReviewClearance.objects.filter(
        revision_id=revision_id, workflow_state__status=WorkflowState.STATUS_APPROVED
    ).exists()


def item_is_cleared(item) -> bool:
    """Is what the public sees of this item (its live revision) cleared?"""
    return bool(item.live and item.live_revision_id and revision_is_cleared(item.live_revision_id))


def _belongs_to(revision: Revision, obj) -> bool:
    return (
        str(revision.object_id) == str(obj.pk)
        and revision.base_content_type_id == obj.get_base_content_type().pk
    )


def require_clearance(*, item, revision: Revision | None) -> None:
    """Raise ReviewRequired unless `revision` is a cleared revision of `item`."""
    if revision is None or item.pk is None or not _belongs_to(revision, item):
        raise ReviewRequired()
    if not revision_is_cleared(revision):
        raise ReviewRequired()


def clearance_problem(*, workflow_state: WorkflowState, revision: Revision) -> str | None:
    """Why this finished workflow does not clear this revision; None if it does."""
    if workflow_state.status != WorkflowState.STATUS_APPROVED:
        return _("审查流程尚未全部通过。")
    if str(revision.object_id) != str(workflow_state.object_id) or (
        revision.base_content_type_id != workflow_state.base_content_type_id
    ):
        return _("该版本不属于这一审查流程所审查的信息。")
    tasks = list(workflow_state.workflow.tasks.filter(active=True).specific())
    if not any(
        isinstance(task, OrganisationRoleApprovalTask) and task.role == Role.REVIEWER
        for task in tasks
    ):
        return _("该审查流程没有保密审查员审查的步骤，不能据此发布。")
    approved = set(
        TaskState.objects.filter(
            workflow_state=workflow_state,
            revision=revision,
            status=TaskState.STATUS_APPROVED,
        ).values_list("task_id", flat=True)
    )
    missing = [task.name for task in tasks if task.pk not in approved]
    if missing:
        return _("以下步骤没有通过这一版本：%(steps)s。") % {"steps": "、".join(missing)}
    return None


@transaction.atomic
def clearance_grant(*, workflow_state: WorkflowState, revision: Revision) -> ReviewClearance:
    """Record that the workflow cleared the revision (checked from the task states first)."""
    problem = clearance_problem(workflow_state=workflow_state, revision=revision)
    if problem:
        raise ReviewRequired(_("未经保密审查和审批的版本不能发布：%(why)s") % {"why": problem})
    clearance, _created = ReviewClearance.objects.get_or_create(
        revision=revision, defaults={"workflow_state": workflow_state}
    )
    return clearance


def scheduled_revisions_refuse(*, dryrun: bool = False) -> list[Revision]:
    """Revisions due to go live by schedule that were never cleared: take them off the schedule.

    A cleared revision is scheduled by the workflow's own publish; anything else has had its
    `approved_go_live_at` written some other way and must not go live. Returns those refused.
    """
    from django.contrib.contenttypes.models import ContentType

    content_types = [
        ct
        for ct in ContentType.objects.filter(
            app_label__in={label.split(".")[0] for label in REVIEWED_MODELS}
        )
        if f"{ct.app_label}.{ct.model}" in REVIEWED_MODELS
    ]
    due = (
        Revision.objects.filter(
            approved_go_live_at__lt=timezone.now(), base_content_type__in=content_types
        )
        .exclude(review_clearance__workflow_state__status=WorkflowState.STATUS_APPROVED)
        .order_by("approved_go_live_at", "pk")
    )
    refused = list(due)
    if dryrun:
        return refused
    for revision in refused:
        with transaction.atomic():
            Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
            obj = revision.content_object
            if obj is not None:
                log(
                    obj,
                    "review.publish_refused",
                    data={
                        "revision": revision.pk,
                        "reason": "scheduled",
                        "go_live_at": revision.approved_go_live_at.isoformat(),
                    },
                )
    return refused
