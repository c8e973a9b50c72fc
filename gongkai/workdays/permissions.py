"""Who may change the holiday calendar: the root organisation's 公开办管理员 and superusers."""

from wagtail.permission_policies.base import ModelPermissionPolicy

from gongkai.orgs.models import Organisation, Role
from gongkai.orgs.selectors import user_active_roles

WRITE_ACTIONS = {"add", "change"}


def user_is_root_admin(*, user) -> bool:
    """Holds 公开办管理员 in an organisation at the top of a tree (a town, a county…)."""
    org_ids = [org_id for role, org_id in user_active_roles(user=user) if role == Role.ADMIN]
    return (
        bool(org_ids)
        and Organisation.objects.filter(
            id__in=org_ids, parent__isnull=True, is_active=True
        ).exists()
    )


class CalendarPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        if action == "delete":
            # Nothing is deleted: a wrong date is corrected by editing the year.
            return False
        if not super().user_has_permission(user, action):
            return False
        if action in WRITE_ACTIONS and not user.is_superuser:
            return user_is_root_admin(user=user)
        return True

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)
