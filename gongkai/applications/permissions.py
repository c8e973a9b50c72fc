"""Who may do what to which application: the role gives the action, the tree gives the place."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.permissions import OrganisationScopedPolicy
from gongkai.orgs.selectors import user_organisation_ids
from gongkai.orgs.services import role_permissions

from .models import Application

application_policy = OrganisationScopedPolicy(Application)

MESSAGES = {
    "view": _("您无权查看该申请。"),
    "add": _("您无权为该机关登记申请。"),
    "change": _("您无权办理该申请（需为该机关或其上级的依申请经办人或公开办管理员）。"),
    "approve": _("只有审批领导或公开办管理员可以批准延长答复期限。"),
    "reveal": _("您无权查看申请人的完整个人信息。"),
}


def can(user, action: str, application: Application) -> bool:
    return application_policy.user_has_permission_for_instance(user, action, application)


def require(actor, action: str, application: Application) -> None:
    """Refuse unless the actor may; None is the platform itself (commands, tasks)."""
    if actor is None:
        return
    if not can(actor, action, application):
        raise PermissionDenied(str(MESSAGES[action]))


def applications_visible_to(user):
    return application_policy.instances_user_has_any_permission_for(user, ["view"])


def organisation_ids_for(user, action: str) -> set[int] | None:
    """Organisations where the user may `action`; None means all (superuser)."""
    if not user.is_active:
        return set()
    if user.is_superuser:
        return None
    perm = f"applications.{action}_application"
    roles = [role for role, perms in role_permissions().items() if perm in perms]
    return user_organisation_ids(user=user, roles=roles)
