from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState, Workflow, WorkflowState

from gongkai.orgs.models import Organisation, Role

from .kinds import Confidence, Kind
from .matchers import MAX_CATEGORY_LEN, MAX_WORD_LEN, MIN_WORD_LEN
from .scanner import location_text


class SensitiveWord(models.Model):
    """One entry of an organisation's word list; it applies to the organisation's subtree.

    Words are switched off, not deleted, so that what a past scan looked for stays known.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("适用组织"),
        on_delete=models.PROTECT,
        related_name="sensitive_words",
        help_text=_("对该组织及其全部下级组织生效。"),
    )
    word = models.CharField(_("词语"), max_length=MAX_WORD_LEN)
    category = models.CharField(
        _("分类"),
        max_length=MAX_CATEGORY_LEN,
        blank=True,
        help_text=_("例如：涉密、政治、个人信息。"),
    )
    active = models.BooleanField(_("启用"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("添加人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("添加时间"), default=timezone.now)
    # Every change moves this forward: the cached matcher compares it to know it is stale.
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("敏感词")
        verbose_name_plural = _("敏感词库")
        ordering = ["organisation", "word"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "word"],
                name="review_one_word_per_org",
                violation_error_message=_("该组织的词库中已有这个词。"),
            )
        ]

    def __str__(self):
        return self.word

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    def clean(self):
        self.word = (self.word or "").strip()
        self.category = (self.category or "").strip()
        if len(self.word) < MIN_WORD_LEN:
            raise ValidationError({"word": _("词语至少两个字：单字会在几乎每篇文章里误报。")})
        if any(ch in self.word for ch in "\t\r\n"):
            raise ValidationError({"word": _("词语中不能有制表符或换行。")})


class AllowedPhrase(models.Model):
    """A phrase a reviewer has judged harmless ("秘书科", "商业秘密保护"): a finding lying wholly
    inside it is not reported again for this organisation and its subtree."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("适用组织"),
        on_delete=models.PROTECT,
        related_name="allowed_phrases",
        help_text=_("对该组织及其全部下级组织生效。"),
    )
    phrase = models.CharField(_("放行短语"), max_length=200)
    reason = models.TextField(_("放行理由"))
    active = models.BooleanField(_("启用"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("添加人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField(_("添加时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("修改时间"), default=timezone.now)

    class Meta:
        verbose_name = _("放行短语")
        verbose_name_plural = _("放行短语")
        ordering = ["organisation", "phrase"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "phrase"],
                name="review_one_phrase_per_org",
                violation_error_message=_("该组织已放行过这个短语。"),
            )
        ]

    def __str__(self):
        return self.phrase

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    def clean(self):
        self.phrase = (self.phrase or "").strip()
        self.reason = (self.reason or "").strip()
        if len(self.phrase) < MIN_WORD_LEN:
            raise ValidationError({"phrase": _("放行短语至少两个字。")})
        if not self.reason:
            raise ValidationError({"reason": _("请写明为什么放行这个短语。")})


class ScanResult(models.Model):
    """One scan of one object (an item, at a revision): what was scanned and when.

    The object is generic so that catalogue items, pages and snippets can all be scanned; the
    revision pins the result to the exact content that was scanned.
    """

    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("对象编号"), max_length=255, blank=True)
    content_object = GenericForeignKey("content_type", "object_id")
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("修订版本"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="scan_results",
    )
    scanned_at = models.DateTimeField(_("扫描时间"), default=timezone.now)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    engine_version = models.CharField(_("扫描程序版本"), max_length=20, blank=True)
    characters = models.PositiveBigIntegerField(_("扫描字数"), default=0)
    suppressed = models.PositiveIntegerField(_("放行短语忽略数"), default=0)
    fields = models.JSONField(_("扫描的字段"), default=list, blank=True)
    files = models.JSONField(_("扫描的附件"), default=list, blank=True)

    class Meta:
        verbose_name = _("扫描结果")
        verbose_name_plural = _("扫描结果")
        ordering = ["-scanned_at", "-id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "scanned_at"], name="review_scan_object_idx"
            )
        ]

    def __str__(self):
        return f"{self.content_type or '-'} #{self.object_id or '-'} · {self.scanned_at:%Y-%m-%d %H:%M}"


class Finding(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待处理")
        FIXED = "fixed", _("已改正")
        OVERRIDDEN = "overridden", _("已放行")

    scan = models.ForeignKey(
        ScanResult, verbose_name=_("扫描"), on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    confidence = models.CharField(
        _("可信度"), max_length=10, choices=Confidence.choices, default=Confidence.HIGH
    )
    field = models.CharField(_("字段或附件"), max_length=255)
    page = models.PositiveIntegerField(_("页"), null=True, blank=True)
    line = models.PositiveIntegerField(_("行"), null=True, blank=True)
    paragraph = models.PositiveIntegerField(_("段"), null=True, blank=True)
    sheet = models.CharField(_("工作表/部分"), max_length=100, blank=True)
    cell = models.CharField(_("单元格"), max_length=20, blank=True)
    # Personal data is stored masked only, in both columns.
    snippet = models.TextField(_("上下文"), blank=True)
    value = models.CharField(_("发现内容"), max_length=255, blank=True)
    message = models.TextField(_("说明"), blank=True)
    category = models.CharField(_("分类"), max_length=MAX_CATEGORY_LEN, blank=True)
    fingerprint = models.CharField(_("指纹"), max_length=64, db_index=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    override_reason = models.TextField(_("放行理由"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name=_("沿用自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("重新扫描时，同一指纹已放行的发现沿用原放行决定。"),
    )

    class Meta:
        verbose_name = _("扫描发现")
        verbose_name_plural = _("扫描发现")
        ordering = ["scan", "id"]
        permissions = [("override_finding", _("可以放行扫描发现"))]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="overridden") | ~models.Q(override_reason=""),
                name="review_override_needs_reason",
                violation_error_message=_("放行必须填写理由。"),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.field} {self.location()}".strip()

    def location(self) -> str:
        return location_text(
            page=self.page,
            line=self.line,
            paragraph=self.paragraph,
            sheet=self.sheet,
            cell=self.cell,
        )


# ---------------------------------------------------------------------------------------------
# The review workflow: Wagtail tasks of our own, the workflow each organisation uses, the record
# of every decision, and the clearance that lets exactly one revision go public.
# ---------------------------------------------------------------------------------------------


class AutomaticScanTask(Task):
    """自动扫描: scans the submitted revision and passes it on by itself when nothing is open.

    Findings hold the item here until each is fixed (a new revision no longer has it) or let
    through by a 保密审查员 with a written reason. The logic lives in workflow.py.
    """

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("自动扫描")
        verbose_name_plural = _("自动扫描")

    def start(self, workflow_state, user=None):
        from .workflow import scan_task_run

        task_state = super().start(workflow_state, user=user)
        scan_task_run(task_state=task_state)
        return task_state

    def user_can_access_editor(self, obj, user):
        from .workflow import user_may_settle_scan

        return user_may_settle_scan(user=user, item=obj)

    def locked_for_user(self, obj, user):
        # Editors must be able to correct what the scan found while the item waits here.
        return False

    def get_actions(self, obj, user):
        from .workflow import scan_task_actions

        return scan_task_actions(task=self, item=obj, user=user)

    def on_action(self, task_state, user, action_name, **kwargs):
        from .workflow import scan_task_act

        return scan_task_act(task_state=task_state, user=user, action_name=action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .workflow import task_states_for_role

        return task_states_for_role(task=self, user=user, role=Role.REVIEWER, level="owner")

    @classmethod
    def get_description(cls):
        return _(
            "扫描标题、摘要、正文和全部附件；没有待处理的发现时自动通过，否则须改正或由保密审查员写明理由放行。"
        )


class OrganisationRoleApprovalTask(Task):
    """A decision by whoever holds a role in an organisation found from the item's own one.

    A person may act if they hold the role in that organisation or in any organisation above
    it (roles reach down the tree, as everywhere else in gongkai).
    """

    class Level(models.TextChoices):
        OWNER = "owner", _("信息所属组织")
        PARENT = "parent", _("所属组织的上级组织")
        ROOT = "root", _("最上级组织（镇）")
        FIXED = "fixed", _("指定组织")

    ROLE_CHOICES = [
        (Role.REVIEWER.value, Role.REVIEWER.label),
        (Role.APPROVER.value, Role.APPROVER.label),
    ]

    role = models.CharField(_("由谁决定"), max_length=20, choices=ROLE_CHOICES)
    level = models.CharField(
        _("在哪一级组织"), max_length=20, choices=Level.choices, default=Level.OWNER
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("指定组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("仅当“在哪一级组织”为“指定组织”时填写。"),
    )

    admin_form_fields = [*Task.admin_form_fields, "role", "level", "organisation"]

    class Meta:
        verbose_name = _("按组织角色审批")
        verbose_name_plural = _("按组织角色审批")

    def clean(self):
        super().clean()
        if self.level == self.Level.FIXED and not self.organisation_id:
            raise ValidationError({"organisation": _("请选择指定组织。")})
        if self.level != self.Level.FIXED and self.organisation_id:
            raise ValidationError({"organisation": _("只有“指定组织”才需要选择组织，请清空。")})

    def target_organisation(self, item) -> Organisation:
        from .workflow import task_target_organisation

        return task_target_organisation(task=self, item=item)

    def user_may_decide(self, user, item) -> bool:
        from .workflow import user_may_decide

        return user_may_decide(task=self, user=user, item=item)

    def user_can_access_editor(self, obj, user):
        return self.user_may_decide(user, obj)

    def locked_for_user(self, obj, user):
        # While a reviewer or a leader decides, the content stays as they see it.
        return not (user.is_superuser or self.user_may_decide(user, obj))

    def user_can_lock(self, obj, user):
        return self.user_may_decide(user, obj)

    def get_actions(self, obj, user):
        from .workflow import approval_task_actions

        return approval_task_actions(task=self, item=obj, user=user)

    def get_form_for_action(self, action):
        from .forms import opinion_form_class

        return opinion_form_class(role=self.role, action=action)

    def on_action(self, task_state, user, action_name, **kwargs):
        from .workflow import approval_task_act

        return approval_task_act(
            task=self, task_state=task_state, user=user, action_name=action_name, **kwargs
        )

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .workflow import task_states_for_role

        return task_states_for_role(task=self, user=user, role=self.role, level=self.level)

    @classmethod
    def get_description(cls):
        return _(
            "由信息所属组织（或其上级、最上级、指定组织）的保密审查员或审批领导决定；上级组织的同一角色也可以决定。"
        )


class OrganisationWorkflow(models.Model):
    """Which review workflow an organisation's items go through; it applies to the subtree
    unless an organisation below has its own."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="review_workflow",
        help_text=_("对该组织及其下级组织生效，除非下级组织另行指定。"),
    )
    workflow = models.ForeignKey(
        Workflow,
        verbose_name=_("审查流程"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"active": True},
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    set_at = models.DateTimeField(_("设置时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("组织审查流程")
        verbose_name_plural = _("组织审查流程")
        ordering = ["organisation__sort_order", "organisation_id"]

    def __str__(self):
        return f"{self.organisation} · {self.workflow}"

    def clean(self):
        from .workflow import workflow_problem

        if self.workflow_id:
            problem = workflow_problem(workflow=self.workflow)
            if problem:
                raise ValidationError({"workflow": problem})


class ReviewRecord(models.Model):
    """审查记录: one decision on one revision at one step, as the 保密审查单 prints it.

    Written for every approval and rejection of our tasks, whichever way it was made (the
    editor's page, the dashboard, a script). Append-only.
    """

    class Step(models.TextChoices):
        SCAN = "scan", _("自动扫描")
        REVIEW = "review", _("保密审查")
        APPROVAL = "approval", _("审批")

    class Decision(models.TextChoices):
        APPROVED = "approved", _("通过")
        REJECTED = "rejected", _("退回修改")

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(_("对象编号"), max_length=255)
    content_object = GenericForeignKey("content_type", "object_id")
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("修订版本"),
        on_delete=models.PROTECT,
        related_name="review_records",
    )
    workflow_state = models.ForeignKey(
        WorkflowState, verbose_name=_("流程"), on_delete=models.PROTECT, related_name="+"
    )
    task_state = models.OneToOneField(
        TaskState, verbose_name=_("步骤记录"), on_delete=models.PROTECT, related_name="+"
    )
    task = models.ForeignKey(
        Task, verbose_name=_("步骤"), on_delete=models.PROTECT, related_name="+"
    )
    task_name = models.CharField(_("步骤名称"), max_length=255)
    step = models.CharField(_("环节"), max_length=20, choices=Step.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("以谁的名义"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("作出决定所代表的组织。"),
    )
    decision = models.CharField(_("结论"), max_length=20, choices=Decision.choices)
    opinion = models.TextField(_("意见"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("空白表示系统自动作出。"),
    )
    decided_at = models.DateTimeField(_("决定时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审查记录")
        verbose_name_plural = _("审查记录")
        ordering = ["decided_at", "id"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "decided_at"], name="review_record_object_idx"
            )
        ]

    def __str__(self):
        return (
            f"{self.task_name} · {self.get_decision_display()} · {self.decided_at:%Y-%m-%d %H:%M}"
        )


class ReviewClearance(models.Model):
    """The fact that one revision passed the whole workflow, recorded when the workflow finished.

    It is checked against the task states when it is made (clearance.clearance_grant) and is
    what publishing and the channels look for. It is written once and never changes, so that
    editing a workflow later neither clears nor un-clears what was approved under it.
    """

    revision = models.OneToOneField(
        "wagtailcore.Revision",
        verbose_name=_("修订版本"),
        on_delete=models.PROTECT,
        related_name="review_clearance",
    )
    workflow_state = models.ForeignKey(
        WorkflowState, verbose_name=_("流程"), on_delete=models.PROTECT, related_name="+"
    )
    cleared_at = models.DateTimeField(_("通过时间"), default=timezone.now)

    class Meta:
        verbose_name = _("审查通过")
        verbose_name_plural = _("审查通过")

    def __str__(self):
        return f"revision {self.revision_id} · {self.cleared_at:%Y-%m-%d %H:%M}"
