from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from .validators import validate_credit_code


class Organisation(models.Model):
    """A node of the organisation tree: the town, its offices, departments, villages."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        OFFICE = "office", _("内设机构")
        DEPARTMENT = "department", _("部门/单位")
        VILLAGE = "village", _("村(社区)")

    name = models.CharField(_("名称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    code = models.SlugField(
        _("代码"),
        max_length=40,
        unique=True,
        help_text=_("英文小写字母、数字和连字符，用于网址和命令，例如 liaobu。"),
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18位，用于生成索引号。"),
    )
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    postcode = models.CharField(
        _("邮政编码"),
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", _("邮政编码应为6位数字。"))],
    )
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    fax = models.CharField(_("传真"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    website = models.URLField(_("网址"), blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["sort_order", "id"]

    def __str__(self):
        return self.name

    def clean(self):
        # Refuse a cycle at the field: an organisation under itself or under its own subtree.
        if self.parent_id and self.pk:
            from .selectors import organisation_descendant_ids

            if self.parent_id == self.pk or self.parent_id in organisation_descendant_ids(
                organisation=self
            ):
                raise ValidationError(
                    {"parent": _("上级组织不能是本组织或其下级组织。")}, code="cycle"
                )
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()


class Role(models.TextChoices):
    ADMIN = "admin", _("公开办管理员")
    EDITOR = "editor", _("编辑")
    REVIEWER = "reviewer", _("保密审查员")
    APPROVER = "approver", _("审批领导")
    CASE_OFFICER = "case_officer", _("依申请经办人")
    LEADING_GROUP = "leading_group", _("领导小组成员")


class RoleAssignment(models.Model):
    """A person holds a role in an organisation; it applies to the whole subtree.

    Ending a role keeps the row (nothing is deleted), so who could do what, when, stays known.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("授予人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("终止时间"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("终止人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("角色任职")
        verbose_name_plural = _("角色任职")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(ended_at__isnull=True),
                name="orgs_one_active_role_per_org",
                violation_error_message=_("此人已在该组织担任该角色。"),
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Roster(ClusterableModel):
    """An organisation's disclosure leading group (领导小组名单), filed with the town office."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("组织"),
        on_delete=models.PROTECT,
        related_name="rosters",
    )
    title = models.CharField(_("名称"), max_length=100, default=_("政务公开领导小组"))
    adopted_on = models.DateField(_("成立/调整日期"))
    filed_on = models.DateField(_("备案日期"), null=True, blank=True)
    filed_with = models.ForeignKey(
        Organisation,
        verbose_name=_("备案单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rosters_received",
        help_text=_("例如镇党政人大办。"),
    )
    notes = models.TextField(_("备注"), blank=True)
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("领导小组名单")
        verbose_name_plural = _("领导小组名单")
        ordering = ["-adopted_on", "-id"]

    def __str__(self):
        return f"{self.organisation} {self.title}（{self.adopted_on:%Y-%m-%d}）"

    def clean(self):
        if self.filed_on and self.adopted_on and self.filed_on < self.adopted_on:
            raise ValidationError({"filed_on": _("备案日期不能早于成立/调整日期。")})
        if self.filed_on and not self.filed_with_id:
            raise ValidationError({"filed_with": _("已填写备案日期时，请选择备案单位。")})


class RosterMember(Orderable):
    class Position(models.TextChoices):
        LEADER = "leader", _("组长")
        DEPUTY = "deputy", _("副组长")
        MEMBER = "member", _("成员")
        LIAISON = "liaison", _("联络员")

    roster = ParentalKey(Roster, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("姓名"), max_length=40)
    position = models.CharField(_("小组职务"), max_length=20, choices=Position.choices)
    job_title = models.CharField(_("单位职务"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=40, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("小组成员")
        verbose_name_plural = _("小组成员")

    def __str__(self):
        return f"{self.name}（{self.get_position_display()}）"
