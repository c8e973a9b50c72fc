from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "gongkai.review"
    label = "review"
    verbose_name = _("保密审查")

    def ready(self):
        from django.db.models.signals import pre_save
        from wagtail.models import Revision
        from wagtail.signals import task_approved, task_rejected

        from . import receivers

        task_approved.connect(receivers.record_decision, dispatch_uid="review_record_approved")
        task_rejected.connect(receivers.record_decision, dispatch_uid="review_record_rejected")
        pre_save.connect(
            receivers.keep_reviewed_revisions, sender=Revision, dispatch_uid="review_keep_revisions"
        )
