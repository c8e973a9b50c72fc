"""What each role may do with appeals (merged by gongkai.orgs.services.role_permissions)."""

from gongkai.orgs.models import Role
from gongkai.orgs.roles import STAFF_ACCESS

RECORD = ["appeals.add_appeal", "appeals.change_appeal", "appeals.view_appeal"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN: [STAFF_ACCESS, *RECORD],
    Role.CASE_OFFICER: [STAFF_ACCESS, *RECORD],
    Role.APPROVER: [STAFF_ACCESS, "appeals.view_appeal"],
    Role.LEADING_GROUP: [STAFF_ACCESS, "appeals.view_appeal"],
}
