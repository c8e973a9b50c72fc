"""Signal receivers, kept to the two places where Wagtail's own code acts and we must follow.

- Decisions: Wagtail approves and rejects task states from its edit view, its dashboard, its
  workflow-action view and from our code. `task_approved` / `task_rejected` are sent by
  `TaskState.approve` / `reject` on every one of those paths, so the 审查记录 is written here,
  in the same transaction as the decision, and cannot be skipped by a path we do not own.
- Pinning: Wagtail can overwrite the latest revision in place (autosave's
  `overwrite_revision`). A revision that was submitted for review, or cleared, is the record of
  what was reviewed and must never change; editing saves a new revision instead.
"""

from django.utils.translation import gettext as _


def record_decision(sender, instance, user=None, **kwargs):
    from .services import review_record_write

    review_record_write(task_state=instance, user=user)


def keep_reviewed_revisions(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and "content" not in update_fields:
        return  # e.g. publish() setting approved_go_live_at
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import TaskState

    from .clearance import ReviewRequired, is_reviewed_model
    from .models import ReviewClearance

    model = ContentType.objects.get_for_id(instance.base_content_type_id).model_class()
    if model is None or not is_reviewed_model(model):
        return
    if (
        TaskState.objects.filter(revision_id=instance.pk).exists()
        or ReviewClearance.objects.filter(revision_id=instance.pk).exists()
    ):
        raise ReviewRequired(
            _("这一版本已提交保密审查，不能再修改。请刷新页面后重新编辑，修改会保存为新版本。")
        )
