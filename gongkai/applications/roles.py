"""What each role may do with applications (merged by gongkai.orgs.services.role_permissions).

Case officers handle cases in their subtree; approving leaders approve extensions (条例第三十三条:
经政府信息公开工作机构负责人同意); the leading group reads; the office administrator does everything.
"""

from gongkai.orgs.models import Role
from gongkai.orgs.roles import STAFF_ACCESS

HANDLE = [
    "applications.add_application",
    "applications.change_application",
    "applications.view_application",
    "applications.reveal_application",
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.ADMIN: [
        STAFF_ACCESS,
        *HANDLE,
        "applications.approve_application",
        "applications.add_applicationdesk",
        "applications.change_applicationdesk",
        "applications.view_applicationdesk",
        "applications.add_lettertemplate",
        "applications.change_lettertemplate",
        "applications.view_lettertemplate",
    ],
    Role.CASE_OFFICER: [STAFF_ACCESS, *HANDLE],
    Role.APPROVER: [
        STAFF_ACCESS,
        "applications.view_application",
        "applications.approve_application",
    ],
    Role.LEADING_GROUP: [STAFF_ACCESS, "applications.view_application"],
}
